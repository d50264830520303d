//! Rooms as the rest of the server sees them: created public or private, listed with their
//! kind, and the members of private rooms with their role there.

use common::{Nickname, RoomMember, RoomName, RoomRole};

use super::Store;
use super::directory::NewRoomRow;
use super::error::StoreError;
use super::rows::{parse_room, to_seq, unix_millis_now};

/// A room as listed at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomListing {
    pub name: RoomName,
    pub last_seq: u64,
    /// Invite-only, shown to its members only.
    pub private: bool,
}

impl Store {
    /// Creates an empty public room, owned by `owner` if a registered account made it.
    pub async fn create_room(&self, room: &RoomName, owner: Option<i64>) -> Result<(), StoreError> {
        match owner {
            Some(owner) => {
                self.create(room, false, false, &[(owner, RoomRole::Owner.as_str())]).await
            }
            None => self.create(room, false, false, &[]).await,
        }
    }

    /// Creates an empty private room whose owner (and only member) is the account `owner`.
    pub async fn create_private_room(&self, room: &RoomName, owner: i64) -> Result<(), StoreError> {
        self.create(room, true, false, &[(owner, RoomRole::Owner.as_str())]).await
    }

    /// The direct-message room of the accounts `a` and `b`, created if it does not exist yet;
    /// true if it was created now.
    pub async fn direct_message_room(
        &self,
        a: i64,
        b: i64,
    ) -> Result<(RoomName, bool), StoreError> {
        let (low, high) = (a.min(b), a.max(b));
        let room = parse_room(format!("dm-{low}-{high}"))?;
        let member = RoomRole::Member.as_str();
        match self.create(&room, true, true, &[(low, member), (high, member)]).await {
            Ok(()) => Ok((room, true)),
            Err(StoreError::RoomExists(_)) => Ok((room, false)),
            Err(error) => Err(error),
        }
    }

    async fn create(
        &self,
        room: &RoomName,
        private: bool,
        dm: bool,
        members: &[(i64, &str)],
    ) -> Result<(), StoreError> {
        let row =
            NewRoomRow { name: room.as_str(), private, dm, members, created_at: unix_millis_now() };
        if !self.database.create_room(&row).await? {
            return Err(StoreError::RoomExists(room.to_string()));
        }
        Ok(())
    }

    /// Creates an empty room as an import found it (`private`: invite-only, with no members
    /// yet: accounts are not part of an export).
    pub async fn create_imported_room(
        &self,
        room: &RoomName,
        private: bool,
    ) -> Result<(), StoreError> {
        self.create(room, private, false, &[]).await
    }

    /// Every room with the sequence number of its latest message and its kind.
    pub async fn rooms(&self) -> Result<Vec<RoomListing>, StoreError> {
        let rows = self.database.rooms().await?;
        rows.into_iter()
            .map(|(name, last_seq, private)| {
                Ok(RoomListing { name: parse_room(name)?, last_seq: to_seq(last_seq)?, private })
            })
            .collect()
    }

    /// The part `account` has in `room`, if any (read where the latest change is visible).
    pub async fn room_role(
        &self,
        room: &RoomName,
        account: i64,
    ) -> Result<Option<RoomRole>, StoreError> {
        let role = self.database.room_role(room.as_str(), account).await?;
        role.as_deref()
            .map(|role| {
                RoomRole::parse(role)
                    .ok_or_else(|| StoreError::Corrupt(format!("room role {role:?}")))
            })
            .transpose()
    }

    /// Makes `account` a member of `room`; false if it was one already.
    pub async fn add_room_member(&self, room: &RoomName, account: i64) -> Result<bool, StoreError> {
        let member = RoomRole::Member.as_str();
        self.database.add_room_member(room.as_str(), account, member, unix_millis_now()).await
    }

    /// Removes `account` from `room`; false if it was not a member.
    pub async fn remove_room_member(
        &self,
        room: &RoomName,
        account: i64,
    ) -> Result<bool, StoreError> {
        self.database.remove_room_member(room.as_str(), account).await
    }

    /// The accounts with a part in `room`, each with it, in the order of their names.
    pub async fn room_members(&self, room: &RoomName) -> Result<Vec<RoomMember>, StoreError> {
        let rows = self.database.room_members(room.as_str()).await?;
        rows.into_iter()
            .map(|(username, role)| {
                let corrupt = || StoreError::Corrupt(format!("room member {username:?} {role:?}"));
                let role = RoomRole::parse(&role).ok_or_else(corrupt)?;
                let username = Nickname::parse(&username).map_err(|_| corrupt())?;
                Ok(RoomMember { username, role })
            })
            .collect()
    }

    /// The private rooms `account` is a member of, each with (for direct messages) the other
    /// person.
    pub async fn private_rooms_of(
        &self,
        account: i64,
    ) -> Result<Vec<(RoomName, Option<Nickname>)>, StoreError> {
        let rows = self.database.private_rooms_of(account).await?;
        rows.into_iter()
            .map(|(name, partner)| {
                let partner = partner
                    .map(|name| {
                        Nickname::parse(&name)
                            .map_err(|error| StoreError::Corrupt(format!("{name:?}: {error}")))
                    })
                    .transpose()?;
                Ok((parse_room(name)?, partner))
            })
            .collect()
    }
}
