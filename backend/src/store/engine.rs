//! What an engine (SQLite or PostgreSQL) answers: the few questions the store asks, each in
//! the engine's own SQL dialect. What the answers mean (pages, repeats, validation) is decided
//! once, in [`super::Store`]; the dialects are the only difference between the engines.
//!
//! Boxed futures rather than `async fn`: the store holds its engine as a trait object, and a
//! query costs far more than the one allocation.

use futures_util::future::BoxFuture;

use super::error::StoreError;
use super::model::{Appended, NewMessage};
use super::rows::MessageRow;

/// One engine behind the store.
pub trait Engine: std::fmt::Debug + Send + Sync {
    /// Stores a batch in one transaction. A database failure fails the whole batch (nothing
    /// is stored); an unknown room or a reused client id fails only its own append. The
    /// outcomes come back in the batch's order.
    fn store_batch<'a>(
        &'a self,
        batch: &'a [&'a NewMessage],
    ) -> BoxFuture<'a, Result<Vec<Result<Appended, StoreError>>, StoreError>>;

    /// Up to `limit` rows of `room` with a sequence number below `below`, newest first.
    fn latest_before<'a>(
        &'a self,
        room: &'a str,
        below: i64,
        limit: i64,
    ) -> BoxFuture<'a, Result<Vec<MessageRow>, StoreError>>;

    /// Up to `limit` rows of `room` with a sequence number above `above`, oldest first.
    fn earliest_after<'a>(
        &'a self,
        room: &'a str,
        above: i64,
        limit: i64,
    ) -> BoxFuture<'a, Result<Vec<MessageRow>, StoreError>>;

    /// The row of `room` numbered `seq`, if there is one.
    fn message_at<'a>(
        &'a self,
        room: &'a str,
        seq: i64,
    ) -> BoxFuture<'a, Result<Option<MessageRow>, StoreError>>;

    /// The seq of the room's first message sent at or after `at` (ms), if there is one.
    fn first_message_since<'a>(
        &'a self,
        room: &'a str,
        at: i64,
    ) -> BoxFuture<'a, Result<Option<i64>, StoreError>>;

    /// The room's latest sequence number; `None` if there is no such room.
    fn last_seq<'a>(&'a self, room: &'a str) -> BoxFuture<'a, Result<Option<i64>, StoreError>>;

    /// Whether the database answers.
    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>>;

    /// Stores `entries` (of one room, in sequence order) exactly as they are, in one
    /// transaction, moving the room's latest sequence number along (`backend import`).
    fn import_entries<'a>(
        &'a self,
        rows: &'a [MessageRow],
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Takes text that deletions or retention erased out of what the engine keeps on disk
    /// beside the live rows, where it can (SQLite's log); an engine that cannot says so in
    /// docs/SECURITY.md. Storing a deletion does this by itself.
    fn forget_erased(&self) -> BoxFuture<'_, Result<(), StoreError>>;

    /// Writes a consistent copy of the whole database to the new file `path`, while the chat
    /// goes on writing (an engine that cannot says how to back it up instead).
    fn backup_to<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<(), StoreError>>;
}
