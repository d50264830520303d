//! Reading a room's history: pages of it, one entry, where a date falls. The statements are
//! the same for both engines ([`super::history_statements`]).

use common::RoomName;
use futures_util::future::BoxFuture;

use super::Store;
use super::error::StoreError;
use super::model::{HistoryPage, Page};
use super::rows::{MessageRow, into_messages, to_seq, to_sql_seq};

/// The questions about history the store asks a database.
pub trait History: std::fmt::Debug + Send + Sync {
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
}

impl Store {
    /// Up to `limit` messages of `room`, oldest first: the latest ones before a sequence
    /// number, or the earliest ones after one (see [`Page`]).
    pub async fn history(
        &self,
        room: &RoomName,
        page: Page,
        limit: u32,
    ) -> Result<HistoryPage, StoreError> {
        match page {
            Page::Before(before) => self.page_before(room, before, limit).await,
            Page::After(after) => self.page_after(room, after, limit).await,
        }
    }

    async fn page_before(
        &self,
        room: &RoomName,
        before: Option<u64>,
        limit: u32,
    ) -> Result<HistoryPage, StoreError> {
        let below = before.map_or(i64::MAX, to_sql_seq);
        let rows = self.database.latest_before(room.as_str(), below, i64::from(limit)).await?;
        let mut messages = self.quoting_replies(room, rows).await?;
        messages.reverse();
        // Read after the rows: if retention removed some meanwhile, this says so.
        let first_seq = self.first_seq(room).await?;
        // The kept entries have no gaps, so the first message tells.
        let reaches_start = messages.first().is_none_or(|first| first.seq <= first_seq);
        let reaches_end = match before {
            None => true,
            Some(before) => before > self.last_seq(room).await?,
        };
        Ok(HistoryPage { messages, reaches_start, reaches_end, first_seq: Some(first_seq) })
    }

    async fn page_after(
        &self,
        room: &RoomName,
        after: u64,
        limit: u32,
    ) -> Result<HistoryPage, StoreError> {
        // One row more than asked says whether anything lies beyond the page.
        let above = to_sql_seq(after);
        let mut rows =
            self.database.earliest_after(room.as_str(), above, i64::from(limit) + 1).await?;
        let reaches_end = rows.len() <= limit as usize;
        rows.truncate(limit as usize);
        let messages = self.quoting_replies(room, rows).await?;
        // Nothing is kept between `after` and the page when `after` is below the first kept
        // entry (read after the rows, as above).
        let first_seq = self.first_seq(room).await?;
        let reaches_start = after < first_seq;
        Ok(HistoryPage { messages, reaches_start, reaches_end, first_seq: Some(first_seq) })
    }

    /// The seq of `room`'s first message (not a change) sent at or after `at` (ms since the
    /// epoch), if there is one: where its history reaches that date.
    pub async fn first_message_since(
        &self,
        room: &RoomName,
        at: i64,
    ) -> Result<Option<u64>, StoreError> {
        let seq = self.database.first_message_since(room.as_str(), at).await?;
        seq.map(to_seq).transpose()
    }

    /// The sequence number of the room's latest stored message (0 if none, or no such room).
    /// The entry of `room` numbered `seq` (a message, or a deletion), if there is one.
    pub async fn message_at(
        &self,
        room: &RoomName,
        seq: u64,
    ) -> Result<Option<common::ChatMessage>, StoreError> {
        let row = self.database.message_at(room.as_str(), to_sql_seq(seq)).await?;
        Ok(into_messages(row.into_iter().collect())?.pop())
    }

    pub async fn last_seq(&self, room: &RoomName) -> Result<u64, StoreError> {
        to_seq(self.database.last_seq(room.as_str()).await?.unwrap_or(0))
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.database.ping().await
    }
}
