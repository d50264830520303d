//! The server's settings: command-line flags, each with an environment-variable fallback.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

/// Everything the server can be told at start-up. The defaults run a chat on one machine.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "backend",
    about = "The chat server: serves the page, the WebSocket at /ws and /healthz"
)]
pub struct Settings {
    /// Address to listen on. Port 0 picks a free port; the chosen address is logged.
    #[arg(long, env = "CHAT_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Directory holding the built page (`trunk build --release` writes it to `dist`).
    #[arg(long, env = "CHAT_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// Where history is kept: `sqlite://PATH` (the file and its directory are created on first
    /// start, with the schema).
    #[arg(long, env = "CHAT_DATABASE_URL", default_value = "sqlite://data/chat.db")]
    pub database_url: String,

    /// Frames a connection may have waiting to be written before it counts as too slow and is
    /// disconnected. Bounds the memory one stalled reader can hold.
    #[arg(long, env = "CHAT_OUTBOX_FRAMES", default_value_t = 256)]
    pub outbox_frames: usize,

    /// How long, in milliseconds, shutdown waits for connections to take their goodbye.
    #[arg(long, env = "CHAT_SHUTDOWN_GRACE_MS", default_value_t = 3_000)]
    pub shutdown_grace_ms: u64,
}

impl Settings {
    /// [`Settings::shutdown_grace_ms`] as a duration.
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_millis(self.shutdown_grace_ms)
    }
}
