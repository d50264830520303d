//! `set_room_role`: makes an account a moderator of the room, or a member again.

use common::permissions::{self, Action};
use common::{ErrorCode, RequestId, RoomName, RoomRole, RoomRoleSet, ServerMessage};
use tracing::info;

use crate::session::refusal::Refusal;
use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn set_room_role(
        &mut self,
        request_id: RequestId,
        room: &str,
        username: &str,
        role: RoomRole,
    ) -> Answer {
        let actor = self.moderator().await?;
        let room = RoomName::parse(room)?;
        let facts = self.allowed(Action::AppointModerators, &room).await?;
        let target = self.account_named(username).await?;
        let target_part = self.services.store.room_role(&room, target.id).await?;
        let action = Action::SetRoomRole { to: role, target_part };
        permissions::check(&self.actor(), action, Some(&facts))?;
        if target_part.is_none() && facts.private {
            return Err(Refusal::new(
                ErrorCode::NotInRoom,
                format!("{} is not a member of {room}; invite them first", target.username),
            ));
        }
        self.services.store.set_room_role(&room, target.id, role, facts.private).await?;
        self.audit(&actor, "set_room_role", &target.username, &room, role.as_str()).await?;
        info!(room = %room, username = %target.username, role = role.as_str(), "set a room role");
        let username = target.username;
        Ok(Some(ServerMessage::RoomRoleSet(RoomRoleSet { request_id, room, username, role })))
    }
}
