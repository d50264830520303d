//! Rooms: listed on arrival, created by users, announced to everyone, independent of each
//! other, all carried by one connection, kept across restarts.

use common::{
    Ack, Created, ErrorCode, ErrorReply, History, Joined, RoomAdded, RoomSummary, ServerMessage,
    Welcome,
};

use crate::helpers::{Client, NO_STATIC_DIR, TestDatabase, TestServer};

async fn welcome_rooms(client: &mut Client, nickname: &str) -> Vec<RoomSummary> {
    match client.hello(nickname).await {
        ServerMessage::Welcome(Welcome { rooms, .. }) => rooms,
        other => panic!("{other:?}"),
    }
}

fn names(rooms: &[RoomSummary]) -> Vec<&str> {
    rooms.iter().map(|room| room.name.as_str()).collect()
}

fn ack_seq(answer: ServerMessage) -> u64 {
    match answer {
        ServerMessage::Ack(Ack { seq, .. }) => seq,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn welcome_lists_the_rooms_with_their_latest_seq() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    alice.say("lobby", "one").await;
    alice.say("lobby", "two").await;
    let mut bob = server.connect().await;
    let rooms = welcome_rooms(&mut bob, "bob").await;
    assert_eq!(
        rooms,
        vec![RoomSummary {
            name: common::RoomName::lobby(),
            last_seq: 2,
            private: false,
            dm_with: None
        }]
    );
}

#[tokio::test]
async fn a_created_room_is_announced_to_everyone_and_numbered_on_its_own() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    alice.say("lobby", "in the lobby").await;

    match alice.create_room("rust").await {
        ServerMessage::Created(Created { room, .. }) => assert_eq!(room.as_str(), "rust"),
        other => panic!("{other:?}"),
    }
    let added = bob
        .recv_until(|m| match m {
            ServerMessage::RoomAdded(RoomAdded { room }) => Some(room),
            _ => None,
        })
        .await;
    assert_eq!((added.name.as_str(), added.last_seq), ("rust", 0));

    assert!(matches!(alice.join("rust").await, ServerMessage::Joined(Joined { last_seq: 0, .. })));
    assert!(matches!(bob.join("rust").await, ServerMessage::Joined(Joined { last_seq: 0, .. })));
    assert_eq!(ack_seq(alice.say("rust", "first in rust").await), 1);
    let delivered = bob
        .recv_until(|m| match m {
            ServerMessage::Message(message) if message.room.as_str() == "rust" => Some(message),
            _ => None,
        })
        .await;
    assert_eq!((delivered.seq, delivered.text()), (1, "first in rust"));

    let mut carol = server.connect().await;
    let rooms = welcome_rooms(&mut carol, "carol").await;
    assert_eq!(names(&rooms), vec!["lobby", "rust"]);
}

#[tokio::test]
async fn one_connection_carries_several_rooms_and_members_only_hear_their_rooms() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut lobby_only = server.join_lobby_as("lobby-only").await;
    alice.create_room("side").await;
    alice.join("side").await;

    assert_eq!(ack_seq(alice.say("side", "side 1").await), 1);
    assert_eq!(ack_seq(alice.say("lobby", "lobby 1").await), 1);
    assert_eq!(ack_seq(alice.say("side", "side 2").await), 2);

    let heard = lobby_only
        .recv_until(|m| match m {
            ServerMessage::Message(message) => Some(message),
            _ => None,
        })
        .await;
    assert_eq!((heard.room.as_str(), heard.text()), ("lobby", "lobby 1"));
    lobby_only.expect_silence().await;

    match alice.history("side", None, None).await {
        ServerMessage::History(History { messages, .. }) => {
            let bodies: Vec<&str> = messages.iter().map(|m| m.text()).collect();
            assert_eq!(bodies, vec!["side 1", "side 2"]);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn existing_and_invalid_room_names_are_refused() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    match alice.create_room("lobby").await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::RoomExists, .. }) => {}
        other => panic!("{other:?}"),
    }
    alice.create_room("twice").await;
    match alice.create_room("twice").await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::RoomExists, .. }) => {}
        other => panic!("{other:?}"),
    }
    for bad in ["", "Upper", "spa ce", "<script>", &"x".repeat(33)] {
        match alice.create_room(bad).await {
            ServerMessage::Error(ErrorReply { code: ErrorCode::InvalidRoomName, .. }) => {}
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    let mut stranger = server.connect().await;
    match stranger.create_room("early").await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::NotIdentified, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn created_rooms_and_their_history_survive_a_restart() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, NO_STATIC_DIR.as_ref()).await;
    let mut alice = server.join_lobby_as("alice").await;
    alice.create_room("kept").await;
    alice.join("kept").await;
    alice.say("kept", "still here?").await;
    drop(alice);
    server.stop().await;

    let server = TestServer::start_with(&database, NO_STATIC_DIR.as_ref()).await;
    let mut bob = server.connect().await;
    let rooms = welcome_rooms(&mut bob, "bob").await;
    let kept = rooms.iter().find(|room| room.name.as_str() == "kept").expect("room kept");
    assert_eq!(kept.last_seq, 1);
    assert!(matches!(bob.join("kept").await, ServerMessage::Joined(Joined { last_seq: 1, .. })));
    server.stop().await;
}
