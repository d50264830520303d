//! Nickname ownership across nodes: a name held on one node cannot be taken on another, its
//! owner gets it back anywhere with their token, and a dead node's names are freed within the
//! node TTL.

use std::net::SocketAddr;
use std::time::Duration;

use common::{ErrorCode, ErrorReply, ServerMessage, Welcome};
use tokio::time::Instant;

use crate::nodes::{Cluster, redis_addr};
use crate::test_database::TestDatabase;
use crate::ws_client::Client;

const NODE_TTL_MS: u64 = 1_500;
const GRACE_MS: u64 = 500;

/// Says hello on `node`; returns the connection and the token, or the refusal's code.
async fn hello(
    node: SocketAddr,
    nickname: &str,
    token: Option<&str>,
) -> Result<(Client, String), ErrorCode> {
    let mut client = Client::connect(node).await;
    match client.hello_with_token(nickname, token).await {
        ServerMessage::Welcome(Welcome { token, .. }) => Ok((client, token)),
        ServerMessage::Error(ErrorReply { code, .. }) => Err(code),
        other => panic!("unexpected answer to hello: {other:?}"),
    }
}

/// Tries `nickname` on `node` until it is given (returning how long that took) or `limit`
/// passes.
async fn taken_until_free(node: SocketAddr, nickname: &str, limit: Duration) -> Duration {
    let start = Instant::now();
    loop {
        match hello(node, nickname, None).await {
            Ok(_) => return start.elapsed(),
            Err(code) => assert_eq!(code, ErrorCode::NicknameTaken),
        }
        assert!(start.elapsed() < limit, "{nickname} was never freed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_is_one_persons_across_nodes_and_a_dead_nodes_names_are_freed() {
    let database = TestDatabase::postgres();
    let (ttl, grace) = (NODE_TTL_MS.to_string(), GRACE_MS.to_string());
    let flags = ["--node-ttl-ms", &ttl, "--nickname-grace-ms", &grace];
    let mut cluster = Cluster::start_with(2, &database, redis_addr(), &flags).await;
    let (node0, node1) = (cluster.addrs[0], cluster.addrs[1]);

    let (alice_on_0, token) = hello(node0, "alice", None).await.expect("free");
    for impostor in ["alice", "ALICE", "\u{430}lice" /* Cyrillic а */] {
        assert_eq!(
            hello(node1, impostor, None).await.err(),
            Some(ErrorCode::NicknameTaken),
            "{impostor} is alice's on the other node"
        );
    }
    assert_eq!(
        hello(node1, "alice", Some("a-guessed-token")).await.err(),
        Some(ErrorCode::NicknameTaken)
    );
    let (alice_on_1, same) = hello(node1, "alice", Some(&token)).await.expect("her own");
    assert_eq!(same, token, "the owner gets her name on any node");

    // Both tabs close: the name is kept for her for the grace period (at least the node TTL
    // across nodes), then freed.
    drop((alice_on_0, alice_on_1));
    let freed_after = taken_until_free(node1, "alice", Duration::from_secs(10)).await;
    assert!(
        freed_after >= Duration::from_millis(GRACE_MS),
        "held for the grace period first; freed after {freed_after:?}"
    );

    // A name held on a node that dies is freed within the node TTL (plus a refresh).
    let (_carol, _) = hello(node0, "carol", None).await.expect("free");
    assert_eq!(hello(node1, "carol", None).await.err(), Some(ErrorCode::NicknameTaken));
    cluster.nodes[0].take().expect("node 0 runs").kill().await;
    let freed_after = taken_until_free(node1, "carol", Duration::from_secs(10)).await;
    assert!(
        freed_after <= Duration::from_millis(NODE_TTL_MS * 3),
        "freed within a bounded time; took {freed_after:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_signed_out_of_on_one_node_is_free_on_the_other_at_once() {
    let database = TestDatabase::postgres();
    // A grace period far longer than the test may wait: only the sign-out can free the name.
    let flags = ["--node-ttl-ms", "1500", "--nickname-grace-ms", "60000"];
    let cluster = Cluster::start_with(2, &database, redis_addr(), &flags).await;
    let (node0, node1) = (cluster.addrs[0], cluster.addrs[1]);

    let (mut dave, _) = hello(node0, "dave", None).await.expect("free");
    let request_id = dave.request_id();
    dave.send(&common::ClientMessage::SignOut { request_id }).await;
    assert!(matches!(dave.recv().await, ServerMessage::SignedOut(_)));
    dave.recv_close().await.expect("closed after signing out");

    let freed_after = taken_until_free(node1, "dave", Duration::from_secs(3)).await;
    assert!(freed_after < Duration::from_secs(3), "freed after {freed_after:?}");
}
