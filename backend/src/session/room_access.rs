//! Requests about who may be in a room: creating rooms (public or private), inviting to and
//! removing from private rooms, and the check every room request makes first. What is
//! allowed is `common::permissions`' decision; this gathers what it needs to know.

use common::{ErrorCode, Nickname, Role, RoomName, RoomSummary};

use super::refusal::Refusal;
use super::state::Session;
use crate::hub::HubError;
use crate::store::{Account, AuditAction};
use common::permissions::{self, Action, Actor, RoomFacts};

/// How direct-message rooms are named (`dm-<id>-<id>`); other rooms may not start so.
pub(super) const DM_PREFIX: &str = "dm-";

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

    /// The room and the account a request to manage its members names, once the asker may
    /// manage them.
    pub(super) async fn managed(
        &self,
        room: &str,
        username: &str,
    ) -> Result<(RoomName, Account), Refusal> {
        self.identified()?;
        let room = RoomName::parse(room)?;
        self.allowed(Action::ManageMembers, &room).await?;
        Ok((room, self.account_named(username).await?))
    }

    /// Writes a change of a room's members to the audit log.
    pub(super) async fn record(
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
