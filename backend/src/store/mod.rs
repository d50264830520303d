//! The store: the source of truth for history and sequence numbers. It only persists and
//! reads; when a message is stored and who hears of it is the delivery's business
//! ([`crate::delivery`]).
//!
//! Two engines hold the same schema: SQLite, embedded, the default ([`sqlite`]), and
//! PostgreSQL, shared by several nodes ([`postgres`]). The URL chooses. Each implements
//! [`Engine`] in its own SQL dialect; what the answers mean is decided here, once. Rooms,
//! accounts, their sessions and private rooms' members ([`rooms`], [`accounts`]) live in the
//! same database, behind [`Directory`], whose statements both engines share.

mod accounts;
mod append;
mod directory;
mod directory_statements;
mod engine;
mod error;
mod guest_ban_statements;
mod guest_bans;
mod import_rows;
mod invite_statements;
mod invites;
mod model;
mod moderation;
mod postgres;
mod reactions;
mod replies;
mod retention;
mod retention_statements;
mod room_moderation;
mod room_moderation_statements;
mod rooms;
mod rows;
mod search;
mod sqlite;

use std::sync::Arc;

use common::RoomName;

pub use self::accounts::Account;
pub use self::directory::Directory;
pub use self::engine::Engine;
pub use self::error::StoreError;
pub use self::guest_bans::GuestBan;
use self::guest_bans::GuestBanBook;
use self::invites::InviteBook;
pub use self::model::{Appended, HistoryPage, NewContent, NewMessage, Page};
pub use self::moderation::{AUDIT_PAGE, AuditAction};
use self::postgres::PostgresDatabase;
use self::retention::Retention;
pub use self::room_moderation::Mute;
use self::room_moderation::RoomModeration;
pub use self::rooms::RoomListing;
pub use self::rows::unix_millis_now as now_millis;
use self::rows::{MessageRow, into_messages, into_row, to_seq, to_sql_seq};
use self::search::SearchIndex;
pub use self::search::{SearchPage, SearchRequest};
use self::sqlite::SqliteDatabase;

/// A cheap, cloneable handle to the store.
#[derive(Debug, Clone)]
pub struct Store {
    engine: Arc<dyn Engine>,
    /// The same database, for rooms, accounts and room members ([`directory`]).
    directory: Arc<dyn Directory>,
    room_moderation: Arc<dyn RoomModeration>,
    invites: Arc<dyn InviteBook>,
    guest_bans: Arc<dyn GuestBanBook>,
    retention: Arc<dyn Retention>,
    search_index: Arc<dyn SearchIndex>,
}

impl Store {
    /// Opens the database at `url` (`sqlite://path/to/file.db`, created if needed, or
    /// `postgres://...`) and applies the migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            let database = Arc::new(SqliteDatabase::open(url).await?);
            Ok(Self {
                engine: database.clone(),
                directory: database.clone(),
                room_moderation: database.clone(),
                invites: database.clone(),
                guest_bans: database.clone(),
                retention: database.clone(),
                search_index: database,
            })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let database = Arc::new(PostgresDatabase::open(url).await?);
            Ok(Self {
                engine: database.clone(),
                directory: database.clone(),
                room_moderation: database.clone(),
                invites: database.clone(),
                guest_bans: database.clone(),
                retention: database.clone(),
                search_index: database,
            })
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }

    /// Stores a batch of messages in one transaction, each with its room's next sequence
    /// number (or finds the original with the same room and client id). A database failure
    /// fails the whole batch; an unknown room or a reused client id fails only its own
    /// message. Called by the delivery's one writer per node.
    pub async fn store_batch(
        &self,
        batch: &[&NewMessage],
    ) -> Result<Vec<Result<Appended, StoreError>>, StoreError> {
        self.engine.store_batch(batch).await
    }

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
        let rows = self.engine.latest_before(room.as_str(), below, i64::from(limit)).await?;
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
            self.engine.earliest_after(room.as_str(), above, i64::from(limit) + 1).await?;
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
        let seq = self.engine.first_message_since(room.as_str(), at).await?;
        seq.map(to_seq).transpose()
    }

    /// The sequence number of the room's latest stored message (0 if none, or no such room).
    /// The entry of `room` numbered `seq` (a message, or a deletion), if there is one.
    pub async fn message_at(
        &self,
        room: &RoomName,
        seq: u64,
    ) -> Result<Option<common::ChatMessage>, StoreError> {
        let row = self.engine.message_at(room.as_str(), to_sql_seq(seq)).await?;
        Ok(into_messages(row.into_iter().collect())?.pop())
    }

    pub async fn last_seq(&self, room: &RoomName) -> Result<u64, StoreError> {
        to_seq(self.engine.last_seq(room.as_str()).await?.unwrap_or(0))
    }

    /// Stores `messages` exactly as they are (`backend import`; see [`Engine::import_entries`]).
    pub async fn import_entries(&self, messages: &[common::ChatMessage]) -> Result<(), StoreError> {
        if messages.is_empty() {
            return Ok(());
        }
        let rows: Vec<MessageRow> = messages.iter().map(into_row).collect();
        self.engine.import_entries(&rows).await
    }

    /// Writes a consistent copy of the database to `path`, a file that must not exist yet
    /// (SQLite; for PostgreSQL the error says to use `pg_dump`).
    pub async fn backup_to(&self, path: &str) -> Result<(), StoreError> {
        self.engine.backup_to(path).await
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.engine.ping().await
    }
}
