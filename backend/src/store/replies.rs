//! Replies: a reply names a message of its room, which must still have its text when the
//! reply is stored, and is handed out with a quote of that message as it is at that time
//! (`common::ReplyTo`). The quote is made whenever a reply is read, never stored: a deletion
//! of the original leaves no copy of its text behind. The same statement for both engines,
//! so one function, generic over the engine.

use common::{ChatMessage, ReplyTo, RoomName};
use sqlx::{Database, Encode, Executor, IntoArguments, Transaction, Type};

use super::Store;
use super::error::StoreError;
use super::rows::{MessageRow, into_message, into_messages, message_columns, to_seq, to_sql_seq};

/// The message a reply is to answer, if it may: it exists, is a message (not a change) and
/// still has its text.
const REPLY_TARGET: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE room = $1 AND seq = $2 \
      AND body <> '' AND deletes IS NULL AND edits IS NULL"
);

/// The quote of the message `seq` of `room` for a reply being stored, or the error for the
/// append (not the batch) if it may not be answered.
pub async fn quote<DB>(
    transaction: &mut Transaction<'_, DB>,
    room: &str,
    seq: u64,
) -> Result<Result<ReplyTo, StoreError>, StoreError>
where
    DB: Database,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    MessageRow: for<'r> sqlx::FromRow<'r, DB::Row>,
{
    let target: Option<MessageRow> = sqlx::query_as(REPLY_TARGET)
        .bind(room)
        .bind(to_sql_seq(seq))
        .fetch_optional(&mut **transaction)
        .await?;
    let Some(target) = target else {
        return Ok(Err(StoreError::UnknownMessage { room: room.to_owned(), seq }));
    };
    Ok(Ok(ReplyTo::of(&into_message(target)?)))
}

impl Store {
    /// The messages of `rows` (of `room`), each reply with the quote of its original as the
    /// original is now: from the same rows when it is among them, else read (once per
    /// original). A reply whose original is no longer kept (retention) has no quote.
    pub(super) async fn quoting_replies(
        &self,
        room: &RoomName,
        rows: Vec<MessageRow>,
    ) -> Result<Vec<ChatMessage>, StoreError> {
        let targets = rows
            .iter()
            .map(|row| row.reply_to.map(to_seq).transpose())
            .collect::<Result<Vec<Option<u64>>, StoreError>>()?;
        let mut messages = into_messages(rows)?;
        let mut read: Vec<ChatMessage> = Vec::new();
        for (index, target) in targets.into_iter().enumerate() {
            let Some(target) = target else { continue };
            let held = messages.iter().chain(&read).find(|message| message.seq == target);
            let original = match held {
                Some(original) => Some(original.clone()),
                None => {
                    let original = self.message_at(room, target).await?;
                    read.extend(original.clone());
                    original
                }
            };
            if let Some(post) = messages[index].post_mut() {
                post.reply_to = original
                    .filter(|original| !original.is_change())
                    .map(|o| Box::new(ReplyTo::of(&o)));
            }
        }
        Ok(messages)
    }
}
