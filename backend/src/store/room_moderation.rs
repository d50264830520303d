//! What a room's own moderation keeps: its moderators (the owner appoints them, in public
//! rooms too) and its mutes. Statements in [`super::room_moderation_statements`].

use common::{Nickname, RoomName, RoomRole};
use futures_util::future::BoxFuture;

use super::Store;
use super::error::StoreError;
use super::rows::{parse_room, unix_millis_now};

/// A `room_mutes` row as listed: room, nickname key, until (ms).
pub type MuteRow = (String, String, i64);

/// A new (or renewed) mute.
#[derive(Debug)]
pub struct NewMuteRow<'a> {
    pub room: &'a str,
    pub nickname_key: &'a str,
    pub until: i64,
    pub reason: &'a str,
    pub muted_at: i64,
}

/// A room's moderation in one engine.
pub trait RoomModeration: std::fmt::Debug + Send + Sync {
    /// Gives `account` the part `role` in `room`, whatever it had.
    fn set_room_role<'a>(
        &'a self,
        room: &'a str,
        account: i64,
        role: &'a str,
        now: i64,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Takes away `account`'s part in `room`; false if it had none.
    fn drop_room_role<'a>(
        &'a self,
        room: &'a str,
        account: i64,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;

    /// Mutes someone in a room (replacing an earlier mute of them there).
    fn set_mute<'a>(&'a self, mute: &'a NewMuteRow<'a>) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Lifts a mute; false if there was none.
    fn lift_mute<'a>(
        &'a self,
        room: &'a str,
        nickname_key: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;

    /// Every mute that has not ended by `now`.
    fn mutes(&self, now: i64) -> BoxFuture<'_, Result<Vec<MuteRow>, StoreError>>;
}

/// A mute in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mute {
    pub room: RoomName,
    /// The muted person's name key ([`Nickname::key`]).
    pub nickname_key: String,
    /// Milliseconds since the epoch; `i64::MAX` until lifted.
    pub until: i64,
}

impl Store {
    /// Makes `account` a moderator of `room` (`RoomRole::Moderator`), or takes that back
    /// (`RoomRole::Member`: in a private room it stays a member; in a public room, where
    /// members have no row, its row goes).
    pub async fn set_room_role(
        &self,
        room: &RoomName,
        account: i64,
        role: RoomRole,
        private: bool,
    ) -> Result<(), StoreError> {
        if role == RoomRole::Member && !private {
            self.database.drop_room_role(room.as_str(), account).await?;
            return Ok(());
        }
        let now = unix_millis_now();
        self.database.set_room_role(room.as_str(), account, role.as_str(), now).await
    }

    /// Mutes `nickname` in `room` until `until` (ms since the epoch; `i64::MAX` for good).
    pub async fn mute(
        &self,
        room: &RoomName,
        nickname: &Nickname,
        until: i64,
        reason: &str,
    ) -> Result<(), StoreError> {
        let key = nickname.key();
        let row = NewMuteRow {
            room: room.as_str(),
            nickname_key: &key,
            until,
            reason,
            muted_at: unix_millis_now(),
        };
        self.database.set_mute(&row).await
    }

    /// Lifts the mute of `nickname` in `room`; false if there was none.
    pub async fn unmute(&self, room: &RoomName, nickname: &Nickname) -> Result<bool, StoreError> {
        self.database.lift_mute(room.as_str(), &nickname.key()).await
    }

    /// Every mute in force now (read at start-up).
    pub async fn mutes(&self) -> Result<Vec<Mute>, StoreError> {
        let rows = self.database.mutes(unix_millis_now()).await?;
        rows.into_iter()
            .map(|(room, nickname_key, until)| {
                Ok(Mute { room: parse_room(room)?, nickname_key, until })
            })
            .collect()
    }
}
