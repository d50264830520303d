//! How SQLite takes its part in an append ([`crate::store::append`]).
//!
//! This process's committer is the file's only writer of messages, so taking a room's turn
//! needs no lock: one query reads the room's latest seq and whether the client id is taken
//! (each query is a round trip to SQLite's thread, and two thread switches). A trigger
//! (migration 0002) moves `last_seq` as an entry is inserted, and the words go into the FTS5
//! index in the same round trip, so a post costs two. FTS5 must be given a text's words to
//! take them out again: they are forgotten before the text changes.

use common::{MessageBody, search_text};
use sqlx::{Sqlite, Transaction};

use super::SqliteDatabase;
use super::search::{forget_words, reindex_edited, search_id_for};
use crate::store::append::{Dialect, Turn, original};
use crate::store::error::StoreError;
use crate::store::model::NewMessage;
use crate::store::rows::{to_json, to_sql_seq};

impl Dialect for SqliteDatabase {
    type DB = Sqlite;

    async fn take_turn(
        &self,
        transaction: &mut Transaction<'_, Sqlite>,
        room: &str,
        client_id: &str,
    ) -> Result<Option<Turn>, StoreError> {
        let turn: Option<(i64, bool)> = sqlx::query_as(
            "SELECT last_seq, EXISTS (SELECT 1 FROM messages WHERE room = ?1 AND client_id = ?2) \
             FROM rooms WHERE name = ?1",
        )
        .bind(room)
        .bind(client_id)
        .fetch_optional(&mut **transaction)
        .await?;
        let Some((last_seq, taken)) = turn else {
            return Ok(None);
        };
        let original = match taken {
            true => original(transaction, room, client_id).await?,
            false => None,
        };
        Ok(Some(Turn { last_seq, original }))
    }

    async fn forget_words(
        &self,
        transaction: &mut Transaction<'_, Sqlite>,
        room: &str,
        seq: i64,
    ) -> Result<(), StoreError> {
        forget_words(transaction, room, seq, seq).await
    }

    async fn index_changed_text(
        &self,
        transaction: &mut Transaction<'_, Sqlite>,
        room: &str,
        seq: i64,
        text: Option<&str>,
    ) -> Result<(), StoreError> {
        match text {
            Some(text) => reindex_edited(transaction, room, seq, text).await,
            None => Ok(()), // Taken out by `forget_words` already.
        }
    }

    async fn insert(
        &self,
        transaction: &mut Transaction<'_, Sqlite>,
        message: &NewMessage,
        entry: &common::ChatMessage,
    ) -> Result<(), StoreError> {
        let (deletes, edits, reacts, reply_to) = message.content.kind_columns();
        let body = message.content.body();
        let search_id = search_id_for(&self.search_ids, message);
        let words = search_id.and(body).map(|body| search_text(body.as_str()));
        // Two statements, one round trip: the entry, then its words if it has a search id.
        sqlx::query(
            "INSERT INTO messages \
             (room, seq, id, client_id, author, body, sent_at, deletes, edits, search_id, reacts, \
              reply_to, author_key) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?14); \
             INSERT INTO message_words (rowid, words) SELECT ?10, ?13 WHERE ?10 IS NOT NULL",
        )
        .bind(entry.room.as_str())
        .bind(to_sql_seq(entry.seq))
        .bind(&entry.id)
        .bind(entry.client_id.as_str())
        .bind(entry.author.as_str())
        .bind(body.map_or("", MessageBody::as_str))
        .bind(entry.sent_at)
        .bind(deletes.map(to_sql_seq))
        .bind(edits.map(to_sql_seq))
        .bind(search_id)
        .bind(reacts.map(to_json))
        .bind(reply_to.map(to_sql_seq))
        .bind(words)
        .bind(entry.author.key())
        .execute(&mut **transaction)
        .await?;
        Ok(())
    }
}
