//! What an idle connection costs the server: open N connections (each says hello and joins
//! the lobby), hold them, and read the growth of the server's resident memory from
//! `/proc/<pid>/status`. Run with `cargo bench -p backend --bench idle` (N = 2,000; set
//! `CHAT_IDLE_CONNECTIONS` for another size, within this process's open-file limit).
//!
//! A first step toward the load generator's idle scenario (19,000 connections over several
//! processes and source addresses), which this does not replace.

// A benchmark's report is its output.
#![allow(clippy::print_stdout)]

use std::net::SocketAddr;
use std::process::Stdio;
use std::time::Duration;

use common::{ClientMessage, PROTOCOL_VERSION, ServerMessage};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: usize =
        std::env::var("CHAT_IDLE_CONNECTIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(2_000);
    let database = std::env::temp_dir().join(format!("chat-idle-{}.db", std::process::id()));
    let addr: SocketAddr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let mut server = tokio::process::Command::new(env!("CARGO_BIN_EXE_backend"))
        .args(["--addr", &addr.to_string(), "--static-dir", "/nonexistent"])
        .args(["--database-url", &format!("sqlite://{}", database.display())])
        .args(["--max-connections-per-address", "1000000"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let pid = server.id().ok_or("the server exited")?;
    while TcpStream::connect(addr).await.is_err() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // One connection first, so start-up allocations are not counted against the others.
    let mut held = vec![member(addr, 0).await];
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_kib(pid);
    for n in 1..=count {
        held.push(member(addr, n).await);
    }
    tokio::time::sleep(Duration::from_secs(2)).await; // let the server settle
    let after = rss_kib(pid);
    let per_connection = (after.saturating_sub(before)) as f64 / count as f64;
    println!(
        "{count} idle connections: server RSS {:.1} MiB -> {:.1} MiB, {per_connection:.1} KiB per connection",
        before as f64 / 1024.0,
        after as f64 / 1024.0
    );
    drop(held);
    server.kill().await?;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", database.display()));
    }
    Ok(())
}

/// A connection that said hello and joined the lobby.
async fn member(addr: SocketAddr, n: usize) -> Socket {
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("ws://{addr}/ws")).await.expect("connects");
    let hello = ClientMessage::Hello {
        request_id: 1,
        protocol: PROTOCOL_VERSION,
        nickname: format!("idle{n}"),
        token: None,
    };
    let join = ClientMessage::Join { request_id: 2, room: "lobby".into() };
    for request in [hello, join] {
        socket.send(Message::text(request.to_json())).await.expect("sent");
    }
    while let Some(Ok(frame)) = socket.next().await {
        if let Message::Text(text) = frame
            && let Ok(ServerMessage::Joined { .. }) = serde_json::from_str(text.as_str())
        {
            return socket;
        }
    }
    panic!("connection {n} could not join");
}

/// The server's resident memory, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
