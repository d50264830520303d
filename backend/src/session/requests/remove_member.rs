//! `remove_member`: takes an account out of a private room, on every node at once.

use common::permissions::Action;
use common::{ErrorCode, MemberRemoved, RequestId, ServerMessage};
use tracing::info;

use crate::session::refusal::Refusal;
use crate::session::state::{Answer, Session};

impl Session {
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
}
