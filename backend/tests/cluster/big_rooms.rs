//! A counted room (more people than `--listed-members-max`, 3 here) spans the nodes: every
//! member hears one count of everyone on every node, each person once, and reads the same
//! list a page at a time; it is listed again when few are left.

use common::{ClientMessage, Joined, MemberCount, MemberList, MemberPage, ServerMessage, Welcome};

use crate::nodes::{Cluster, redis_addr};
use crate::test_database::TestDatabase;
use crate::ws_client::Client;

async fn in_lobby(addr: std::net::SocketAddr, name: &str) -> (Client, Joined) {
    in_lobby_with(addr, name, None).await
}

async fn in_lobby_with(
    addr: std::net::SocketAddr,
    name: &str,
    token: Option<&str>,
) -> (Client, Joined) {
    let mut client = Client::connect(addr).await;
    let welcome = client.hello_with_token(name, token).await;
    assert!(matches!(welcome, ServerMessage::Welcome(_)), "{welcome:?}");
    match client.join("lobby").await {
        ServerMessage::Joined(joined) => (client, joined),
        other => panic!("{name} could not join: {other:?}"),
    }
}

async fn count_reaches(client: &mut Client, expected: u64) {
    client
        .recv_until(|message| match message {
            ServerMessage::MemberCount(MemberCount { count, .. }) => {
                (count == expected).then_some(())
            }
            _ => None,
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counted_room_counts_and_lists_everyone_on_every_node_once() {
    let database = TestDatabase::postgres();
    let cluster =
        Cluster::start_with(2, &database, redis_addr(), &["--listed-members-max", "3"]).await;
    let mut ann = Client::connect(cluster.addrs[0]).await;
    let ServerMessage::Welcome(Welcome { token, .. }) = ann.hello("ann").await else {
        panic!("ann refused");
    };
    assert!(matches!(ann.join("lobby").await, ServerMessage::Joined(_)));
    let (bob, _) = in_lobby(cluster.addrs[0], "bob").await;
    let (mut carl, _) = in_lobby(cluster.addrs[1], "carl").await;
    // Ann in a second tab on the other node is still one person.
    let (ann_again, _) = in_lobby_with(cluster.addrs[1], "ann", Some(&token)).await;
    let (dave, _) = in_lobby(cluster.addrs[1], "dave").await;
    count_reaches(&mut ann, 4).await;
    count_reaches(&mut carl, 4).await;

    let request = ClientMessage::Members {
        request_id: carl.request_id(),
        room: "lobby".into(),
        after: None,
        limit: Some(10),
    };
    match carl.request(&request).await {
        ServerMessage::MemberPage(MemberPage { members, next_after: None, .. }) => {
            let names: Vec<&str> = members.iter().map(|name| name.as_str()).collect();
            assert_eq!(names, ["ann", "bob", "carl", "dave"]);
        }
        other => panic!("{other:?}"),
    }

    // Ann's second tab and dave leave node 2, bob node 1: ann (still on node 1) and carl.
    drop(ann_again);
    drop(dave);
    drop(bob);
    count_reaches(&mut ann, 2).await;
    count_reaches(&mut carl, 2).await;
    // One left (half the limit): listed again, by name.
    drop(carl);
    let listed = ann
        .recv_until(|message| match message {
            ServerMessage::MemberList(MemberList { members, .. }) => Some(members),
            _ => None,
        })
        .await;
    let names: Vec<&str> = listed.iter().map(|name| name.as_str()).collect();
    assert_eq!(names, ["ann"]);
}
