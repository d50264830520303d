//! The whole page: the sign-in form until the server accepts a nickname, then the chat.

use leptos::prelude::*;

use crate::components::{ChatView, Login};
use crate::controller::ChatController;
use crate::first_screen::FirstScreen;
use crate::i18n::tr;
use crate::model::chat_state::Phase;
use crate::notifications::watch_arrivals;
use crate::preferences::Preferences;

#[component]
pub fn App() -> impl IntoView {
    // The static first screen of index.html goes as the app's own view comes.
    provide_context(FirstScreen::take_over());
    provide_context(Preferences::load());
    let chat = ChatController::new();
    provide_context(chat);
    chat.start();
    watch_arrivals(chat);
    // Links to rooms and the back button change the URL's fragment; follow it.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| chat.show_room_from_url());
    // Once a nickname was accepted the chat stays on screen, through reconnects too.
    let in_chat =
        move || chat.state.with(|state| state.me.is_some() && state.phase != Phase::SignedOut);
    let must_reload = move || chat.state.with(|state| state.must_reload);
    view! {
        <Show when=must_reload>
            <div class="banner" role="alert">
                {tr(|p| p.out_of_date)}
                " "
                <button on:click=|_| {
                    if let Some(window) = web_sys::window() {
                        // Nothing useful can be done if reload itself fails.
                        let _ = window.location().reload();
                    }
                }>{tr(|p| p.reload)}</button>
            </div>
        </Show>
        <Show when=in_chat fallback=|| view! { <Login /> }>
            <ChatView />
        </Show>
    }
}
