//! What an engine (SQLite or PostgreSQL) does its own way: committing a batch of appends (with
//! its [`super::append::Dialect`]), imports, taking erased text off the disk, and backups.
//! Everything else is the same statements for both ([`super::history`], [`super::directory`],
//! ...).
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
