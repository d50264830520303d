//! The whole page: the sign-in form until the server accepts a nickname, then the chat.

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

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
    fetch_chat_screen_soon();
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
            <ChatScreen />
        </Show>
    }
}

/// The chat screen, once its module is here; if it could not be fetched, a way to try again.
#[component]
fn ChatScreen() -> impl IntoView {
    let attempt = RwSignal::new(0u32);
    move || {
        attempt.track();
        Suspend::new(async move {
            match chat_screen().await {
                Ok(screen) => screen,
                Err(_) => view! {
                    <p class="banner" role="alert">
                        {tr(|p| p.chat_screen_failed)}
                        " "
                        <button on:click=move |_| attempt.update(|n| *n += 1)>
                            {tr(|p| p.retry_now)}
                        </button>
                    </p>
                }
                .into_any(),
            }
        })
    }
}

/// The chat screen. In the page's build (the `split` feature, cut by `scripts/split-page.sh`)
/// its code is a WASM module of its own, so the sign-in form does not wait for it; see
/// docs/ARCHITECTURE.md, "The page's two modules". A fetch that fails is an error to show,
/// not a panic (`fallible`); the next call fetches again.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(
    chat_screen,
    wasm_split_path = ::leptos::wasm_split,
    preload(fetch_chat_screen),
    fallible
)]
fn chat_screen() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <ChatView /> }.into_any())
}

/// Starts fetching the chat screen's module once the app has drawn its first view (the task
/// runs after the mount), so that it is usually here by the time a nickname is accepted.
/// Fetched beside the first module (with a `prefetch` link, measured), it shared the link
/// with it and the sign-in form came at 1.9 s instead of 1.3 s at 1.6 Mbit/s. A failure here
/// is shown, and retried, when the chat screen is wanted.
#[cfg(feature = "split")]
fn fetch_chat_screen_soon() {
    leptos::task::spawn_local(async {
        let _ = fetch_chat_screen().await;
    });
}

/// Without the `split` feature (tests, builds without the splitting tool) the chat screen is
/// part of the one module.
#[cfg(not(feature = "split"))]
async fn chat_screen() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <ChatView /> }.into_any())
}

#[cfg(not(feature = "split"))]
fn fetch_chat_screen_soon() {}
