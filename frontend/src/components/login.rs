//! Entering the chat: as a guest with a nickname, or with an account (sign in or register);
//! and, before anything else, the language and theme.

use leptos::prelude::*;

use crate::browser::first_screen::FirstScreen;
use crate::components::error_text::error_text;
use crate::components::{ConnectionIndicator, SettingsPanel};
use crate::controller::ChatController;
use crate::i18n::tr;
use crate::model::chat_state::{AccountAction, Phase};

/// The three ways in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    Guest,
    SignIn,
    Register,
}

#[component]
pub fn Login() -> impl IntoView {
    let chat = expect_context::<ChatController>();
    let invited = chat.state.with_untracked(|state| state.invite.is_some());
    let way = RwSignal::new(if invited { Way::Register } else { Way::Guest });
    // What was typed (and sent) on the static first screen before the app arrived.
    let first = use_context::<FirstScreen>().map(FirstScreen::take).unwrap_or_default();
    let (name, set_name) = signal(first.nickname.clone());
    // The chat module comes as soon as the visitor starts to sign in (or had typed on the
    // static first screen), not for a visit that only looks (controller/chat_module.rs).
    if !first.nickname.is_empty() {
        chat.fetch_chat_module();
    }
    let nickname_input = NodeRef::<leptos::html::Input>::new();
    if first.focused {
        Effect::new(move |_| {
            if let Some(input) = nickname_input.get() {
                let _ = input.focus();
            }
        });
    }
    if first.submitted && !invited && !first.nickname.trim().is_empty() {
        // Once, after the form is on screen (an effect could run again).
        let nickname = first.nickname.clone();
        request_animation_frame(move || chat.sign_in(&nickname));
    }
    let (password, set_password) = signal(String::new());
    let waiting = move || chat.state.with(|state| state.phase == Phase::Identifying);
    let error = error_text(chat);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let name = name.get_untracked();
        match way.get_untracked() {
            Way::Guest => chat.sign_in(&name),
            Way::SignIn => {
                chat.sign_in_with_password(&name, &password.get_untracked(), AccountAction::SignIn);
            }
            Way::Register => chat.sign_in_with_password(
                &name,
                &password.get_untracked(),
                AccountAction::Register,
            ),
        }
    };
    let choice = move |value: Way, label: fn(&'static crate::i18n::Phrases) -> &'static str| {
        view! {
            <label class="way">
                <input
                    type="radio"
                    name="way"
                    prop:checked=move || way.get() == value
                    on:change=move |_| way.set(value)
                />
                {tr(label)}
            </label>
        }
    };
    let with_account = move || way.get() != Way::Guest;
    view! {
        <main class="login">
            <h1>{tr(|p| p.app_name)}</h1>
            <form on:submit=submit on:input=move |_| chat.fetch_chat_module()>
                {invited.then(|| view! { <p class="hint invited">{tr(|p| p.invited_hint)}</p> })}
                <fieldset class="ways">
                    <legend>{tr(|p| p.how_to_enter)}</legend>
                    {choice(Way::Guest, |p| p.as_guest)}
                    {choice(Way::SignIn, |p| p.sign_in)}
                    {choice(Way::Register, |p| p.register)}
                </fieldset>
                <label for="nickname">
                    {move || if with_account() { tr(|p| p.username)() } else { tr(|p| p.pick_nickname)() }}
                </label>
                <input
                    id="nickname"
                    name="nickname"
                    node_ref=nickname_input
                    autocomplete=move || if with_account() { "username" } else { "nickname" }
                    maxlength=common::Nickname::MAX_CHARS
                    autofocus
                    prop:value=name
                    on:input=move |event| set_name.set(event_target_value(&event))
                />
                <Show when=with_account>
                    <label for="password">{tr(|p| p.password)}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete=move || {
                            if way.get() == Way::Register { "new-password" } else { "current-password" }
                        }
                        maxlength=common::PASSWORD_MAX_CHARS
                        aria-describedby=move || (way.get() == Way::Register).then_some("password-hint")
                        prop:value=password
                        on:input=move |event| set_password.set(event_target_value(&event))
                    />
                    <Show when=move || way.get() == Way::Register>
                        <p id="password-hint" class="hint">{tr(|p| p.password_hint)}</p>
                    </Show>
                </Show>
                <button type="submit" disabled=waiting>
                    {move || match way.get() {
                        Way::Guest => tr(|p| p.enter)(),
                        Way::SignIn => tr(|p| p.sign_in)(),
                        Way::Register => tr(|p| p.register)(),
                    }}
                </button>
            </form>
            <p class="error" role="alert">{error}</p>
            <ConnectionIndicator status=chat.status />
            <SettingsPanel />
        </main>
    }
}
