//! Inviting someone to the private room on screen, by their username.

use common::Nickname;
use leptos::prelude::*;

use crate::i18n::tr;

#[component]
pub fn InviteForm(
    /// Called with the username typed; returns whether the request went out (the box then
    /// clears).
    on_invite: Callback<String, bool>,
) -> impl IntoView {
    let (username, set_username) = signal(String::new());
    let invite = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if on_invite.run(username.get_untracked()) {
            set_username.set(String::new());
        }
    };
    view! {
        <form class="invite" on:submit=invite>
            <input
                aria-label=tr(|p| p.invite_username)
                placeholder=tr(|p| p.username)
                maxlength=Nickname::MAX_CHARS
                prop:value=username
                on:input=move |event| set_username.set(event_target_value(&event))
            />
            <button type="submit" disabled=move || username.with(|name| name.trim().is_empty())>
                {tr(|p| p.invite)}
            </button>
        </form>
    }
}
