//! The store: the source of truth for history and sequence numbers. It only persists and
//! reads; when a message is stored and who hears of it is the delivery's business
//! ([`crate::delivery`]).
//!
//! Two engines hold the same schema: SQLite, embedded, the default ([`sqlite`]), and
//! PostgreSQL, shared by several nodes ([`postgres`]). The URL chooses, once: the store holds
//! one [`Database`]. What an append does is written once ([`append`]), and so are the
//! statements of history, rooms, accounts, moderation, invites, bans, retention (the
//! `*_statements` files: one text, both engines); an engine writes its own SQL only for what
//! its dialect or its search index does differently ([`Engine`], [`append::Dialect`], search).

mod accounts;
mod append;
mod author_key_statements;
mod author_keys;
mod directory;
mod directory_statements;
mod engine;
mod error;
mod guest_ban_statements;
mod guest_bans;
mod history;
mod history_statements;
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

pub use self::accounts::Account;
use self::author_keys::AuthorKeys;
pub use self::directory::Directory;
pub use self::engine::Engine;
pub use self::error::StoreError;
pub use self::guest_bans::GuestBan;
use self::guest_bans::GuestBanBook;
use self::history::History;
use self::invites::InviteBook;
pub use self::model::{Appended, HistoryPage, NewContent, NewMessage, Page};
pub use self::moderation::{AUDIT_PAGE, AuditAction};
use self::postgres::PostgresDatabase;
use self::retention::Retention;
pub use self::room_moderation::Mute;
use self::room_moderation::RoomModeration;
pub use self::rooms::RoomListing;
pub use self::rows::unix_millis_now as now_millis;
use self::rows::{MessageRow, into_row};
use self::search::SearchIndex;
pub use self::search::{SearchPage, SearchRequest};
use self::sqlite::SqliteDatabase;

/// Everything one database does for the store; each engine does all of it.
trait Database:
    Engine
    + History
    + AuthorKeys
    + Directory
    + RoomModeration
    + InviteBook
    + GuestBanBook
    + Retention
    + SearchIndex
{
}

impl<T> Database for T where
    T: Engine
        + History
        + AuthorKeys
        + Directory
        + RoomModeration
        + InviteBook
        + GuestBanBook
        + Retention
        + SearchIndex
{
}

/// A cheap, cloneable handle to the store.
#[derive(Debug, Clone)]
pub struct Store {
    database: Arc<dyn Database>,
}

impl Store {
    /// Opens the database at `url` (`sqlite://path/to/file.db`, created if needed, or
    /// `postgres://...`) and applies the migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let database: Arc<dyn Database> = if url.starts_with("sqlite:") {
            Arc::new(SqliteDatabase::open(url).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Arc::new(PostgresDatabase::open(url).await?)
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        Ok(Self { database })
    }

    /// Stores a batch of messages in one transaction, each with its room's next sequence
    /// number (or finds the original with the same room and client id). A database failure
    /// fails the whole batch; an unknown room or a reused client id fails only its own
    /// message. Called by the delivery's one writer per node.
    pub async fn store_batch(
        &self,
        batch: &[&NewMessage],
    ) -> Result<Vec<Result<Appended, StoreError>>, StoreError> {
        self.database.store_batch(batch).await
    }

    /// Stores `messages` exactly as they are (`backend import`; see [`Engine::import_entries`]).
    pub async fn import_entries(&self, messages: &[common::ChatMessage]) -> Result<(), StoreError> {
        if messages.is_empty() {
            return Ok(());
        }
        let rows: Vec<MessageRow> = messages.iter().map(into_row).collect();
        self.database.import_entries(&rows).await
    }

    /// Writes a consistent copy of the database to `path`, a file that must not exist yet
    /// (SQLite; for PostgreSQL the error says to use `pg_dump`).
    pub async fn backup_to(&self, path: &str) -> Result<(), StoreError> {
        self.database.backup_to(path).await
    }
}
