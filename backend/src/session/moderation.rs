//! Moderation requests: banning and unbanning accounts server-wide, and reading the audit log.
//! Each action is checked by `common::permissions` and written to the audit log.

use common::{AuditLog, BanLifted, BanRecorded, Nickname, RequestId, Role, ServerMessage};
use tracing::info;

use super::refusal::{Refusal, sign_in_first};
use super::requests::{Answer, Session};
use super::room_moderation::{ends_after, short};
use crate::hub::GuestBanNews;
use crate::store::{AUDIT_PAGE, AuditAction, GuestBan};
use common::permissions::{self, Action};

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

    /// `ban_guest`: bans a guest name, and the addresses its connections come from, on every
    /// node; its connections are closed at once.
    pub(super) async fn ban_guest(
        &mut self,
        request_id: RequestId,
        nickname: &str,
        reason: &str,
        minutes: Option<u32>,
    ) -> Answer {
        let actor = self.moderator().await?;
        permissions::check(&self.actor(), Action::Ban { target: Role::Guest }, None)?;
        let target = Nickname::parse(nickname)?;
        let held_by_account = self.services.store.account_named(&target).await?.is_some();
        permissions::check(&self.actor(), Action::BanGuestName { held_by_account }, None)?;
        let reason = short(reason);
        let until = ends_after(minutes);
        let ban = GuestBan { banned_by: &actor, reason: &reason, until: until.unwrap_or(i64::MAX) };
        self.services.store.ban_guest(&target, ban).await?;
        let news =
            GuestBanNews { banned_by: actor.clone(), reason: reason.clone(), until: ban.until };
        let key = target.key();
        let addresses = self.services.hub.guest_banned(&key, &news);
        self.services.store.ban_guest_addresses(&key, &addresses, ban).await?;
        let action = AuditAction {
            actor: &actor,
            action: "ban_guest",
            target: &target,
            room: None,
            reason: &reason,
        };
        self.services.store.audit(&action).await?;
        info!(banned = %target, by = %actor, addresses = addresses.len(), "banned a guest");
        Ok(Some(ServerMessage::BanRecorded(BanRecorded { request_id, username: target, until })))
    }

    /// `unban_guest`: lifts a guest name's ban and its addresses'.
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
        permissions::check(&self.actor(), Action::Moderate, None)?;
        // The judge let only an account through: `actor()` has one exactly when signed in.
        let signed_in = self.signed_in.as_mut().ok_or_else(sign_in_first)?;
        let username = signed_in.account.username.clone();
        if let Some(now) = self.services.store.account_named(&username).await? {
            signed_in.account.role = now.role;
        }
        Ok(username)
    }
}
