//! Private rooms across nodes: a member on another node takes part, a non-member on another
//! node hears nothing of the room, and a removal on one node puts the removed person out on
//! every node at once.

use std::time::Duration;

use common::{ErrorCode, ErrorReply, ServerMessage};

use crate::nodes::{Cluster, redis_addr};
use crate::test_database::TestDatabase;
use crate::ws_client::Client;

const PASSWORD: &str = "correct horse battery staple";
const ROOM: &str = "board-room";

async fn registered(node: std::net::SocketAddr, name: &str) -> Client {
    let mut client = Client::connect(node).await;
    match client.register(name, PASSWORD).await {
        ServerMessage::Welcome(_) => client,
        other => panic!("{name} could not register: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_room_reaches_its_members_on_every_node_and_nobody_else() {
    let database = TestDatabase::postgres();
    let cluster = Cluster::start(2, &database, redis_addr()).await;
    let (node0, node1) = (cluster.addrs[0], cluster.addrs[1]);

    let mut owner = registered(node0, "owner").await;
    let mut bob = registered(node1, "bob").await;
    let mut eve = registered(node1, "eve").await;
    let mut guest = Client::connect(node1).await;
    assert!(matches!(guest.hello("guest").await, ServerMessage::Welcome(_)));

    assert!(matches!(owner.create_private_room(ROOM).await, ServerMessage::Created(_)));
    assert!(matches!(owner.join(ROOM).await, ServerMessage::Joined(_)));
    assert!(matches!(owner.invite(ROOM, "bob").await, ServerMessage::Invited(_)));
    // Bob, on the other node, hears of the room and takes part.
    bob.recv_until(|message| matches!(message, ServerMessage::RoomAdded(_)).then_some(())).await;
    assert!(matches!(bob.join(ROOM).await, ServerMessage::Joined(_)));
    assert!(matches!(owner.say(ROOM, "quarterly numbers").await, ServerMessage::Ack(_)));
    bob.recv_until(|message| match message {
        ServerMessage::Message(message) => (message.text() == "quarterly numbers").then_some(()),
        _ => None,
    })
    .await;
    // Eve and the guest, on bob's node, neither hear of it nor get in.
    for outsider in [&mut eve, &mut guest] {
        let frames = outsider.frames_within(Duration::from_millis(500)).await;
        assert!(frames.iter().all(|f| !f.contains(ROOM) && !f.contains("quarterly")), "{frames:?}");
        match outsider.join(ROOM).await {
            ServerMessage::Error(ErrorReply { code: ErrorCode::Forbidden, .. }) => {}
            other => panic!("expected forbidden, got {other:?}"),
        }
    }

    // Removed on node 0, out on node 1 at once.
    assert!(matches!(owner.remove_member(ROOM, "bob").await, ServerMessage::MemberRemoved(_)));
    bob.recv_until(|message| matches!(message, ServerMessage::RoomRemoved(_)).then_some(())).await;
    assert!(matches!(owner.say(ROOM, "after bob").await, ServerMessage::Ack(_)));
    let frames = bob.frames_within(Duration::from_millis(500)).await;
    assert!(frames.iter().all(|f| !f.contains("after bob")), "{frames:?}");
    match bob.join(ROOM).await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::Forbidden, .. }) => {}
        other => panic!("expected forbidden, got {other:?}"),
    }
}
