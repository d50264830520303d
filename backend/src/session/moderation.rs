//! Moderation requests: banning and unbanning accounts server-wide, and reading the audit log.
//! Each action is checked by `crate::permissions` and written to the audit log.

use std::time::Duration;

use common::{AuditLog, BanLifted, BanRecorded, ErrorCode, RequestId, ServerMessage};
use tracing::info;

use super::refusal::Refusal;
use super::requests::{Answer, Session};
use super::room_moderation::short;
use crate::permissions::{self, Action};
use crate::store::{AUDIT_PAGE, AuditAction, now_millis};

impl Session {
    /// `ban`: ends the account's sessions and connections on every node, and refuses its
    /// sign-ins until the ban ends.
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
        let until = minutes.map(|minutes| {
            let length = Duration::from_secs(u64::from(minutes) * 60).as_millis();
            now_millis().saturating_add(i64::try_from(length).unwrap_or(i64::MAX))
        });
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

    /// `unban`: lifts an account's ban.
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

    /// `audit_log`: a page of moderation actions, for admins.
    pub(super) async fn audit_log(&mut self, request_id: RequestId, before: Option<u64>) -> Answer {
        self.moderator().await?;
        permissions::check(&self.actor(), Action::ReadAuditLog, None)?;
        let (entries, reaches_start) = self.services.store.audit_page(before, AUDIT_PAGE).await?;
        Ok(Some(ServerMessage::AuditLog(AuditLog { request_id, entries, reaches_start })))
    }

    /// The account name of a connection signed in to an account (moderation needs one),
    /// after reading its server role again: a role given or taken away a moment ago (by an
    /// admin, or `backend user set-role`) counts at once.
    pub(super) async fn moderator(&mut self) -> Result<common::Nickname, Refusal> {
        self.identified()?;
        let signed_in = self.signed_in.as_mut().ok_or_else(|| {
            Refusal::new(ErrorCode::Forbidden, "moderation needs a moderator's account")
        })?;
        let username = signed_in.account.username.clone();
        if let Some(now) = self.services.store.account_named(&username).await? {
            signed_in.account.role = now.role;
        }
        Ok(username)
    }
}
