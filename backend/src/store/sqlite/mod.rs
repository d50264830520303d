//! The embedded store: one SQLite file, in WAL mode.
//!
//! The delivery's committer owns the only write connection, so SQLite needs no locking of its
//! own to keep each room's sequence gap-free. Reads use a separate small pool; in WAL mode
//! they do not wait for writes. sqlx runs every SQLite connection on its own thread, so no
//! call here blocks the async runtime.

mod append;
mod search;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use tracing::info;

use futures_util::future::BoxFuture;

use self::search::SearchIds;
use super::append::append_batch;
use super::engine::Engine;
use super::error::StoreError;
use super::import_rows::import_rows;
use super::model::{Appended, NewMessage};
use super::rows::MessageRow;

crate::store::guest_ban_statements::impl_guest_ban_book!(SqliteDatabase, writer: directory_writer);
crate::store::invite_statements::impl_invite_book!(SqliteDatabase, writer: directory_writer);
crate::store::room_moderation_statements::impl_room_moderation!(SqliteDatabase, writer: directory_writer);
crate::store::retention_statements::impl_retention!(
    SqliteDatabase,
    writer: directory_writer,
    reader: readers,
    forget_words: crate::store::sqlite::search::forget_words
);
crate::store::author_key_statements::impl_author_keys!(SqliteDatabase, writer: directory_writer, reader: readers);
crate::store::history_statements::impl_history!(SqliteDatabase, reader: readers);
crate::store::directory_statements::impl_directory!(
    SqliteDatabase,
    writer: directory_writer,
    reader: readers
);

/// Connections for reading history.
const READERS: u32 = 4;

#[derive(Debug, Clone)]
pub struct SqliteDatabase {
    readers: SqlitePool,
    /// The delivery committer's write connection: every commit is on disk before it returns.
    writer: SqlitePool,
    /// A second write connection, for the directory (rooms, accounts, sign-in sessions,
    /// members, the audit log), in `synchronous = NORMAL`: its commits skip the fsync, so a
    /// storm of sign-ins (a session row each) does not queue fsyncs in front of the messages'.
    /// A crash loses none of them (WAL); a power cut could lose the latest ones, unless a
    /// message commit came after (it syncs the shared log, theirs included). The two take turns
    /// at SQLite's write lock; neither holds it for long.
    directory_writer: SqlitePool,
    /// The ids of messages in the search index ([`search`]).
    search_ids: Arc<SearchIds>,
}

impl SqliteDatabase {
    /// Opens (creating if needed) the database at `url` (`sqlite://path/to/file.db`) and
    /// applies the migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let base = SqliteConnectOptions::from_str(url)?
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true)
            // Deleted means gone: what a deletion, an edit or retention frees in a page is
            // overwritten with zeros, not left for a copy of the file to find.
            .pragma("secure_delete", "ON");
        let writer_options = base
            .clone()
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk before it returns, so an acknowledged message
            // survives a power cut, not only a crash. Group commit pays for it.
            .synchronous(SqliteSynchronous::Full);
        if let Some(parent) = writer_options.get_filename().parent() {
            create_directory(parent)?;
        }
        let directory_options = writer_options.clone().synchronous(SqliteSynchronous::Normal);
        let writer =
            SqlitePoolOptions::new().max_connections(1).connect_with(writer_options).await?;
        sqlx::migrate!("./migrations/sqlite").run(&writer).await?;
        let directory_writer =
            SqlitePoolOptions::new().max_connections(1).connect_with(directory_options).await?;
        // Readers only read: no journal-mode pragma (a write, refused on a read-only
        // connection; WAL mode is a property of the file, set by the writer above).
        let readers = SqlitePoolOptions::new()
            .max_connections(READERS)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(base.read_only(true))
            .await?;
        let search_ids = Arc::new(SearchIds::load(&writer).await?);
        info!(database = %url, "SQLite store open");
        Ok(Self { readers, writer, directory_writer, search_ids })
    }
}

impl Engine for SqliteDatabase {
    /// Stores a batch in one transaction (see [`Engine::store_batch`]).
    fn store_batch<'a>(
        &'a self,
        batch: &'a [&'a NewMessage],
    ) -> BoxFuture<'a, Result<Vec<Result<Appended, StoreError>>, StoreError>> {
        Box::pin(async move {
            // IMMEDIATE: the append reads before it writes, and a read transaction that
            // another connection (the directory's) writes under cannot become a write one
            // (SQLITE_BUSY at once, no waiting); this takes the write lock first, waiting
            // for it up to the busy timeout.
            let mut transaction = self.writer.begin_with("BEGIN IMMEDIATE").await?;
            let outcomes = append_batch(self, &mut transaction, batch).await?;
            transaction.commit().await?;
            let deleted = outcomes.iter().any(|outcome| {
                matches!(outcome, Ok(Appended::New(stored)) if stored.deletes().is_some())
            });
            if deleted {
                self.empty_the_log().await?;
            }
            Ok(outcomes)
        })
    }

    /// `VACUUM INTO`: one read transaction, so the copy is the database as of one commit
    /// (writers go on meanwhile: WAL), compacted, and a database of its own (no log beside it).
    fn import_entries<'a>(
        &'a self,
        rows: &'a [MessageRow],
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut transaction = self.writer.begin().await?;
            import_rows(&mut transaction, rows).await?;
            transaction.commit().await?;
            Ok(())
        })
    }

    fn backup_to<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            sqlx::query("VACUUM INTO ?1").bind(path).execute(&self.readers).await?;
            Ok(())
        })
    }

    fn forget_erased(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(self.empty_the_log())
    }
}

impl SqliteDatabase {
    /// Copies the log into the database and empties it (a `TRUNCATE` checkpoint), so the
    /// pages as they were before a deletion (the log keeps every version it was given until
    /// then) leave the disk now. It waits (up to the busy timeout) for readers on an older
    /// snapshot; deletions are rare, so their acknowledgement may wait that long. A checkpoint
    /// that could not finish is logged: the next deletion's, or SQLite's own, completes it.
    async fn empty_the_log(&self) -> Result<(), StoreError> {
        let (busy, _, _): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.writer).await?;
        if busy != 0 {
            tracing::warn!("the log still holds erased text: a reader kept the checkpoint waiting");
        }
        Ok(())
    }
}

fn create_directory(path: &Path) -> Result<(), StoreError> {
    if path.as_os_str().is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(path)
        .map_err(|source| StoreError::Directory { path: path.display().to_string(), source })
}
