//! The server under load: started by the load generator (so it knows its process and can read
//! its memory and CPU time from `/proc`), with flood limits raised out of the way.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};

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
        Self::start_serving(binary, Path::new("/nonexistent-static-dir"), extra).await
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
        let child = Command::new(binary)
            .args(["--addr", &addr.to_string(), "--database-url", &database])
            .arg("--static-dir")
            .arg(static_dir)
            // The load is the point: flood control would only measure itself.
            .args(["--messages-per-second", "1000000", "--message-burst", "1000000"])
            .args(["--requests-per-second", "1000000", "--request-burst", "1000000"])
            .args(["--max-connections-per-address", "1000000"])
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
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
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))?;
        let line = status.lines().find(|line| line.starts_with("VmRSS:")).context("no VmRSS")?;
        Ok(line.split_whitespace().nth(1).context("no VmRSS value")?.parse()?)
    }

    /// CPU time the server has used so far (user + system), in seconds.
    pub fn cpu_seconds(&self) -> anyhow::Result<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid))?;
        // The command name (field 2) may hold spaces; the fields after it are plain.
        let after_name = stat.rsplit_once(')').context("malformed stat")?.1;
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        // Fields 14 and 15 of the whole line (utime, stime) are 12 and 13 here.
        let ticks: u64 = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
        Ok(ticks as f64 / clock_ticks_per_second())
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

/// The kernel's clock ticks per second for `/proc/<pid>/stat` (USER_HZ): 100 on Linux on every
/// common architecture, which is what `getconf CLK_TCK` prints here.
fn clock_ticks_per_second() -> f64 {
    100.0
}

fn free_local_addr() -> anyhow::Result<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?)
}
