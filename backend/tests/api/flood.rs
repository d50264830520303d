//! Flood control: over its budget a connection gets `rate_limited` with a retry time, keeps its
//! connection, and the room does not notice.

use std::time::Duration;

use common::{ErrorCode, ErrorReply, ServerMessage};

use crate::helpers::TestServer;

#[tokio::test]
async fn messages_over_the_budget_are_refused_with_a_retry_time_and_accepted_after_it() {
    let server =
        TestServer::start_with_flags(&["--messages-per-second", "2", "--message-burst", "3"]).await;
    let mut flooder = server.join_lobby_as("flooder").await;
    let mut witness = server.join_lobby_as("witness").await;
    for n in 0..3 {
        assert!(matches!(flooder.say("lobby", &format!("ok {n}")).await, ServerMessage::Ack(_)));
    }
    let retry_after_ms = match flooder.say("lobby", "one too many").await {
        ServerMessage::Error(ErrorReply {
            code: ErrorCode::RateLimited,
            retry_after_ms: Some(ms),
            message,
            ..
        }) => {
            assert!(message.contains("too fast"), "{message}");
            ms
        }
        other => panic!("{other:?}"),
    };
    assert!((1..=500).contains(&retry_after_ms), "{retry_after_ms}");

    tokio::time::sleep(Duration::from_millis(retry_after_ms)).await;
    assert!(matches!(flooder.say("lobby", "after waiting").await, ServerMessage::Ack(_)));

    // The witness saw exactly the accepted messages.
    let mut bodies = Vec::new();
    while bodies.len() < 4 {
        if let ServerMessage::Message(message) = witness.recv().await {
            bodies.push(message.text().to_owned());
        }
    }
    assert_eq!(bodies, vec!["ok 0", "ok 1", "ok 2", "after waiting"]);
    witness.expect_silence().await;
}

#[tokio::test]
async fn other_requests_have_their_own_budget() {
    let server =
        TestServer::start_with_flags(&["--requests-per-second", "1", "--request-burst", "3"]).await;
    let mut client = server.join_lobby_as("curious").await; // hello and join: 2 of 3
    assert!(matches!(client.history("lobby", None, None).await, ServerMessage::History(_)));
    match client.history("lobby", None, None).await {
        ServerMessage::Error(ErrorReply {
            code: ErrorCode::RateLimited,
            retry_after_ms: Some(_),
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    // Chat messages draw from the other bucket.
    assert!(matches!(client.say("lobby", "still allowed").await, ServerMessage::Ack(_)));
}
