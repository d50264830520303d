//! Invite links, for admins: make one (for how many people, for how long), copy its link
//! (shown once), see the others and revoke them. The server refuses anyone else.

use leptos::prelude::*;

use crate::browser::route::invite_hash;
use crate::controller::ChatController;
use crate::i18n::{tr, use_lang, use_phrases};
use crate::time_format;

#[component]
pub fn InviteLinks() -> impl IntoView {
    let chat = expect_context::<ChatController>();
    let phrases = use_phrases();
    let lang = use_lang();
    let (uses, set_uses) = signal(String::from("1"));
    let (days, set_days) = signal(String::from("7"));
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let max_uses = uses.get_untracked().trim().parse::<u32>().ok().filter(|uses| *uses > 0);
        let hours =
            days.get_untracked().trim().parse::<u32>().ok().map(|days| days.saturating_mul(24));
        chat.act(|state| state.create_invite_request(max_uses, hours));
    };
    let new_link = move || {
        chat.state.with(|state| {
            let code = state.new_invite.as_ref()?;
            let origin = web_sys::window()?.location().origin().ok()?;
            Some(format!("{origin}/{}", invite_hash(code.expose())))
        })
    };
    let invites = move || chat.state.with(|state| state.invites.clone().unwrap_or_default());
    view! {
        <section class="invite-links" aria-label=tr(|p| p.invite_links)>
            <h3>{tr(|p| p.invite_links)}</h3>
            <form class="new-invite" on:submit=create>
                <label>
                    <span>{tr(|p| p.invite_uses)}</span>
                    <input
                        type="number"
                        min="0"
                        inputmode="numeric"
                        prop:value=uses
                        on:input=move |event| set_uses.set(event_target_value(&event))
                    />
                </label>
                <label>
                    <span>{tr(|p| p.invite_days)}</span>
                    <input
                        type="number"
                        min="1"
                        max="365"
                        inputmode="numeric"
                        prop:value=days
                        on:input=move |event| set_days.set(event_target_value(&event))
                    />
                </label>
                <button type="submit">{tr(|p| p.make_invite)}</button>
            </form>
            {move || {
                new_link()
                    .map(|link| {
                        view! {
                            <label class="new-link">
                                <span>{tr(|p| p.invite_link_once)}</span>
                                <input readonly prop:value=link on:focus=move |event| {
                                    select_all(&event);
                                } />
                            </label>
                        }
                    })
            }}
            <button class="secondary" on:click=move |_| { chat.act(|state| state.invites_request()); }>
                {tr(|p| p.show_invites)}
            </button>
            <ul class="invites">
                <For each=invites key=|invite| (invite.id, invite.uses, invite.revoked) let:invite>
                    <li class:revoked=invite.revoked>
                        {move || {
                            let expires = time_format::local_date_time(invite.expires_at, lang.get());
                            (phrases.get().invite_line)(&invite.created_by, invite.uses, invite.max_uses, &expires)
                        }}
                        {(!invite.revoked)
                            .then(|| {
                                let id = invite.id;
                                view! {
                                    <button
                                        class="secondary"
                                        on:click=move |_| { chat.act(|state| state.revoke_invite_request(id)); }
                                    >
                                        {tr(|p| p.revoke)}
                                    </button>
                                }
                            })}
                        {invite.revoked.then(|| view! { <span class="revoked">{tr(|p| p.revoked)}</span> })}
                    </li>
                </For>
            </ul>
        </section>
    }
}

/// Selects the whole link when its field gets focus, ready to copy.
fn select_all(event: &leptos::ev::FocusEvent) {
    use wasm_bindgen::JsCast;
    if let Some(input) =
        event.target().and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.select();
    }
}
