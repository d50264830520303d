//! Search reads the shared store: a message written through one node is found from another,
//! as an edit made through the first left it (the new words found, the old ones not).

use common::{ClientId, ClientMessage, SearchResults, ServerMessage};

use crate::nodes::{Cluster, redis_addr};
use crate::test_database::TestDatabase;
use crate::ws_client::Client;

async fn found(client: &mut Client, query: &str) -> Vec<String> {
    let request = ClientMessage::Search {
        request_id: client.request_id(),
        query: query.into(),
        room: None,
        author: None,
        since: None,
        until: None,
        before: None,
        limit: None,
    };
    match client.request(&request).await {
        ServerMessage::SearchResults(SearchResults { messages, .. }) => {
            messages.iter().map(|message| message.text().to_owned()).collect()
        }
        other => panic!("not search results: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_written_through_one_node_is_found_from_another() {
    let database = TestDatabase::postgres();
    let cluster = Cluster::start(2, &database, redis_addr()).await;
    let mut alice = Client::connect(cluster.addrs[0]).await;
    alice.hello("alice").await;
    alice.join("lobby").await;
    let ServerMessage::Ack(said) = alice.say("lobby", "the 北京 deploy is on").await else {
        panic!("not stored")
    };
    let edit = ClientMessage::EditMessage {
        request_id: alice.request_id(),
        room: "lobby".into(),
        seq: said.seq,
        client_id: ClientId::parse("edit-1").expect("valid"),
        body: "the 北京 release is on".into(),
    };
    assert!(matches!(alice.request(&edit).await, ServerMessage::Ack(_)));

    let mut bob = Client::connect(cluster.addrs[1]).await;
    bob.hello("bob").await;
    assert_eq!(found(&mut bob, "北京 release").await, ["the 北京 release is on"]);
    assert_eq!(found(&mut bob, "deploy").await, Vec::<String>::new(), "the edited-out word");
}
