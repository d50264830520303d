//! A database of its own for each test, shared by the test binaries.
//!
//! SQLite by default. With `CHAT_TEST_DATABASE=postgres` (or [`TestDatabase::postgres`]) each
//! test gets a fresh PostgreSQL database instead, created on the server at
//! `CHAT_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) and dropped
//! afterwards, so the same tests prove both engines and can run in parallel.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::Connection;

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database of its own for one test, removed when dropped.
#[derive(Debug)]
pub enum TestDatabase {
    /// A SQLite file (deleted with its WAL files).
    Sqlite { path: PathBuf },
    /// A PostgreSQL database on the shared server (dropped).
    Postgres { name: String },
}

impl TestDatabase {
    /// The engine `CHAT_TEST_DATABASE` names (`sqlite`, the default, or `postgres`).
    #[allow(clippy::new_without_default, reason = "each call makes a database: not a default")]
    pub fn new() -> Self {
        match std::env::var("CHAT_TEST_DATABASE").as_deref() {
            Ok("postgres") => Self::postgres(),
            _ => Self::sqlite(),
        }
    }

    pub fn sqlite() -> Self {
        let path = std::env::temp_dir().join("chat-tests").join(format!(
            "{}-{}.db",
            std::process::id(),
            next_number()
        ));
        let database = Self::Sqlite { path };
        database.remove(); // a leftover of an earlier run with the same pid
        database
    }

    pub fn postgres() -> Self {
        let name = format!(
            "chat_test_{}_{}_{}",
            std::process::id(),
            next_number(),
            uuid::Uuid::new_v4().simple()
        );
        run_on_admin_connection(format!("CREATE DATABASE {name}"));
        Self::Postgres { name }
    }

    pub fn url(&self) -> String {
        match self {
            Self::Sqlite { path } => format!("sqlite://{}", path.display()),
            Self::Postgres { name } => {
                let admin = admin_url();
                let server = admin.rsplit_once('/').map_or(admin.as_str(), |(server, _)| server);
                format!("{server}/{name}")
            }
        }
    }

    /// Whether any byte of this SQLite database's files (the database, its log and its shared
    /// memory) spells `word`: how the tests prove deleted text left the disk. `false` for
    /// PostgreSQL, whose files are not this process's to read.
    pub fn files_hold(&self, word: &str) -> bool {
        let Self::Sqlite { path } = self else { return false };
        ["", "-wal", "-shm"].iter().any(|suffix| {
            let bytes = std::fs::read(format!("{}{suffix}", path.display())).unwrap_or_default();
            bytes.windows(word.len()).any(|window| window == word.as_bytes())
        })
    }

    /// Runs `statement` on this database, as the server is stopped: how a test makes a store
    /// look as an older version left it.
    pub fn execute(&self, statement: &str) {
        let (url, statement, sqlite) = (self.url(), statement.to_owned(), self.is_sqlite());
        run_on_own_thread(&url.clone(), async move || {
            if sqlite {
                let mut connection = sqlx::SqliteConnection::connect(&url).await?;
                sqlx::raw_sql(&statement).execute(&mut connection).await?;
                connection.close().await?;
            } else {
                let mut connection = sqlx::PgConnection::connect(&url).await?;
                sqlx::raw_sql(&statement).execute(&mut connection).await?;
                connection.close().await?;
            }
            Ok(())
        });
    }

    fn is_sqlite(&self) -> bool {
        matches!(self, Self::Sqlite { .. })
    }

    fn remove(&self) {
        match self {
            Self::Sqlite { path } => {
                for suffix in ["", "-wal", "-shm"] {
                    // Absent files are fine: that is the goal.
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Self::Postgres { name } => {
                run_on_admin_connection(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        self.remove();
    }
}

fn next_number() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn admin_url() -> String {
    std::env::var("CHAT_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Runs one statement as the administrator.
fn run_on_admin_connection(statement: String) {
    run_on_own_thread(&admin_url(), async move || {
        let mut connection = sqlx::PgConnection::connect(&admin_url()).await?;
        sqlx::raw_sql(&statement).execute(&mut connection).await?;
        connection.close().await?;
        Ok(())
    });
}

/// Runs `work` on a thread of its own with its own runtime, so it works from `Drop` and from
/// inside a test's runtime alike; panics (naming `url`) if it fails.
fn run_on_own_thread<Work>(url: &str, work: impl FnOnce() -> Work + Send + 'static)
where
    Work: std::future::Future<Output = Result<(), Failure>>,
{
    let outcome = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(work())
    })
    .join();
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(error)) => panic!("the database at {url} refused a test statement: {error}"),
        Err(_) => panic!("the test database thread panicked"),
    }
}
