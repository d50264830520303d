//! Choosing a nickname (and, before anything else, the language and theme).

use leptos::prelude::*;

use crate::components::error_text::error_text;
use crate::components::{ConnectionIndicator, SettingsPanel};
use crate::controller::ChatController;
use crate::i18n::tr;
use crate::model::chat_state::Phase;

#[component]
pub fn Login() -> impl IntoView {
    let chat = expect_context::<ChatController>();
    let (nickname, set_nickname) = signal(String::new());
    let waiting = move || chat.state.with(|state| state.phase == Phase::Identifying);
    let error = error_text(chat);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        chat.sign_in(&nickname.get_untracked());
    };
    view! {
        <main class="login">
            <h1>{tr(|p| p.app_name)}</h1>
            <form on:submit=submit>
                <label for="nickname">{tr(|p| p.pick_nickname)}</label>
                <input
                    id="nickname"
                    name="nickname"
                    autocomplete="nickname"
                    maxlength=common::Nickname::MAX_CHARS
                    autofocus
                    prop:value=nickname
                    on:input=move |event| set_nickname.set(event_target_value(&event))
                />
                <button type="submit" disabled=waiting>{tr(|p| p.enter)}</button>
            </form>
            <p class="error" role="alert">{error}</p>
            <ConnectionIndicator status=chat.status />
            <SettingsPanel />
        </main>
    }
}
