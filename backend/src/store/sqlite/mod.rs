//! The embedded store: one SQLite file, in WAL mode.
//!
//! The delivery's committer owns the only write connection, so SQLite needs no locking of its
//! own to keep each room's sequence gap-free. Reads use a separate small pool; in WAL mode
//! they do not wait for writes. sqlx runs every SQLite connection on its own thread, so no
//! call here blocks the async runtime.

mod search;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use common::MessageBody;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};
use tracing::info;

use futures_util::future::BoxFuture;

use self::search::{SearchIds, forget_words, index_words, reindex_edited, search_id_for};
use super::engine::Engine;
use super::error::StoreError;
use super::import_rows::import_rows;
use super::model::{
    Appended, EDITABLE, ERASE_EDITS, ERASE_TEXT, FIRST_MESSAGE_SINCE, NewContent, NewMessage,
    REPLACE_TEXT,
};
use super::reactions::react;
use super::replies::quote;
use super::rows::{
    MessageRow, message_columns, new_message_id, repeat_of, stamp_as, to_json, to_sql_seq,
    unix_millis_now,
};

crate::store::guest_ban_statements::impl_guest_ban_book!(SqliteDatabase, writer: directory_writer);
crate::store::invite_statements::impl_invite_book!(SqliteDatabase, writer: directory_writer);
crate::store::room_moderation_statements::impl_room_moderation!(SqliteDatabase, writer: directory_writer);
crate::store::retention_statements::impl_retention!(
    SqliteDatabase,
    writer: directory_writer,
    reader: readers,
    forget_words: crate::store::sqlite::search::forget_words
);
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
            let mut transaction = self.writer.begin().await?;
            let mut outcomes = Vec::with_capacity(batch.len());
            for message in batch {
                outcomes.push(store_one(&mut transaction, &self.search_ids, message).await?);
            }
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

    fn latest_before<'a>(
        &'a self,
        room: &'a str,
        below: i64,
        limit: i64,
    ) -> BoxFuture<'a, Result<Vec<MessageRow>, StoreError>> {
        Box::pin(async move {
            Ok(sqlx::query_as(concat!(
                "SELECT ",
                message_columns!(),
                " FROM messages WHERE room = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3"
            ))
            .bind(room)
            .bind(below)
            .bind(limit)
            .fetch_all(&self.readers)
            .await?)
        })
    }

    fn earliest_after<'a>(
        &'a self,
        room: &'a str,
        above: i64,
        limit: i64,
    ) -> BoxFuture<'a, Result<Vec<MessageRow>, StoreError>> {
        Box::pin(async move {
            Ok(sqlx::query_as(concat!(
                "SELECT ",
                message_columns!(),
                " FROM messages WHERE room = ?1 AND seq > ?2 ORDER BY seq ASC LIMIT ?3"
            ))
            .bind(room)
            .bind(above)
            .bind(limit)
            .fetch_all(&self.readers)
            .await?)
        })
    }

    fn message_at<'a>(
        &'a self,
        room: &'a str,
        seq: i64,
    ) -> BoxFuture<'a, Result<Option<MessageRow>, StoreError>> {
        Box::pin(async move {
            Ok(sqlx::query_as(concat!(
                "SELECT ",
                message_columns!(),
                " FROM messages WHERE room = $1 AND seq = $2"
            ))
            .bind(room)
            .bind(seq)
            .fetch_optional(&self.readers)
            .await?)
        })
    }

    fn first_message_since<'a>(
        &'a self,
        room: &'a str,
        at: i64,
    ) -> BoxFuture<'a, Result<Option<i64>, StoreError>> {
        Box::pin(async move {
            Ok(sqlx::query_scalar(FIRST_MESSAGE_SINCE)
                .bind(room)
                .bind(at)
                .fetch_optional(&self.readers)
                .await?)
        })
    }

    fn last_seq<'a>(&'a self, room: &'a str) -> BoxFuture<'a, Result<Option<i64>, StoreError>> {
        Box::pin(async move {
            Ok(sqlx::query_scalar("SELECT last_seq FROM rooms WHERE name = ?1")
                .bind(room)
                .fetch_optional(&self.readers)
                .await?)
        })
    }

    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            sqlx::query("SELECT 1").execute(&self.readers).await?;
            Ok(())
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

/// Stores one message in the writer's transaction. The usual case is one statement, so one
/// round trip to SQLite's thread (it was three, and each costs two thread switches): the
/// insert numbers the message from the room's `last_seq`, and a trigger (migration 0002)
/// bumps `last_seq` to it. No row back means a repeat of a stored message (same room and
/// client id) or no such room; a second query tells which.
async fn store_one(
    transaction: &mut Transaction<'_, Sqlite>,
    search_ids: &SearchIds,
    message: &NewMessage,
) -> Result<Result<Appended, StoreError>, StoreError> {
    let is_change = !matches!(message.content, NewContent::Post { .. });
    if is_change && let Err(refusal) = prepare_change(transaction, message).await? {
        return Ok(refusal);
    }
    let (deletes, edits, reacts, reply_to) = message.content.kind_columns();
    let body = message.content.body();
    let quoted = match reply_to {
        Some(target) => match quote(transaction, message.room.as_str(), target).await? {
            Ok(quoted) => Some(quoted),
            // A retry of a reply stored before its original was deleted is still a repeat.
            Err(refusal) => return repeat_or(transaction, message, refusal).await,
        },
        None => None,
    };
    let (id, sent_at) = (new_message_id(), unix_millis_now());
    // An id a repeat or an unknown room does not use is skipped: ids need not be gap-free.
    let search_id = search_id_for(search_ids, message);
    let seq: Option<i64> = sqlx::query_scalar(
        "INSERT INTO messages \
         (room, seq, id, client_id, author, body, sent_at, deletes, edits, search_id, reacts, \
          reply_to) \
         SELECT name, last_seq + 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 FROM rooms \
         WHERE name = ?1 \
         ON CONFLICT (room, client_id) DO NOTHING \
         RETURNING seq",
    )
    .bind(message.room.as_str())
    .bind(&id)
    .bind(message.client_id.as_str())
    .bind(message.author.as_str())
    .bind(body.map_or("", MessageBody::as_str))
    .bind(sent_at)
    .bind(deletes.map(to_sql_seq))
    .bind(edits.map(to_sql_seq))
    .bind(search_id)
    .bind(reacts.map(to_json))
    .bind(reply_to.map(to_sql_seq))
    .fetch_optional(&mut **transaction)
    .await?;
    if let Some(seq) = seq {
        if let (Some(search_id), Some(body)) = (search_id, body) {
            index_words(transaction, search_id, body.as_str()).await?;
        }
        if let NewContent::Edit { edits: target, body } = &message.content {
            let (room, target_seq) = (message.room.as_str(), to_sql_seq(*target));
            forget_words(transaction, room, target_seq, target_seq).await?;
            // Checked editable just before, in this transaction: one row changes.
            sqlx::query(REPLACE_TEXT)
                .bind(message.room.as_str())
                .bind(to_sql_seq(*target))
                .bind(body.as_str())
                .bind(seq)
                .bind(sent_at)
                .execute(&mut **transaction)
                .await?;
            let (room, target) = (message.room.as_str(), to_sql_seq(*target));
            reindex_edited(transaction, room, target, body.as_str()).await?;
        }
        let mut stored = stamp_as(message, seq, id, sent_at)?;
        if let Some(post) = stored.post_mut() {
            post.reply_to = quoted.map(Box::new);
        }
        return Ok(Ok(Appended::New(stored)));
    }
    let no_room = StoreError::UnknownRoom(message.room.to_string());
    repeat_or(transaction, message, no_room).await
}

/// The answer to an append that was not stored: the original, if the room holds one with the
/// message's client id (a retry), or else `refusal`.
async fn repeat_or(
    transaction: &mut Transaction<'_, Sqlite>,
    message: &NewMessage,
    refusal: StoreError,
) -> Result<Result<Appended, StoreError>, StoreError> {
    let original: Option<MessageRow> = sqlx::query_as(concat!(
        "SELECT ",
        message_columns!(),
        " FROM messages WHERE room = ?1 AND client_id = ?2"
    ))
    .bind(message.room.as_str())
    .bind(message.client_id.as_str())
    .fetch_optional(&mut **transaction)
    .await?;
    match original {
        Some(original) => Ok(repeat_of(original, message)),
        None => Ok(Err(refusal)),
    }
}

/// Before a change (a deletion, an edit or a reaction) is stored: a retry of a stored change is
/// answered as such; otherwise its target must be a message that still has its text, a
/// deletion erases that text (and its edits') now, and a reaction changes its reactions. An
/// error (for the append) if there is no such text.
async fn prepare_change(
    transaction: &mut Transaction<'_, Sqlite>,
    message: &NewMessage,
) -> Result<Result<(), Result<Appended, StoreError>>, StoreError> {
    let original: Option<MessageRow> = sqlx::query_as(concat!(
        "SELECT ",
        message_columns!(),
        " FROM messages WHERE room = ?1 AND client_id = ?2"
    ))
    .bind(message.room.as_str())
    .bind(message.client_id.as_str())
    .fetch_optional(&mut **transaction)
    .await?;
    if let Some(original) = original {
        return Ok(Err(repeat_of(original, message)));
    }
    let room = message.room.as_str();
    if let NewContent::Reaction(change) = &message.content {
        // The insert that follows numbers the entry from the room's `last_seq`, and this
        // transaction is the only writer: the entry's seq is known now.
        let last_seq: Option<i64> =
            sqlx::query_scalar("SELECT last_seq FROM rooms WHERE name = ?1")
                .bind(room)
                .fetch_optional(&mut **transaction)
                .await?;
        let Some(last_seq) = last_seq else {
            return Ok(Ok(())); // No such room: the insert finds none and says so.
        };
        return Ok(react(transaction, room, last_seq + 1, &message.author, change)
            .await?
            .map_err(Err));
    }
    let (target, found) = match message.content {
        NewContent::Deletion { deletes: target } => {
            forget_words(transaction, room, to_sql_seq(target), to_sql_seq(target)).await?;
            let erased = sqlx::query(ERASE_TEXT)
                .bind(room)
                .bind(to_sql_seq(target))
                .execute(&mut **transaction);
            let found = erased.await?.rows_affected() > 0;
            if found {
                let edits = sqlx::query(ERASE_EDITS).bind(room).bind(to_sql_seq(target));
                edits.execute(&mut **transaction).await?;
            }
            (target, found)
        }
        NewContent::Edit { edits: target, .. } => {
            let editable: i64 = sqlx::query_scalar(EDITABLE)
                .bind(room)
                .bind(to_sql_seq(target))
                .fetch_one(&mut **transaction)
                .await?;
            (target, editable > 0)
        }
        NewContent::Post { .. } | NewContent::Reaction(_) => return Ok(Ok(())),
    };
    if !found {
        let room = room.to_owned();
        return Ok(Err(Err(StoreError::UnknownMessage { room, seq: target })));
    }
    Ok(Ok(()))
}

fn create_directory(path: &Path) -> Result<(), StoreError> {
    if path.as_os_str().is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(path)
        .map_err(|source| StoreError::Directory { path: path.display().to_string(), source })
}
