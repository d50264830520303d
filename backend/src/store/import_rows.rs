//! Storing exported entries as they were (`backend import`): the same two statements for both
//! engines, so one function, generic over the engine.

use sqlx::{Database, Encode, Executor, IntoArguments, Transaction, Type};

use super::error::StoreError;
use super::model::{IMPORT_ENTRY, IMPORT_LAST_SEQ};
use super::rows::MessageRow;

/// Inserts `rows` in `transaction`, moving each room's latest sequence number along.
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
{
    for (room, seq, id, client_id, author, body, sent_at, deletes, edits, edited_seq, edited_at) in
        rows
    {
        sqlx::query(IMPORT_ENTRY)
            .bind(room.as_str())
            .bind(*seq)
            .bind(id.as_str())
            .bind(client_id.as_str())
            .bind(author.as_str())
            .bind(body.as_str())
            .bind(*sent_at)
            .bind(*deletes)
            .bind(*edits)
            .bind(*edited_seq)
            .bind(*edited_at)
            .execute(&mut **transaction)
            .await?;
        let last_seq = sqlx::query(IMPORT_LAST_SEQ).bind(room.as_str()).bind(*seq);
        last_seq.execute(&mut **transaction).await?;
    }
    Ok(())
}
