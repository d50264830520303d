//! How PostgreSQL takes its part in an append ([`crate::store::append`]).
//!
//! Every node has its own committer, so several writers meet at the same rooms: taking a
//! room's turn locks its row (`SELECT ... FOR UPDATE`) until the batch commits, so writers on
//! every node take their turn per room and the sequence stays gap-free and in commit order.
//! Only then is a concurrent retry of the same entry (on another node) committed and visible
//! to the look for its client id, which is therefore a second query. The words are a
//! `tsvector` column of the entry's own row.

use common::MessageBody;
use sqlx::{Postgres, Transaction};

use super::PostgresDatabase;
use super::search::{set_words, words_to_index};
use crate::store::append::{Dialect, Turn, original};
use crate::store::error::StoreError;
use crate::store::model::NewMessage;
use crate::store::rows::{to_json, to_sql_seq};

impl Dialect for PostgresDatabase {
    type DB = Postgres;

    async fn take_turn(
        &self,
        transaction: &mut Transaction<'_, Postgres>,
        room: &str,
        client_id: &str,
    ) -> Result<Option<Turn>, StoreError> {
        let last_seq: Option<i64> =
            sqlx::query_scalar("SELECT last_seq FROM rooms WHERE name = $1 FOR UPDATE")
                .bind(room)
                .fetch_optional(&mut **transaction)
                .await?;
        let Some(last_seq) = last_seq else {
            return Ok(None);
        };
        let original = original(transaction, room, client_id).await?;
        Ok(Some(Turn { last_seq, original }))
    }

    /// Nothing: the words are in the row, and set again after the change.
    async fn forget_words(
        &self,
        _transaction: &mut Transaction<'_, Postgres>,
        _room: &str,
        _seq: i64,
    ) -> Result<(), StoreError> {
        Ok(())
    }

    async fn index_changed_text(
        &self,
        transaction: &mut Transaction<'_, Postgres>,
        room: &str,
        seq: i64,
        text: Option<&str>,
    ) -> Result<(), StoreError> {
        set_words(transaction, room, seq, text).await
    }

    async fn insert(
        &self,
        transaction: &mut Transaction<'_, Postgres>,
        message: &NewMessage,
        entry: &common::ChatMessage,
    ) -> Result<(), StoreError> {
        let (deletes, edits, reacts, reply_to) = message.content.kind_columns();
        let body = message.content.body().map_or("", MessageBody::as_str);
        // A data-modifying WITH runs to completion even though nothing reads it: one round trip.
        sqlx::query(
            "WITH bumped AS (UPDATE rooms SET last_seq = $2 WHERE name = $1) \
             INSERT INTO messages \
             (room, seq, id, client_id, author, body, sent_at, deletes, edits, words, search_id, \
              reacts, reply_to, author_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::tsvector, \
                     CASE WHEN $10::text IS NULL THEN NULL ELSE nextval('message_search_ids') END, \
                     $11, $12, $13)",
        )
        .bind(entry.room.as_str())
        .bind(to_sql_seq(entry.seq))
        .bind(&entry.id)
        .bind(entry.client_id.as_str())
        .bind(entry.author.as_str())
        .bind(body)
        .bind(entry.sent_at)
        .bind(deletes.map(to_sql_seq))
        .bind(edits.map(to_sql_seq))
        .bind(words_to_index(&message.content))
        .bind(reacts.map(to_json))
        .bind(reply_to.map(to_sql_seq))
        .bind(entry.author.key())
        .execute(&mut **transaction)
        .await?;
        Ok(())
    }
}
