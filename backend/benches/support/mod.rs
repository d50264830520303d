//! What the benchmarks that drive the real server share: the release server binary as a child
//! process, members that joined the lobby, and the server's resident memory.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use common::{ClientMessage, PROTOCOL_VERSION, ServerMessage};
use futures_util::{SinkExt, StreamExt};
use testkit::process_stats;
use testkit::server_process::{FloodLimits, NO_PAGE, server_command};
use tokio::net::TcpStream;
use tokio::process::Child;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The server binary on a free port with a scratch database; killed (and its database removed)
/// by [`BenchServer::stop`].
pub struct BenchServer {
    pub addr: SocketAddr,
    pub pid: u32,
    child: Child,
    database: PathBuf,
}

impl BenchServer {
    /// Starts the server with its default limits and `flags`, and waits until it listens.
    pub async fn start(name: &str, flags: &[&str]) -> Result<Self, Box<dyn std::error::Error>> {
        let database = std::env::temp_dir().join(format!("chat-{name}-{}.db", std::process::id()));
        let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
        let database_url = format!("sqlite://{}", database.display());
        let binary = Path::new(env!("CARGO_BIN_EXE_backend"));
        let limits = FloodLimits::Default;
        let child = server_command(binary, addr, &database_url, Path::new(NO_PAGE), limits)
            .args(flags)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let pid = child.id().ok_or("the server exited")?;
        while TcpStream::connect(addr).await.is_err() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(Self { addr, pid, child, database })
    }

    /// The server's resident memory, in KiB (0 if it is gone).
    pub fn rss_kib(&self) -> u64 {
        process_stats::rss_kib(self.pid).unwrap_or(0)
    }

    pub async fn stop(mut self) -> std::io::Result<()> {
        self.child.kill().await?;
        for suffix in ["", "-wal", "-shm"] {
            // Absent files are fine: that is the goal.
            let _ = std::fs::remove_file(format!("{}{suffix}", self.database.display()));
        }
        Ok(())
    }
}

/// A connection that said hello as `nickname` and joined the lobby.
pub async fn member(addr: SocketAddr, nickname: &str) -> Socket {
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("ws://{addr}/ws")).await.expect("connects");
    let hello = ClientMessage::Hello {
        request_id: 1,
        protocol: PROTOCOL_VERSION,
        nickname: nickname.into(),
        token: None,
        session: None,
    };
    let join = ClientMessage::Join { request_id: 2, room: "lobby".into() };
    for request in [hello, join] {
        socket.send(Message::text(request.to_json())).await.expect("sent");
    }
    while let Some(Ok(frame)) = socket.next().await {
        if let Message::Text(text) = frame
            && let Ok(ServerMessage::Joined(_)) = serde_json::from_str(text.as_str())
        {
            return socket;
        }
    }
    panic!("{nickname} could not join");
}
