//! What invite links keep: who made each, until when and how many times it may register
//! someone, how many it did, and whether it was revoked. Only a hash of each code. The
//! statements are in [`super::invite_statements`].

use common::{InviteInfo, Nickname};
use futures_util::future::BoxFuture;

use super::Store;
use super::error::StoreError;
use super::rows::unix_millis_now;

/// An `invites` row as listed: id, created by, created at, expires at (ms), max uses, uses,
/// revoked.
pub type InviteRow = (i64, String, i64, i64, Option<i64>, i64, bool);

/// A new invite.
#[derive(Debug)]
pub struct NewInviteRow<'a> {
    pub code_hash: &'a [u8],
    pub created_by: &'a str,
    pub created_at: i64,
    pub expires_at: i64,
    pub max_uses: Option<i64>,
}

/// Invite links in one engine.
pub trait InviteBook: std::fmt::Debug + Send + Sync {
    /// Stores a new invite; its id.
    fn insert_invite<'a>(
        &'a self,
        row: &'a NewInviteRow<'a>,
    ) -> BoxFuture<'a, Result<i64, StoreError>>;

    /// Whether the invite with this hash may register someone at `now`.
    fn invite_usable<'a>(
        &'a self,
        code_hash: &'a [u8],
        now: i64,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;

    /// Counts one use of the invite, if it may register someone at `now`; false otherwise
    /// (checked and counted in one statement: two registrations never share a last use).
    fn use_invite<'a>(
        &'a self,
        code_hash: &'a [u8],
        now: i64,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;

    /// Gives back a use counted for a registration that was then undone.
    fn give_back_invite<'a>(&'a self, code_hash: &'a [u8])
    -> BoxFuture<'a, Result<(), StoreError>>;

    /// The latest `limit` invites, newest first.
    fn invites(&self, limit: i64) -> BoxFuture<'_, Result<Vec<InviteRow>, StoreError>>;

    /// Revokes an invite; false if there is none with this id.
    fn revoke_invite(&self, id: i64) -> BoxFuture<'_, Result<bool, StoreError>>;
}

/// Invites in one listing.
pub const INVITES_LISTED: i64 = 200;

impl Store {
    /// Stores an invite made by `created_by`, good until `expires_at` (ms) for `max_uses`
    /// registrations (any number when `None`).
    pub async fn add_invite(
        &self,
        code_hash: &[u8],
        created_by: &Nickname,
        expires_at: i64,
        max_uses: Option<u32>,
    ) -> Result<InviteInfo, StoreError> {
        let created_at = unix_millis_now();
        let row = NewInviteRow {
            code_hash,
            created_by: created_by.as_str(),
            created_at,
            expires_at,
            max_uses: max_uses.map(i64::from),
        };
        let id = self.database.insert_invite(&row).await?;
        Ok(InviteInfo {
            id: u64::try_from(id).unwrap_or_default(),
            created_by: created_by.clone(),
            created_at,
            expires_at,
            max_uses,
            uses: 0,
            revoked: false,
        })
    }

    /// Whether the invite with this code hash may register someone now.
    pub async fn invite_usable(&self, code_hash: &[u8]) -> Result<bool, StoreError> {
        self.database.invite_usable(code_hash, unix_millis_now()).await
    }

    /// Counts one use of the invite if it may still register someone; false if not.
    pub async fn use_invite(&self, code_hash: &[u8]) -> Result<bool, StoreError> {
        self.database.use_invite(code_hash, unix_millis_now()).await
    }

    /// Gives back one use of the invite.
    pub async fn give_back_invite(&self, code_hash: &[u8]) -> Result<(), StoreError> {
        self.database.give_back_invite(code_hash).await
    }

    /// The latest invites, newest first.
    pub async fn invites(&self) -> Result<Vec<InviteInfo>, StoreError> {
        let rows = self.database.invites(INVITES_LISTED).await?;
        rows.into_iter()
            .map(|(id, created_by, created_at, expires_at, max_uses, uses, revoked)| {
                let count = |value: i64| u32::try_from(value).unwrap_or(u32::MAX);
                Ok(InviteInfo {
                    id: u64::try_from(id).unwrap_or_default(),
                    created_by: Nickname::parse(&created_by).map_err(|_| {
                        StoreError::Corrupt(format!("invite {id} made by {created_by:?}"))
                    })?,
                    created_at,
                    expires_at,
                    max_uses: max_uses.map(count),
                    uses: count(uses),
                    revoked,
                })
            })
            .collect()
    }

    /// Revokes the invite `id`; false if there is none.
    pub async fn revoke_invite(&self, id: u64) -> Result<bool, StoreError> {
        self.database.revoke_invite(i64::try_from(id).unwrap_or(i64::MAX)).await
    }
}
