//! Direct messages: a private room of two accounts, opened from the other person's name, that
//! nobody else can see, enter or be invited into.

use std::time::Duration;

use common::{ErrorCode, ServerMessage, Welcome};

use crate::helpers::{Client, TestServer, code};

const PASSWORD: &str = "correct horse battery staple";

async fn account(server: &TestServer, name: &str) -> (Client, Welcome) {
    let mut client = Client::connect(server.addr).await;
    match client.register(name, PASSWORD).await {
        ServerMessage::Welcome(welcome) => (client, welcome),
        other => panic!("{name} could not register: {other:?}"),
    }
}

#[tokio::test]
async fn two_people_talk_in_a_room_only_they_see() {
    let server = TestServer::start().await;
    let (mut alice, _) = account(&server, "alice").await;
    let (mut bob, _) = account(&server, "bob").await;
    let (mut carol, _) = account(&server, "carol").await;

    let room = match alice.open_dm("Bob").await {
        ServerMessage::DmOpened(opened) => {
            assert_eq!(opened.with.as_str(), "bob");
            opened.room
        }
        other => panic!("expected dm_opened, got {other:?}"),
    };
    let heard = bob
        .recv_until(|message| match message {
            ServerMessage::RoomAdded(added) => Some(added.room),
            _ => None,
        })
        .await;
    assert_eq!(heard.name, room);
    assert!(heard.private);
    assert_eq!(heard.dm_with.map(|n| n.to_string()).as_deref(), Some("alice"));
    // Opening it again, from either side, is the same room.
    match bob.open_dm("alice").await {
        ServerMessage::DmOpened(opened) => assert_eq!(opened.room, room),
        other => panic!("{other:?}"),
    }

    assert!(matches!(alice.join(room.as_str()).await, ServerMessage::Joined(_)));
    assert!(matches!(bob.join(room.as_str()).await, ServerMessage::Joined(_)));
    assert!(matches!(alice.say(room.as_str(), "just between us").await, ServerMessage::Ack(_)));
    bob.recv_until(|message| match message {
        ServerMessage::Message(message) => (message.text() == "just between us").then_some(()),
        _ => None,
    })
    .await;

    // Carol: not listed, not let in, not invitable, hears nothing.
    let frames = carol.frames_within(Duration::from_millis(300)).await;
    assert!(
        frames.iter().all(|f| !f.contains("between us") && !f.contains(room.as_str())),
        "{frames:?}"
    );
    assert_eq!(code(&carol.join(room.as_str()).await), ErrorCode::Forbidden);
    assert_eq!(code(&alice.invite(room.as_str(), "carol").await), ErrorCode::Forbidden);
    let mut later = Client::connect(server.addr).await;
    match later.sign_in("carol", PASSWORD).await {
        ServerMessage::Welcome(welcome) => {
            assert!(welcome.rooms.iter().all(|summary| summary.name != room));
        }
        other => panic!("{other:?}"),
    }
    // Alice's list names the room by bob.
    let mut alice_again = Client::connect(server.addr).await;
    match alice_again.sign_in("alice", PASSWORD).await {
        ServerMessage::Welcome(welcome) => {
            let listed = welcome.rooms.iter().find(|summary| summary.name == room).expect("listed");
            assert_eq!(listed.dm_with.as_ref().map(|n| n.as_str()), Some("bob"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn direct_messages_are_between_two_accounts_and_their_names_are_kept() {
    let server = TestServer::start().await;
    let (mut alice, _) = account(&server, "alice").await;
    let mut guest = Client::connect(server.addr).await;
    assert!(matches!(guest.hello("guest").await, ServerMessage::Welcome(_)));
    assert_eq!(code(&guest.open_dm("alice").await), ErrorCode::Forbidden, "a guest has none");
    assert_eq!(code(&alice.open_dm("guest").await), ErrorCode::UnknownAccount);
    assert_eq!(code(&alice.open_dm("alice").await), ErrorCode::Forbidden, "not with oneself");
    assert_eq!(code(&alice.create_room("dm-1-2").await), ErrorCode::InvalidRoomName);
    assert_eq!(code(&alice.create_private_room("dm-1-2").await), ErrorCode::InvalidRoomName);
}
