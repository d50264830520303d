//! How the store fails: the store itself (database, migration, shutdown) or one request
//! (unknown room, reused client id).

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
    #[error("no message with seq {seq} in room {room:?}, or it was deleted already")]
    UnknownMessage { room: String, seq: u64 },
    #[error(transparent)]
    TooManyReactions(#[from] common::TooManyReactions),
    #[error("an account already has the name {0:?}")]
    NameRegistered(String),
    #[error("the stored row is invalid: {0}")]
    Corrupt(String),
    #[error("the message could not be stored: {0}")]
    BatchFailed(String),
    #[error("{0}")]
    Unsupported(&'static str),
}
