//! Replies: a reply quotes its original as the original is now (edited text, nothing once
//! deleted), live, from the server's memory and from the store; the store keeps no copy of
//! the original's text; a reply to what is not a message of the room is refused.

use std::path::Path;

use backend::store::{Page, Store};
use common::{ChatMessage, ClientId, ClientMessage, ErrorCode, RoomName, ServerMessage};

use crate::helpers::{Client, TestDatabase, TestServer, acked_seq, code, history_entries};

async fn reply(client: &mut Client, to: u64, client_id: &str, body: &str) -> ServerMessage {
    let request = ClientMessage::Send {
        request_id: client.request_id(),
        room: "lobby".into(),
        client_id: ClientId::parse(client_id).expect("valid"),
        body: body.into(),
        reply_to: Some(to),
    };
    client.request(&request).await
}

async fn change(client: &mut Client, request: ClientMessage) -> u64 {
    acked_seq(&client.request(&request).await)
}

/// The quote of the reply `seq` in `page`: (original seq, author, excerpt, edited).
fn quote_in(page: &[ChatMessage], seq: u64) -> Option<(u64, String, Option<String>, bool)> {
    let reply = page.iter().find(|message| message.seq == seq).expect("the reply");
    let quote = reply.reply_to()?;
    Some((quote.seq, quote.author.as_str().to_owned(), quote.excerpt.clone(), quote.edited))
}

#[tokio::test]
async fn a_reply_quotes_its_original_as_it_is_now_and_keeps_no_copy_of_it() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    let question = acked_seq(&alice.say("lobby", "who has the keys?").await);
    let answer = acked_seq(&reply(&mut bob, question, "b-1", "I do").await);
    // A retry (same client id) is answered with the same reply.
    assert_eq!(acked_seq(&reply(&mut bob, question, "b-1", "I do").await), answer);

    // Live: alice receives the reply with its quote.
    let live = alice
        .recv_until(|m| match m {
            ServerMessage::Message(message) if message.seq == answer => Some(message),
            _ => None,
        })
        .await;
    let expected =
        Some((question, "alice".to_owned(), Some("who has the keys?".to_owned()), false));
    assert_eq!(quote_in(&[live], answer), expected);
    assert_eq!(quote_in(&history_entries(&mut bob, "lobby", 0).await, answer), expected);

    // The original edited: the quote says so, from memory and from the store.
    change(
        &mut alice,
        ClientMessage::EditMessage {
            request_id: 90,
            room: "lobby".into(),
            seq: question,
            client_id: ClientId::parse("a-edit").expect("valid"),
            body: "who has the van keys?".into(),
        },
    )
    .await;
    let edited =
        Some((question, "alice".to_owned(), Some("who has the van keys?".to_owned()), true));
    assert_eq!(quote_in(&history_entries(&mut bob, "lobby", 0).await, answer), edited);
    server.stop().await;
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut carol = server.join_lobby_as("carol").await;
    assert_eq!(quote_in(&history_entries(&mut carol, "lobby", 0).await, answer), edited);
    // A page holding the reply but not its original quotes it too.
    assert_eq!(quote_in(&history_entries(&mut carol, "lobby", question).await, answer), edited);

    // The original deleted: the quote has no text, and no copy of it is left in the store.
    let mut alice = server.join_lobby_as("alice-again").await;
    let long = "a".repeat(300);
    let second = acked_seq(&alice.say("lobby", &long).await);
    let second_reply = acked_seq(&reply(&mut carol, second, "c-1", "too long").await);
    let page = history_entries(&mut carol, "lobby", 0).await;
    let (_, _, excerpt, _) = quote_in(&page, second_reply).expect("a quote");
    assert_eq!(excerpt, Some(format!("{}…", "a".repeat(common::REPLY_EXCERPT_CHARS))));
    change(
        &mut alice,
        ClientMessage::DeleteMessage {
            request_id: 91,
            room: "lobby".into(),
            seq: second,
            client_id: ClientId::parse("a-del").expect("valid"),
        },
    )
    .await;
    let gone = Some((second, "alice-again".to_owned(), None, false));
    assert_eq!(quote_in(&history_entries(&mut carol, "lobby", 0).await, second_reply), gone);
    server.stop().await;
    let store = Store::open(&database.url()).await.expect("store");
    let stored = store.history(&RoomName::lobby(), Page::After(0), 100).await.expect("read");
    assert_eq!(quote_in(&stored.messages, second_reply), gone);
    let texts: Vec<&str> = stored.messages.iter().map(ChatMessage::text).collect();
    assert!(!texts.iter().any(|text| text.contains("aaaa")), "{texts:?}");
}

#[tokio::test]
async fn a_reply_to_what_is_not_a_message_of_the_room_is_refused_and_nothing_is_stored() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    let hers = acked_seq(&alice.say("lobby", "hi").await);
    assert_eq!(code(&reply(&mut bob, 999, "b-1", "to nothing").await), ErrorCode::UnknownMessage);
    // Another room's message: its seq means nothing here (the lobby has no such entry).
    alice.create_room("side").await;
    alice.join("side").await;
    for n in 0..5 {
        acked_seq(&alice.say("side", &format!("side {n}")).await);
    }
    assert_eq!(code(&reply(&mut bob, 5, "b-2", "elsewhere").await), ErrorCode::UnknownMessage);
    // A change is not a message to answer, and a deleted message has nothing to quote.
    let edit = change(
        &mut alice,
        ClientMessage::EditMessage {
            request_id: 90,
            room: "lobby".into(),
            seq: hers,
            client_id: ClientId::parse("a-edit").expect("valid"),
            body: "hello".into(),
        },
    )
    .await;
    assert_eq!(code(&reply(&mut bob, edit, "b-3", "to an edit").await), ErrorCode::UnknownMessage);
    let gone = acked_seq(&alice.say("lobby", "soon gone").await);
    let deletion = change(
        &mut alice,
        ClientMessage::DeleteMessage {
            request_id: 91,
            room: "lobby".into(),
            seq: gone,
            client_id: ClientId::parse("a-del").expect("valid"),
        },
    )
    .await;
    assert_eq!(code(&reply(&mut bob, gone, "b-4", "to the gone").await), ErrorCode::UnknownMessage);
    let to_deletion = reply(&mut bob, deletion, "b-5", "to a deletion").await;
    assert_eq!(code(&to_deletion), ErrorCode::UnknownMessage);
    // Not in the room: not a member's request.
    let mut outsider = Client::connect(server.addr).await;
    outsider.hello("outsider").await;
    assert_eq!(code(&reply(&mut outsider, hers, "o-1", "hi").await), ErrorCode::NotInRoom);

    let page = history_entries(&mut bob, "lobby", 0).await;
    let seqs: Vec<u64> = page.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, [hers, edit, gone, deletion], "no refused reply was stored");
}
