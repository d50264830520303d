//! The shared store for several nodes: PostgreSQL, with the same schema as SQLite.
//!
//! Every node has its own committer (`crate::delivery`), so here several writers meet at the
//! same rooms. Each append first locks its room's row (`SELECT ... FOR UPDATE`); the lock is
//! held until the batch commits, so writers on every node take their turn per room and the
//! sequence stays gap-free and in commit order. A batch locks its rooms in name order, so two nodes' batches
//! can never wait for each other in a cycle.

mod search;

use std::time::Duration;

use common::MessageBody;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};
use tracing::info;

use futures_util::future::BoxFuture;

use self::search::{forget_words, reindex_edited, words_to_index};
use super::engine::Engine;
use super::error::StoreError;
use super::import_rows::import_rows;
use super::model::{
    Appended, ERASE_EDITS, ERASE_TEXT, FIRST_MESSAGE_SINCE, NewMessage, REPLACE_TEXT,
};
use super::reactions::react;
use super::replies::quote;
use super::rows::{MessageRow, message_columns, repeat_of, stamp, to_json, to_sql_seq};

crate::store::guest_ban_statements::impl_guest_ban_book!(PostgresDatabase, writer: pool);
crate::store::invite_statements::impl_invite_book!(PostgresDatabase, writer: pool);
crate::store::room_moderation_statements::impl_room_moderation!(PostgresDatabase, writer: pool);
crate::store::retention_statements::impl_retention!(PostgresDatabase, writer: pool, reader: pool);
crate::store::directory_statements::impl_directory!(PostgresDatabase, writer: pool, reader: pool);

/// Connections: the committer's, and the rest for reading history.
const CONNECTIONS: u32 = 8;

#[derive(Debug, Clone)]
pub struct PostgresDatabase {
    pool: PgPool,
}

impl PostgresDatabase {
    /// Connects to the database at `url` (`postgres://...`) and applies the migrations
    /// (sqlx holds an advisory lock while migrating, so nodes starting together take turns).
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(CONNECTIONS)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        info!("PostgreSQL store open");
        Ok(Self { pool })
    }
}

impl Engine for PostgresDatabase {
    /// Stores a batch in one transaction (see [`Engine::store_batch`]), locking its
    /// rooms in name order. The outcomes come back in the batch's order.
    fn store_batch<'a>(
        &'a self,
        batch: &'a [&'a NewMessage],
    ) -> BoxFuture<'a, Result<Vec<Result<Appended, StoreError>>, StoreError>> {
        Box::pin(async move {
            // A stable sort keeps each room's messages in the order they were written.
            let mut order: Vec<usize> = (0..batch.len()).collect();
            order.sort_by(|&a, &b| batch[a].room.as_str().cmp(batch[b].room.as_str()));
            let mut transaction = self.pool.begin().await?;
            let mut outcomes: Vec<Option<Result<Appended, StoreError>>> =
                batch.iter().map(|_| None).collect();
            for index in order {
                outcomes[index] = Some(store_one(&mut transaction, batch[index]).await?);
            }
            transaction.commit().await?;
            Ok(outcomes.into_iter().flatten().collect())
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
                " FROM messages WHERE room = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3"
            ))
            .bind(room)
            .bind(below)
            .bind(limit)
            .fetch_all(&self.pool)
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
                " FROM messages WHERE room = $1 AND seq > $2 ORDER BY seq ASC LIMIT $3"
            ))
            .bind(room)
            .bind(above)
            .bind(limit)
            .fetch_all(&self.pool)
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
            .fetch_optional(&self.pool)
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
                .fetch_optional(&self.pool)
                .await?)
        })
    }

    fn last_seq<'a>(&'a self, room: &'a str) -> BoxFuture<'a, Result<Option<i64>, StoreError>> {
        Box::pin(async move {
            Ok(sqlx::query_scalar("SELECT last_seq FROM rooms WHERE name = $1")
                .bind(room)
                .fetch_optional(&self.pool)
                .await?)
        })
    }

    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            sqlx::query("SELECT 1").execute(&self.pool).await?;
            Ok(())
        })
    }

    fn import_entries<'a>(
        &'a self,
        rows: &'a [MessageRow],
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut transaction = self.pool.begin().await?;
            import_rows(&mut transaction, rows).await?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// Nothing to do at once: PostgreSQL keeps a deleted text's old row version until VACUUM
    /// (autovacuum does it) and in its write-ahead log until it is recycled (docs/SECURITY.md).
    fn forget_erased(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async { Ok(()) })
    }

    fn backup_to<'a>(&'a self, _path: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            Err(StoreError::Unsupported(
                "back PostgreSQL up with its own tools: pg_dump --format=custom (see docs/OPERATIONS.md)",
            ))
        })
    }
}

async fn store_one(
    transaction: &mut Transaction<'_, Postgres>,
    message: &NewMessage,
) -> Result<Result<Appended, StoreError>, StoreError> {
    // Take the room's turn first: only then is a concurrent retry of the same message (on
    // another node) committed and visible to the check below.
    let last_seq: Option<i64> =
        sqlx::query_scalar("SELECT last_seq FROM rooms WHERE name = $1 FOR UPDATE")
            .bind(message.room.as_str())
            .fetch_optional(&mut **transaction)
            .await?;
    let Some(last_seq) = last_seq else {
        return Ok(Err(StoreError::UnknownRoom(message.room.to_string())));
    };
    let original: Option<MessageRow> = sqlx::query_as(concat!(
        "SELECT ",
        message_columns!(),
        " FROM messages WHERE room = $1 AND client_id = $2"
    ))
    .bind(message.room.as_str())
    .bind(message.client_id.as_str())
    .fetch_optional(&mut **transaction)
    .await?;
    if let Some(original) = original {
        return Ok(repeat_of(original, message));
    }
    let (deletes, edits, reacts, reply_to) = message.content.kind_columns();
    let quoted = match reply_to {
        Some(target) => match quote(transaction, message.room.as_str(), target).await? {
            Ok(quoted) => Some(quoted),
            Err(refusal) => return Ok(Err(refusal)),
        },
        None => None,
    };
    let seq = last_seq + 1;
    let mut stored = stamp(message, seq)?;
    if let Some(post) = stored.post_mut() {
        post.reply_to = quoted.map(Box::new);
    }
    let room = message.room.as_str();
    if let Some(target) = deletes {
        let erased = sqlx::query(ERASE_TEXT).bind(room).bind(to_sql_seq(target));
        if erased.execute(&mut **transaction).await?.rows_affected() == 0 {
            let room = room.to_owned();
            return Ok(Err(StoreError::UnknownMessage { room, seq: target }));
        }
        let edits = sqlx::query(ERASE_EDITS).bind(room).bind(to_sql_seq(target));
        edits.execute(&mut **transaction).await?;
        forget_words(transaction, room, to_sql_seq(target)).await?;
    }
    if let Some(change) = reacts
        && let Err(refusal) = react(transaction, room, seq, &message.author, change).await?
    {
        return Ok(Err(refusal));
    }
    let body = message.content.body().map_or("", MessageBody::as_str);
    if let Some(target) = edits {
        let replaced = sqlx::query(REPLACE_TEXT)
            .bind(room)
            .bind(to_sql_seq(target))
            .bind(body)
            .bind(seq)
            .bind(stored.sent_at);
        if replaced.execute(&mut **transaction).await?.rows_affected() == 0 {
            let room = room.to_owned();
            return Ok(Err(StoreError::UnknownMessage { room, seq: target }));
        }
        reindex_edited(transaction, room, to_sql_seq(target), body).await?;
    }
    let words = words_to_index(&message.content);
    // A data-modifying WITH runs to completion even though nothing reads it: one round trip.
    sqlx::query(
        "WITH bumped AS (UPDATE rooms SET last_seq = $2 WHERE name = $1) \
         INSERT INTO messages \
         (room, seq, id, client_id, author, body, sent_at, deletes, edits, words, search_id, \
          reacts, reply_to) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::tsvector, \
                 CASE WHEN $10::text IS NULL THEN NULL ELSE nextval('message_search_ids') END, \
                 $11, $12)",
    )
    .bind(stored.room.as_str())
    .bind(seq)
    .bind(&stored.id)
    .bind(stored.client_id.as_str())
    .bind(stored.author.as_str())
    .bind(body)
    .bind(stored.sent_at)
    .bind(deletes.map(to_sql_seq))
    .bind(edits.map(to_sql_seq))
    .bind(words)
    .bind(reacts.map(to_json))
    .bind(reply_to.map(to_sql_seq))
    .execute(&mut **transaction)
    .await?;
    Ok(Ok(Appended::New(stored)))
}
