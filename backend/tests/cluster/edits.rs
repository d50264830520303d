//! An edit or a reaction made on one node reaches the members on another live, and a client
//! there that loads the room's history afterwards sees the message as it is now (from that
//! node's memory of the room, which applied the changes it heard through Redis).

use std::time::Duration;

use common::{ClientId, ClientMessage, ServerMessage};

use crate::nodes::{Cluster, redis_addr};
use crate::test_database::TestDatabase;
use crate::ws_client::Client;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_and_a_reaction_on_one_node_reach_another_live_and_in_its_history() {
    let database = TestDatabase::postgres();
    let cluster = Cluster::start(2, &database, redis_addr()).await;
    let mut alice = Client::connect(cluster.addrs[0]).await;
    alice.hello("alice").await;
    alice.join("lobby").await;
    let mut bob = Client::connect(cluster.addrs[1]).await;
    bob.hello("bob").await;
    bob.join("lobby").await;
    let ServerMessage::Ack(said) = alice.say("lobby", "helo").await else { panic!("not stored") };
    let request_id = alice.request_id();
    let edit = ClientMessage::EditMessage {
        request_id,
        room: "lobby".into(),
        seq: said.seq,
        client_id: ClientId::parse("edit-1").expect("valid"),
        body: "hello".into(),
    };
    let ServerMessage::Ack(edited) = alice.request(&edit).await else { panic!("not edited") };
    let react = ClientMessage::React {
        request_id: alice.request_id(),
        room: "lobby".into(),
        seq: said.seq,
        client_id: ClientId::parse("react-1").expect("valid"),
        emoji: "🎉".into(),
        withdraw: false,
    };
    let ServerMessage::Ack(reacted) = alice.request(&react).await else { panic!("no reaction") };

    let live = bob.recv_until(|message| match message {
        ServerMessage::Message(message) if message.edits().is_some() => Some(message),
        _ => None,
    });
    let live = tokio::time::timeout(Duration::from_secs(10), live).await.expect("bob hears it");
    assert_eq!((live.seq, live.edits(), live.text()), (edited.seq, Some(said.seq), "hello"));
    let live = bob.recv_until(|message| match message {
        ServerMessage::Message(message) if message.reacts().is_some() => Some(message),
        _ => None,
    });
    let live = tokio::time::timeout(Duration::from_secs(10), live).await.expect("bob hears it");
    let change = live.reacts().cloned().expect("a reaction");
    assert_eq!((live.seq, change.seq, change.emoji.as_str()), (reacted.seq, said.seq, "🎉"));

    let mut carol = Client::connect(cluster.addrs[1]).await;
    carol.hello("carol").await;
    carol.join("lobby").await;
    let ServerMessage::History(page) = carol.history_after("lobby", 0, None).await else {
        panic!("no history")
    };
    let original = page.messages.iter().find(|m| m.seq == said.seq).expect("in the page");
    assert_eq!(original.text(), "hello", "as it is now");
    assert_eq!(original.edited().map(|e| e.seq), Some(edited.seq));
    let reactions = original.reactions().expect("its reaction");
    assert_eq!(reactions.seq, reacted.seq);
    assert_eq!(reactions.list[0].emoji.as_str(), "🎉");
    assert_eq!(reactions.list[0].by[0].as_str(), "alice");
}
