//! What an engine answers about accounts and their sessions, in its own SQL dialect (see
//! [`super::engine`] for why boxed futures). What the rows mean is decided once, in
//! [`super::accounts`].

use futures_util::future::BoxFuture;

use super::error::StoreError;

/// An `accounts` row: id, username, username key, password hash, role, created at (ms).
pub type AccountRow = (i64, String, String, String, String, i64);

/// A new `accounts` row (the id is the database's).
#[derive(Debug)]
pub struct NewAccountRow<'a> {
    pub username: &'a str,
    pub username_key: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub created_at: i64,
}

/// A new `account_sessions` row.
#[derive(Debug)]
pub struct NewSessionRow<'a> {
    pub token_hash: &'a [u8],
    pub account_id: i64,
    pub created_at: i64,
    pub expires_at: i64,
}

/// Accounts in one engine.
pub trait AccountEngine: std::fmt::Debug + Send + Sync {
    /// Inserts an account; `None` if its username key is taken.
    fn insert_account<'a>(
        &'a self,
        account: &'a NewAccountRow<'a>,
    ) -> BoxFuture<'a, Result<Option<i64>, StoreError>>;

    /// Deletes the account `id` (and its sessions); false if there was none.
    fn delete_account(&self, id: i64) -> BoxFuture<'_, Result<bool, StoreError>>;

    /// The account whose username key is `key`.
    fn account_by_key<'a>(
        &'a self,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Option<AccountRow>, StoreError>>;

    /// Sets the role of the account whose username key is `key`; false if there is none.
    fn set_role<'a>(
        &'a self,
        key: &'a str,
        role: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;

    /// Every account, by username key.
    fn accounts(&self) -> BoxFuture<'_, Result<Vec<AccountRow>, StoreError>>;

    fn insert_session<'a>(
        &'a self,
        session: &'a NewSessionRow<'a>,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// The account of the session with `token_hash` if it has not expired at `now`, marking
    /// the session seen at `now`.
    fn account_of_session<'a>(
        &'a self,
        token_hash: &'a [u8],
        now: i64,
    ) -> BoxFuture<'a, Result<Option<AccountRow>, StoreError>>;

    /// Ends the session with `token_hash`; false if there was none.
    fn delete_session<'a>(
        &'a self,
        token_hash: &'a [u8],
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
}

/// The columns of an [`AccountRow`], in its order.
pub const ACCOUNT_COLUMNS: &str = "id, username, username_key, password_hash, role, created_at";
