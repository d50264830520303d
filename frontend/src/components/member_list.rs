//! Who is in the room now, in the reader's language's alphabetical order (pinyin order for
//! Chinese names when the page speaks Chinese), each with their avatar.

use common::Nickname;
use leptos::prelude::*;

use crate::components::Avatar;
use crate::i18n::{tr, use_lang};
use crate::model::case_fold::{name_key, same_name};
use crate::model::collation::sort_nicknames;

#[component]
pub fn MemberList(
    #[prop(into)] members: Signal<Vec<Nickname>>,
    #[prop(into)] me: Signal<Option<Nickname>>,
    /// Opens direct messages with a person (offered to accounts only; the server refuses a
    /// guest as the other person).
    #[prop(into, default = Signal::stored(None))]
    on_message: Signal<Option<Callback<Nickname>>>,
) -> impl IntoView {
    let lang = use_lang();
    let phrases = move || lang.get().phrases();
    let count = move || members.with(Vec::len);
    let sorted = move || {
        let mut members = members.get();
        sort_nicknames(&mut members, lang.get());
        members
    };
    view! {
        <section class="members" aria-label=tr(|p| p.people_in_room)>
            <h2>{move || (phrases().online)(count())}</h2>
            <ul>
                <For each=sorted key=name_key let:member>
                    {
                        let is_me =
                            me.with_untracked(|me| me.as_ref().is_some_and(|me| same_name(me, &member)));
                        view! {
                            <li class:me=is_me>
                                <Avatar nickname=member.clone() />
                                <span class="name">{member.to_string()}</span>
                                {is_me.then(|| view! { <span class="you">{tr(|p| p.you)}</span> })}
                                {
                                    let other = member.clone();
                                    move || {
                                        on_message
                                            .get()
                                            .filter(|_| !is_me)
                                            .map(|open| {
                                                let other = other.clone();
                                                let label = (phrases().message_to)(&other);
                                                view! {
                                                    <button
                                                        class="dm secondary"
                                                        aria-label=label.clone()
                                                        title=label
                                                        on:click=move |_| open.run(other.clone())
                                                    >
                                                        <span aria-hidden="true">"✉"</span>
                                                    </button>
                                                }
                                            })
                                    }
                                }
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}
