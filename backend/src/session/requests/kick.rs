//! `kick`: every connection of `nickname` leaves the room, on every node.

use common::{KickDone, RequestId, ServerMessage};
use tracing::info;

use crate::session::room_moderation::short;
use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn kick(
        &mut self,
        request_id: RequestId,
        room: &str,
        nickname: &str,
        reason: &str,
    ) -> Answer {
        let (actor, room, target) = self.moderated(room, nickname).await?;
        let reason = short(reason);
        self.services.hub.kicked(&room, &target, &actor, &reason);
        self.audit(&actor, "kick", &target, &room, &reason).await?;
        info!(room = %room, kicked = %target, by = %actor, "kicked");
        Ok(Some(ServerMessage::KickDone(KickDone { request_id, room, nickname: target })))
    }
}
