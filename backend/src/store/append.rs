//! Appending entries to rooms, written once for both engines. For each entry, in one order:
//!
//! 1. take the room's turn: the next sequence number, or the original when the room already
//!    holds an entry with this client id (a retry is answered with it, whatever it is);
//! 2. check and apply what the entry does to the message it refers to: a reply quotes it, a
//!    deletion erases its text (and its edits'), an edit replaces its text, a reaction changes
//!    its reactions; a target that cannot take it refuses this entry only;
//! 3. insert the entry, with its words when it is a post.
//!
//! The engines differ only where their SQL or their search index does ([`Dialect`]); the
//! statements both understand are here.

use std::future::Future;

use common::{MessageBody, Nickname};
use sqlx::{Database, Decode, Encode, Executor, IntoArguments, Transaction, Type};

use super::error::StoreError;
use super::model::{Appended, NewContent, NewMessage};
use super::reactions::react;
use super::replies::quote;
use super::rows::{MessageRow, message_columns, repeat_of, stamp, to_sql_seq};

/// Where a room stands when an entry is to be appended to it.
pub struct Turn {
    /// The room's latest sequence number: the entry will be the next.
    pub last_seq: i64,
    /// The entry the room already holds with this client id, if it does.
    pub original: Option<MessageRow>,
}

/// What one engine does its own way in an append.
pub trait Dialect: Sync {
    type DB: Database;

    /// Takes `room`'s turn to append (so no other writer numbers an entry of it until the
    /// transaction ends) and looks for an entry of it with `client_id`. `None`: no such room.
    fn take_turn(
        &self,
        transaction: &mut Transaction<'_, Self::DB>,
        room: &str,
        client_id: &str,
    ) -> impl Future<Output = Result<Option<Turn>, StoreError>> + Send;

    /// Before the text of `room`'s message `seq` is erased or replaced: what the search index
    /// must do while the old text is still there.
    fn forget_words(
        &self,
        transaction: &mut Transaction<'_, Self::DB>,
        room: &str,
        seq: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// After the text of `room`'s message `seq` was erased (`None`) or replaced: its words in
    /// the search index are the new text's, or none.
    fn index_changed_text(
        &self,
        transaction: &mut Transaction<'_, Self::DB>,
        room: &str,
        seq: i64,
        text: Option<&str>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Inserts `entry` (`message` as stamped with its seq, id and time), moves its room's
    /// latest sequence number to it, and indexes its words if it is a post.
    fn insert(
        &self,
        transaction: &mut Transaction<'_, Self::DB>,
        message: &NewMessage,
        entry: &common::ChatMessage,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Erases the text of a room's message (`$1` the room, `$2` its seq) as a deletion of it is
/// stored; no row (back) if there is no such message, it is a change itself, or its text is
/// gone already.
const ERASE_TEXT: &str = "UPDATE messages SET body = '', reactions = NULL \
     WHERE room = $1 AND seq = $2 AND body <> '' AND deletes IS NULL AND edits IS NULL \
     RETURNING seq";

/// Erases the text of the edits of a room's message (`$1` the room, `$2` its seq) as the
/// message is deleted: none of its words stay in the store.
const ERASE_EDITS: &str = "UPDATE messages SET body = '' WHERE room = $1 AND edits = $2";

/// Replaces the text of a room's message (`$1` the room, `$2` its seq) with `$3` as an edit
/// of it (seq `$4`, made at `$5`) is stored; no row (back) if it cannot be edited: there is no
/// such message, it is a change itself, or its text is gone.
const REPLACE_TEXT: &str = "UPDATE messages SET body = $3, edited_seq = $4, edited_at = $5 \
     WHERE room = $1 AND seq = $2 AND body <> '' AND deletes IS NULL AND edits IS NULL \
     RETURNING seq";

/// The entry of a room (`$1`) with a client id (`$2`), if there is one.
pub const ORIGINAL: &str =
    concat!("SELECT ", message_columns!(), " FROM messages WHERE room = $1 AND client_id = $2");

/// Appends `batch` in `transaction`, taking the rooms in name order (so that two writers'
/// batches never wait for each other in a cycle), and answers in the batch's order. A
/// database failure fails the whole batch; a refusal fails only its own entry.
pub async fn append_batch<D>(
    dialect: &D,
    transaction: &mut Transaction<'_, D::DB>,
    batch: &[&NewMessage],
) -> Result<Vec<Result<Appended, StoreError>>, StoreError>
where
    D: Dialect,
    for<'q> <D::DB as Database>::Arguments<'q>: IntoArguments<'q, D::DB>,
    for<'c> &'c mut <D::DB as Database>::Connection: Executor<'c, Database = D::DB>,
    for<'q> &'q str: Encode<'q, D::DB> + Type<D::DB>,
    for<'q> i64: Encode<'q, D::DB> + Decode<'q, D::DB> + Type<D::DB>,
    for<'q> String: Encode<'q, D::DB> + Decode<'q, D::DB> + Type<D::DB>,
    for<'q> Option<String>: Decode<'q, D::DB>,
    (Option<String>,): for<'r> sqlx::FromRow<'r, <D::DB as Database>::Row>,
    (i64,): for<'r> sqlx::FromRow<'r, <D::DB as Database>::Row>,
    MessageRow: for<'r> sqlx::FromRow<'r, <D::DB as Database>::Row>,
{
    // A stable sort keeps each room's entries in the order they were written.
    let mut order: Vec<usize> = (0..batch.len()).collect();
    order.sort_by(|&a, &b| batch[a].room.as_str().cmp(batch[b].room.as_str()));
    let mut outcomes: Vec<Option<Result<Appended, StoreError>>> =
        batch.iter().map(|_| None).collect();
    for index in order {
        outcomes[index] = Some(append_one(dialect, transaction, batch[index]).await?);
    }
    Ok(outcomes.into_iter().flatten().collect())
}

async fn append_one<D>(
    dialect: &D,
    transaction: &mut Transaction<'_, D::DB>,
    message: &NewMessage,
) -> Result<Result<Appended, StoreError>, StoreError>
where
    D: Dialect,
    for<'q> <D::DB as Database>::Arguments<'q>: IntoArguments<'q, D::DB>,
    for<'c> &'c mut <D::DB as Database>::Connection: Executor<'c, Database = D::DB>,
    for<'q> &'q str: Encode<'q, D::DB> + Type<D::DB>,
    for<'q> i64: Encode<'q, D::DB> + Decode<'q, D::DB> + Type<D::DB>,
    for<'q> String: Encode<'q, D::DB> + Decode<'q, D::DB> + Type<D::DB>,
    for<'q> Option<String>: Decode<'q, D::DB>,
    (Option<String>,): for<'r> sqlx::FromRow<'r, <D::DB as Database>::Row>,
    (i64,): for<'r> sqlx::FromRow<'r, <D::DB as Database>::Row>,
    MessageRow: for<'r> sqlx::FromRow<'r, <D::DB as Database>::Row>,
{
    let room = message.room.as_str();
    let Some(turn) = dialect.take_turn(transaction, room, message.client_id.as_str()).await? else {
        return Ok(Err(StoreError::UnknownRoom(room.to_owned())));
    };
    if let Some(original) = turn.original {
        return Ok(repeat_of(original, message));
    }
    let seq = turn.last_seq + 1;
    let mut entry = stamp(message, seq)?;
    let refused = |target: u64| StoreError::UnknownMessage { room: room.to_owned(), seq: target };
    match &message.content {
        NewContent::Post { reply_to: None, .. } => {}
        NewContent::Post { reply_to: Some(target), .. } => {
            match quote(transaction, room, *target).await? {
                Ok(quoted) => {
                    if let Some(post) = entry.post_mut() {
                        post.reply_to = Some(Box::new(quoted));
                    }
                }
                Err(refusal) => return Ok(Err(refusal)),
            }
        }
        NewContent::Deletion { deletes: target } => {
            let target_seq = to_sql_seq(*target);
            dialect.forget_words(transaction, room, target_seq).await?;
            if !changed_one(transaction, ERASE_TEXT, room, target_seq, None).await? {
                return Ok(Err(refused(*target)));
            }
            sqlx::query(ERASE_EDITS)
                .bind(room)
                .bind(target_seq)
                .execute(&mut **transaction)
                .await?;
            dialect.index_changed_text(transaction, room, target_seq, None).await?;
        }
        NewContent::Edit { edits: target, body } => {
            let target_seq = to_sql_seq(*target);
            dialect.forget_words(transaction, room, target_seq).await?;
            let new_text = Some((body, seq, entry.sent_at));
            if !changed_one(transaction, REPLACE_TEXT, room, target_seq, new_text).await? {
                return Ok(Err(refused(*target)));
            }
            let text = Some(body.as_str());
            dialect.index_changed_text(transaction, room, target_seq, text).await?;
        }
        NewContent::Reaction(change) => {
            let author: &Nickname = &message.author;
            if let Err(refusal) = react(transaction, room, seq, author, change).await? {
                return Ok(Err(refusal));
            }
        }
    }
    dialect.insert(transaction, message, &entry).await?;
    Ok(Ok(Appended::New(entry)))
}

/// Runs `statement` ([`ERASE_TEXT`] or [`REPLACE_TEXT`], with the new text, the edit's seq
/// and its time) on the target and says whether it changed it. They say so by `RETURNING`:
/// sqlx has no engine-neutral count of changed rows.
async fn changed_one<DB>(
    transaction: &mut Transaction<'_, DB>,
    statement: &str,
    room: &str,
    target: i64,
    new_text: Option<(&MessageBody, i64, i64)>,
) -> Result<bool, StoreError>
where
    DB: Database,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    (i64,): for<'r> sqlx::FromRow<'r, DB::Row>,
{
    let mut query = sqlx::query_scalar::<DB, i64>(statement).bind(room).bind(target);
    if let Some((body, seq, sent_at)) = new_text {
        query = query.bind(body.as_str()).bind(seq).bind(sent_at);
    }
    Ok(query.fetch_optional(&mut **transaction).await?.is_some())
}

/// The entry of `room` with `client_id`, if there is one (for [`Dialect::take_turn`]).
pub async fn original<DB>(
    transaction: &mut Transaction<'_, DB>,
    room: &str,
    client_id: &str,
) -> Result<Option<MessageRow>, StoreError>
where
    DB: Database,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    MessageRow: for<'r> sqlx::FromRow<'r, DB::Row>,
{
    Ok(sqlx::query_as(ORIGINAL)
        .bind(room)
        .bind(client_id)
        .fetch_optional(&mut **transaction)
        .await?)
}
