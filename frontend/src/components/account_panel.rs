//! An account's own settings: the browsers it is signed in on (with "sign out everywhere
//! else") and changing the password.

use leptos::prelude::*;

use crate::controller::ChatController;
use crate::i18n::{tr, use_lang, use_phrases};
use crate::time_format;

#[component]
pub fn AccountPanel() -> impl IntoView {
    let chat = expect_context::<ChatController>();
    let phrases = use_phrases();
    let lang = use_lang();
    let (current, set_current) = signal(String::new());
    let (new, set_new) = signal(String::new());
    let sessions = move || chat.state.with(|state| state.sessions.clone().unwrap_or_default());
    let change = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if chat.change_password(&current.get_untracked(), &new.get_untracked()) {
            set_current.set(String::new());
            set_new.set(String::new());
        }
    };
    view! {
        <details
            class="account"
            on:toggle=move |_| chat.load_sessions()
        >
            <summary>{tr(|p| p.your_sessions)}</summary>
            <ul class="sessions">
                <For each=sessions key=|session| (session.created_at, session.current) let:session>
                    <li class:current=session.current>
                        {move || {
                            let lang = lang.get();
                            let created = time_format::local_date_time(session.created_at, lang);
                            let seen = time_format::local_date_time(session.last_seen_at, lang);
                            (phrases.get().session_line)(&created, &seen)
                        }}
                        {session.current.then(|| view! { " (" {tr(|p| p.this_browser)} ")" })}
                    </li>
                </For>
            </ul>
            <button class="secondary" on:click=move |_| chat.sign_out_elsewhere()>
                {tr(|p| p.sign_out_other_sessions)}
            </button>
            <form class="change-password" on:submit=change>
                <label>
                    <span>{tr(|p| p.current_password)}</span>
                    <input
                        type="password"
                        autocomplete="current-password"
                        prop:value=current
                        on:input=move |event| set_current.set(event_target_value(&event))
                    />
                </label>
                <label>
                    <span>{tr(|p| p.new_password)}</span>
                    <input
                        type="password"
                        autocomplete="new-password"
                        maxlength=common::PASSWORD_MAX_CHARS
                        prop:value=new
                        on:input=move |event| set_new.set(event_target_value(&event))
                    />
                </label>
                <button type="submit" disabled=move || new.with(String::is_empty)>
                    {tr(|p| p.change_password)}
                </button>
            </form>
        </details>
    }
}
