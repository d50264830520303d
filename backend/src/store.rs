//! The store: the source of truth for history and sequence numbers (SQLite).
//!
//! Writes go through one writer task that owns the only write connection. It takes every
//! append waiting in its bounded queue (up to [`MAX_BATCH`]), stores them in one transaction
//! (group commit: one fsync for the batch), and only then publishes each new message, in
//! sequence order, and answers each sender. So a message is acknowledged and broadcast only
//! once it is durably stored, and the room's sequence numbers are assigned in the same
//! transaction that saves the message.
//!
//! Reads (history pages) use a separate small pool; in WAL mode they do not wait for writes.
//! sqlx runs every SQLite connection on its own thread, so no store call blocks the async
//! runtime.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{ChatMessage, ClientId, MessageBody, Nickname, RoomName};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};
use tokio::sync::{mpsc, oneshot};
use tracing::{error, info};

/// The most appends stored in one transaction.
const MAX_BATCH: usize = 256;
/// Appends that may wait for the writer; senders wait (briefly) when it is full.
const QUEUE_CAPACITY: usize = 4_096;
/// Connections for reading history.
const READERS: u32 = 4;

/// Called by the writer, in sequence order, for each newly stored message.
pub type Publish = Arc<dyn Fn(&ChatMessage) + Send + Sync>;

/// A failure of the store itself (not of the request).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database directory {path}: {source}")]
    Directory { path: String, source: std::io::Error },
    #[error("the store is shutting down")]
    Closed,
    #[error("no room named {0:?}")]
    UnknownRoom(String),
    #[error("a room named {0:?} already exists")]
    RoomExists(String),
    #[error("client_id {0:?} was already used for a different message in this room")]
    ClientIdReused(String),
    #[error("the stored row is invalid: {0}")]
    Corrupt(String),
    #[error("the message could not be stored: {0}")]
    BatchFailed(String),
}

/// A message to store.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub room: RoomName,
    pub client_id: ClientId,
    pub author: Nickname,
    pub body: MessageBody,
}

/// The outcome of an append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Appended {
    /// Stored now, with a new sequence number, and published.
    New(ChatMessage),
    /// The room already held a message with this client id: this is the original, unchanged
    /// and not published again.
    Repeat(ChatMessage),
}

impl Appended {
    pub fn message(&self) -> &ChatMessage {
        match self {
            Self::New(message) | Self::Repeat(message) => message,
        }
    }
}

/// Which page of a room's history to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The latest messages with a sequence number below this one (the room's latest when
    /// `None`): scrolling back.
    Before(Option<u64>),
    /// The earliest messages with a sequence number above this one: catching up.
    After(u64),
}

/// A page of a room's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryPage {
    /// In ascending sequence order.
    pub messages: Vec<ChatMessage>,
    /// True when nothing is stored before the page (or the room is empty).
    pub reaches_start: bool,
    /// True when nothing was stored after the page when it was read.
    pub reaches_end: bool,
}

/// A cheap, cloneable handle to the store.
#[derive(Clone)]
pub struct Store {
    readers: SqlitePool,
    /// The one write connection, shared with the writer task.
    writer: SqlitePool,
    appends: mpsc::Sender<AppendRequest>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

struct AppendRequest {
    message: NewMessage,
    reply: oneshot::Sender<Result<Appended, StoreError>>,
}

impl Store {
    /// Opens (creating if needed) the database at `url` (`sqlite://path/to/file.db`), applies
    /// the migrations, and starts the writer task, which calls `publish` for every message it
    /// stores.
    pub async fn open(url: &str, publish: Publish) -> Result<Self, StoreError> {
        let base = SqliteConnectOptions::from_str(url)?
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let writer_options = base
            .clone()
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk before it returns, so an acknowledged message
            // survives a power cut, not only a crash. Group commit pays for it.
            .synchronous(SqliteSynchronous::Full);
        if let Some(parent) = writer_options.get_filename().parent() {
            create_directory(parent)?;
        }
        let writer =
            SqlitePoolOptions::new().max_connections(1).connect_with(writer_options).await?;
        sqlx::migrate!("./migrations").run(&writer).await?;
        // Readers only read: no journal-mode pragma (a write, refused on a read-only
        // connection; WAL mode is a property of the file, set by the writer above).
        let readers = SqlitePoolOptions::new()
            .max_connections(READERS)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(base.read_only(true))
            .await?;
        info!(database = %url, "store open");

        let (appends, queue) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(write_batches(writer.clone(), queue, publish));
        Ok(Self { readers, writer, appends })
    }

    /// Stores `message` (or finds the original with the same room and client id).
    pub async fn append(&self, message: NewMessage) -> Result<Appended, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.appends
            .send(AppendRequest { message, reply })
            .await
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
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
        let rows: Vec<MessageRow> = sqlx::query_as(
            "SELECT room, seq, id, client_id, author, body, sent_at FROM messages \
             WHERE room = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3",
        )
        .bind(room.as_str())
        .bind(below)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await?;
        let mut messages =
            rows.into_iter().map(MessageRow::into_message).collect::<Result<Vec<_>, _>>()?;
        messages.reverse();
        // Sequence numbers start at 1 with no gaps, so the first message tells.
        let reaches_start = messages.first().is_none_or(|first| first.seq == 1);
        let reaches_end = match before {
            None => true,
            Some(before) => before > self.last_seq(room).await?,
        };
        Ok(HistoryPage { messages, reaches_start, reaches_end })
    }

    async fn page_after(
        &self,
        room: &RoomName,
        after: u64,
        limit: u32,
    ) -> Result<HistoryPage, StoreError> {
        // One row more than asked says whether anything lies beyond the page.
        let rows: Vec<MessageRow> = sqlx::query_as(
            "SELECT room, seq, id, client_id, author, body, sent_at FROM messages \
             WHERE room = ?1 AND seq > ?2 ORDER BY seq ASC LIMIT ?3",
        )
        .bind(room.as_str())
        .bind(to_sql_seq(after))
        .bind(i64::from(limit) + 1)
        .fetch_all(&self.readers)
        .await?;
        let mut messages =
            rows.into_iter().map(MessageRow::into_message).collect::<Result<Vec<_>, _>>()?;
        let reaches_end = messages.len() <= limit as usize;
        messages.truncate(limit as usize);
        Ok(HistoryPage { messages, reaches_start: after == 0, reaches_end })
    }

    /// The sequence number of the room's latest stored message (0 if none).
    async fn last_seq(&self, room: &RoomName) -> Result<u64, StoreError> {
        let last: Option<i64> = sqlx::query_scalar("SELECT last_seq FROM rooms WHERE name = ?1")
            .bind(room.as_str())
            .fetch_optional(&self.readers)
            .await?;
        to_seq(last.unwrap_or(0))
    }

    /// Creates an empty room. Room creation is rare, so it goes straight to the write pool
    /// (waiting its turn behind the writer task's current batch) instead of through the queue.
    pub async fn create_room(&self, room: &RoomName) -> Result<(), StoreError> {
        let created = sqlx::query(
            "INSERT INTO rooms (name, created_at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(room.as_str())
        .bind(unix_millis_now())
        .execute(&self.writer)
        .await?;
        if created.rows_affected() == 0 {
            return Err(StoreError::RoomExists(room.to_string()));
        }
        Ok(())
    }

    /// Every room with the sequence number of its latest message.
    pub async fn rooms(&self) -> Result<Vec<(RoomName, u64)>, StoreError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT name, last_seq FROM rooms ORDER BY name")
                .fetch_all(&self.readers)
                .await?;
        rows.into_iter()
            .map(|(name, last_seq)| Ok((parse_room(name)?, to_seq(last_seq)?)))
            .collect()
    }
}

/// The writer task: batches appends into transactions until every [`Store`] handle is gone.
async fn write_batches(
    writer: SqlitePool,
    mut queue: mpsc::Receiver<AppendRequest>,
    publish: Publish,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match store_batch(&writer, &batch).await {
            Ok(outcomes) => {
                for (request, outcome) in batch.drain(..).zip(outcomes) {
                    if let Ok(Appended::New(message)) = &outcome {
                        publish(message);
                    }
                    // The sender may have gone (its connection closed); the message is stored
                    // all the same and it will find it in the history.
                    let _ = request.reply.send(outcome);
                }
            }
            Err(failure) => {
                error!(error = %failure, size = batch.len(), "storing a batch failed");
                for request in batch.drain(..) {
                    // As above: a sender that left needs no answer.
                    let _ = request.reply.send(Err(StoreError::BatchFailed(failure.to_string())));
                }
            }
        }
    }
}

/// Stores a batch in one transaction. A database failure fails the whole batch (nothing is
/// stored); an unknown room fails only its own append.
async fn store_batch(
    writer: &SqlitePool,
    batch: &[AppendRequest],
) -> Result<Vec<Result<Appended, StoreError>>, StoreError> {
    let mut transaction = writer.begin().await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    for request in batch {
        outcomes.push(store_one(&mut transaction, &request.message).await?);
    }
    transaction.commit().await?;
    Ok(outcomes)
}

async fn store_one(
    transaction: &mut Transaction<'_, Sqlite>,
    message: &NewMessage,
) -> Result<Result<Appended, StoreError>, StoreError> {
    let original: Option<MessageRow> = sqlx::query_as(
        "SELECT room, seq, id, client_id, author, body, sent_at FROM messages \
         WHERE room = ?1 AND client_id = ?2",
    )
    .bind(message.room.as_str())
    .bind(message.client_id.as_str())
    .fetch_optional(&mut **transaction)
    .await?;
    if let Some(original) = original {
        let original = original.into_message()?;
        // A retry repeats the same message from the same author. Anything else reusing the
        // id is a client bug; answering with someone else's acknowledgement would make its
        // message vanish silently.
        if original.author != message.author || original.body != message.body {
            return Ok(Err(StoreError::ClientIdReused(message.client_id.as_str().to_owned())));
        }
        return Ok(Ok(Appended::Repeat(original)));
    }
    let seq: Option<i64> = sqlx::query_scalar(
        "UPDATE rooms SET last_seq = last_seq + 1 WHERE name = ?1 RETURNING last_seq",
    )
    .bind(message.room.as_str())
    .fetch_optional(&mut **transaction)
    .await?;
    let Some(seq) = seq else {
        return Ok(Err(StoreError::UnknownRoom(message.room.to_string())));
    };
    let stored = ChatMessage {
        room: message.room.clone(),
        seq: to_seq(seq)?,
        id: uuid::Uuid::now_v7().to_string(),
        client_id: message.client_id.clone(),
        author: message.author.clone(),
        body: message.body.clone(),
        sent_at: unix_millis_now(),
    };
    sqlx::query(
        "INSERT INTO messages (room, seq, id, client_id, author, body, sent_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(stored.room.as_str())
    .bind(seq)
    .bind(&stored.id)
    .bind(stored.client_id.as_str())
    .bind(stored.author.as_str())
    .bind(stored.body.as_str())
    .bind(stored.sent_at)
    .execute(&mut **transaction)
    .await?;
    Ok(Ok(Appended::New(stored)))
}

/// A `messages` row as SQLite returns it.
type MessageRow = (String, i64, String, String, String, String, i64);

trait IntoMessage {
    fn into_message(self) -> Result<ChatMessage, StoreError>;
}

impl IntoMessage for MessageRow {
    /// Rows were validated on the way in; re-validating on the way out keeps a damaged
    /// database from putting invalid values on the wire.
    fn into_message(self) -> Result<ChatMessage, StoreError> {
        let (room, seq, id, client_id, author, body, sent_at) = self;
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("{what} in room {room:?} seq {seq}"));
        Ok(ChatMessage {
            room: RoomName::parse(&room).map_err(|_| corrupt("room name"))?,
            seq: to_seq(seq)?,
            id,
            client_id: ClientId::parse(&client_id).map_err(|_| corrupt("client id"))?,
            author: Nickname::parse(&author).map_err(|_| corrupt("author"))?,
            body: MessageBody::parse(&body).map_err(|_| corrupt("body"))?,
            sent_at,
        })
    }
}

fn parse_room(name: String) -> Result<RoomName, StoreError> {
    RoomName::parse(&name).map_err(|_| StoreError::Corrupt(format!("room name {name:?}")))
}

/// A sequence number as SQLite stores it; beyond `i64::MAX` means "beyond every message".
fn to_sql_seq(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

fn to_seq(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("negative seq {value}")))
}

fn create_directory(path: &Path) -> Result<(), StoreError> {
    if path.as_os_str().is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(path)
        .map_err(|source| StoreError::Directory { path: path.display().to_string(), source })
}

pub(crate) fn unix_millis_now() -> i64 {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}
