//! `ban_guest`: bans a guest name, and the addresses its connections come from, on every
//! node; its connections are closed at once.

use common::permissions::{self, Action};
use common::{BanRecorded, Nickname, RequestId, Role, ServerMessage};
use tracing::info;

use crate::hub::GuestBanNews;
use crate::session::room_moderation::{ends_after, short};
use crate::session::state::{Answer, Session};
use crate::store::{AuditAction, GuestBan};

impl Session {
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
}
