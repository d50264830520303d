//! The directory: rooms (their names, kind and latest seq), accounts, sign-in sessions and
//! private rooms' members. Its statements are the same text for both engines
//! ([`super::directory_statements`]); what the rows mean is decided in [`super::accounts`],
//! [`super::rooms`] and [`super::Store`]. (Messages, whose statements differ, are
//! [`super::Engine`]'s.)

use futures_util::future::BoxFuture;

use super::error::StoreError;

/// An `accounts` row: id, username, username key, password hash, role, created at (ms),
/// banned until (ms), ban reason.
pub type AccountRow = (i64, String, String, String, String, i64, Option<i64>, Option<String>);

/// The columns of an [`AccountRow`], in its order.
pub const ACCOUNT_COLUMNS: &str =
    "id, username, username_key, password_hash, role, created_at, banned_until, ban_reason";

/// An `audit_log` row: id, at (ms), actor, action, target, room, reason.
pub type AuditRow = (i64, i64, String, String, String, Option<String>, String);

/// A new `audit_log` row.
#[derive(Debug)]
pub struct NewAuditRow<'a> {
    pub at: i64,
    pub actor: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub room: Option<&'a str>,
    pub reason: &'a str,
}

/// An `account_sessions` row as listed: token hash, created, last seen, expires (ms).
pub type SessionRow = (Vec<u8>, i64, i64, i64);

/// A private room of an account: its name, and for direct messages the other member's name.
pub type PrivateRoomRow = (String, Option<String>);

/// A `rooms` row as listed: name, latest seq, private.
pub type RoomRow = (String, i64, bool);

/// A new room: public (no members kept), private (an owner), or direct messages (two members).
#[derive(Debug)]
pub struct NewRoomRow<'a> {
    pub name: &'a str,
    pub private: bool,
    pub dm: bool,
    /// (account id, role in the room).
    pub members: &'a [(i64, &'a str)],
    pub created_at: i64,
}

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

/// The directory in one engine.
pub trait Directory: std::fmt::Debug + Send + Sync {
    /// Creates an empty room with its first members, in one transaction; false if the name
    /// is taken.
    fn create_room<'a>(
        &'a self,
        room: &'a NewRoomRow<'a>,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;

    /// Every room, by name.
    fn rooms(&self) -> BoxFuture<'_, Result<Vec<RoomRow>, StoreError>>;

    /// Inserts an account; `None` if its username key is taken.
    fn insert_account<'a>(
        &'a self,
        account: &'a NewAccountRow<'a>,
    ) -> BoxFuture<'a, Result<Option<i64>, StoreError>>;

    /// Deletes the account `id` (and its sessions and memberships); false if there was none.
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

    /// Each account with sessions, and the latest activity (ms) of any of them.
    fn last_seen(&self) -> BoxFuture<'_, Result<Vec<(i64, i64)>, StoreError>>;

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

    /// Every unexpired session of `account`, newest first.
    fn sessions_of(
        &self,
        account: i64,
        now: i64,
    ) -> BoxFuture<'_, Result<Vec<SessionRow>, StoreError>>;

    /// Ends every session of `account` but the one with `keep`; how many ended.
    fn delete_sessions_except<'a>(
        &'a self,
        account: i64,
        keep: &'a [u8],
    ) -> BoxFuture<'a, Result<u64, StoreError>>;

    /// Replaces the password hash of `account`; false if there is no such account.
    fn set_password_hash<'a>(
        &'a self,
        account: i64,
        hash: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;

    /// Ends the session with `token_hash`; false if there was none.
    fn delete_session<'a>(
        &'a self,
        token_hash: &'a [u8],
    ) -> BoxFuture<'a, Result<bool, StoreError>>;

    /// The role `account` has in `room` (`owner`, `moderator`, `member`), if any.
    fn room_role<'a>(
        &'a self,
        room: &'a str,
        account: i64,
    ) -> BoxFuture<'a, Result<Option<String>, StoreError>>;

    /// Makes `account` a member of `room` with `role`; false if it was one already.
    fn add_room_member<'a>(
        &'a self,
        room: &'a str,
        account: i64,
        role: &'a str,
        now: i64,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;

    /// Removes `account` from `room`; false if it was not a member.
    fn remove_room_member<'a>(
        &'a self,
        room: &'a str,
        account: i64,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;

    /// The accounts with a part in `room` (username, part), in the order of their names.
    fn room_members<'a>(
        &'a self,
        room: &'a str,
    ) -> BoxFuture<'a, Result<Vec<(String, String)>, StoreError>>;

    /// The private rooms `account` is a member of, each with (for a direct-message room) the
    /// other member's username.
    fn private_rooms_of(
        &self,
        account: i64,
    ) -> BoxFuture<'_, Result<Vec<PrivateRoomRow>, StoreError>>;

    /// Bans `account` until `until` (ms; `None` lifts the ban) for `reason`; a ban also ends
    /// every session of the account, in the same transaction. False if there is no account.
    fn set_ban<'a>(
        &'a self,
        account: i64,
        until: Option<i64>,
        reason: Option<&'a str>,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;

    fn add_audit_entry<'a>(
        &'a self,
        entry: &'a NewAuditRow<'a>,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Up to `limit` audit entries with an id below `before`, newest first.
    fn audit_entries(
        &self,
        before: i64,
        limit: i64,
    ) -> BoxFuture<'_, Result<Vec<AuditRow>, StoreError>>;
}
