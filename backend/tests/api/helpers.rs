//! Starting a real server and talking to it like a client would.

use std::net::SocketAddr;
use std::path::Path;

use backend::{Application, Settings};
use clap::Parser;
use common::{ErrorCode, ServerMessage};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// A static directory that does not exist: the API tests need no page.
pub const NO_STATIC_DIR: &str = "/nonexistent-static-dir";

pub use crate::test_database::TestDatabase;

pub use crate::ws_client::{Client, PATIENCE, nicknames};

/// A running server and the means to stop it.
pub struct TestServer {
    pub addr: SocketAddr,
    pub shutdown: CancellationToken,
    pub handle: JoinHandle<std::io::Result<()>>,
    /// The database this server created for itself, if it did (lives as long as the server).
    own_database: Option<TestDatabase>,
}

impl TestServer {
    /// Starts a server on a free port with the given database, serving `static_dir` (which
    /// need not exist).
    pub async fn start_with(database: &TestDatabase, static_dir: &Path) -> Self {
        Self::start_configured(database, static_dir, &[]).await
    }

    /// Starts a server with a database of its own and extra command-line flags.
    pub async fn start_with_flags(flags: &[&str]) -> Self {
        let database = TestDatabase::new();
        let mut server = Self::start_configured(&database, Path::new(NO_STATIC_DIR), flags).await;
        server.own_database = Some(database);
        server
    }

    /// Starts a server with the given database, static directory and extra flags.
    pub async fn start_configured(
        database: &TestDatabase,
        static_dir: &Path,
        flags: &[&str],
    ) -> Self {
        // Server logs go to the test's captured output: shown when a test fails.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("debug,sqlx=warn"))
            .with_test_writer()
            .try_init();
        let static_dir = static_dir.to_string_lossy().into_owned();
        let database_url = database.url();
        let base = [
            "backend",
            "--addr",
            "127.0.0.1:0",
            "--static-dir",
            &static_dir,
            "--database-url",
            &database_url,
            // Most tests send as fast as they can; flood control has its own tests, which
            // give smaller limits after these (the last value of a flag wins).
            "--messages-per-second",
            "100000",
            "--message-burst",
            "100000",
            "--requests-per-second",
            "100000",
            "--request-burst",
            "100000",
        ];
        let settings = Settings::parse_from(base.iter().chain(flags));
        let application = Application::build(&settings).await.expect("server starts");
        let addr = application.local_addr();
        let shutdown = application.shutdown_token();
        let handle = tokio::spawn(application.run());
        Self { addr, shutdown, handle, own_database: None }
    }

    /// Starts a server with a database of its own, serving `static_dir`.
    pub async fn start_serving(static_dir: &Path) -> Self {
        let database = TestDatabase::new();
        let mut server = Self::start_with(&database, static_dir).await;
        server.own_database = Some(database);
        server
    }

    /// Starts a server with a database of its own and no page to serve.
    pub async fn start() -> Self {
        Self::start_serving(Path::new(NO_STATIC_DIR)).await
    }

    /// Shuts the server down gracefully and waits until it has stopped.
    pub async fn stop(self) {
        self.shutdown.cancel();
        let stopped = tokio::time::timeout(PATIENCE, self.handle).await;
        assert!(matches!(stopped, Ok(Ok(Ok(())))), "server did not stop cleanly: {stopped:?}");
        drop(self.own_database);
    }

    /// Opens a WebSocket that has not said hello yet.
    pub async fn connect(&self) -> Client {
        Client::connect(self.addr).await
    }

    /// Opens a WebSocket, says hello as `nickname` and joins the lobby.
    pub async fn join_lobby_as(&self, nickname: &str) -> Client {
        let mut client = self.connect().await;
        match client.hello(nickname).await {
            ServerMessage::Welcome(_) => {}
            other => panic!("hello as {nickname} refused: {other:?}"),
        }
        match client.join("lobby").await {
            ServerMessage::Joined(_) => {}
            other => panic!("join refused: {other:?}"),
        }
        client
    }
}

/// The code of an error answer (fails the test on anything else).
pub fn code(answer: &ServerMessage) -> ErrorCode {
    match answer {
        ServerMessage::Error(common::ErrorReply { code, .. }) => *code,
        other => panic!("expected an error, got {other:?}"),
    }
}

/// The seq of an `ack` (fails the test on anything else).
pub fn acked_seq(answer: &ServerMessage) -> u64 {
    match answer {
        ServerMessage::Ack(ack) => ack.seq,
        other => panic!("expected an ack, got {other:?}"),
    }
}

/// The entries of `room` after `after`, one page of history (fails the test on a refusal).
pub async fn history_entries(
    client: &mut Client,
    room: &str,
    after: u64,
) -> Vec<common::ChatMessage> {
    match client.history_after(room, after, None).await {
        ServerMessage::History(page) => page.messages,
        other => panic!("expected history, got {other:?}"),
    }
}
