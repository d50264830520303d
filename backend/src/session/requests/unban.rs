//! `unban`: lifts an account's ban.

use common::permissions::{self, Action};
use common::{BanLifted, RequestId, ServerMessage};
use tracing::info;

use crate::session::state::{Answer, Session};
use crate::store::AuditAction;

impl Session {
    pub(super) async fn unban(&mut self, request_id: RequestId, username: &str) -> Answer {
        let actor = self.moderator().await?;
        let target = self.account_named(username).await?;
        permissions::check(&self.actor(), Action::Ban { target: target.role }, None)?;
        self.services.store.lift_ban(target.id).await?;
        let action = AuditAction {
            actor: &actor,
            action: "unban",
            target: &target.username,
            room: None,
            reason: "",
        };
        self.services.store.audit(&action).await?;
        info!(unbanned = %target.username, by = %actor, "lifted a ban");
        Ok(Some(ServerMessage::BanLifted(BanLifted { request_id, username: target.username })))
    }
}
