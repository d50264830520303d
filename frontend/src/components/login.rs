//! Choosing a nickname.

use leptos::prelude::*;

use crate::chat_state::Phase;
use crate::components::ConnectionIndicator;
use crate::controller::ChatController;

#[component]
pub fn Login() -> impl IntoView {
    let chat = expect_context::<ChatController>();
    let (nickname, set_nickname) = signal(String::new());
    let waiting = move || chat.state.with(|state| state.phase == Phase::Identifying);
    let error = move || chat.state.with(|state| state.error.clone());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        chat.sign_in(&nickname.get_untracked());
    };
    view! {
        <main class="login">
            <h1>"Chat"</h1>
            <form on:submit=submit>
                <label for="nickname">"Pick a nickname"</label>
                <input
                    id="nickname"
                    name="nickname"
                    autocomplete="nickname"
                    maxlength=common::Nickname::MAX_CHARS
                    autofocus
                    prop:value=nickname
                    on:input=move |event| set_nickname.set(event_target_value(&event))
                />
                <button type="submit" disabled=waiting>"Enter the room"</button>
            </form>
            <p class="error" role="alert">{error}</p>
            <ConnectionIndicator status=chat.status />
        </main>
    }
}
