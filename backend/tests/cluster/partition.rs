//! A node cut off from Redis by a partition that drops packets instead of closing connections
//! (the proxy goes silent): its readiness says so at once, from what its background tasks last
//! saw, a sign-in is refused at once instead of waiting on Redis, and the node subscribes again
//! by itself when the link comes back.

use std::time::Duration;

use common::{ErrorCode, ErrorReply, Joined, ServerMessage};
use tokio::time::Instant;

use crate::nodes::{Cluster, get, redis_addr, wait_until_ready};
use crate::outage_proxy::OutageProxy;
use crate::test_database::TestDatabase;
use crate::ws_client::Client;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_redis_turns_readiness_and_sign_ins_away_without_waiting_and_the_node_recovers() {
    let database = TestDatabase::postgres();
    let redis = OutageProxy::start(redis_addr()).await;
    // A node TTL of 4 s: heartbeats every second, the channel taken for lost after 3 s.
    let cluster = Cluster::start_with(1, &database, redis.addr, &["--node-ttl-ms", "4000"]).await;
    let addr = cluster.addrs[0];
    wait_until_ready(addr).await;

    redis.go_silent();
    let deadline = Instant::now() + Duration::from_secs(20);
    let not_ready = loop {
        // Every answer comes at once: the check asks nothing of the silent Redis.
        let response = tokio::time::timeout(Duration::from_secs(1), get(addr, "/readyz"))
            .await
            .expect("/readyz answers within a second while Redis is silent");
        if response.starts_with("HTTP/1.1 503") {
            break response;
        }
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(Instant::now() < deadline, "the silence was never noticed: {response}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(not_ready.contains("bus:"), "and says it is the bus: {not_ready}");
    // A newcomer is told at once that the name cannot be confirmed, not after Redis's deadline.
    let mut newcomer = Client::connect(addr).await;
    let answer =
        tokio::time::timeout(Duration::from_secs(1), newcomer.hello_with_token("newcomer", None))
            .await
            .expect("a hello is answered within a second while Redis is silent");
    match answer {
        ServerMessage::Error(ErrorReply { code: ErrorCode::Unavailable, .. }) => {}
        other => panic!("a hello while Redis is silent: {other:?}"),
    }
    let close = newcomer.recv_close().await.map(|frame| u16::from(frame.code));
    assert_eq!(close, Some(1013), "closed with 'try again later'");

    redis.plug_in();
    // Subscribed again by itself, and hearing its own heartbeat: ready.
    wait_until_ready(addr).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_cut_off_from_redis_backs_off_instead_of_reconnecting_for_every_event() {
    let database = TestDatabase::postgres();
    let redis = OutageProxy::start(redis_addr()).await;
    let flags = ["--messages-per-second", "1000", "--message-burst", "1000"];
    let cluster = Cluster::start_with(1, &database, redis.addr, &flags).await;
    let addr = cluster.addrs[0];
    let mut writer = Client::connect(addr).await;
    writer.hello("writer").await;
    writer.join("lobby").await;

    redis.unplug();
    let before = redis.attempts();
    // 300 messages in 3 s, each one more event for the other nodes: every one of them used to
    // open a new connection to the missing Redis.
    for i in 0..300 {
        let ack = writer.say("lobby", &format!("message {i}")).await;
        assert!(matches!(ack, ServerMessage::Ack(_)), "stored while Redis is away: {ack:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let attempts = redis.attempts() - before;
    println!("connection attempts to Redis during a 3 s cut: {attempts}");
    // The publisher's and the subscriber's backoffs (100 ms doubling to 5 s): about five each.
    assert!(attempts <= 30, "{attempts} connection attempts to Redis in 3 s");

    redis.plug_in();
    wait_until_ready(addr).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_cut_off_for_longer_than_the_ttl_does_not_announce_that_the_others_left() {
    let database = TestDatabase::postgres();
    let ttl = ["--node-ttl-ms", "1500"];
    let mut cluster = Cluster::start_with(1, &database, redis_addr(), &ttl).await;
    let redis = OutageProxy::start(redis_addr()).await;
    let cut_node = cluster.add_node_via(&database, redis.addr, &ttl).await;
    let mut bob = Client::connect(cluster.addrs[0]).await;
    bob.hello("bob").await;
    bob.join("lobby").await;
    let mut carol = Client::connect(cut_node).await;
    carol.hello("carol").await;
    // Carol's node has heard of bob: in the list when she joins, or announced just after.
    let members = match carol.join("lobby").await {
        ServerMessage::Joined(Joined { members, .. }) => members,
        other => panic!("carol's join: {other:?}"),
    };
    if !members.iter().any(|member| member.as_str() == "bob") {
        let announced = carol.recv_until(|message| match message {
            ServerMessage::UserJoined(joined) if joined.nickname.as_str() == "bob" => Some(()),
            _ => None,
        });
        tokio::time::timeout(Duration::from_secs(10), announced)
            .await
            .expect("carol's node hears of bob");
    }

    // Twice the node TTL without Redis for carol's node, then back.
    redis.unplug();
    tokio::time::sleep(Duration::from_secs(3)).await;
    redis.plug_in();
    wait_until_ready(cut_node).await;
    // Bob never left: carol's node could not hear anyone, which says nothing about bob.
    let frames = carol.frames_within(Duration::from_secs(3)).await;
    let bob_left =
        frames.iter().any(|frame| frame.contains("\"user_left\"") && frame.contains("\"bob\""));
    assert!(!bob_left, "carol was told bob left: {frames:?}");
}
