//! Real server processes on one PostgreSQL database and one Redis: every member sees the same
//! rooms in the same order whichever node it is on, a node killed mid-stream loses nothing,
//! and a Redis outage is ridden out.

use std::net::SocketAddr;
use std::time::Duration;

use common::{ErrorCode, ErrorReply, ServerMessage};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;

use crate::audit::{audit, catch_everyone_up};
use crate::listener::Listener;
use crate::outage_proxy::OutageProxy;
use crate::redis_keys::remove_redis_keys;
use crate::server_process::{ServerLog, ServerProcess, create_room, free_local_addr};
use crate::test_database::TestDatabase;
use crate::ws_client::Client;
use client::ResilientClient;

/// The most a cluster test may take before it counts as hung.
const TEST_LIMIT: Duration = Duration::from_secs(240);
/// How long a node may take to deliver what it missed once it can.
const CATCH_UP_PATIENCE: Duration = Duration::from_secs(15);

pub fn redis_addr() -> SocketAddr {
    let url = std::env::var("CHAT_TEST_REDIS_ADDR").unwrap_or_else(|_| "127.0.0.1:6379".into());
    url.parse().expect("CHAT_TEST_REDIS_ADDR is HOST:PORT")
}

/// Nodes sharing one database and one Redis channel of their own.
pub struct Cluster {
    pub addrs: Vec<SocketAddr>,
    pub nodes: Vec<Option<ServerProcess>>,
    redis_url: String,
    prefix: String,
}

impl Drop for Cluster {
    /// Stops the nodes and removes this cluster's keys from Redis (they would expire within
    /// seconds anyway).
    fn drop(&mut self) {
        for node in self.nodes.drain(..).flatten() {
            node.kill_and_wait_blocking();
        }
        remove_redis_keys(&self.redis_url, &self.prefix);
    }
}

impl Cluster {
    /// Starts `count` nodes on `database`, reaching Redis at `redis`.
    pub async fn start(count: usize, database: &TestDatabase, redis: SocketAddr) -> Self {
        Self::start_with(count, database, redis, &[]).await
    }

    /// Like [`Cluster::start`], with extra flags for every node.
    pub async fn start_with(
        count: usize,
        database: &TestDatabase,
        redis: SocketAddr,
        extra: &[&str],
    ) -> Self {
        let redis_url = format!("redis://{redis}");
        // A channel of this test's own: tests run in parallel on one Redis.
        let prefix = format!("chat-test-{}", uuid::Uuid::new_v4().simple());
        let mut addrs = Vec::new();
        let mut nodes = Vec::new();
        for _ in 0..count {
            let addr = free_local_addr();
            let mut flags = vec!["--redis-url", &redis_url, "--redis-prefix", &prefix];
            flags.extend_from_slice(extra);
            nodes.push(Some(ServerProcess::start_with(addr, database, &flags).await));
            addrs.push(addr);
        }
        let cluster = Self { addrs, nodes, redis_url, prefix };
        for addr in &cluster.addrs {
            wait_until_ready(*addr).await;
        }
        cluster
    }

    /// Starts one more node of this cluster that reaches Redis at `redis` (a proxy, say),
    /// with `extra` flags; returns its address once it is ready.
    pub async fn add_node_via(
        &mut self,
        database: &TestDatabase,
        redis: SocketAddr,
        extra: &[&str],
    ) -> SocketAddr {
        self.add_logged_node_via(database, redis, extra).await.0
    }

    /// Like [`Cluster::add_node_via`], keeping what the node logs.
    pub async fn add_logged_node_via(
        &mut self,
        database: &TestDatabase,
        redis: SocketAddr,
        extra: &[&str],
    ) -> (SocketAddr, ServerLog) {
        let addr = free_local_addr();
        let redis_url = format!("redis://{redis}");
        let mut flags = vec!["--redis-url", &redis_url, "--redis-prefix", &self.prefix];
        flags.extend_from_slice(extra);
        let (node, log) = ServerProcess::start_logged(addr, database, &flags, "warn").await;
        self.nodes.push(Some(node));
        self.addrs.push(addr);
        wait_until_ready(addr).await;
        (addr, log)
    }

    /// The nodes in the order a client that starts on node `first` tries them.
    pub fn starting_at(&self, first: usize) -> Vec<SocketAddr> {
        let n = self.addrs.len();
        (0..n).map(|i| self.addrs[(first + i) % n]).collect()
    }
}

/// A minimal HTTP GET: the status line and body.
pub async fn get(addr: SocketAddr, path: &str) -> String {
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        return "unreachable".into();
    };
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("request written");
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response).await;
    response
}

/// Waits until `/readyz` answers 200 (the node is subscribed to the bus).
pub async fn wait_until_ready(addr: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let response = get(addr, "/readyz").await;
        if response.starts_with("HTTP/1.1 200") {
            return;
        }
        assert!(Instant::now() < deadline, "node {addr} never became ready: {response}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_share_every_room_in_order_and_losing_one_loses_nothing() {
    let database = TestDatabase::postgres();
    let mut cluster = Cluster::start(3, &database, redis_addr()).await;
    create_room(cluster.addrs[0], "rust").await;

    // A listener on each surviving node: what it receives live must be every message of both
    // rooms, each once, in sequence order, wherever it was sent.
    let listeners = [
        Listener::join(cluster.addrs[0], "listener0", &["lobby", "rust"]).await,
        Listener::join(cluster.addrs[1], "listener1", &["lobby", "rust"]).await,
    ];

    // Six writers, two starting on each node, 1,200 messages in all over two rooms.
    let mut clients: Vec<ResilientClient> = (0..6)
        .map(|n| {
            let name = format!("writer{n}");
            let mut client = ResilientClient::with_servers(
                &name,
                cluster.starting_at(n % 3),
                &["lobby", "rust"],
            );
            client.send_interval = Duration::from_millis(2);
            for i in 0..200 {
                let room = if i % 2 == 0 { "lobby" } else { "rust" };
                client.write(room, format!("message {i} from {name}"));
            }
            client
        })
        .collect();

    let victim = cluster.nodes[2].take().expect("node 2 runs");
    let crash = async {
        tokio::time::sleep(Duration::from_millis(700)).await;
        victim.kill().await;
    };
    tokio::time::timeout(TEST_LIMIT, async {
        tokio::join!(catch_everyone_up(&mut clients), crash)
    })
    .await
    .expect("the clients finish");
    let moved = [2, 5].iter().all(|&n| clients[n].reconnects > 0);
    tokio::time::timeout(TEST_LIMIT, catch_everyone_up(&mut clients)).await.expect("caught up");
    assert!(moved, "the clients of the killed node moved to the others by themselves");

    let (sent, acknowledged, stored, ..) = audit(&clients, &database).await;
    assert_eq!((sent, acknowledged, stored), (1_200, 1_200, 1_200));
    for (room, last_seq) in [("lobby", 600), ("rust", 600)] {
        for listener in &listeners {
            let live = listener.wait_for(room, last_seq, CATCH_UP_PATIENCE).await;
            assert_eq!(live, (1..=last_seq).collect::<Vec<_>>(), "{room}: pushed once, in order");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_serve_their_own_members_through_a_redis_outage_and_catch_up_after() {
    let database = TestDatabase::postgres();
    let redis = OutageProxy::start(redis_addr()).await;
    let cluster = Cluster::start(2, &database, redis.addr).await;
    let listeners = [
        Listener::join(cluster.addrs[0], "listener0", &["lobby"]).await,
        Listener::join(cluster.addrs[1], "listener1", &["lobby"]).await,
    ];
    let mut clients: Vec<ResilientClient> = (0..4)
        .map(|n| {
            let name = format!("writer{n}");
            let mut client =
                ResilientClient::with_servers(&name, cluster.starting_at(n % 2), &["lobby"]);
            client.send_interval = Duration::from_millis(5);
            for i in 0..300 {
                client.write("lobby", format!("message {i} from {name}"));
            }
            client
        })
        .collect();

    // Redis goes away while the writers write, and comes back only after they finished: no
    // later message can reveal the hole, so the nodes must catch up by themselves.
    let unplug = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        redis.unplug();
        Instant::now()
    };
    let (_, began) = tokio::time::timeout(TEST_LIMIT, async {
        tokio::join!(catch_everyone_up(&mut clients), unplug)
    })
    .await
    .expect("the clients finish while Redis is away");
    for addr in &cluster.addrs {
        let response = get(*addr, "/readyz").await;
        assert!(response.starts_with("HTTP/1.1 503"), "not ready without Redis: {response}");
        assert!(response.contains("bus:"), "and says why: {response}");
    }
    // A newcomer cannot have a nickname confirmed meanwhile: told so, and asked to come back.
    let mut newcomer = Client::connect(cluster.addrs[0]).await;
    match newcomer.hello_with_token("newcomer", None).await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::Unavailable, .. }) => {}
        other => panic!("a hello without Redis: {other:?}"),
    }
    let close = newcomer.recv_close().await.map(|frame| u16::from(frame.code));
    assert_eq!(close, Some(1013), "closed with 'try again later'");
    let ended = Instant::now();
    redis.plug_in();

    for (node, listener) in listeners.iter().enumerate() {
        let served = listener.arrived_between("lobby", began, ended);
        assert!(served > 0, "node {node} kept delivering its own members' messages meanwhile");
    }
    let cut_off: u64 = clients.iter().map(|client| client.reconnects).sum();
    assert_eq!(cut_off, 0, "no client lost its connection because Redis went away");
    // The first writers to finish have not seen the last ones' messages yet.
    tokio::time::timeout(TEST_LIMIT, catch_everyone_up(&mut clients)).await.expect("caught up");

    let (sent, acknowledged, stored, ..) = audit(&clients, &database).await;
    assert_eq!((sent, acknowledged, stored), (1_200, 1_200, 1_200));
    for listener in &listeners {
        let live = listener.wait_for("lobby", 1_200, CATCH_UP_PATIENCE).await;
        assert_eq!(live, (1..=1_200).collect::<Vec<_>>(), "every message pushed once, in order");
    }
    for addr in &cluster.addrs {
        wait_until_ready(*addr).await;
    }
}
