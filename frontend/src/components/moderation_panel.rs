//! Moderation, for the server's moderators and admins: banning an account, and (admins) the
//! audit log of moderation actions. The server decides who may; this only shows the tools to
//! those it named moderators.

use leptos::prelude::*;

use crate::components::{InviteLinks, PeopleAdmin};
use crate::controller::ChatController;
use crate::i18n::{tr, use_lang, use_phrases};
use crate::model::chat_state::ChatState;
use crate::time_format;

#[component]
pub fn ModerationPanel() -> impl IntoView {
    let chat = expect_context::<ChatController>();
    let phrases = use_phrases();
    let lang = use_lang();
    let (username, set_username) = signal(String::new());
    let (reason, set_reason) = signal(String::new());
    let (minutes, set_minutes) = signal(String::new());
    let (guest, set_guest) = signal(false);
    let is_admin = move || chat.state.with(ChatState::administers);
    let ban = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let minutes = minutes.get_untracked().trim().parse::<u32>().ok();
        let banned = (username.get_untracked(), reason.get_untracked());
        if chat.ban(&banned.0, &banned.1, minutes, guest.get_untracked()) {
            set_username.set(String::new());
            set_reason.set(String::new());
            set_minutes.set(String::new());
        }
    };
    let entries = move || chat.state.with(|state| state.audit_log.clone().unwrap_or_default());
    view! {
        <details class="moderation">
            <summary>{tr(|p| p.moderation)}</summary>
            <form class="ban" on:submit=ban>
                <label>
                    <span>{tr(|p| p.username)}</span>
                    <input
                        maxlength=common::Nickname::MAX_CHARS
                        prop:value=username
                        on:input=move |event| set_username.set(event_target_value(&event))
                    />
                </label>
                <label>
                    <span>{tr(|p| p.ban_reason)}</span>
                    <input
                        prop:value=reason
                        on:input=move |event| set_reason.set(event_target_value(&event))
                    />
                </label>
                <label>
                    <span>{tr(|p| p.ban_minutes)}</span>
                    <input
                        type="number"
                        min="1"
                        inputmode="numeric"
                        prop:value=minutes
                        on:input=move |event| set_minutes.set(event_target_value(&event))
                    />
                </label>
                <label class="guest-choice">
                    <input
                        type="checkbox"
                        prop:checked=guest
                        on:change=move |event| set_guest.set(event_target_checked(&event))
                    />
                    <span>{tr(|p| p.ban_guest)}</span>
                </label>
                <button type="submit" disabled=move || username.with(|name| name.trim().is_empty())>
                    {tr(|p| p.ban)}
                </button>
            </form>
            <Show when=is_admin>
                <PeopleAdmin />
                <InviteLinks />
                <button class="secondary" on:click=move |_| chat.load_audit_log()>
                    {tr(|p| p.audit_log)}
                </button>
                <ol class="audit-log" aria-label=tr(|p| p.audit_log)>
                    <For each=entries key=|entry| entry.id let:entry>
                        <li>
                            <time>{move || time_format::local_date_time(entry.at, lang.get())}</time>
                            " "
                            {move || (phrases.get().audit_line)(&entry)}
                        </li>
                    </For>
                </ol>
            </Show>
        </details>
    }
}
