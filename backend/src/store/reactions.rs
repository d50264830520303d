//! Storing a reaction: the entry is appended like any other, and its target's reactions change
//! in the same transaction, by the one rule of `common::Reactions::apply`. The same statements
//! for both engines, so one function, generic over the engine.

use common::{Nickname, Reactions, ReactsTo};
use sqlx::{Database, Decode, Encode, Executor, IntoArguments, Transaction, Type};

use super::error::StoreError;
use super::rows::{to_json, to_sql_seq};

/// The reactions (JSON, or NULL when there are none) of a room's message (`$1` the room, `$2`
/// its seq) that may be reacted to: it exists, is a message (not a change) and still has its
/// text. No row if it may not.
const REACTION_TARGET: &str = "SELECT reactions FROM messages \
     WHERE room = $1 AND seq = $2 AND body <> '' AND deletes IS NULL AND edits IS NULL";

const SET_REACTIONS: &str = "UPDATE messages SET reactions = $3 WHERE room = $1 AND seq = $2";

/// Applies the reaction `change` by `author`, to be stored as entry `seq` of `room`, to its
/// target. An error for the append (not the batch) if the target may not be reacted to, or
/// would carry too many different emoji.
pub async fn react<DB>(
    transaction: &mut Transaction<'_, DB>,
    room: &str,
    seq: i64,
    author: &Nickname,
    change: &ReactsTo,
) -> Result<Result<(), StoreError>, StoreError>
where
    DB: Database,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Decode<'q, DB>,
    (Option<String>,): for<'r> sqlx::FromRow<'r, DB::Row>,
{
    let target = to_sql_seq(change.seq);
    let current: Option<(Option<String>,)> = sqlx::query_as(REACTION_TARGET)
        .bind(room)
        .bind(target)
        .fetch_optional(&mut **transaction)
        .await?;
    let Some((current,)) = current else {
        return Ok(Err(StoreError::UnknownMessage { room: room.to_owned(), seq: change.seq }));
    };
    let mut reactions: Reactions = match current {
        Some(json) => serde_json::from_str(&json).map_err(|_| {
            StoreError::Corrupt(format!("reactions in room {room:?} seq {}", change.seq))
        })?,
        None => Reactions::default(),
    };
    let author_key = author.key();
    let is_author = |name: &Nickname| name.key() == author_key;
    let entry = u64::try_from(seq).unwrap_or_default();
    if let Err(refusal) = reactions.apply(entry, author, change, is_author) {
        return Ok(Err(refusal.into()));
    }
    sqlx::query(SET_REACTIONS)
        .bind(room)
        .bind(target)
        .bind(to_json(&reactions))
        .execute(&mut **transaction)
        .await?;
    Ok(Ok(()))
}
