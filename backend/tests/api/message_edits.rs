//! Editing messages: an edit is the room's next entry (so live members, a reconnecting client
//! catching up and a fresh history page all see it), the store keeps each message as it is now,
//! and deleting an edited message takes every version of its text out of the store. Each rule
//! is tried by someone without the right to it.

use std::path::Path;

use backend::store::{Page, Store};
use common::{
    ChatMessage, ClientId, ClientMessage, ErrorCode, MessageBody, RoomName, ServerMessage,
};

use crate::helpers::{Client, TestDatabase, TestServer, acked_seq, code, history_entries};

async fn edit(client: &mut Client, seq: u64, client_id: &str, body: &str) -> ServerMessage {
    let request_id = client.request_id();
    let client_id = ClientId::parse(client_id).expect("valid");
    let (room, body) = ("lobby".into(), body.into());
    client.request(&ClientMessage::EditMessage { request_id, room, seq, client_id, body }).await
}

async fn delete(client: &mut Client, seq: u64, client_id: &str) -> ServerMessage {
    let request_id = client.request_id();
    let client_id = ClientId::parse(client_id).expect("valid");
    let room = "lobby".into();
    client.request(&ClientMessage::DeleteMessage { request_id, room, seq, client_id }).await
}

/// (seq, text, edits, the seq of the latest edit) of each entry.
fn summary(page: &[ChatMessage]) -> Vec<(u64, &str, Option<u64>, Option<u64>)> {
    page.iter().map(|m| (m.seq, m.text(), m.edits(), m.edited().map(|e| e.seq))).collect()
}

#[tokio::test]
async fn an_author_edits_their_message_for_everyone_and_history_shows_it_as_it_is_now() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    let typo = acked_seq(&alice.say("lobby", "helo wrold").await);
    let first = acked_seq(&edit(&mut alice, typo, "edit-1", "hello wrold").await);
    assert_eq!(first, typo + 1, "the edit takes the room's next seq");
    // A retry (same client id) is answered with the same edit, not a second one.
    assert_eq!(acked_seq(&edit(&mut alice, typo, "edit-1", "hello wrold").await), first);
    let second = acked_seq(&edit(&mut alice, typo, "edit-2", "hello world").await);

    // Live: bob receives each edit, naming its target, with the new text.
    for (seq, text) in [(first, "hello wrold"), (second, "hello world")] {
        let live = bob
            .recv_until(|m| match m {
                ServerMessage::Message(message) if message.edits().is_some() => Some(message),
                _ => None,
            })
            .await;
        assert_eq!((live.seq, live.edits(), live.text()), (seq, Some(typo), text));
        assert_eq!(live.author.as_str(), "alice");
    }

    // History, from memory and then from the store: the message as it is now, marked with its
    // latest edit, and the edits in their places.
    let expected = [
        (typo, "hello world", None, Some(second)),
        (first, "hello wrold", Some(typo), None),
        (second, "hello world", Some(typo), None),
    ];
    assert_eq!(summary(&history_entries(&mut bob, "lobby", 0).await), expected);
    server.stop().await;
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut carol = server.join_lobby_as("carol").await;
    let page = history_entries(&mut carol, "lobby", 0).await;
    assert_eq!(summary(&page), expected);
    let edited = page[0].edited().expect("marked edited");
    assert_eq!(edited.at, page[2].sent_at, "with the time of the latest edit");
    // A client that held the original catches up with the edits after it.
    let caught_up = history_entries(&mut carol, "lobby", typo).await;
    assert_eq!(
        caught_up.iter().map(|m| (m.seq, m.edits())).collect::<Vec<_>>(),
        [(first, Some(typo)), (second, Some(typo))]
    );

    // Deleting the edited message takes every version of its text out of the store.
    let mut alice = server.join_lobby_as("alice-again").await;
    let mine = acked_seq(&alice.say("lobby", "first draft").await);
    acked_seq(&edit(&mut alice, mine, "edit-3", "second draft").await);
    acked_seq(&delete(&mut alice, mine, "delete-1").await);
    server.stop().await;
    let store = Store::open(&database.url()).await.expect("store");
    let stored = store.history(&RoomName::lobby(), Page::After(0), 100).await.expect("read");
    let texts: Vec<&str> = stored.messages.iter().map(ChatMessage::text).collect();
    assert!(!texts.iter().any(|text| text.contains("draft")), "{texts:?}");
}

#[tokio::test]
async fn nobody_edits_what_is_not_theirs_or_no_longer_there_and_nothing_changes() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    let hers = acked_seq(&alice.say("lobby", "mine").await);
    assert_eq!(code(&edit(&mut bob, hers, "b-1", "yours now").await), ErrorCode::Forbidden);
    assert_eq!(code(&edit(&mut alice, 999, "a-1", "nothing").await), ErrorCode::UnknownMessage);
    let too_long = "x".repeat(MessageBody::MAX_CHARS + 1);
    assert_eq!(code(&edit(&mut alice, hers, "a-2", &too_long).await), ErrorCode::InvalidBody);
    assert_eq!(code(&edit(&mut alice, hers, "a-3", "   ").await), ErrorCode::InvalidBody);
    // An edit is not a message to edit, and a deleted message has nothing left to edit.
    let edited = acked_seq(&edit(&mut alice, hers, "a-4", "mine, edited").await);
    let of_an_edit = edit(&mut alice, edited, "a-5", "edit the edit").await;
    assert_eq!(code(&of_an_edit), ErrorCode::UnknownMessage);
    let gone = acked_seq(&alice.say("lobby", "soon gone").await);
    let deletion = acked_seq(&delete(&mut alice, gone, "a-6").await);
    assert_eq!(code(&edit(&mut alice, gone, "a-7", "back?").await), ErrorCode::UnknownMessage);
    assert_eq!(code(&edit(&mut alice, deletion, "a-8", "no").await), ErrorCode::UnknownMessage);
    // Not in the room: not a member's request.
    let mut outsider = Client::connect(server.addr).await;
    outsider.hello("outsider").await;
    assert_eq!(code(&edit(&mut outsider, hers, "o-1", "hi").await), ErrorCode::NotInRoom);

    let page = history_entries(&mut bob, "lobby", 0).await;
    let seqs: Vec<u64> = page.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, [hers, edited, gone, deletion], "only alice's own changes were stored");
    assert_eq!(page[0].text(), "mine, edited");
}
