//! The inbox, in the browser: frames that come before the chat module's reader wait in order,
//! those of a connection replaced meanwhile are dropped, and the reader, once here, reads at
//! once. (Without the `split` feature the "module" is part of this one, fetched all the same
//! through `fetch_chat_module`.)

use std::cell::RefCell;

use common::{RoomSummary, ServerMessage, Welcome};
use leptos::prelude::*;
use wasm_bindgen_test::*;

use super::{ChatController, ChatModule};
use crate::model::chat_state::Phase;
use crate::test_support::{nick, room};

wasm_bindgen_test_configure!(run_in_browser);

thread_local! {
    static READ: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// A reader that notes what it was given.
fn note(_chat: ChatController, text: &str) {
    READ.with(|read| read.borrow_mut().push(text.to_owned()));
}

fn read_so_far() -> Vec<String> {
    READ.with(|read| read.borrow().clone())
}

#[wasm_bindgen_test]
fn frames_wait_for_the_reader_in_order_and_a_replaced_connections_are_dropped() {
    let owner = Owner::new();
    owner.set();
    let chat = ChatController::new();
    let first = chat.generation.get_value();
    chat.take_frame(first, "a".into());
    chat.take_frame(first, "b".into());
    // The connection is replaced (as `connect` and `lost` do) while its frames wait.
    chat.generation.set_value(first + 1);
    chat.take_frame(first + 1, "c".into());
    chat.take_frame(first + 1, "d".into());
    assert!(read_so_far().is_empty(), "nothing is read before the reader is here");

    chat.inbox.update_value(|inbox| inbox.reader = Some(note));
    chat.read_inbox();
    assert_eq!(read_so_far(), ["c", "d"]);
    chat.take_frame(first + 1, "e".into());
    assert_eq!(read_so_far(), ["c", "d", "e"], "once here, a frame is read as it comes");
}

#[wasm_bindgen_test]
async fn the_answer_to_a_sign_in_is_read_when_the_chat_module_comes() {
    // Mounting a view starts Leptos's task executor, as the page's `main` does.
    leptos::mount::mount_to_body(|| ());
    let owner = Owner::new();
    owner.set();
    let chat = ChatController::new();
    chat.state.update(|state| {
        state.hello("alice").expect("valid");
    });
    let welcome = ServerMessage::Welcome(Welcome {
        request_id: 1,
        protocol: 1,
        nickname: nick("alice"),
        token: "token-of-alice".into(),
        rooms: vec![RoomSummary {
            name: room("lobby"),
            last_seq: 0,
            private: false,
            dm_with: None,
        }],
        role: common::Role::Guest,
        session: None,
    });
    let generation = chat.generation.get_value();
    chat.take_frame(generation, serde_json::to_string(&welcome).expect("encodes"));
    assert_eq!(chat.state.with_untracked(|state| state.phase), Phase::Identifying);

    chat.fetch_chat_module();
    for _ in 0..50 {
        if chat.chat_module.get_untracked() == ChatModule::Here {
            break;
        }
        leptos::task::tick().await;
    }
    assert_eq!(chat.chat_module.get_untracked(), ChatModule::Here);
    assert_eq!(chat.state.with_untracked(|state| state.phase), Phase::SignedIn);
    assert_eq!(chat.state.with_untracked(|state| state.me.clone()), Some(nick("alice")));
    crate::browser::local_store::forget();
}
