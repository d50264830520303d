//! Invite links, for admins: making one (the code is in the answer, once), listing them and
//! revoking one. Registering with one is `register`'s (`crate::accounts`).

use common::permissions::{self, Action};
use common::{InviteList, RequestId, ServerMessage};

use crate::session::state::{Answer, Session};

impl Session {
    /// `invites`.
    pub(super) async fn list_invites(&mut self, request_id: RequestId) -> Answer {
        self.moderator().await?;
        permissions::check(&self.actor(), Action::Administer, None)?;
        let invites = self.services.store.invites().await?;
        Ok(Some(ServerMessage::InviteList(InviteList { request_id, invites })))
    }
}
