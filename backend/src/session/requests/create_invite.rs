//! Invite links, for admins: making one (the code is in the answer, once), listing them and
//! revoking one. Registering with one is `register`'s (`crate::accounts`).

use std::time::Duration;

use common::permissions::{self, Action};
use common::{InviteCreated, RequestId, ServerMessage};
use tracing::info;

use crate::accounts::Accounts;
use crate::session::state::{Answer, Session};
use crate::store::now_millis;

/// How long an invite lasts when its maker does not say.
const DEFAULT_HOURS: u32 = 7 * 24;
/// The longest an invite may last.
const MAX_HOURS: u32 = 365 * 24;

impl Session {
    /// `create_invite`.
    pub(super) async fn create_invite(
        &mut self,
        request_id: RequestId,
        max_uses: Option<u32>,
        hours: Option<u32>,
    ) -> Answer {
        let admin = self.moderator().await?;
        permissions::check(&self.actor(), Action::Administer, None)?;
        let hours = hours.unwrap_or(DEFAULT_HOURS).clamp(1, MAX_HOURS);
        let lifetime = Duration::from_secs(u64::from(hours) * 3_600).as_millis();
        let expires_at = now_millis().saturating_add(i64::try_from(lifetime).unwrap_or(i64::MAX));
        let (code, hash) = Accounts::new_invite_code();
        let max_uses = max_uses.map(|uses| uses.max(1));
        let invite = self.services.store.add_invite(&hash, &admin, expires_at, max_uses).await?;
        info!(by = %admin, id = invite.id, hours, ?max_uses, "made an invite link");
        Ok(Some(ServerMessage::InviteCreated(InviteCreated { request_id, invite, code })))
    }
}
