//! The real page behind a load balancer in front of two nodes (PostgreSQL and Redis): when
//! the node carrying a page's WebSocket dies, the page reconnects through the balancer to the
//! other node, keeps its nickname, and loses and doubles nothing.

use std::time::Duration;

use crate::browser::ChromeDriver;
use crate::failover_proxy::FailoverProxy;
use crate::redis_keys::remove_redis_keys;
use crate::server_process::{ServerProcess, free_local_addr};
use crate::test_database::TestDatabase;
use crate::{Browser, dist_dir};

#[tokio::test]
#[ignore = "needs dist/, chromedriver, PostgreSQL and Redis; run by scripts/test.sh"]
async fn a_page_whose_node_dies_moves_to_another_and_loses_nothing() {
    let database = TestDatabase::postgres();
    let dist = dist_dir().to_string_lossy().into_owned();
    let prefix = format!("chat-e2e-{}", uuid::Uuid::new_v4().simple());
    let flags = [
        "--static-dir",
        &dist,
        "--redis-url",
        "redis://127.0.0.1:6379",
        "--redis-prefix",
        &prefix,
        "--node-ttl-ms",
        "2000",
    ];
    let (first, second) = (free_local_addr(), free_local_addr());
    let node0 = ServerProcess::start_with(first, &database, &flags).await;
    let node1 = ServerProcess::start_with(second, &database, &flags).await;
    // Everything through the balancer lands on node 0 while it lives, then on node 1.
    let balancer = FailoverProxy::start(vec![first, second]).await;

    let driver = ChromeDriver::start().await.expect("chromedriver starts");
    let alice = Browser::open(&driver, &format!("http://{}/", balancer.addr)).await;
    let bob = Browser::open(&driver, &format!("http://{second}/")).await;
    alice.sign_in("alice").await;
    bob.sign_in("bob").await;
    alice.wait_for_text(".connection", "Connected").await;
    alice.wait_for_text(".members", "bob").await;
    bob.wait_for_text(".members", "alice").await;

    alice.type_into_composer("before the crash\u{E007}").await;
    bob.wait_for_text(".timeline .message .body", "before the crash").await;

    node0.kill().await;
    alice.type_into_composer("written as the node died\u{E007}").await;
    bob.type_into_composer("said while alice was away\u{E007}").await;

    // The page retries by itself (with backoff), through the balancer, to node 1.
    let patience = Duration::from_secs(45);
    alice.wait_for_text_within(".connection", "Connected", patience).await;
    alice
        .wait_for_text_within(
            ".timeline .message:not(.pending) .body",
            "written as the node died",
            patience,
        )
        .await;
    alice.wait_for_text(".timeline .message .body", "said while alice was away").await;
    bob.wait_for_text(".timeline .message .body", "written as the node died").await;

    let seen_by_alice = alice.texts(".timeline .message .body").await;
    let seen_by_bob = bob.texts(".timeline .message .body").await;
    assert_eq!(seen_by_alice.len(), 3, "each message once: {seen_by_alice:?}");
    assert_eq!(seen_by_alice, seen_by_bob, "both see one history, in one order");
    assert_eq!(seen_by_alice[0], "before the crash");
    // Still alice on the other node: her messages are hers on her page and on bob's.
    let mine = alice.texts(".timeline .message.mine .body").await;
    assert_eq!(mine, ["before the crash", "written as the node died"]);
    // Consecutive messages from one person share one name, so count bodies, not names:
    // on bob's page every message that is not his is alice's.
    let from_others = bob.texts(".timeline .message:not(.mine) .body").await;
    assert_eq!(from_others, mine, "bob sees both from alice, as alice's");

    alice.close().await;
    bob.close().await;
    node1.kill_and_wait_blocking();
    remove_redis_keys("redis://127.0.0.1:6379", &prefix);
}
