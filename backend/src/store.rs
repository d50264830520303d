//! The store: the source of truth for history and sequence numbers.
//!
//! Two engines hold the same schema: SQLite, embedded, the default ([`sqlite`]), and
//! PostgreSQL, shared by several nodes ([`postgres`]). The URL chooses.
//!
//! Writes go through one writer task per node that owns the write path. It takes every append
//! waiting in its bounded queue (up to [`MAX_BATCH`]), stores them in one transaction (group
//! commit: one fsync for the batch), and only then publishes each new message, in sequence
//! order, and answers each sender. So a message is acknowledged and broadcast only once it is
//! durably stored, and the room's sequence numbers are assigned in the same transaction that
//! saves the message.

mod postgres;
mod sqlite;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{ChatMessage, ClientId, MessageBody, Nickname, RoomName};
use tokio::sync::{mpsc, oneshot};
use tracing::error;

use self::postgres::PostgresDatabase;
use self::sqlite::SqliteDatabase;

/// The most appends stored in one transaction.
const MAX_BATCH: usize = 256;
/// Appends that may wait for the writer; senders wait (briefly) when it is full.
const QUEUE_CAPACITY: usize = 4_096;

/// Called by the writer with the messages each transaction stored anew, in sequence order;
/// returns how many deliveries that made (messages times the members they reached).
pub type Publish = Arc<dyn Fn(&[ChatMessage]) -> usize + Send + Sync>;

/// After a transaction whose messages made at least this many deliveries (a room of a
/// thousand), the writer lets appends gather for the whole `gather`: there, one write per
/// member per message is what costs, and the window's messages reach each member in one.
const GATHER_FROM_DELIVERIES: usize = 500;

/// After a transaction that stored appends which arrived together (they come faster than
/// one commit), the writer lets the next ones gather this long (at most `gather`). Each
/// transaction costs the same whatever it holds (an fsync, the WAL's page writes, thread
/// wake-ups), and in a busy node of many small rooms that cost was most of the server's CPU:
/// committing about 5 messages at a time instead of 1.5 took 30 % of it off (rooms
/// scenario, docs/BENCHMARKS.md) for about 2 ms more latency. A lone message, or one sender
/// at a time, never waits.
const BUSY_GATHER: Duration = Duration::from_millis(1);

/// A failure of the store itself (not of the request).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database directory {path}: {source}")]
    Directory { path: String, source: std::io::Error },
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
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
    database: Database,
    appends: mpsc::Sender<AppendRequest>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

/// The engine behind the store. Each answers the same few questions in its own SQL dialect;
/// what the answers mean (pages, repeats, validation) is decided here, once.
#[derive(Debug, Clone)]
enum Database {
    Sqlite(SqliteDatabase),
    Postgres(PostgresDatabase),
}

struct AppendRequest {
    message: NewMessage,
    reply: oneshot::Sender<Result<Appended, StoreError>>,
}

impl Store {
    /// Opens the database at `url` (`sqlite://path/to/file.db`, created if needed, or
    /// `postgres://...`), applies the migrations, and starts the writer task, which calls
    /// `publish` with the messages each transaction stores. After a transaction whose messages
    /// reached many members the writer lets appends gather for `gather`: a message into a
    /// quiet room is stored at once, while in a busy big room the messages of those few
    /// milliseconds share one transaction, and each member receives them with one write to its
    /// socket instead of one per message (with many members, that write per message per
    /// member is what costs the server most; see docs/BENCHMARKS.md). After a transaction of
    /// appends that arrived together it waits [`BUSY_GATHER`] (at most `gather`; 0 never
    /// waits).
    pub async fn open(url: &str, publish: Publish, gather: Duration) -> Result<Self, StoreError> {
        let database = if url.starts_with("sqlite:") {
            Database::Sqlite(SqliteDatabase::open(url).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Database::Postgres(PostgresDatabase::open(url).await?)
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        let (appends, queue) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(write_batches(database.clone(), queue, publish, gather));
        Ok(Self { database, appends })
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
        let limit_sql = i64::from(limit);
        let rows = match &self.database {
            Database::Sqlite(db) => db.latest_before(room.as_str(), below, limit_sql).await?,
            Database::Postgres(db) => db.latest_before(room.as_str(), below, limit_sql).await?,
        };
        let mut messages = into_messages(rows)?;
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
        let above = to_sql_seq(after);
        let limit_sql = i64::from(limit) + 1;
        let rows = match &self.database {
            Database::Sqlite(db) => db.earliest_after(room.as_str(), above, limit_sql).await?,
            Database::Postgres(db) => db.earliest_after(room.as_str(), above, limit_sql).await?,
        };
        let mut messages = into_messages(rows)?;
        let reaches_end = messages.len() <= limit as usize;
        messages.truncate(limit as usize);
        Ok(HistoryPage { messages, reaches_start: after == 0, reaches_end })
    }

    /// The sequence number of the room's latest stored message (0 if none, or no such room).
    pub async fn last_seq(&self, room: &RoomName) -> Result<u64, StoreError> {
        let last = match &self.database {
            Database::Sqlite(db) => db.last_seq(room.as_str()).await?,
            Database::Postgres(db) => db.last_seq(room.as_str()).await?,
        };
        to_seq(last.unwrap_or(0))
    }

    /// Creates an empty room.
    pub async fn create_room(&self, room: &RoomName) -> Result<(), StoreError> {
        let created = match &self.database {
            Database::Sqlite(db) => db.create_room(room.as_str()).await?,
            Database::Postgres(db) => db.create_room(room.as_str()).await?,
        };
        if !created {
            return Err(StoreError::RoomExists(room.to_string()));
        }
        Ok(())
    }

    /// Every room with the sequence number of its latest message.
    pub async fn rooms(&self) -> Result<Vec<(RoomName, u64)>, StoreError> {
        let rows = match &self.database {
            Database::Sqlite(db) => db.rooms().await?,
            Database::Postgres(db) => db.rooms().await?,
        };
        rows.into_iter()
            .map(|(name, last_seq)| Ok((parse_room(name)?, to_seq(last_seq)?)))
            .collect()
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        match &self.database {
            Database::Sqlite(db) => db.ping().await,
            Database::Postgres(db) => db.ping().await,
        }
    }
}

impl Database {
    /// Stores a batch in one transaction. A database failure fails the whole batch (nothing
    /// is stored); an unknown room or a reused client id fails only its own append.
    async fn store_batch(
        &self,
        batch: &[&NewMessage],
    ) -> Result<Vec<Result<Appended, StoreError>>, StoreError> {
        match self {
            Self::Sqlite(db) => db.store_batch(batch).await,
            Self::Postgres(db) => db.store_batch(batch).await,
        }
    }
}

/// The writer task: batches appends into transactions until every [`Store`] handle is gone.
async fn write_batches(
    database: Database,
    mut queue: mpsc::Receiver<AppendRequest>,
    publish: Publish,
    gather: Duration,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut deliveries = 0;
        let arrived_together = batch.len() > 1;
        let messages: Vec<&NewMessage> = batch.iter().map(|request| &request.message).collect();
        match database.store_batch(&messages).await {
            Ok(outcomes) => {
                let stored: Vec<ChatMessage> = outcomes
                    .iter()
                    .filter_map(|outcome| match outcome {
                        Ok(Appended::New(message)) => Some(message.clone()),
                        _ => None,
                    })
                    .collect();
                // Published before any sender hears back, so a sender's acknowledgement never
                // overtakes the messages stored before its own.
                if !stored.is_empty() {
                    deliveries = publish(&stored);
                }
                for (request, outcome) in batch.drain(..).zip(outcomes) {
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
        let wait = if deliveries >= GATHER_FROM_DELIVERIES {
            gather
        } else if arrived_together {
            gather.min(BUSY_GATHER)
        } else {
            Duration::ZERO
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

/// The answer to a send whose client id the room already holds: the original, if this is a
/// retry of it (same author, same body). Anything else reusing the id is a client bug;
/// answering with someone else's acknowledgement would make its message vanish silently.
fn repeat_of(original: MessageRow, message: &NewMessage) -> Result<Appended, StoreError> {
    let original = original.into_message()?;
    if original.author != message.author || original.body != message.body {
        return Err(StoreError::ClientIdReused(message.client_id.as_str().to_owned()));
    }
    Ok(Appended::Repeat(original))
}

/// `message` as it is stored with sequence number `seq`: with the server's id and time.
fn stamp(message: &NewMessage, seq: i64) -> Result<ChatMessage, StoreError> {
    stamp_as(message, seq, new_message_id(), unix_millis_now())
}

/// [`stamp`] with the id and time chosen before the seq is known (SQLite's insert numbers
/// the message itself).
fn stamp_as(
    message: &NewMessage,
    seq: i64,
    id: String,
    sent_at: i64,
) -> Result<ChatMessage, StoreError> {
    Ok(ChatMessage {
        room: message.room.clone(),
        seq: to_seq(seq)?,
        id,
        client_id: message.client_id.clone(),
        author: message.author.clone(),
        body: message.body.clone(),
        sent_at,
    })
}

/// The server's id for a new message: a UUID v7, so ids sort by time.
fn new_message_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A `messages` row as the database returns it.
type MessageRow = (String, i64, String, String, String, String, i64);

fn into_messages(rows: Vec<MessageRow>) -> Result<Vec<ChatMessage>, StoreError> {
    rows.into_iter().map(MessageRow::into_message).collect()
}

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

pub(crate) fn unix_millis_now() -> i64 {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}
