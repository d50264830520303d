//! Requests about who may be in a room: creating rooms (public or private), inviting to and
//! removing from private rooms, and the check every room request makes first. What is
//! allowed is `common::permissions`' decision; this gathers what it needs to know.

use common::{
    Created, DmOpened, ErrorCode, Invited, MemberRemoved, Nickname, RequestId, Role, RoomName,
    RoomSummary, ServerMessage,
};
use tracing::info;

use super::refusal::{Refusal, sign_in_first};
use super::requests::{Answer, Session};
use crate::hub::HubError;
use crate::store::{Account, AuditAction};
use common::permissions::{self, Action, Actor, RoomFacts};

/// How direct-message rooms are named (`dm-<id>-<id>`); other rooms may not start so.
const DM_PREFIX: &str = "dm-";

impl Session {
    /// Who this connection is, for the permission check.
    pub(super) fn actor(&self) -> Actor {
        match &self.signed_in {
            Some(signed_in) => Actor { role: signed_in.account.role },
            None => Actor { role: Role::Guest },
        }
    }

    /// The account this connection is signed in to, if any.
    pub(super) fn account_id(&self) -> Option<i64> {
        self.signed_in.as_ref().map(|signed_in| signed_in.account.id)
    }

    /// Refuses `action` in `room` unless the permission check allows it (asking the store for
    /// this person's part in the room: the latest word, on every node). Returns what the
    /// check knew of the room.
    pub(super) async fn allowed(
        &self,
        action: Action,
        room: &RoomName,
    ) -> Result<RoomFacts, Refusal> {
        let private = self
            .services
            .hub
            .is_private(room)
            .ok_or_else(|| HubError::UnknownRoom(room.to_string()))?;
        let actor = self.actor();
        // A part in a public room only matters to its moderation (and to show it on joining):
        // entering or reading one asks nothing of the store.
        let ask_store = private || !matches!(action, Action::Enter);
        let role_in_room = match (ask_store, self.account_id()) {
            (true, Some(account)) => self.services.store.room_role(room, account).await?,
            _ => None,
        };
        let facts = RoomFacts { private, role_in_room };
        permissions::check(&actor, action, Some(&facts))?;
        Ok(facts)
    }

    /// The rooms this connection may see: every public room, and its account's private ones.
    pub(super) async fn visible_rooms(&self) -> Result<Vec<RoomSummary>, Refusal> {
        let private = match &self.signed_in {
            Some(signed_in) => self.services.store.private_rooms_of(signed_in.account.id).await?,
            None => Vec::new(),
        };
        Ok(self.services.hub.rooms(&private))
    }

    /// `create_room`: a public room for anyone who said hello; a private one for an account,
    /// which becomes its owner.
    pub(super) async fn create_room(
        &mut self,
        request_id: RequestId,
        room: &str,
        private: bool,
    ) -> Answer {
        let nickname = self.identified()?.clone();
        let room = RoomName::parse(room)?;
        if room.as_str().starts_with(DM_PREFIX) {
            return Err(Refusal::new(
                ErrorCode::InvalidRoomName,
                format!("room names starting with {DM_PREFIX:?} are kept for direct messages"),
            ));
        }
        if private {
            let actor = self.actor();
            permissions::check(&actor, Action::CreatePrivateRoom, None)?;
            // The judge let only an account through.
            let owner = self.account_id().ok_or_else(sign_in_first)?;
            self.services.store.create_private_room(&room, owner).await?;
            self.services.hub.private_room_created(room.clone(), owner);
        } else {
            self.services.store.create_room(&room, self.account_id()).await?;
            self.services.hub.room_created(room.clone());
        }
        info!(nickname = %nickname, room = %room, private, "created a room");
        Ok(Some(ServerMessage::Created(Created { request_id, room })))
    }

    /// `open_dm`: the direct-message room with another account, made the first time.
    pub(super) async fn open_dm(&mut self, request_id: RequestId, username: &str) -> Answer {
        self.identified()?;
        let actor = self.actor();
        permissions::check(&actor, Action::OpenDirectMessages { with_self: false }, None)?;
        // The judge let only an account through.
        let me = self.signed_in.as_ref().map(|signed_in| signed_in.account.clone());
        let me = me.ok_or_else(sign_in_first)?;
        let other = self.account_named(username).await?;
        let with_self = other.id == me.id;
        permissions::check(&actor, Action::OpenDirectMessages { with_self }, None)?;
        let (room, created) = self.services.store.direct_message_room(me.id, other.id).await?;
        if created {
            let people = ((me.id, me.username.clone()), (other.id, other.username.clone()));
            self.services.hub.direct_messages_created(room.clone(), people.0, people.1);
            info!(room = %room, "opened direct messages");
        } else {
            // The name is kept for direct messages, so this never refuses; but if it did, no
            // one may be let into someone else's room by it.
            let mine = self.services.store.room_role(&room, me.id).await?.is_some();
            permissions::check(&actor, Action::ReadDirectMessages { mine }, None)?;
        }
        Ok(Some(ServerMessage::DmOpened(DmOpened { request_id, room, with: other.username })))
    }

    /// `invite`: makes an account a member of a private room.
    pub(super) async fn invite(
        &mut self,
        request_id: RequestId,
        room: &str,
        username: &str,
    ) -> Answer {
        let (room, account) = self.managed(room, username).await?;
        self.services.store.add_room_member(&room, account.id).await?;
        self.services.hub.invited(&room, account.id, None);
        self.record("invite", &account.username, &room).await?;
        info!(room = %room, invited = %account.username, "invited");
        Ok(Some(ServerMessage::Invited(Invited { request_id, room, username: account.username })))
    }

    /// `remove_member`: takes an account out of a private room, on every node at once.
    pub(super) async fn remove_member(
        &mut self,
        request_id: RequestId,
        room: &str,
        username: &str,
    ) -> Answer {
        let (room, account) = self.managed(room, username).await?;
        match self.services.store.room_role(&room, account.id).await? {
            None => {
                return Err(Refusal::new(
                    ErrorCode::NotInRoom,
                    format!("{} is not a member of {room}", account.username),
                ));
            }
            Some(target_part) => {
                self.allowed(Action::RemoveMember { target_part }, &room).await?;
            }
        }
        self.services.store.remove_room_member(&room, account.id).await?;
        self.services.hub.removed(&room, account.id);
        self.record("remove_member", &account.username, &room).await?;
        info!(room = %room, removed = %account.username, "removed a member");
        Ok(Some(ServerMessage::MemberRemoved(MemberRemoved {
            request_id,
            room,
            username: account.username,
        })))
    }

    /// The room and the account a request to manage its members names, once the asker may
    /// manage them.
    async fn managed(&self, room: &str, username: &str) -> Result<(RoomName, Account), Refusal> {
        self.identified()?;
        let room = RoomName::parse(room)?;
        self.allowed(Action::ManageMembers, &room).await?;
        Ok((room, self.account_named(username).await?))
    }

    /// Writes a change of a room's members to the audit log.
    async fn record(
        &self,
        action: &str,
        target: &Nickname,
        room: &RoomName,
    ) -> Result<(), Refusal> {
        let Some(signed_in) = &self.signed_in else { return Ok(()) };
        let entry = AuditAction {
            actor: &signed_in.account.username,
            action,
            target,
            room: Some(room),
            reason: "",
        };
        Ok(self.services.store.audit(&entry).await?)
    }

    pub(super) async fn account_named(&self, username: &str) -> Result<Account, Refusal> {
        let unknown =
            || Refusal::new(ErrorCode::UnknownAccount, format!("no account is named {username:?}"));
        let name = Nickname::parse(username).map_err(|_| unknown())?;
        self.services.store.account_named(&name).await?.ok_or_else(unknown)
    }
}
