//! `unban_guest`: lifts a guest name's ban and its addresses'.

use common::permissions::{self, Action};
use common::{BanLifted, Nickname, RequestId, Role, ServerMessage};
use tracing::info;

use crate::session::state::{Answer, Session};
use crate::store::AuditAction;

impl Session {
    pub(super) async fn unban_guest(&mut self, request_id: RequestId, nickname: &str) -> Answer {
        let actor = self.moderator().await?;
        permissions::check(&self.actor(), Action::Ban { target: Role::Guest }, None)?;
        let target = Nickname::parse(nickname)?;
        self.services.store.lift_guest_ban(&target).await?;
        let action = AuditAction {
            actor: &actor,
            action: "unban_guest",
            target: &target,
            room: None,
            reason: "",
        };
        self.services.store.audit(&action).await?;
        info!(unbanned = %target, by = %actor, "lifted a guest's ban");
        Ok(Some(ServerMessage::BanLifted(BanLifted { request_id, username: target })))
    }
}
