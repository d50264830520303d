//! Search in SQLite: the FTS5 index `message_words` (migrations 0014 and 0018), whose rowids are the
//! messages' `search_id`s.
//!
//! SQLite has one writer per file, and in this process the store hands out the ids itself
//! ([`SearchIds`]): the next live id is known without asking the database, so indexing a new
//! message costs one insert. At open, ids are set aside for the backlog (messages stored before
//! search existed, or imported) below the first live one, so once indexed, oldest first, they
//! sort before every message sent since.

use std::sync::atomic::{AtomicI64, Ordering};

use common::{Nickname, search_text};
use futures_util::future::BoxFuture;
use sqlx::{Sqlite, SqlitePool, Transaction};

use super::SqliteDatabase;
use crate::store::error::StoreError;
use crate::store::model::{NewContent, NewMessage};
use crate::store::rows::message_columns;
use crate::store::search::{
    BACKLOG_BATCH, READABLE_ROOMS, SearchIndex, SearchRequest, SearchRow, fts5_match,
};

/// Which messages still need their words indexed (the condition of the partial index
/// `messages_to_index`, so the backlog is found without reading every message).
const UNINDEXED: &str = "search_id IS NULL AND body <> '' AND deletes IS NULL AND edits IS NULL";

/// The search ids this process hands out.
#[derive(Debug)]
pub struct SearchIds {
    /// The next id for a message stored now.
    live: AtomicI64,
    /// The next id for the backlog, and the end (exclusive) of the ids set aside for it.
    backlog: AtomicI64,
    backlog_end: i64,
}

impl SearchIds {
    /// Reads where the ids stand and sets aside one for each message of the backlog.
    pub async fn load(pool: &SqlitePool) -> Result<Self, StoreError> {
        let highest_message: Option<i64> =
            sqlx::query_scalar("SELECT max(search_id) FROM messages WHERE search_id IS NOT NULL")
                .fetch_one(pool)
                .await?;
        let highest_indexed: Option<i64> =
            sqlx::query_scalar("SELECT max(rowid) FROM message_words").fetch_one(pool).await?;
        let backlog: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM messages INDEXED BY messages_to_index WHERE {UNINDEXED}"
        ))
        .fetch_one(pool)
        .await?;
        let first = highest_message.max(highest_indexed).unwrap_or(0) + 1;
        Ok(Self {
            live: AtomicI64::new(first + backlog),
            backlog: AtomicI64::new(first),
            backlog_end: first + backlog,
        })
    }

    fn next_live(&self) -> i64 {
        self.live.fetch_add(1, Ordering::Relaxed)
    }
}

/// The search id for `message` if it is one to index (a message with text, not a change).
pub fn search_id_for(ids: &SearchIds, message: &NewMessage) -> Option<i64> {
    let indexed = matches!(message.content, NewContent::Post { .. });
    indexed.then(|| ids.next_live())
}

/// Adds the words of `text` to the index as `search_id`'s, in the store's transaction.
pub async fn index_words(
    transaction: &mut Transaction<'_, Sqlite>,
    search_id: i64,
    text: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO message_words (rowid, words) VALUES (?1, ?2)")
        .bind(search_id)
        .bind(search_text(text))
        .execute(&mut **transaction)
        .await?;
    Ok(())
}

/// Takes the words of `room`'s messages `from..=through` out of the index before their text
/// goes (a deletion, an edit, retention). FTS5's `delete` command is given the words as they
/// were indexed, so with `secure-delete` on (migration 0018) it removes them from the index's
/// pages at once; deleting by rowid from this contentless table would only write a tombstone
/// and leave the words in the pages until a merge, which on a quiet server never comes.
pub async fn forget_words(
    transaction: &mut Transaction<'_, Sqlite>,
    room: &str,
    from: i64,
    through: i64,
) -> Result<(), StoreError> {
    let indexed: Vec<(i64, String)> = sqlx::query_as(
        "SELECT search_id, body FROM messages \
         WHERE room = ?1 AND seq >= ?2 AND seq <= ?3 AND search_id IS NOT NULL AND body <> ''",
    )
    .bind(room)
    .bind(from)
    .bind(through)
    .fetch_all(&mut **transaction)
    .await?;
    for (search_id, body) in indexed {
        sqlx::query(
            "INSERT INTO message_words (message_words, rowid, words) VALUES ('delete', ?1, ?2)",
        )
        .bind(search_id)
        .bind(search_text(&body))
        .execute(&mut **transaction)
        .await?;
    }
    Ok(())
}

/// After an edit replaced the text of `room`'s message `seq` (whose old words
/// [`forget_words`] took out), indexes the new text, if the message is indexed at all (the backlog indexes it
/// otherwise, as it is then).
pub async fn reindex_edited(
    transaction: &mut Transaction<'_, Sqlite>,
    room: &str,
    seq: i64,
    text: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO message_words (rowid, words) \
         SELECT search_id, ?3 FROM messages WHERE room = ?1 AND seq = ?2 AND search_id IS NOT NULL",
    )
    .bind(room)
    .bind(seq)
    .bind(search_text(text))
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

impl SearchIndex for SqliteDatabase {
    fn search<'a>(
        &'a self,
        request: &'a SearchRequest<'a>,
    ) -> BoxFuture<'a, Result<Vec<SearchRow>, StoreError>> {
        Box::pin(async move {
            // The index is walked newest first and the first `limit` rows that pass the
            // filters end it: `messages` is reached by its `search_id` index for each match.
            let sql = format!(
                "SELECT {columns}, m.search_id \
                 FROM message_words JOIN messages AS m ON m.search_id = message_words.rowid \
                 WHERE message_words MATCH $1 AND message_words.rowid < $2 \
                   AND m.room IN ({READABLE_ROOMS}) \
                   AND ($4 IS NULL OR m.room = $4) \
                   AND ($5 IS NULL OR m.author_key = $5) \
                   AND m.sent_at >= $6 AND m.sent_at < $7 \
                 ORDER BY message_words.rowid DESC LIMIT $8",
                columns = message_columns!()
            );
            let rows: Vec<SearchRow> = sqlx::query_as(&sql)
                .bind(fts5_match(request.query))
                .bind(request.before)
                .bind(request.reader)
                .bind(request.room.map(|room| room.as_str()))
                .bind(request.author.map(Nickname::key))
                .bind(request.since)
                .bind(request.until)
                .bind(request.limit)
                .fetch_all(&self.readers)
                .await?;
            Ok(rows)
        })
    }

    fn index_backlog(&self) -> BoxFuture<'_, Result<u64, StoreError>> {
        Box::pin(async move {
            // IMMEDIATE: take the write lock before reading the batch, so no commit between the
            // read and the writes can make the transaction fail.
            let mut transaction = self.directory_writer.begin_with("BEGIN IMMEDIATE").await?;
            let batch: Vec<(String, i64, String)> = sqlx::query_as(&format!(
                "SELECT room, seq, body FROM messages INDEXED BY messages_to_index \
                 WHERE {UNINDEXED} ORDER BY sent_at LIMIT ?1"
            ))
            .bind(BACKLOG_BATCH)
            .fetch_all(&mut *transaction)
            .await?;
            let mut indexed = 0;
            for (room, seq, body) in batch {
                let search_id = self.search_ids.backlog.fetch_add(1, Ordering::Relaxed);
                // More than was set aside (imported while running): a live id, so it still
                // gets one no other message has; it sorts as if sent now.
                let search_id = if search_id < self.search_ids.backlog_end {
                    search_id
                } else {
                    self.search_ids.next_live()
                };
                sqlx::query("UPDATE messages SET search_id = ?3 WHERE room = ?1 AND seq = ?2")
                    .bind(&room)
                    .bind(seq)
                    .bind(search_id)
                    .execute(&mut *transaction)
                    .await?;
                index_words(&mut transaction, search_id, &body).await?;
                indexed += 1;
            }
            transaction.commit().await?;
            Ok(indexed)
        })
    }

    fn backlog_indexed(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            // Statistics for the indexes that changed (FTS5 keeps its own).
            sqlx::query("PRAGMA optimize").execute(&self.directory_writer).await?;
            Ok(())
        })
    }
}
