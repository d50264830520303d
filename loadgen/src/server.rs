//! The server under load: started by the load generator (so it knows its process and can read
//! its memory and CPU time from `/proc`), with flood limits raised out of the way.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail};
use testkit::process_stats;
use testkit::server_process::{FloodLimits, NO_PAGE, server_command};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::Child;

/// A running server process; killed when dropped (unless attached to, see
/// [`Server::attach`]).
#[derive(Debug)]
pub struct Server {
    pub addr: SocketAddr,
    pub pid: u32,
    /// The process and its scratch directory, when the load generator started it.
    started: Option<(Child, PathBuf)>,
}

impl Server {
    /// Starts `binary` on a free port with a fresh SQLite database and `extra` flags, and waits
    /// until it answers `/healthz`.
    pub async fn start(binary: &Path, extra: &[String]) -> anyhow::Result<Self> {
        Self::start_serving(binary, Path::new(NO_PAGE), extra).await
    }

    /// Like [`Server::start`], serving the page's files from `static_dir`.
    pub async fn start_serving(
        binary: &Path,
        static_dir: &Path,
        extra: &[String],
    ) -> anyhow::Result<Self> {
        let addr = free_local_addr()?;
        let data_dir = std::env::temp_dir().join(format!(
            "chat-loadgen-{}-{}",
            std::process::id(),
            addr.port()
        ));
        std::fs::create_dir_all(&data_dir)?;
        let database = format!("sqlite://{}", data_dir.join("chat.db").display());
        let limits = FloodLimits::OutOfTheWay;
        let mut command = server_command(binary, addr, &database, static_dir, limits);
        let child = command
            // The load is the point: one address opens every connection.
            .args(["--max-connections-per-address", "1000000"])
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| {
                format!(
                    "starting {} (build it with `cargo build --release -p backend`)",
                    binary.display()
                )
            })?;
        let pid = child.id().context("the server exited at once")?;
        let server = Self { addr, pid, started: Some((child, data_dir)) };
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while !server.healthy().await {
            if tokio::time::Instant::now() > deadline {
                bail!("the server at {addr} did not become healthy");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(server)
    }

    /// A server someone else started (under a profiler, say), listening on `addr` as process
    /// `pid`. It must allow this load: raised flood limits and connections per address.
    pub async fn attach(addr: SocketAddr, pid: u32) -> anyhow::Result<Self> {
        let server = Self { addr, pid, started: None };
        if !server.healthy().await {
            bail!("no healthy server at {addr}");
        }
        Ok(server)
    }

    async fn healthy(&self) -> bool {
        let Ok(mut stream) = tokio::net::TcpStream::connect(self.addr).await else { return false };
        let request =
            format!("GET /healthz HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr);
        if stream.write_all(request.as_bytes()).await.is_err() {
            return false;
        }
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response).await;
        response.starts_with("HTTP/1.1 200")
    }

    /// The server's resident memory, in KiB.
    pub fn rss_kib(&self) -> anyhow::Result<u64> {
        process_stats::rss_kib(self.pid).context("the server's /proc/<pid>/status")
    }

    /// CPU time the server has used so far (user + system), in seconds.
    pub fn cpu_seconds(&self) -> anyhow::Result<f64> {
        process_stats::cpu_seconds(self.pid).context("the server's /proc/<pid>/stat")
    }

    /// Stops the server if the load generator started it.
    pub async fn stop(self) {
        if let Some((mut child, data_dir)) = self.started {
            let _ = child.kill().await;
            let _ = std::fs::remove_dir_all(&data_dir);
        }
    }
}

/// Memory the kernel holds for TCP sockets (all of them, machine-wide), in KiB.
pub fn tcp_socket_memory_kib() -> anyhow::Result<u64> {
    let sockstat = std::fs::read_to_string("/proc/net/sockstat")?;
    let tcp = sockstat.lines().find(|line| line.starts_with("TCP:")).context("no TCP line")?;
    let mut words = tcp.split_whitespace();
    while let Some(word) = words.next() {
        if word == "mem" {
            let pages: u64 = words.next().context("no mem value")?.parse()?;
            return Ok(pages * 4);
        }
    }
    bail!("no TCP mem in /proc/net/sockstat")
}

fn free_local_addr() -> anyhow::Result<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?)
}
