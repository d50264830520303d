//! What bans of guests keep: the banned name (by its key) and the addresses the guest was
//! connected from, until when and why. Statements in [`super::guest_ban_statements`].

use std::net::IpAddr;

use common::Nickname;
use futures_util::future::BoxFuture;

use super::Store;
use super::error::StoreError;
use super::rows::unix_millis_now;

/// A new `guest_bans` row.
#[derive(Debug)]
pub struct NewGuestBanRow<'a> {
    pub nickname_key: &'a str,
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
        self.ban_guest_rows(&nickname.key(), None, ban).await
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
            self.ban_guest_rows(nickname_key, Some(&address.to_string()), ban).await?;
        }
        Ok(())
    }

    async fn ban_guest_rows(
        &self,
        nickname_key: &str,
        address: Option<&str>,
        ban: GuestBan<'_>,
    ) -> Result<(), StoreError> {
        let row = NewGuestBanRow {
            nickname_key,
            address,
            until: ban.until,
            reason: ban.reason,
            banned_by: ban.banned_by.as_str(),
            banned_at: unix_millis_now(),
        };
        self.guest_bans.insert_guest_ban(&row).await
    }

    /// The reason and end (ms) of a ban in force on a guest called `nickname` connecting from
    /// `address`, if there is one.
    pub async fn guest_ban(
        &self,
        nickname: &Nickname,
        address: IpAddr,
    ) -> Result<Option<(String, i64)>, StoreError> {
        let address = address.to_string();
        self.guest_bans.guest_ban(&nickname.key(), &address, unix_millis_now()).await
    }

    /// Lifts the ban of the guest name `nickname`, with its addresses; false if there was none.
    pub async fn lift_guest_ban(&self, nickname: &Nickname) -> Result<bool, StoreError> {
        self.guest_bans.lift_guest_ban(&nickname.key()).await
    }
}
