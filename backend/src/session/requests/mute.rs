//! `mute`: `nickname` may read `room` but not write or type in it, for `minutes` or until
//! lifted.

use common::{MuteRecorded, RequestId, ServerMessage};
use tracing::info;

use crate::session::room_moderation::{ends_after, short};
use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn mute(
        &mut self,
        request_id: RequestId,
        room: &str,
        nickname: &str,
        reason: &str,
        minutes: Option<u32>,
    ) -> Answer {
        let (actor, room, target) = self.moderated(room, nickname).await?;
        let reason = short(reason);
        let until = ends_after(minutes);
        let stored_until = until.unwrap_or(i64::MAX);
        self.services.store.mute(&room, &target, stored_until, &reason).await?;
        self.services.hub.muted(&room, &target, Some(stored_until), &reason);
        self.audit(&actor, "mute", &target, &room, &reason).await?;
        info!(room = %room, muted = %target, by = %actor, "muted");
        let nickname = target;
        Ok(Some(ServerMessage::MuteRecorded(MuteRecorded { request_id, room, nickname, until })))
    }
}
