//! A member that stops reading is disconnected with a reason once its queue is full; the room
//! does not wait for it and the others receive everything.

use common::{ClientId, ClientMessage, ServerMessage};
use futures_util::{SinkExt, Stream, StreamExt};
use tokio_tungstenite::tungstenite::{self, Message};

use crate::helpers::{PATIENCE, TestServer};

/// Reads `stream` until `count` chat messages (and, if `with_acks`, as many acks) arrived.
async fn read_until(
    mut stream: impl Stream<Item = Result<Message, tungstenite::Error>> + Unpin,
    count: usize,
    with_acks: bool,
) {
    let (mut messages, mut acks) = (0, 0);
    while messages < count || (with_acks && acks < count) {
        let frame = tokio::time::timeout(PATIENCE, stream.next())
            .await
            .expect("frames keep coming")
            .expect("still open")
            .expect("readable");
        if let Message::Text(text) = frame {
            match serde_json::from_str(text.as_str()).expect("decodes") {
                ServerMessage::Message(_) => messages += 1,
                ServerMessage::Ack(_) => acks += 1,
                _ => {}
            }
        }
    }
}

#[tokio::test]
async fn a_member_that_never_reads_is_disconnected_and_the_room_carries_on() {
    let server = TestServer::start().await;
    let mut stalled = server.join_lobby_as("stalled").await;
    let (mut alice, alice_stream) = server.join_lobby_as("alice").await.connection.socket.split();
    let (_bob, bob_stream) = server.join_lobby_as("bob").await.connection.socket.split();

    // About 16 MB in all: more than the kernel buffers between the server and a client that
    // does not read can hold, so its queue (256 frames) fills.
    let count = 4_000;
    let body = "x".repeat(4_000);
    let alice_reads = tokio::spawn(read_until(alice_stream, count, true));
    let bob_reads = tokio::spawn(read_until(bob_stream, count, false));
    for n in 0..count {
        let send = ClientMessage::Send {
            request_id: n as u64 + 100,
            room: "lobby".into(),
            client_id: ClientId::parse(&format!("flood-{n}")).expect("valid"),
            body: body.clone(),
            reply_to: None,
        };
        alice.send(Message::text(send.to_json())).await.expect("sent");
    }
    alice_reads.await.expect("alice got every ack and message");
    bob_reads.await.expect("bob got every message");

    // The stalled client finds, after what was buffered, the end of its connection.
    let mut delivered = 0;
    let ending = loop {
        let frame = tokio::time::timeout(PATIENCE, stalled.connection.socket.next())
            .await
            .expect("the connection ends instead of hanging");
        match frame {
            Some(Ok(Message::Text(_))) => delivered += 1,
            Some(Ok(Message::Close(frame))) => break format!("{frame:?}"),
            Some(Ok(_)) => {}
            Some(Err(error)) => break error.to_string(),
            None => break "closed".into(),
        }
    };
    assert!(delivered < count, "it was cut off, not fed everything ({delivered} frames)");
    if ending.contains("4001") {
        assert!(ending.contains("too slow"), "{ending}");
    }
}
