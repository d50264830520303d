//! Coming back after a lost connection: the nickname waits for its owner, history catches up
//! from the last sequence number the client holds, and `ping` lets a client check the line.

use std::time::Duration;

use common::{ChatMessage, ErrorCode, ErrorReply, History, Joined, Pong, ServerMessage, Welcome};

use crate::helpers::{NO_STATIC_DIR, PATIENCE, TestDatabase, TestServer};

fn welcome_token(answer: ServerMessage) -> String {
    match answer {
        ServerMessage::Welcome(Welcome { token, .. }) => token,
        other => panic!("expected welcome, got {other:?}"),
    }
}

fn page(answer: ServerMessage) -> (Vec<u64>, bool, bool) {
    match answer {
        ServerMessage::History(History { messages, reaches_start, reaches_end, .. }) => {
            (messages.iter().map(|m: &ChatMessage| m.seq).collect(), reaches_start, reaches_end)
        }
        other => panic!("expected history, got {other:?}"),
    }
}

#[tokio::test]
async fn a_nickname_waits_for_its_owner_during_the_grace_period_and_is_then_free() {
    let server = TestServer::start_with_flags(&["--nickname-grace-ms", "1500"]).await;
    let mut alice = server.connect().await;
    let token = welcome_token(alice.hello("alice").await);
    drop(alice);
    tokio::time::sleep(Duration::from_millis(100)).await; // the server notices the close

    let mut impostor = server.connect().await;
    match impostor.hello("Alice").await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::NicknameTaken, message, .. }) => {
            assert!(message.contains("disconnected a moment ago"), "{message}");
        }
        other => panic!("the name must be kept for its owner: {other:?}"),
    }
    let mut back = server.connect().await;
    assert_eq!(welcome_token(back.hello_with_token("alice", Some(&token)).await), token);
    drop(back);

    // After the grace period anyone may take it, and the old token means nothing.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        match impostor.hello("alice").await {
            ServerMessage::Welcome(Welcome { token: fresh, .. }) => {
                assert_ne!(fresh, token);
                break;
            }
            ServerMessage::Error(ErrorReply { code: ErrorCode::NicknameTaken, .. }) => {
                assert!(tokio::time::Instant::now() < deadline, "never released");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn after_a_server_restart_the_returning_owner_keeps_name_and_token() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, NO_STATIC_DIR.as_ref()).await;
    let mut alice = server.connect().await;
    let token = welcome_token(alice.hello("alice").await);
    drop(alice);
    server.stop().await;

    let server = TestServer::start_with(&database, NO_STATIC_DIR.as_ref()).await;
    let mut alice = server.connect().await;
    assert_eq!(welcome_token(alice.hello_with_token("alice", Some(&token)).await), token);
    let mut other_tab = server.connect().await;
    assert_eq!(welcome_token(other_tab.hello_with_token("alice", Some(&token)).await), token);
    server.stop().await;
}

#[tokio::test]
async fn catching_up_returns_exactly_the_messages_after_the_given_sequence() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    for n in 1..=7 {
        alice.say("lobby", &format!("m{n}")).await;
    }
    assert_eq!(page(alice.history_after("lobby", 3, Some(2)).await), (vec![4, 5], false, false));
    assert_eq!(page(alice.history_after("lobby", 5, Some(2)).await), (vec![6, 7], false, true));
    assert_eq!(page(alice.history_after("lobby", 7, None).await), (vec![], false, true));
    assert_eq!(page(alice.history_after("lobby", 0, Some(3)).await), (vec![1, 2, 3], true, false));
    assert_eq!(page(alice.history("lobby", Some(4), None).await), (vec![1, 2, 3], true, false));
    assert_eq!(page(alice.history("lobby", None, Some(2)).await), (vec![6, 7], false, true));
}

#[tokio::test]
async fn a_reconnecting_client_gets_what_it_missed_then_live_messages_with_no_gap() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.connect().await;
    let token = welcome_token(bob.hello("bob").await);
    bob.join("lobby").await;
    alice.say("lobby", "seen by bob").await;
    let held = bob
        .recv_until(|m| match m {
            ServerMessage::Message(message) => Some(message.seq),
            _ => None,
        })
        .await;
    drop(bob);
    for n in 0..5 {
        alice.say("lobby", &format!("missed {n}")).await;
    }

    let mut bob = server.connect().await;
    welcome_token(bob.hello_with_token("bob", Some(&token)).await);
    let last_seq = match bob.join("lobby").await {
        ServerMessage::Joined(Joined { last_seq, .. }) => last_seq,
        other => panic!("{other:?}"),
    };
    alice.say("lobby", "live").await;
    bob.send(&common::ClientMessage::History {
        request_id: 50,
        room: "lobby".into(),
        before_seq: None,
        after_seq: Some(held),
        limit: None,
    })
    .await;
    // The live message and the catch-up page may arrive in either order; together they hold
    // every message after `held`, once.
    let (mut missed, mut live) = (None, None);
    while missed.is_none() || live.is_none() {
        match bob.recv().await {
            ServerMessage::Message(message) => live = Some(message.seq),
            answer @ ServerMessage::History(_) => missed = Some(page(answer)),
            _ => {}
        }
    }
    let (missed, _, reaches_end) = missed.expect("set above");
    assert!(reaches_end);
    // The page is read after "live" was stored, so it may hold it too (the client keeps one
    // copy per sequence number).
    let stored: Vec<u64> = (held + 1..=last_seq).collect();
    let with_live: Vec<u64> = (held + 1..=last_seq + 1).collect();
    assert!(missed == stored || missed == with_live, "{missed:?}");
    assert_eq!(live, Some(last_seq + 1), "live messages start right after the join point");
}

#[tokio::test]
async fn before_and_after_together_are_refused() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    alice
        .send(&common::ClientMessage::History {
            request_id: 77,
            room: "lobby".into(),
            before_seq: Some(3),
            after_seq: Some(1),
            limit: None,
        })
        .await;
    match alice.answer_to(77).await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::InvalidMessage, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn ping_is_answered_even_before_hello() {
    let server = TestServer::start().await;
    let mut client = server.connect().await;
    client.send(&common::ClientMessage::Ping { request_id: 5 }).await;
    assert_eq!(client.answer_to(5).await, ServerMessage::Pong(Pong { request_id: 5 }));
}
