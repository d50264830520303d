//! `ban`: ends the account's sessions and connections on every node, and refuses its
//! sign-ins until the ban ends.

use common::permissions::{self, Action};
use common::{BanRecorded, RequestId, ServerMessage};
use tracing::info;

use crate::session::room_moderation::{ends_after, short};
use crate::session::state::{Answer, Session};
use crate::store::AuditAction;

impl Session {
    pub(super) async fn ban(
        &mut self,
        request_id: RequestId,
        username: &str,
        reason: &str,
        minutes: Option<u32>,
    ) -> Answer {
        let actor = self.moderator().await?;
        let target = self.account_named(username).await?;
        permissions::check(&self.actor(), Action::Ban { target: target.role }, None)?;
        // Also travels in close frames, cut to fit.
        let reason = short(reason);
        let until = ends_after(minutes);
        self.services.store.ban(target.id, until.unwrap_or(i64::MAX), &reason).await?;
        self.services.hub.banned(target.id, &reason);
        let action = AuditAction {
            actor: &actor,
            action: "ban",
            target: &target.username,
            room: None,
            reason: &reason,
        };
        self.services.store.audit(&action).await?;
        info!(banned = %target.username, by = %actor, "banned an account");
        let username = target.username;
        Ok(Some(ServerMessage::BanRecorded(BanRecorded { request_id, username, until })))
    }
}
