//! Invite links, for admins: making one (the code is in the answer, once), listing them and
//! revoking one. Registering with one is `register`'s (`crate::accounts`).

use common::permissions::{self, Action};
use common::{InviteRevoked, RequestId, ServerMessage};
use tracing::info;

use crate::session::state::{Answer, Session};

impl Session {
    /// `revoke_invite`.
    pub(super) async fn revoke_invite(&mut self, request_id: RequestId, id: u64) -> Answer {
        let admin = self.moderator().await?;
        permissions::check(&self.actor(), Action::Administer, None)?;
        self.services.store.revoke_invite(id).await?;
        info!(by = %admin, id, "revoked an invite link");
        Ok(Some(ServerMessage::InviteRevoked(InviteRevoked { request_id, id })))
    }
}
