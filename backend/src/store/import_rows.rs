//! Storing exported entries as they were (`backend import`): the same two statements for both
//! engines, so one function, generic over the engine.

use sqlx::{Database, Encode, Executor, IntoArguments, Transaction, Type};

use super::author_keys::author_key;
use super::error::StoreError;
use super::model::{IMPORT_ENTRY, IMPORT_LAST_SEQ};
use super::rows::MessageRow;

/// Inserts `rows` in `transaction`, then moves each room's latest sequence number along, once
/// per room: updating the room's row after every entry made a chain of versions of it within
/// the transaction that each next update walked (PostgreSQL importing at 600 entries a second).
pub async fn import_rows<DB>(
    transaction: &mut Transaction<'_, DB>,
    rows: &[MessageRow],
) -> Result<(), StoreError>
where
    DB: Database,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
{
    let mut latest: Vec<(&str, i64)> = Vec::new();
    for row in rows {
        match latest.iter_mut().find(|(name, _)| *name == row.room) {
            Some((_, highest)) => *highest = (*highest).max(row.seq),
            None => latest.push((row.room.as_str(), row.seq)),
        }
        let author_key = author_key(&row.author);
        sqlx::query(IMPORT_ENTRY)
            .bind(row.room.as_str())
            .bind(row.seq)
            .bind(row.id.as_str())
            .bind(row.client_id.as_str())
            .bind(row.author.as_str())
            .bind(row.body.as_str())
            .bind(row.sent_at)
            .bind(row.deletes)
            .bind(row.edits)
            .bind(row.edited_seq)
            .bind(row.edited_at)
            .bind(row.reacts.as_deref())
            .bind(row.reactions.as_deref())
            .bind(row.reply_to)
            .bind(author_key.as_str())
            .execute(&mut **transaction)
            .await?;
    }
    for (room, seq) in latest {
        sqlx::query(IMPORT_LAST_SEQ).bind(room).bind(seq).execute(&mut **transaction).await?;
    }
    Ok(())
}
