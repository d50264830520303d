//! `unmute`: lifts a mute.

use common::{MuteLifted, RequestId, ServerMessage};
use tracing::info;

use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn unmute(
        &mut self,
        request_id: RequestId,
        room: &str,
        nickname: &str,
    ) -> Answer {
        let (actor, room, target) = self.moderated(room, nickname).await?;
        self.services.store.unmute(&room, &target).await?;
        self.services.hub.muted(&room, &target, None, "");
        self.audit(&actor, "unmute", &target, &room, "").await?;
        info!(room = %room, unmuted = %target, by = %actor, "lifted a mute");
        Ok(Some(ServerMessage::MuteLifted(MuteLifted { request_id, room, nickname: target })))
    }
}
