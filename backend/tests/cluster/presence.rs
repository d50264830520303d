//! Presence across nodes: a person is one entry in the list whichever nodes and tabs they are
//! on, and the people of a node that died leave the lists within the node TTL.

use std::time::Duration;

use common::{Joined, Nickname, ServerMessage, UserJoined, UserLeft, Welcome};
use tokio::time::Instant;

use crate::nodes::{Cluster, redis_addr};
use crate::test_database::TestDatabase;
use crate::ws_client::{Client, nicknames};

/// The node TTL these tests run with: short, so a dead node is noticed quickly.
const NODE_TTL_MS: u64 = 1_500;

/// Says hello (with `token`, if any) and joins the lobby; returns the token and the members
/// the join reported.
async fn sign_in(
    client: &mut Client,
    nickname: &str,
    token: Option<&str>,
) -> (String, Vec<Nickname>) {
    let token = match client.hello_with_token(nickname, token).await {
        ServerMessage::Welcome(Welcome { token, .. }) => token,
        other => panic!("hello as {nickname} refused: {other:?}"),
    };
    match client.join("lobby").await {
        ServerMessage::Joined(Joined { members, .. }) => (token, members),
        other => panic!("{nickname}'s join refused: {other:?}"),
    }
}

/// The next user_joined or user_left `client` hears: (nickname, joined).
async fn next_presence_change(client: &mut Client) -> (String, bool) {
    client
        .recv_until(|message| match message {
            ServerMessage::UserJoined(UserJoined { nickname, .. }) => {
                Some((nickname.to_string(), true))
            }
            ServerMessage::UserLeft(UserLeft { nickname, .. }) => {
                Some((nickname.to_string(), false))
            }
            _ => None,
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_person_on_two_nodes_is_one_entry_and_a_dead_nodes_people_leave_within_the_ttl() {
    let database = TestDatabase::postgres();
    let ttl = NODE_TTL_MS.to_string();
    let mut cluster =
        Cluster::start_with(2, &database, redis_addr(), &["--node-ttl-ms", &ttl]).await;
    let (node0, node1) = (cluster.addrs[0], cluster.addrs[1]);

    let mut bob = Client::connect(node1).await;
    sign_in(&mut bob, "bob", None).await;

    let mut alice_on_0 = Client::connect(node0).await;
    let (token, members) = sign_in(&mut alice_on_0, "alice", None).await;
    assert_eq!(members, nicknames(&["alice", "bob"]), "alice sees bob, who is on the other node");
    assert_eq!(next_presence_change(&mut bob).await, ("alice".into(), true));

    // Alice opens a second tab, on the other node: the same person, nothing new for bob.
    let mut alice_on_1 = Client::connect(node1).await;
    let (same_token, members) = sign_in(&mut alice_on_1, "alice", Some(&token)).await;
    assert_eq!(same_token, token);
    assert_eq!(members, nicknames(&["alice", "bob"]), "one alice, not two");
    // Closing the first tab changes nothing either: she is still here through the second.
    drop(alice_on_0);

    let mut carol = Client::connect(node0).await;
    sign_in(&mut carol, "carol", None).await;
    assert_eq!(
        next_presence_change(&mut bob).await,
        ("carol".into(), true),
        "the first change bob hears is carol arriving: alice never left"
    );

    // Node 0 dies with carol on it. Bob hears carol leave within the TTL (plus a heartbeat),
    // and never hears alice leave.
    let killed = Instant::now();
    cluster.nodes[0].take().expect("node 0 runs").kill().await;
    assert_eq!(next_presence_change(&mut bob).await, ("carol".into(), false));
    let noticed = killed.elapsed();
    assert!(
        noticed <= Duration::from_millis(NODE_TTL_MS * 3),
        "a dead node's people leave within a bounded time; took {noticed:?}"
    );
    bob.expect_silence().await;
    let (_, members) = sign_in(&mut Client::connect(node1).await, "dave", None).await;
    assert_eq!(members, nicknames(&["alice", "bob", "dave"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guests_are_marked_as_guests_on_every_node() {
    let database = TestDatabase::postgres();
    let cluster = Cluster::start(2, &database, redis_addr()).await;
    let (node0, node1) = (cluster.addrs[0], cluster.addrs[1]);
    let mut account = Client::connect(node0).await;
    let welcome = account.register("registered", "correct horse battery staple").await;
    assert!(matches!(welcome, ServerMessage::Welcome(_)), "{welcome:?}");
    account.join("lobby").await;
    let mut guest = Client::connect(node0).await;
    sign_in(&mut guest, "visitor", None).await;

    // Node 1 learns who is who from node 0's news: wait for it with probes.
    let deadline = Instant::now() + Duration::from_secs(5);
    for attempt in 0.. {
        let mut probe = Client::connect(node1).await;
        probe.hello(&format!("probe{attempt}")).await;
        match probe.join("lobby").await {
            ServerMessage::Joined(Joined { members, .. }) if members.len() >= 3 => break,
            other => {
                assert!(Instant::now() < deadline, "node 1 never saw node 0's people: {other:?}")
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut reader = Client::connect(node1).await;
    reader.hello("reader").await;
    match reader.join("lobby").await {
        ServerMessage::Joined(Joined { members, guests, .. }) => {
            assert!(members.contains(&Nickname::parse("registered").expect("valid")));
            let guests: Vec<&str> = guests.iter().map(Nickname::as_str).collect();
            assert!(guests.contains(&"visitor") && guests.contains(&"reader"), "{guests:?}");
            assert!(!guests.contains(&"registered"), "{guests:?}");
        }
        other => panic!("{other:?}"),
    }
    let told = account
        .recv_until(|message| match message {
            ServerMessage::UserJoined(joined) if joined.nickname.as_str() == "reader" => {
                Some(joined)
            }
            _ => None,
        })
        .await;
    assert!(told.guest, "a guest on node 1 is a guest on node 0");
}
