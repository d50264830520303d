//! What bans of guests keep: the banned name (by its key) and the addresses the guest was
//! connected from, until when and why. Statements in [`super::guest_ban_statements`].

use std::net::IpAddr;

use common::{GuestBanInfo, Nickname};
use futures_util::future::BoxFuture;

use super::Store;
use super::error::StoreError;
use super::rows::unix_millis_now;

/// A `guest_bans` row of a name as listed: nickname, until, reason, banned by, banned at, how
/// many address rows.
pub type GuestBanRow = (String, i64, String, String, i64, i64);

/// A new `guest_bans` row.
#[derive(Debug)]
pub struct NewGuestBanRow<'a> {
    pub nickname_key: &'a str,
    /// The name as written (`""` on address rows found by other nodes, which know the key).
    pub nickname: &'a str,
    /// `None` for the row of the name itself.
    pub address: Option<&'a str>,
    pub until: i64,
    pub reason: &'a str,
    pub banned_by: &'a str,
    pub banned_at: i64,
}

/// Guest bans in one engine.
pub trait GuestBanBook: std::fmt::Debug + Send + Sync {
    fn insert_guest_ban<'a>(
        &'a self,
        row: &'a NewGuestBanRow<'a>,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// The reason and end of a ban in force at `now` on the name key or the address.
    fn guest_ban<'a>(
        &'a self,
        nickname_key: &'a str,
        address: &'a str,
        now: i64,
    ) -> BoxFuture<'a, Result<Option<(String, i64)>, StoreError>>;

    /// The bans of names in force at `now`, latest first, with how many addresses each holds.
    fn guest_bans(&self, now: i64) -> BoxFuture<'_, Result<Vec<GuestBanRow>, StoreError>>;

    /// Deletes every row of the ban of the name key; false if there was none.
    fn lift_guest_ban<'a>(
        &'a self,
        nickname_key: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
}

/// Who banned a guest, why and until when.
#[derive(Debug, Clone, Copy)]
pub struct GuestBan<'a> {
    pub banned_by: &'a Nickname,
    pub reason: &'a str,
    /// Milliseconds since the epoch; `i64::MAX` until lifted.
    pub until: i64,
}

impl Store {
    /// Bans the guest name `nickname` (every spelling of it).
    pub async fn ban_guest(
        &self,
        nickname: &Nickname,
        ban: GuestBan<'_>,
    ) -> Result<(), StoreError> {
        self.ban_guest_rows(&nickname.key(), nickname.as_str(), None, ban).await
    }

    /// The bans of guest names in force, latest first.
    pub async fn guest_bans(&self) -> Result<Vec<GuestBanInfo>, StoreError> {
        let rows = self.database.guest_bans(unix_millis_now()).await?;
        let name = |name: &str| {
            Nickname::parse(name).map_err(|_| StoreError::Corrupt(format!("guest ban of {name:?}")))
        };
        rows.into_iter()
            .map(|(nickname, until, reason, banned_by, banned_at, addresses)| {
                Ok(GuestBanInfo {
                    nickname: name(&nickname)?,
                    until: (until != i64::MAX).then_some(until),
                    reason,
                    banned_by: name(&banned_by)?,
                    banned_at,
                    addresses: u32::try_from(addresses).unwrap_or(u32::MAX),
                })
            })
            .collect()
    }

    /// Adds `addresses` (where the guest whose name has the key `nickname_key` was connected)
    /// to its ban.
    pub async fn ban_guest_addresses(
        &self,
        nickname_key: &str,
        addresses: &[IpAddr],
        ban: GuestBan<'_>,
    ) -> Result<(), StoreError> {
        for address in addresses {
            self.ban_guest_rows(nickname_key, "", Some(&address.to_string()), ban).await?;
        }
        Ok(())
    }

    async fn ban_guest_rows(
        &self,
        nickname_key: &str,
        nickname: &str,
        address: Option<&str>,
        ban: GuestBan<'_>,
    ) -> Result<(), StoreError> {
        let row = NewGuestBanRow {
            nickname_key,
            nickname,
            address,
            until: ban.until,
            reason: ban.reason,
            banned_by: ban.banned_by.as_str(),
            banned_at: unix_millis_now(),
        };
        self.database.insert_guest_ban(&row).await
    }

    /// The reason and end (ms) of a ban in force on a guest called `nickname` connecting from
    /// `address`, if there is one.
    pub async fn guest_ban(
        &self,
        nickname: &Nickname,
        address: IpAddr,
    ) -> Result<Option<(String, i64)>, StoreError> {
        let address = address.to_string();
        self.database.guest_ban(&nickname.key(), &address, unix_millis_now()).await
    }

    /// Lifts the ban of the guest name `nickname`, with its addresses; false if there was none.
    pub async fn lift_guest_ban(&self, nickname: &Nickname) -> Result<bool, StoreError> {
        self.database.lift_guest_ban(&nickname.key()).await
    }
}
