//! `SearchPanel`: the results newest first with the words found marked (as text, never as
//! HTML), the status said politely, and a result opening its room at the message.

use common::{SearchResults, ServerMessage};
use frontend::components::SearchPanel;
use frontend::controller::ChatController;
use frontend::model::search::SearchScope;
use leptos::prelude::Callback;

use super::*;

fn found(seq: u64, room: &str, body: &str) -> ChatMessage {
    ChatMessage {
        room: RoomName::parse(room).expect("valid"),
        seq,
        id: format!("{room}-{seq}"),
        client_id: ClientId::parse(&format!("c{seq}")).expect("valid"),
        author: nick("ann"),
        sent_at: 1_764_190_000_000,
        content: common::Content::post(MessageBody::parse(body).expect("valid")),
    }
}

#[wasm_bindgen_test]
async fn search_panel_marks_the_words_found_and_opens_a_result_in_its_room() {
    let chat = ChatController::new();
    let closed = RwSignal::new(0);
    let container = mount(move || {
        provide_context(Preferences::load());
        provide_context(chat);
        view! { <SearchPanel on_close=Callback::new(move |()| closed.update(|n| *n += 1)) /> }
    });
    settle().await;
    assert_eq!(all(&container, "input[type=search]").len(), 1);
    assert!(all(&container, "[role=search]").len() == 1, "a search landmark");

    // A search on its way, then its page.
    let request =
        chat.state.try_update(|state| state.search_request("deploy 北京", &SearchScope::default()));
    let Some(Some(common::ClientMessage::Search { request_id, .. })) = request else {
        panic!("a search request");
    };
    settle().await;
    assert_eq!(text_of(&container, ".search-status"), ["Searching…"]);
    let page = SearchResults {
        request_id,
        messages: vec![
            found(9, "rust", "we <b>deploy</b> in 北京 today"),
            found(4, "lobby", "DEPLOY again"),
        ],
        next_before: Some(4),
    };
    chat.state.update(|state| {
        state.apply(ServerMessage::SearchResults(page), 0);
    });
    settle().await;
    assert_eq!(text_of(&container, ".search-status"), [""]);
    assert_eq!(text_of(&container, ".search-results mark"), ["deploy", "北京", "DEPLOY"]);
    assert!(all(&container, ".search-results b").is_empty(), "text, not HTML");
    assert_eq!(text_of(&container, ".search-room"), ["#rust", "#lobby"]);
    assert_eq!(all(&container, ".search-more").len(), 1, "more may follow");

    // Opening the first result puts its room on screen, focused on the message.
    chat.state.update(|state| {
        state.phase = frontend::model::chat_state::Phase::SignedIn;
        state.rooms.entry(RoomName::parse("rust").expect("valid")).or_default();
    });
    let first = all(&container, ".search-result").remove(0);
    first.dyn_into::<web_sys::HtmlElement>().expect("a button").click();
    settle().await;
    let (current, focus) = chat.state.with(|state| (state.current.clone(), state.focus.clone()));
    assert_eq!(current.as_str(), "rust");
    assert_eq!(focus, Some((current, 9)));
    assert_eq!(closed.get(), 1, "the panel closes");
}
