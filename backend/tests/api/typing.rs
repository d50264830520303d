//! Typing indicators: relayed to the other members of the room, throttled per connection.

use common::{ClientMessage, ErrorCode, ErrorReply, ServerMessage, Typing};

use crate::helpers::TestServer;

#[tokio::test]
async fn typing_reaches_the_other_members_but_not_the_typist_or_other_rooms() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    let mut elsewhere = server.connect().await;
    elsewhere.hello("elsewhere").await;
    alice.recv().await; // bob joined

    alice.send(&ClientMessage::Typing { room: "lobby".into() }).await;
    let typist = bob
        .recv_until(|m| match m {
            ServerMessage::Typing(Typing { room, nickname }) => Some((room, nickname)),
            _ => None,
        })
        .await;
    assert_eq!((typist.0.as_str(), typist.1.as_str()), ("lobby", "alice"));
    alice.expect_silence().await;
    elsewhere.expect_silence().await;
}

#[tokio::test]
async fn a_typing_flood_is_throttled_to_one_event_per_interval() {
    let server = TestServer::start().await;
    let mut flooder = server.join_lobby_as("flooder").await;
    let mut bob = server.join_lobby_as("bob").await;
    for _ in 0..200 {
        flooder.send(&ClientMessage::Typing { room: "lobby".into() }).await;
    }
    // A message sent after the flood marks its end in bob's stream.
    flooder.say("lobby", "done").await;
    let mut typing_events = 0;
    loop {
        match bob.recv().await {
            ServerMessage::Typing(_) => typing_events += 1,
            ServerMessage::Message(message) if message.text() == "done" => break,
            _ => {}
        }
    }
    assert_eq!(typing_events, 1, "200 typing events in well under 2 s relay as one");
    // The flooder's connection is still fine.
    assert!(matches!(flooder.say("lobby", "still here").await, ServerMessage::Ack(_)));
}

#[tokio::test]
async fn typing_needs_a_joined_room_and_refusals_carry_no_request_id() {
    let server = TestServer::start().await;
    let mut alice = server.connect().await;
    alice.send(&ClientMessage::Typing { room: "lobby".into() }).await;
    match alice.recv_answer().await {
        ServerMessage::Error(ErrorReply {
            code: ErrorCode::NotIdentified,
            request_id: None,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    alice.hello("alice").await;
    alice.send(&ClientMessage::Typing { room: "lobby".into() }).await;
    match alice.recv_answer().await {
        ServerMessage::Error(ErrorReply {
            code: ErrorCode::NotInRoom, request_id: None, ..
        }) => {}
        other => panic!("{other:?}"),
    }
}
