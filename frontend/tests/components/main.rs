//! Browser tests: mount components in headless Chromium and check what they render and do,
//! one module per component (helpers shared by all of them are here). Run with `CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome frontend`.
#![cfg(target_arch = "wasm32")]

use std::sync::{Arc, Mutex};

use common::{ChatMessage, ClientId, ErrorCode, Markup, MessageBody, Nickname, RoomName};
use frontend::browser::connection::{ConnectionStatus, LostReason};
use frontend::browser::preferences::Preferences;
use frontend::components::{
    Composer, ConnectionIndicator, MemberList, MessageList, RichText, RoomList, RoomListItem,
    SettingsPanel, status_label, status_short_label,
};
use frontend::i18n::EN;
use frontend::model::chat_state::{HistoryStatus, TimelineEntry};
use frontend::model::outbox::Outgoing;
use frontend::model::problem::ServerRefusal;
use frontend::model::room_state::NoticeEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlButtonElement, HtmlElement, HtmlTextAreaElement, KeyboardEvent};

wasm_bindgen_test_configure!(run_in_browser);

mod composer;
mod connection;
mod connection_indicator;
mod far_back;
mod hostile_text;
mod jump_to_date;
mod login;
mod member_list;
mod message_list;
mod moderation_panel;
mod preferences;
mod reactions;
mod replies;
mod rich_text;
mod room_list;
mod search_panel;

fn document() -> web_sys::Document {
    web_sys::window().expect("window").document().expect("document")
}

/// Mounts `view` in a fresh container and returns the container.
fn mount<N: IntoView + 'static>(view: impl FnOnce() -> N + 'static) -> HtmlElement {
    let container: HtmlElement = document().create_element("div").expect("div").unchecked_into();
    document().body().expect("body").append_child(&container).expect("appended");
    leptos::mount::mount_to(container.clone(), view).forget();
    container
}

/// Lets effects, animation frames and re-renders run.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 60)
            .expect("timer");
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.expect("timer fired");
}

fn all(container: &HtmlElement, css: &str) -> Vec<Element> {
    let nodes = container.query_selector_all(css).expect("valid selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|node| node.unchecked_into::<Element>())
        .collect()
}

fn text_of(container: &HtmlElement, css: &str) -> Vec<String> {
    all(container, css).iter().map(|e| e.text_content().unwrap_or_default()).collect()
}

/// Presses `key` on `target` (a keydown that bubbles).
fn press(target: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    target.dispatch_event(&event).expect("dispatched");
}

fn nick(s: &str) -> Nickname {
    Nickname::parse(s).expect("valid")
}

fn message(seq: u64, author: &str, body: &str) -> TimelineEntry {
    message_at(seq, author, body, 1_700_000_000_000)
}

fn message_at(seq: u64, author: &str, body: &str, sent_at: i64) -> TimelineEntry {
    TimelineEntry::Message(ChatMessage {
        room: RoomName::lobby(),
        seq,
        id: format!("m{seq}"),
        client_id: ClientId::parse(&format!("c{seq}")).expect("valid"),
        author: nick(author),
        sent_at,
        content: common::Content::post(MessageBody::parse(body).expect("valid")),
    })
}

fn start_of_room() -> RwSignal<HistoryStatus> {
    RwSignal::new(HistoryStatus { reaches_start: true, ..HistoryStatus::default() })
}
