//! The real server binary as a child process, so a test can kill it with SIGKILL and start it
//! again on the same port and database. [`server_command`] is the one command line every
//! tool starts a server with (tests, benchmarks, the load generator).

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::time::Instant;

use crate::test_database::TestDatabase;

/// A server process; killed when dropped.
#[derive(Debug)]
pub struct ServerProcess {
    pub addr: SocketAddr,
    child: Child,
}

impl ServerProcess {
    /// Starts the server on `addr` with `database` and waits until it accepts connections.
    pub async fn start(addr: SocketAddr, database: &TestDatabase) -> Self {
        Self::start_with(addr, database, &[]).await
    }

    /// Like [`ServerProcess::start`], with extra command-line flags (the last of a repeated
    /// flag wins).
    pub async fn start_with(addr: SocketAddr, database: &TestDatabase, flags: &[&str]) -> Self {
        let logs = if showing_logs() { Stdio::inherit() } else { Stdio::null() };
        Self::spawn(addr, database, flags, logs, "warn").await
    }

    /// Like [`ServerProcess::start_with`], keeping every line the server logs at `level` (a
    /// `RUST_LOG` filter: `warn` for its warnings and errors) with when it arrived.
    pub async fn start_logged(
        addr: SocketAddr,
        database: &TestDatabase,
        flags: &[&str],
        level: &str,
    ) -> (Self, ServerLog) {
        let mut server = Self::spawn(addr, database, flags, Stdio::piped(), level).await;
        let logs = server.child.stdout.take().expect("the logs are piped");
        let log = ServerLog::default();
        let lines = log.lines.clone();
        let echo = showing_logs();
        tokio::spawn(async move {
            let mut reader = BufReader::new(logs).lines();
            while let Ok(Some(line)) = reader.next_line().await {
                if echo {
                    eprintln!("{line}");
                }
                lines.lock().expect("not poisoned").push((Instant::now(), line));
            }
        });
        (server, log)
    }

    /// Starts the server with its logs (which it writes to stdout) going to `logs`.
    async fn spawn(
        addr: SocketAddr,
        database: &TestDatabase,
        flags: &[&str],
        logs: Stdio,
        level: &str,
    ) -> Self {
        let binary = crate::backend_binary();
        let limits = FloodLimits::OutOfTheWay;
        let child = server_command(&binary, addr, &database.url(), Path::new(NO_PAGE), limits)
            .args(flags)
            .env("RUST_LOG", level)
            .stdout(logs)
            .stderr(if showing_logs() { Stdio::inherit() } else { Stdio::null() })
            .spawn()
            .expect("the server binary starts");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(addr).await.is_err() {
            assert!(tokio::time::Instant::now() < deadline, "the server never listened");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Self { addr, child }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or_default()
    }

    /// Kills the server with SIGKILL: no shutdown, no goodbye, nothing flushed that was not
    /// already committed.
    pub async fn kill(mut self) {
        self.child.kill().await.expect("SIGKILL delivered");
    }

    /// Kills the server and waits (blocking the thread, up to 5 s) until it is gone: for
    /// `Drop`, when nothing it might still do should survive it.
    pub fn kill_and_wait_blocking(mut self) {
        let _ = self.child.start_kill(); // fails only if it already exited
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while matches!(self.child.try_wait(), Ok(None)) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// A static folder that does not exist: the server serves no page, only the protocol.
pub const NO_PAGE: &str = "/nonexistent-static-dir";

/// The flood limits a started server keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloodLimits {
    /// Its defaults, as people meet them.
    Default,
    /// Out of the way: the tests and the load send as fast as they can (flood control is
    /// measured on its own, and flags given after these override them: the last wins).
    OutOfTheWay,
}

/// The command that starts `binary` on `addr` with the store at `database_url` and the page's
/// files from `static_dir`, with `limits`; killed if dropped. Add flags, then spawn.
pub fn server_command(
    binary: &Path,
    addr: SocketAddr,
    database_url: &str,
    static_dir: &Path,
    limits: FloodLimits,
) -> Command {
    let mut command = Command::new(binary);
    command
        .args(["--addr", &addr.to_string(), "--database-url", database_url])
        .arg("--static-dir")
        .arg(static_dir)
        .env("NO_COLOR", "1")
        .kill_on_drop(true);
    if limits == FloodLimits::OutOfTheWay {
        command.args(["--messages-per-second", "1000000", "--message-burst", "1000000"]).args([
            "--requests-per-second",
            "1000000",
            "--request-burst",
            "1000000",
        ]);
    }
    command
}

/// CHAT_TEST_SERVER_LOGS=1 shows the servers' warnings while debugging a test.
fn showing_logs() -> bool {
    std::env::var_os("CHAT_TEST_SERVER_LOGS").is_some()
}

/// What a server logged, line by line.
#[derive(Debug, Clone, Default)]
pub struct ServerLog {
    lines: Arc<Mutex<Vec<(Instant, String)>>>,
}

impl ServerLog {
    /// Every line logged so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().expect("not poisoned").iter().map(|(_, line)| line.clone()).collect()
    }

    /// The lines logged between `from` and `to`.
    pub fn between(&self, from: Instant, to: Instant) -> Vec<String> {
        let lines = self.lines.lock().expect("not poisoned");
        lines
            .iter()
            .filter(|(at, _)| (from..to).contains(at))
            .map(|(_, line)| line.clone())
            .collect()
    }
}

/// A port that is free now (the OS picks it), for a server that must come back on it.
pub fn free_local_addr() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    listener.local_addr().expect("has an address")
}

/// Creates `room` through the protocol.
pub async fn create_room(server: std::net::SocketAddr, room: &str) {
    use common::{ClientMessage, PROTOCOL_VERSION, ServerMessage};
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("ws://{server}/ws")).await.expect("connects");
    let requests = [
        ClientMessage::Hello {
            request_id: 1,
            protocol: PROTOCOL_VERSION,
            nickname: "room-maker".into(),
            token: None,
            session: None,
        },
        ClientMessage::CreateRoom { request_id: 2, room: room.into(), private: false },
    ];
    for request in requests {
        socket.send(Message::text(request.to_json())).await.expect("sent");
    }
    while let Some(Ok(frame)) = socket.next().await {
        if let Message::Text(text) = frame
            && let Ok(ServerMessage::Created(_)) = serde_json::from_str(text.as_str())
        {
            return;
        }
    }
    panic!("the room was not created");
}
