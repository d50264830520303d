//! The whole page: the sign-in form until the server accepts a nickname, then the chat.

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::browser::first_screen::FirstScreen;
use crate::browser::preferences::Preferences;
use crate::components::{ChatView, Login};
use crate::controller::{ChatController, ChatModule};
use crate::i18n::tr;
use crate::model::chat_state::Phase;

#[component]
pub fn App() -> impl IntoView {
    // The static first screen of index.html goes as the app's own view comes.
    provide_context(FirstScreen::take_over());
    provide_context(Preferences::load());
    let chat = ChatController::new();
    provide_context(chat);
    chat.start();
    // Links to rooms and the back button change the URL's fragment; follow it.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| chat.show_room_from_url());
    // Once a nickname was accepted the chat stays on screen, through reconnects too.
    let in_chat =
        move || chat.state.with(|state| state.me.is_some() && state.phase != Phase::SignedOut);
    let must_reload = move || chat.state.with(|state| state.must_reload);
    let module_failed = move || chat.chat_module.get() == ChatModule::Failed;
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
        // Above the sign-in form too: the server's answer to it is read by code in the chat
        // module (controller/chat_module.rs).
        <Show when=module_failed>
            <p class="banner" role="alert">
                {tr(|p| p.chat_screen_failed)}
                " "
                <button on:click=move |_| chat.fetch_chat_module()>{tr(|p| p.retry_now)}</button>
            </p>
        </Show>
        <Show when=in_chat fallback=|| view! { <Login /> }>
            <ChatScreen />
        </Show>
    }
}

/// The chat screen, once its module is here (the controller fetches it; the app shows a
/// failure, with a way to try again).
#[component]
fn ChatScreen() -> impl IntoView {
    let chat = expect_context::<ChatController>();
    move || {
        (chat.chat_module.get() == ChatModule::Here).then(|| {
            Suspend::new(async move {
                chat_screen().await.unwrap_or_else(|_| {
                    // Only if the module, already here, could not be linked again.
                    chat.chat_module.set(ChatModule::Failed);
                    ().into_any()
                })
            })
        })
    }
}

/// The chat screen. In the page's build (the `split` feature, cut by `scripts/split-page.sh`)
/// its code is in the chat module, with the frame reader (controller/chat_module.rs), so the
/// sign-in form does not wait for it; see docs/ARCHITECTURE.md, "The page's two modules".
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(chat_screen, wasm_split_path = ::leptos::wasm_split, fallible)]
fn chat_screen() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <ChatView /> }.into_any())
}

/// Without the `split` feature (tests, builds without the splitting tool) the chat screen is
/// part of the one module.
#[cfg(not(feature = "split"))]
async fn chat_screen() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <ChatView /> }.into_any())
}
