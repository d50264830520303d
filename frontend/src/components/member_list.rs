//! Who is in the room now.

use common::Nickname;
use leptos::prelude::*;

#[component]
pub fn MemberList(
    #[prop(into)] members: Signal<Vec<Nickname>>,
    #[prop(into)] me: Signal<Option<Nickname>>,
) -> impl IntoView {
    let count = move || members.with(Vec::len);
    view! {
        <aside class="members" aria-label="People in the room">
            <h2>"Online — " {count}</h2>
            <ul>
                <For each=move || members.get() key=Nickname::key let:member>
                    {
                        let is_me = me.with_untracked(|me| me.as_ref().map(Nickname::key))
                            == Some(member.key());
                        view! {
                            <li class:me=is_me>
                                {member.to_string()}
                                {is_me.then_some(" (you)")}
                            </li>
                        }
                    }
                </For>
            </ul>
        </aside>
    }
}
