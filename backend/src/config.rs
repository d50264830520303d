//! The server's settings: command-line flags, each with an environment-variable fallback.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use common::Role;

use crate::accounts::{AccountPolicy, Guests, Registration, SignInRates};
use crate::session::rate_limit::RateSettings;
use crate::telemetry::LogFormat;

/// Everything the server can be told at start-up. The defaults run a chat on one machine.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "backend",
    about = "The chat server: serves the page, the WebSocket at /ws and /healthz",
    // A flag given twice takes the last value, so scripts and tests can override defaults.
    args_override_self = true
)]
pub struct Settings {
    /// Address to listen on. Port 0 picks a free port; the chosen address is logged.
    #[arg(long, env = "CHAT_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Directory holding the built page (`trunk build --release` writes it to `dist`).
    #[arg(long, env = "CHAT_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// Where history is kept: `sqlite://PATH` (the file and its directory are created on first
    /// start, with the schema), or `postgres://USER@HOST/DATABASE` to share it between nodes.
    #[arg(long, env = "CHAT_DATABASE_URL", default_value = "sqlite://data/chat.db")]
    pub database_url: String,

    /// Run as one of several nodes: `redis://HOST:PORT` carries room events between them.
    /// Without it the server is a single node and events stay in the process.
    #[arg(long, env = "CHAT_REDIS_URL")]
    pub redis_url: Option<String>,

    /// What this cluster's keys and channel in Redis start with, so clusters (and tests) can
    /// share one Redis server.
    #[arg(long, env = "CHAT_REDIS_PREFIX", default_value = "chat")]
    pub redis_prefix: String,

    /// With several nodes: how long, in milliseconds, a node may go unheard before the others
    /// take it for dead (its people leave the lists; their nicknames stay reserved for the
    /// nickname grace period, at least this). Each node says it is alive four times per
    /// period.
    #[arg(long, env = "CHAT_NODE_TTL_MS", default_value_t = 10_000)]
    pub node_ttl_ms: u64,

    /// A web origin, besides the page's own, whose pages may open a WebSocket, such as
    /// `http://127.0.0.1:8081` for `trunk serve`. Repeatable; the variable takes a
    /// comma-separated list.
    #[arg(long = "allowed-origin", env = "CHAT_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// Open WebSocket connections one network address may hold; the next is refused (HTTP 429).
    #[arg(long, env = "CHAT_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 64)]
    pub max_connections_per_address: usize,

    /// Chat messages one connection may send per second, on average.
    #[arg(long, env = "CHAT_MESSAGES_PER_SECOND", default_value_t = 5)]
    pub messages_per_second: u32,

    /// Chat messages one connection may send at once before the average applies.
    #[arg(long, env = "CHAT_MESSAGE_BURST", default_value_t = 20)]
    pub message_burst: u32,

    /// Other requests (hello, register, sign_in, create_room, join, leave, history, ping...)
    /// per connection per second.
    #[arg(long, env = "CHAT_REQUESTS_PER_SECOND", default_value_t = 10)]
    pub requests_per_second: u32,

    /// Other requests one connection may send at once before the average applies.
    #[arg(long, env = "CHAT_REQUEST_BURST", default_value_t = 40)]
    pub request_burst: u32,

    /// Bytes of frames a connection may have waiting to be written (each frame counts 64
    /// bytes more than its size) before it counts as too slow and is disconnected. Bounds the
    /// memory one stalled reader can hold.
    #[arg(long, env = "CHAT_OUTBOX_BYTES", default_value_t = 1 << 20)]
    pub outbox_bytes: usize,

    /// How long, in milliseconds, the committer lets new messages gather after a
    /// transaction whose messages made 500 deliveries or more (a big room). A message into a
    /// quiet room is stored and sent at once; in a busy big room the messages of this window
    /// share one transaction and reach each member in one write, at the cost of up to this
    /// much delay. After a transaction of messages that arrived together (a busy node of
    /// small rooms), the writer waits 1 ms, or this if it is less. 0 never waits.
    #[arg(long, env = "CHAT_GATHER_MS", default_value_t = 10)]
    pub gather_ms: u64,

    /// How long, in milliseconds, a big room's broadcasts wait after one was written to its
    /// members (500 or more), so that the next write to each member carries everything that
    /// came meanwhile, while big rooms are busy (`delivery::gathering::BUSY_FROM`). The
    /// senders' acknowledgements do not wait; a quiet big room's message goes at once. 0 never
    /// waits.
    #[arg(long, env = "CHAT_WRITE_GATHER_MS", default_value_t = 30)]
    pub write_gather_ms: u64,

    /// Rooms with more people than this are counted, not listed: their members hear how many
    /// are in (at most every 250 ms) instead of each arrival and departure, and read the list
    /// a page at a time. Listed again when half as many are left.
    #[arg(long, env = "CHAT_LISTED_MEMBERS_MAX", default_value_t = common::LISTED_MEMBERS_MAX)]
    pub listed_members_max: usize,

    /// How long, in milliseconds, a client may take to send its request headers (a WebSocket
    /// upgrade included) before the connection is dropped.
    #[arg(long, env = "CHAT_REQUEST_HEADER_TIMEOUT_MS", default_value_t = 10_000)]
    pub request_header_timeout_ms: u64,

    /// How often, in milliseconds, the server pings each client.
    #[arg(long, env = "CHAT_PING_INTERVAL_MS", default_value_t = 15_000)]
    pub ping_interval_ms: u64,

    /// How long, in milliseconds, a client may send nothing (not even a pong) before its
    /// connection counts as dead and is closed (code 4000).
    #[arg(long, env = "CHAT_IDLE_TIMEOUT_MS", default_value_t = 45_000)]
    pub idle_timeout_ms: u64,

    /// How long, in milliseconds, a nickname stays with a person after their last connection
    /// closes: they get it back by reconnecting with their token; anyone else is refused.
    #[arg(long, env = "CHAT_NICKNAME_GRACE_MS", default_value_t = 60_000)]
    pub nickname_grace_ms: u64,

    /// How long, in milliseconds, shutdown waits for connections to take their goodbye.
    #[arg(long, env = "CHAT_SHUTDOWN_GRACE_MS", default_value_t = 3_000)]
    pub shutdown_grace_ms: u64,

    /// Whether anyone may register an account from the page (`open`), only those with an
    /// invite link an admin made (`invite`), or only `backend user add` creates accounts
    /// (`closed`).
    #[arg(long, env = "CHAT_REGISTRATION", value_enum, default_value_t = Registration::Open)]
    pub registration: Registration,

    /// Whether people may chat with a nickname and no account (`on`), or must sign in (`off`).
    #[arg(long, env = "CHAT_GUESTS", value_enum, default_value_t = Guests::On)]
    pub guests: Guests,

    /// Sign-in and registration attempts one network address may make per minute (at once,
    /// then at this average).
    #[arg(long, env = "CHAT_SIGN_INS_PER_ADDRESS_PER_MINUTE", default_value_t = 30)]
    pub sign_ins_per_address_per_minute: u32,

    /// Sign-in attempts per minute for one account name, from all addresses together.
    #[arg(long, env = "CHAT_SIGN_INS_PER_ACCOUNT_PER_MINUTE", default_value_t = 10)]
    pub sign_ins_per_account_per_minute: u32,

    /// Where to serve `GET /metrics` (Prometheus text format), such as `127.0.0.1:9464`: a
    /// listen address of its own, so it is never public by accident. Off when not given.
    #[arg(long, env = "CHAT_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    /// A token scrapers must present (`Authorization: Bearer TOKEN`) at `/metrics`.
    #[arg(long, env = "CHAT_METRICS_TOKEN")]
    pub metrics_token: Option<String>,

    /// Keep messages this many days: older ones are removed (every ten minutes, in small
    /// batches; see docs/OPERATIONS.md). Kept for ever when not given.
    #[arg(long, env = "CHAT_RETAIN_DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    pub retain_days: Option<u32>,

    /// How to write logs: `text` lines for people, or `json` (one object per line) for log
    /// collectors. `RUST_LOG` sets how much (default `info`).
    #[arg(long, env = "CHAT_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What the binary does instead of serving the chat.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Manage accounts: create the first admin, change roles, list them. Works on the store
    /// of `--database-url` (given before `user`), with or without a server running.
    #[command(subcommand)]
    User(UserCommand),
    /// Copies the SQLite store of `--database-url` (given before `backup`) to PATH while the
    /// chat runs: a consistent copy as of one moment, a database file of its own. To restore,
    /// stop the server and put the copy in the store's place. (PostgreSQL: use `pg_dump`.)
    Backup { path: std::path::PathBuf },
    /// Writes every room of the store of `--database-url` and every entry of its sequence to
    /// standard output as JSON Lines, in the protocol's shapes (not accounts or memberships).
    Export,
    /// Loads a file written by `export` into the store of `--database-url`, which must hold no
    /// message yet: every entry as it was (sequence numbers, ids, times). The file is checked
    /// whole before anything is written.
    Import { path: std::path::PathBuf },
}

#[derive(Debug, Clone, Subcommand)]
pub enum UserCommand {
    /// Creates an account. The password is asked on the terminal (twice), or read from the
    /// first line of standard input when that is not a terminal; never from the command line.
    Add {
        username: String,
        #[arg(long, value_enum, default_value_t = AccountRole::Member)]
        role: AccountRole,
    },
    /// Changes the server-wide role of an account.
    SetRole { username: String, role: AccountRole },
    /// Lists every account: name, role, when it was created.
    List,
}

/// The roles an account can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccountRole {
    Member,
    Moderator,
    Admin,
}

impl From<AccountRole> for Role {
    fn from(role: AccountRole) -> Self {
        match role {
            AccountRole::Member => Self::Member,
            AccountRole::Moderator => Self::Moderator,
            AccountRole::Admin => Self::Admin,
        }
    }
}

impl Settings {
    /// The flood-control buckets of each connection.
    pub fn rates(&self) -> RateSettings {
        RateSettings {
            messages_per_second: self.messages_per_second,
            message_burst: self.message_burst,
            requests_per_second: self.requests_per_second,
            request_burst: self.request_burst,
        }
    }

    /// The rules for accounts.
    pub fn account_policy(&self) -> AccountPolicy {
        AccountPolicy {
            registration: self.registration,
            guests: self.guests,
            sign_in_rates: SignInRates {
                per_address_per_minute: self.sign_ins_per_address_per_minute,
                per_account_per_minute: self.sign_ins_per_account_per_minute,
            },
        }
    }

    /// [`Settings::nickname_grace_ms`] as a duration.
    pub fn nickname_grace(&self) -> Duration {
        Duration::from_millis(self.nickname_grace_ms)
    }

    /// [`Settings::node_ttl_ms`] as a duration (at least 100 ms).
    pub fn node_ttl(&self) -> Duration {
        Duration::from_millis(self.node_ttl_ms.max(100))
    }

    /// [`Settings::gather_ms`] as a duration.
    pub fn gather(&self) -> Duration {
        Duration::from_millis(self.gather_ms)
    }

    /// [`Settings::write_gather_ms`] as a duration.
    pub fn write_gather(&self) -> Duration {
        Duration::from_millis(self.write_gather_ms)
    }

    /// [`Settings::shutdown_grace_ms`] as a duration.
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_millis(self.shutdown_grace_ms)
    }
}
