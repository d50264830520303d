//! History: messages are stored before they are delivered, numbered per room without gaps,
//! paged backwards, and still there after a restart.

use common::{
    Ack, ChatMessage, ClientId, ClientMessage, ErrorCode, ErrorReply, History, Joined,
    ServerMessage,
};

use crate::helpers::{Client, NO_STATIC_DIR, TestDatabase, TestServer};

/// Sends `count` messages from `client`, waiting for each acknowledgement; returns the acks'
/// sequence numbers.
async fn send_many(client: &mut Client, count: usize, prefix: &str) -> Vec<u64> {
    let mut seqs = Vec::new();
    for n in 0..count {
        match client.say("lobby", &format!("{prefix} {n}")).await {
            ServerMessage::Ack(Ack { seq, .. }) => seqs.push(seq),
            other => panic!("{other:?}"),
        }
    }
    seqs
}

fn page(answer: ServerMessage) -> (Vec<ChatMessage>, bool) {
    match answer {
        ServerMessage::History(History { messages, reaches_start, .. }) => {
            (messages, reaches_start)
        }
        other => panic!("expected history, got {other:?}"),
    }
}

fn seqs(messages: &[ChatMessage]) -> Vec<u64> {
    messages.iter().map(|m| m.seq).collect()
}

async fn joined_last_seq(client: &mut Client) -> u64 {
    match client.join("lobby").await {
        ServerMessage::Joined(Joined { last_seq, .. }) => last_seq,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn history_survives_a_restart_in_the_same_order() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, NO_STATIC_DIR.as_ref()).await;
    let mut alice = server.join_lobby_as("alice").await;
    assert_eq!(send_many(&mut alice, 5, "before restart").await, vec![1, 2, 3, 4, 5]);
    let (before, _) = page(alice.history("lobby", None, None).await);
    drop(alice);
    server.stop().await;

    let server = TestServer::start_with(&database, NO_STATIC_DIR.as_ref()).await;
    let mut bob = server.connect().await;
    bob.hello("bob").await;
    assert_eq!(joined_last_seq(&mut bob).await, 5);
    let (after, reaches_start) = page(bob.history("lobby", None, None).await);
    assert_eq!(after, before, "same messages, same ids, same order");
    assert!(reaches_start);
    assert_eq!(after[0].text(), "before restart 0");
    assert_eq!(after[0].author.as_str(), "alice");
    // Numbering continues where it stopped.
    assert_eq!(send_many(&mut bob, 1, "after restart").await, vec![6]);
    server.stop().await;
}

#[tokio::test]
async fn joining_gives_the_last_seq_and_pages_walk_back_to_the_start() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    assert_eq!(send_many(&mut alice, 120, "m").await, (1..=120).collect::<Vec<_>>());

    let mut reader = server.connect().await;
    reader.hello("reader").await;
    let last_seq = joined_last_seq(&mut reader).await;
    assert_eq!(last_seq, 120);

    let (latest, reaches_start) = page(reader.history("lobby", Some(last_seq + 1), None).await);
    assert_eq!(seqs(&latest), (71..=120).collect::<Vec<_>>(), "the latest 50, oldest first");
    assert!(!reaches_start);
    let (older, reaches_start) = page(reader.history("lobby", Some(71), None).await);
    assert_eq!(seqs(&older), (21..=70).collect::<Vec<_>>());
    assert!(!reaches_start);
    let (oldest, reaches_start) = page(reader.history("lobby", Some(21), None).await);
    assert_eq!(seqs(&oldest), (1..=20).collect::<Vec<_>>());
    assert!(reaches_start, "the page that holds seq 1 is the beginning of the room");
    let (past_start, reaches_start) = page(reader.history("lobby", Some(1), None).await);
    assert!(past_start.is_empty());
    assert!(reaches_start);
    assert_eq!(latest[49].text(), "m 119");
}

#[tokio::test]
async fn silly_page_sizes_are_clamped() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    send_many(&mut alice, 105, "m").await;
    let (one, _) = page(alice.history("lobby", None, Some(0)).await);
    assert_eq!(seqs(&one), vec![105]);
    let (most, _) = page(alice.history("lobby", None, Some(u32::MAX)).await);
    assert_eq!(most.len(), common::HISTORY_PAGE_MAX as usize);
    let (huge_before, _) = page(alice.history("lobby", Some(u64::MAX), Some(2)).await);
    assert_eq!(seqs(&huge_before), vec![104, 105]);
}

#[tokio::test]
async fn an_empty_room_has_an_empty_history_that_reaches_the_start() {
    let server = TestServer::start().await;
    let mut alice = server.connect().await;
    alice.hello("alice").await;
    assert_eq!(joined_last_seq(&mut alice).await, 0);
    let (messages, reaches_start) = page(alice.history("lobby", None, None).await);
    assert!(messages.is_empty());
    assert!(reaches_start);
}

#[tokio::test]
async fn history_needs_a_joined_existing_room() {
    let server = TestServer::start().await;
    let mut outsider = server.connect().await;
    match outsider.history("lobby", None, None).await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::NotIdentified, .. }) => {}
        other => panic!("{other:?}"),
    }
    outsider.hello("outsider").await;
    match outsider.history("lobby", None, None).await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::NotInRoom, .. }) => {}
        other => panic!("{other:?}"),
    }
    match outsider.history("nowhere", None, None).await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::UnknownRoom, .. }) => {}
        other => panic!("{other:?}"),
    }
    match outsider.history("No Such Room", None, None).await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::InvalidRoomName, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_repeated_send_gets_the_original_ack_and_is_stored_and_delivered_once() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut witness = server.join_lobby_as("witness").await;
    let send = |request_id| ClientMessage::Send {
        request_id,
        room: "lobby".into(),
        client_id: ClientId::parse("retry-me").expect("valid"),
        body: "only once".into(),
        reply_to: None,
    };
    alice.send(&send(100)).await;
    let first = alice.answer_to(100).await;
    alice.send(&send(101)).await;
    let second = alice.answer_to(101).await;
    match (&first, &second) {
        (
            ServerMessage::Ack(Ack { seq: s1, id: i1, sent_at: t1, .. }),
            ServerMessage::Ack(Ack { seq: s2, id: i2, sent_at: t2, .. }),
        ) => assert_eq!((s1, i1, t1), (s2, i2, t2)),
        other => panic!("{other:?}"),
    }
    let (stored, _) = page(alice.history("lobby", None, None).await);
    assert_eq!(stored.len(), 1);
    let delivered = witness
        .recv_until(|m| match m {
            ServerMessage::Message(message) => Some(message),
            _ => None,
        })
        .await;
    assert_eq!(delivered.text(), "only once");
    witness.expect_silence().await;
}

#[tokio::test]
async fn a_client_id_reused_for_another_message_is_refused_not_swallowed() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    let send = |request_id, body: &str| ClientMessage::Send {
        request_id,
        room: "lobby".into(),
        client_id: ClientId::parse("same-id").expect("valid"),
        body: body.into(),
        reply_to: None,
    };
    alice.send(&send(1, "from alice")).await;
    assert!(matches!(alice.answer_to(1).await, ServerMessage::Ack(Ack { seq: 1, .. })));
    for (client, body) in [(&mut bob, "from alice"), (&mut alice, "something else")] {
        client.send(&send(2, body)).await;
        match client.answer_to(2).await {
            ServerMessage::Error(ErrorReply { code: ErrorCode::ClientIdReused, .. }) => {}
            other => panic!("{other:?}"),
        }
    }
}
