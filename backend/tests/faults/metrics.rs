//! `GET /metrics` read by a real Prometheus (Debian's `prometheus`, started here on a port of
//! its own): after a short chat, the values Prometheus scraped are the ones the chat made.
//! The endpoint listens apart from the chat and asks for its bearer token.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use common::ServerMessage;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};
use tokio::time::Instant;

use crate::server_process::{ServerProcess, free_local_addr};
use crate::test_database::TestDatabase;
use crate::ws_client::Client;

const PROMETHEUS: &str = "/usr/bin/prometheus";
const TOKEN: &str = "scrape-token-5521";

/// A GET with optional headers; the whole response.
async fn get(addr: SocketAddr, path: &str, headers: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connects");
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("written");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    response
}

/// A Prometheus scraping `target` every second, in a directory of its own; killed when dropped.
struct Prometheus {
    addr: SocketAddr,
    _child: Child,
    dir: PathBuf,
}

impl Prometheus {
    async fn start(target: SocketAddr) -> Self {
        assert!(
            std::path::Path::new(PROMETHEUS).exists(),
            "{PROMETHEUS} is missing: scripts/setup-tests.sh installs Debian's prometheus"
        );
        let dir = std::env::temp_dir().join(format!("chat-prometheus-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a directory");
        let config = format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: chat\n    \
             authorization:\n      type: Bearer\n      credentials: {TOKEN}\n    \
             static_configs:\n      - targets: ['{target}']\n"
        );
        std::fs::write(dir.join("prometheus.yml"), config).expect("config written");
        let addr = free_local_addr();
        let child = Command::new(PROMETHEUS)
            .arg(format!("--config.file={}", dir.join("prometheus.yml").display()))
            .arg(format!("--storage.tsdb.path={}", dir.join("data").display()))
            .arg(format!("--web.listen-address={addr}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("prometheus starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await {
                let request =
                    format!("GET /-/ready HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
                let _ = stream.write_all(request.as_bytes()).await;
                let mut response = String::new();
                let _ = stream.read_to_string(&mut response).await;
                if response.starts_with("HTTP/1.1 200") {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "prometheus never became ready");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Self { addr, _child: child, dir }
    }

    /// The value of `query` (one series), if Prometheus has it.
    async fn value(&self, query: &str) -> Option<f64> {
        // HTTP/1.0: the answer comes whole, not in chunks.
        let mut stream = tokio::net::TcpStream::connect(self.addr).await.ok()?;
        let request =
            format!("GET /api/v1/query?query={} HTTP/1.0\r\n\r\n", percent_encoded(query));
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).await.ok()?;
        let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
        let json: Value = serde_json::from_str(body).ok()?;
        let result = json["data"]["result"].as_array()?;
        result.first()?["value"][1].as_str()?.parse().ok()
    }

    /// Waits until `query` equals `expected` (Prometheus scrapes every second), up to 20 s;
    /// returns the last value seen.
    async fn wait_for(&self, query: &str, expected: f64) -> Option<f64> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let value = self.value(query).await;
            if value == Some(expected) || Instant::now() > deadline {
                return value;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn percent_encoded(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'-' | b'.' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_scrapes_what_the_chat_did() {
    let database = TestDatabase::new();
    let metrics_addr = free_local_addr();
    let metrics = metrics_addr.to_string();
    // Three messages at once, then one a second: the fourth and fifth sent at once are refused.
    let flags = [
        "--metrics-addr",
        &metrics,
        "--metrics-token",
        TOKEN,
        "--messages-per-second",
        "1",
        "--message-burst",
        "3",
    ];
    let server = ServerProcess::start_with(free_local_addr(), &database, &flags).await;

    // Apart from the chat, and only with the token.
    let chat = get(server.addr, "/metrics", "").await;
    assert!(!chat.contains("chat_connections_open"), "served on the chat's address: {chat}");
    let anonymous = get(metrics_addr, "/metrics", "").await;
    assert!(anonymous.starts_with("HTTP/1.1 401"), "{anonymous}");
    let bearer = format!("Authorization: Bearer {TOKEN}\r\n");
    let scraped = get(metrics_addr, "/metrics", &bearer).await;
    assert!(scraped.starts_with("HTTP/1.1 200"), "{scraped}");

    let prometheus = Prometheus::start(metrics_addr).await;
    let mut alice = Client::connect(server.addr).await;
    alice.hello("alice").await;
    alice.join("lobby").await;
    let mut bob = Client::connect(server.addr).await;
    bob.hello("bob").await;
    bob.join("lobby").await;
    let mut carol = Client::connect(server.addr).await;
    assert!(matches!(
        carol.register("carol", "correct horse battery staple").await,
        ServerMessage::Welcome(_)
    ));
    let mut acked = 0;
    let mut refused = 0;
    for n in 0..5 {
        match alice.say("lobby", &format!("message {n}")).await {
            ServerMessage::Ack(_) => acked += 1,
            _ => refused += 1,
        }
    }
    assert_eq!((acked, refused), (3, 2), "the burst of three, then refusals");
    alice.history_after("lobby", 0, None).await;

    let checks = [
        ("chat_messages_stored_total", 3.0),
        ("chat_deliveries_total", 6.0), // three messages to two members
        ("chat_sign_ins_total{kind=\"guest\"}", 2.0),
        ("chat_sign_ins_total{kind=\"account\"}", 1.0),
        ("chat_rate_limited_total{kind=\"message\"}", 2.0),
        ("chat_connections_open", 3.0),
        ("chat_history_seconds_count", 1.0),
        ("chat_rooms", 1.0),
        ("chat_search_backlog_pending", 0.0), // nothing stored before: done at once
    ];
    for (query, expected) in checks {
        let value = prometheus.wait_for(query, expected).await;
        assert_eq!(value, Some(expected), "{query} as Prometheus scraped it");
    }
    let commits = prometheus.value("chat_store_commit_seconds_count").await.unwrap_or(0.0);
    assert!(commits >= 1.0, "store commits timed: {commits}");
    let lag = prometheus.value("chat_delivery_lag_seconds_count").await.unwrap_or(0.0);
    assert!(lag >= 1.0, "broadcast writes timed: {lag}");
    for state in ["chat_process_resident_bytes", "chat_process_open_files"] {
        let value = prometheus.value(state).await.unwrap_or(0.0);
        assert!(value > 0.0, "{state}: {value}");
    }
    drop((alice, bob, carol));
    let closed = prometheus.wait_for("chat_connections_open", 0.0).await;
    assert_eq!(closed, Some(0.0), "connections closed are counted out");
}
