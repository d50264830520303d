//! Jumping to a date: `find_date` gives the seq of a room's first message sent at or after a
//! time (never a change), nothing past the latest, and only to those who may read the room.

use std::time::Duration;

use common::{ClientId, ClientMessage, DateFound, ErrorCode, ServerMessage};

use crate::helpers::{Client, TestServer, acked_seq, code};

async fn find(client: &mut Client, room: &str, at: i64) -> ServerMessage {
    let request =
        ClientMessage::FindDate { request_id: client.request_id(), room: room.into(), at };
    client.request(&request).await
}

fn found(answer: &ServerMessage) -> Option<u64> {
    match answer {
        ServerMessage::DateFound(DateFound { seq, .. }) => *seq,
        other => panic!("not date_found: {other:?}"),
    }
}

fn sent_at(answer: &ServerMessage) -> i64 {
    match answer {
        ServerMessage::Ack(ack) => ack.sent_at,
        other => panic!("not acked: {other:?}"),
    }
}

#[tokio::test]
async fn the_first_message_at_or_after_a_date_is_found_for_readers_only() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let first = alice.say("lobby", "good morning").await;
    tokio::time::sleep(Duration::from_millis(30)).await;
    let second = alice.say("lobby", "good afternoon").await;
    tokio::time::sleep(Duration::from_millis(30)).await;
    // A change sent later is not a message to jump to.
    let react = ClientMessage::React {
        request_id: alice.request_id(),
        room: "lobby".into(),
        seq: acked_seq(&first),
        client_id: ClientId::parse("r-1").expect("valid"),
        emoji: "👍".into(),
        withdraw: false,
    };
    let reaction = alice.request(&react).await;

    assert_eq!(found(&find(&mut alice, "lobby", 0).await), Some(acked_seq(&first)));
    assert_eq!(found(&find(&mut alice, "lobby", sent_at(&first)).await), Some(acked_seq(&first)));
    let after_first = sent_at(&first) + 1;
    assert_eq!(found(&find(&mut alice, "lobby", after_first).await), Some(acked_seq(&second)));
    let after_second = sent_at(&second) + 1;
    assert!(sent_at(&reaction) >= after_second, "the reaction came later");
    assert_eq!(found(&find(&mut alice, "lobby", after_second).await), None);
    assert_eq!(found(&find(&mut alice, "lobby", i64::MAX).await), None);
    assert_eq!(found(&find(&mut alice, "lobby", i64::MIN).await), Some(acked_seq(&first)));

    // Only a room one has joined, and may read.
    let mut outsider = Client::connect(server.addr).await;
    outsider.hello("outsider").await;
    assert_eq!(code(&find(&mut outsider, "lobby", 0).await), ErrorCode::NotInRoom);
    assert_eq!(code(&find(&mut outsider, "no such room!", 0).await), ErrorCode::InvalidRoomName);
}
