//! Moderation across nodes: a ban on one node closes the banned person's tab on another at
//! once, and holds on every node; a mute and a kick in a room hold on every node at once.

use backend::store::Store;
use common::{ErrorCode, ErrorReply, Nickname, Role, ServerMessage};

use crate::ws_client::PATIENCE;

use crate::nodes::{Cluster, redis_addr};
use crate::test_database::TestDatabase;
use crate::ws_client::Client;

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ban_on_one_node_closes_the_tab_on_another_and_holds_everywhere() {
    let database = TestDatabase::postgres();
    let cluster = Cluster::start(2, &database, redis_addr()).await;
    let (node0, node1) = (cluster.addrs[0], cluster.addrs[1]);
    for name in ["boss", "troll"] {
        let mut client = Client::connect(node0).await;
        assert!(matches!(client.register(name, PASSWORD).await, ServerMessage::Welcome(_)));
    }
    let store = Store::open(&database.url()).await.expect("store");
    let boss = Nickname::parse("boss").expect("valid");
    assert!(store.set_role(&boss, Role::Moderator).await.expect("role set"));

    let mut troll = Client::connect(node1).await;
    assert!(matches!(troll.sign_in("troll", PASSWORD).await, ServerMessage::Welcome(_)));
    let mut moderator = Client::connect(node0).await;
    assert!(matches!(moderator.sign_in("boss", PASSWORD).await, ServerMessage::Welcome(_)));
    assert!(matches!(moderator.ban("troll", "trolling").await, ServerMessage::BanRecorded(_)));

    let close = troll.recv_close().await.expect("a close frame on the other node");
    assert_eq!(u16::from(close.code), 4003);
    for node in [node0, node1] {
        let mut again = Client::connect(node).await;
        match again.sign_in("troll", PASSWORD).await {
            ServerMessage::Error(ErrorReply { code: ErrorCode::Banned, .. }) => {}
            other => panic!("expected banned on {node}, got {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mute_and_a_kick_on_one_node_hold_on_another_at_once() {
    let database = TestDatabase::postgres();
    let cluster = Cluster::start(2, &database, redis_addr()).await;
    let (node0, node1) = (cluster.addrs[0], cluster.addrs[1]);
    let mut owner = Client::connect(node0).await;
    assert!(matches!(owner.register("gardener", PASSWORD).await, ServerMessage::Welcome(_)));
    assert!(matches!(owner.create_room("garden").await, ServerMessage::Created(_)));
    let mut pest = Client::connect(node1).await;
    pest.hello("pest").await;
    // The room's news reaches the other node through the bus: wait until it can be joined.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !matches!(pest.join("garden").await, ServerMessage::Joined(_)) {
        assert!(tokio::time::Instant::now() < deadline, "the room never reached node 1");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    assert!(matches!(owner.mute("garden", "pest", Some(5)).await, ServerMessage::MuteRecorded(_)));
    pest.recv_until(|m| matches!(m, ServerMessage::Muted(_)).then_some(())).await;
    match pest.say("garden", "spam").await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::Muted, .. }) => {}
        other => panic!("expected muted on the other node, got {other:?}"),
    }
    assert!(matches!(owner.kick("garden", "pest", "bye").await, ServerMessage::KickDone(_)));
    pest.recv_until(|m| matches!(m, ServerMessage::Kicked(_)).then_some(())).await;
    match pest.say("garden", "spam").await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::NotInRoom, .. }) => {}
        other => panic!("expected not_in_room on the other node, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_banned_on_one_node_is_closed_on_another_and_its_address_is_banned_everywhere() {
    let database = TestDatabase::postgres();
    let cluster = Cluster::start(2, &database, redis_addr()).await;
    let (node0, node1) = (cluster.addrs[0], cluster.addrs[1]);
    let mut boss = Client::connect(node0).await;
    assert!(matches!(boss.register("boss", PASSWORD).await, ServerMessage::Welcome(_)));
    let store = Store::open(&database.url()).await.expect("store");
    let name = Nickname::parse("boss").expect("valid");
    assert!(store.set_role(&name, Role::Moderator).await.expect("role set"));
    let pest_address: std::net::IpAddr = "127.0.0.3".parse().expect("an address");
    let mut pest = Client::connect_from(node1, pest_address).await;
    assert!(matches!(pest.hello("pest").await, ServerMessage::Welcome(_)));

    let request_id = boss.request_id();
    let ban = common::ClientMessage::BanGuest {
        request_id,
        nickname: "pest".into(),
        reason: "spam".into(),
        minutes: Some(60),
    };
    assert!(matches!(boss.request(&ban).await, ServerMessage::BanRecorded(_)));
    let close = pest.recv_close().await.expect("closed on the other node");
    assert_eq!(u16::from(close.code), 4003);
    // Node 1 found the address and added it to the ban: a new name from it is refused on
    // node 0 too (the address is written a moment after the close: wait for it).
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let mut renamed = Client::connect_from(node0, pest_address).await;
        match renamed.hello(&format!("innocent{}", rand_suffix())).await {
            ServerMessage::Error(ErrorReply { code: ErrorCode::Banned, .. }) => break,
            other => {
                assert!(tokio::time::Instant::now() < deadline, "never banned: {other:?}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    }
}

/// A different number each call, for fresh names.
fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_given_on_one_node_reaches_the_tab_on_another() {
    let database = TestDatabase::postgres();
    let cluster = Cluster::start(2, &database, redis_addr()).await;
    let (node0, node1) = (cluster.addrs[0], cluster.addrs[1]);
    let mut boss = Client::connect(node0).await;
    assert!(matches!(boss.register("boss", PASSWORD).await, ServerMessage::Welcome(_)));
    let store = Store::open(&database.url()).await.expect("store");
    let name = Nickname::parse("boss").expect("valid");
    assert!(store.set_role(&name, Role::Admin).await.expect("role set"));
    let mut helper = Client::connect(node1).await;
    assert!(matches!(helper.register("helper", PASSWORD).await, ServerMessage::Welcome(_)));
    let request_id = boss.request_id();
    let set = common::ClientMessage::SetRole {
        request_id,
        username: "helper".into(),
        role: Role::Moderator,
    };
    assert!(matches!(boss.request(&set).await, ServerMessage::RoleSet(_)));
    let told = helper.recv_until(|m| match m {
        ServerMessage::RoleChanged(changed) => Some(changed.role),
        _ => None,
    });
    assert_eq!(told.await, Role::Moderator);
}
