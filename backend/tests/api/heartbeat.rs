//! Heartbeats: the server pings; a client that answers stays, one that goes silent (dead, or
//! a half-open connection) is closed with code 4000 and leaves its rooms.

use std::time::Duration;

use common::{ServerMessage, UserLeft};
use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::TestServer;

const FAST_HEARTBEAT: [&str; 4] = ["--ping-interval-ms", "50", "--idle-timeout-ms", "250"];

#[tokio::test]
async fn a_client_that_answers_pings_stays_connected() {
    let server = TestServer::start_with_flags(&FAST_HEARTBEAT).await;
    let mut alice = server.join_lobby_as("alice").await;
    // Reading lets the client library answer each ping with a pong.
    let mut pings = 0;
    let until = tokio::time::Instant::now() + Duration::from_millis(800);
    while let Ok(Some(Ok(frame))) =
        tokio::time::timeout_at(until, alice.connection.socket.next()).await
    {
        if matches!(frame, Message::Ping(_)) {
            pings += 1;
        }
    }
    assert!(pings >= 5, "pinged every 50 ms, got {pings}");
    assert!(matches!(alice.say("lobby", "still here").await, ServerMessage::Ack(_)));
}

#[tokio::test]
async fn a_silent_client_is_closed_with_4000_and_leaves_its_rooms() {
    let server = TestServer::start_with_flags(&FAST_HEARTBEAT).await;
    let mut witness = server.join_lobby_as("witness").await;
    let mut silent = server.join_lobby_as("silent").await;
    // The witness keeps reading (and so answering pings) while the other says nothing.
    let left = witness
        .recv_until(|m| match m {
            ServerMessage::UserLeft(UserLeft { nickname, .. }) => Some(nickname),
            _ => None,
        })
        .await;
    assert_eq!(left.as_str(), "silent");
    // The silent client's connection is over: it finds the close frame (code 4000) after the
    // pings it never answered, unless answering those pings already hit the closed socket.
    let deadline = tokio::time::Instant::now() + crate::helpers::PATIENCE;
    loop {
        match tokio::time::timeout_at(deadline, silent.connection.socket.next())
            .await
            .expect("closed in time")
        {
            Some(Ok(Message::Close(Some(close)))) => {
                assert_eq!(u16::from(close.code), 4000);
                assert_eq!(close.reason.as_str(), "no answer to pings");
                break;
            }
            Some(Ok(Message::Ping(_))) => continue,
            Some(Ok(other)) => panic!("unexpected frame {other:?}"),
            Some(Err(_)) | None => break, // the server had already dropped the socket
        }
    }
}
