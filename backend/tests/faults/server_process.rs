//! The real server binary as a child process, so a test can kill it with SIGKILL and start it
//! again on the same port and database.

use std::net::SocketAddr;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

use crate::test_database::TestDatabase;

/// A server process; killed when dropped.
pub struct ServerProcess {
    pub addr: SocketAddr,
    child: Child,
}

impl ServerProcess {
    /// Starts the server on `addr` with `database` and waits until it accepts connections.
    pub async fn start(addr: SocketAddr, database: &TestDatabase) -> Self {
        let database_url = database.url();
        let child = Command::new(env!("CARGO_BIN_EXE_backend"))
            .args(["--addr", &addr.to_string(), "--database-url", &database_url])
            .args(["--static-dir", "/nonexistent-static-dir"])
            // These tests send as fast as they can; flood control is tested elsewhere.
            .args(["--messages-per-second", "100000", "--message-burst", "100000"])
            .args(["--requests-per-second", "100000", "--request-burst", "100000"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("the server binary starts");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(addr).await.is_err() {
            assert!(tokio::time::Instant::now() < deadline, "the server never listened");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Self { addr, child }
    }

    /// Kills the server with SIGKILL: no shutdown, no goodbye, nothing flushed that was not
    /// already committed.
    pub async fn kill(mut self) {
        self.child.kill().await.expect("SIGKILL delivered");
    }
}

/// A port that is free now (the OS picks it), for a server that must come back on it.
pub fn free_local_addr() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    listener.local_addr().expect("has an address")
}
