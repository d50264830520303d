//! Getting the reader's attention when the tab is not in front: the unread count in the
//! title while the page is hidden, and (with permission) a desktop notification for a message
//! that mentions them.

use common::{ChatMessage, Markup, Nickname};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{Phrases, use_phrases};
use crate::mention::mentions;
use crate::model::case_fold::same_name;
use crate::model::chat_state::ChatState;

/// Watches the messages that arrive for the page's lifetime: counts those from others while
/// the page is hidden (shown in the title until the reader looks again) and notifies
/// mentions. Called once, when the chat module is here (`controller/chat_module.rs`).
pub fn watch_arrivals(arrivals: RwSignal<Option<ChatMessage>>, state: RwSignal<ChatState>) {
    let phrases = use_phrases();
    let hidden_unread = RwSignal::new(0_usize);
    Effect::new(move |_| {
        let Some(message) = arrivals.get() else { return };
        let Some(me) = state.with_untracked(|state| state.me.clone()) else { return };
        if same_name(&me, &message.author) {
            return; // Written by the reader, in another tab.
        }
        let hidden = page_hidden();
        if hidden {
            hidden_unread.update(|count| *count += 1);
        }
        let on_screen = !hidden && state.with_untracked(|state| state.current == message.room);
        notify_if_mentioned(&message, &me, on_screen, phrases.get_untracked());
    });
    Effect::new(move |_| set_title(&title(phrases.get().app_name, hidden_unread.get())));
    let _ = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if !page_hidden() {
            hidden_unread.set(0);
        }
    });
}

/// Where the browser's notification permission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// The browser has no notifications (or not on this origin).
    Unsupported,
    /// Not asked yet: a button can ask.
    Ask,
    Granted,
    Denied,
}

/// A notification's body is cut to this many characters.
const BODY_CHARS: usize = 140;

fn supported() -> bool {
    web_sys::window().is_some_and(|window| {
        js_sys::Reflect::has(&window, &"Notification".into()).unwrap_or(false)
    })
}

pub fn permission() -> Permission {
    if !supported() {
        return Permission::Unsupported;
    }
    match web_sys::Notification::permission() {
        web_sys::NotificationPermission::Granted => Permission::Granted,
        web_sys::NotificationPermission::Denied => Permission::Denied,
        _ => Permission::Ask,
    }
}

/// Asks the reader (the browser shows its prompt) and returns the answer.
pub async fn ask_permission() -> Permission {
    if !supported() {
        return Permission::Unsupported;
    }
    if let Ok(promise) = web_sys::Notification::request_permission() {
        // The answer is also readable afterwards, whatever the promise resolves to.
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
    permission()
}

/// Whether the page is hidden (another tab in front, the window minimised).
pub fn page_hidden() -> bool {
    web_sys::window().and_then(|window| window.document()).is_some_and(|document| document.hidden())
}

/// The title for `unread` messages that arrived while hidden: "(3) Chat".
pub fn title(app_name: &str, unread: usize) -> String {
    if unread == 0 { app_name.to_owned() } else { format!("({unread}) {app_name}") }
}

pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        document.set_title(title);
    }
}

/// Shows a desktop notification for `message` if it mentions `me`, the reader allowed it,
/// and the reader is not looking at it already.
pub fn notify_if_mentioned(
    message: &ChatMessage,
    me: &Nickname,
    on_screen: bool,
    phrases: &Phrases,
) {
    if on_screen || permission() != Permission::Granted {
        return;
    }
    let text = Markup::parse(message.text()).plain_text();
    if !mentions(&text, me) {
        return;
    }
    let body: String = text.chars().take(BODY_CHARS).collect();
    let options = web_sys::NotificationOptions::new();
    options.set_body(&body);
    options.set_tag(&message.id); // The same message never notifies twice.
    let title = (phrases.mentioned_you)(&message.author, message.room.as_str());
    if let Ok(notification) = web_sys::Notification::new_with_options(&title, &options) {
        // Clicking it brings the page to the front.
        let focus = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(|| {
            if let Some(window) = web_sys::window() {
                let _ = window.focus();
            }
        });
        notification.set_onclick(Some(focus.as_ref().unchecked_ref()));
        focus.forget(); // Lives as long as the notification may be clicked.
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_counts_what_arrived_while_away() {
        assert_eq!(title("Chat", 0), "Chat");
        assert_eq!(title("聊天", 3), "(3) 聊天");
    }
}
