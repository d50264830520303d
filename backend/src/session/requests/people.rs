//! The admin view's people: every account with its role, last activity and ban, the guests'
//! bans in force, and giving an account a server role (which counts at once, on every node).
//! Admins only (`common::permissions`).

use common::permissions::{self, Action};
use common::{People, RequestId, ServerMessage};

use crate::session::state::{Answer, Session};

impl Session {
    /// `people`.
    pub(super) async fn people(&mut self, request_id: RequestId) -> Answer {
        self.moderator().await?;
        permissions::check(&self.actor(), Action::Administer, None)?;
        let people = self.services.store.people().await?;
        let guest_bans = self.services.store.guest_bans().await?;
        Ok(Some(ServerMessage::People(People { request_id, people, guest_bans })))
    }
}
