//! Retention: removing a room's oldest entries once they are older than the operator keeps
//! messages (`--retain-days`; the periodic task is `crate::jobs::retention`).
//!
//! Only a room's *first* entries go, oldest first, and never one sent after the cutoff, even
//! if an older one follows it (two nodes' clocks may disagree by a little): what stays is
//! always `first_seq` to `last_seq` without a gap, and `rooms.first_seq` says where it starts
//! now, so `history` can tell clients that everything below was removed rather than leave
//! them waiting for it. Sequence numbers are never reused (`last_seq` only grows).
//!
//! Each call removes at most a batch of entries per room, each room's in a short transaction
//! of its own on the directory's write connection, so the committer's transactions take their
//! turns in between. Statements in [`super::retention_statements`].

use common::RoomName;
use futures_util::future::BoxFuture;

use super::Store;
use super::error::StoreError;
use super::rows::{to_seq, to_sql_seq};

/// Retention in one engine.
pub trait Retention: std::fmt::Debug + Send + Sync {
    /// The sequence number of the room's first kept entry (1 until retention removed some);
    /// `None` if there is no such room.
    fn first_seq<'a>(&'a self, room: &'a str) -> BoxFuture<'a, Result<Option<i64>, StoreError>>;

    /// The rooms whose first kept entry was sent before `cutoff`, with its sequence number.
    fn rooms_to_trim(&self, cutoff: i64) -> BoxFuture<'_, Result<Vec<(String, i64)>, StoreError>>;

    /// The sequence numbers and times of up to `limit` of the room's entries from `from` on.
    fn entries_from<'a>(
        &'a self,
        room: &'a str,
        from: i64,
        limit: i64,
    ) -> BoxFuture<'a, Result<Vec<(i64, i64)>, StoreError>>;

    /// Deletes the room's entries `from..=through` and moves its `first_seq` past them, in one
    /// transaction; the number of entries deleted (0 if another node did it first).
    fn remove_entries<'a>(
        &'a self,
        room: &'a str,
        from: i64,
        through: i64,
    ) -> BoxFuture<'a, Result<u64, StoreError>>;

    /// Makes an imported room's sequence start at `first_seq` (its entries below were removed
    /// in the store it was exported from), before its entries are imported.
    fn start_imported_room_at<'a>(
        &'a self,
        room: &'a str,
        first_seq: i64,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
}

impl Store {
    /// The sequence number of the room's first kept entry: 1 unless retention removed the
    /// ones before it (or the room is unknown).
    pub async fn first_seq(&self, room: &RoomName) -> Result<u64, StoreError> {
        to_seq(self.database.first_seq(room.as_str()).await?.unwrap_or(1))
    }

    /// Removes, in each room, the entries at the start of its sequence that were sent before
    /// `cutoff` (milliseconds since the epoch), at most `batch` per room; how many went. Call
    /// again until it answers 0.
    pub async fn remove_sent_before(&self, cutoff: i64, batch: u32) -> Result<u64, StoreError> {
        let mut removed = 0;
        for (room, first_seq) in self.database.rooms_to_trim(cutoff).await? {
            let entries = self.database.entries_from(&room, first_seq, i64::from(batch)).await?;
            // Consecutive from `first_seq` (the kept entries have no gap), up to the first
            // one sent at or after the cutoff.
            let through = entries
                .iter()
                .take_while(|(_, sent_at)| *sent_at < cutoff)
                .map(|(seq, _)| *seq)
                .last();
            if let Some(through) = through {
                removed += self.database.remove_entries(&room, first_seq, through).await?;
            }
        }
        if removed > 0 {
            self.database.forget_erased().await?;
        }
        Ok(removed)
    }

    /// Makes an imported room start at `first_seq` (see [`Retention::start_imported_room_at`]).
    pub async fn start_imported_room_at(
        &self,
        room: &RoomName,
        first_seq: u64,
    ) -> Result<(), StoreError> {
        self.database.start_imported_room_at(room.as_str(), to_sql_seq(first_seq)).await
    }
}
