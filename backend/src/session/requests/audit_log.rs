//! `audit_log`: a page of moderation actions, for admins.

use common::permissions::{self, Action};
use common::{AuditLog, RequestId, ServerMessage};

use crate::session::state::{Answer, Session};
use crate::store::AUDIT_PAGE;

impl Session {
    pub(super) async fn audit_log(&mut self, request_id: RequestId, before: Option<u64>) -> Answer {
        self.moderator().await?;
        permissions::check(&self.actor(), Action::ReadAuditLog, None)?;
        let (entries, reaches_start) = self.services.store.audit_page(before, AUDIT_PAGE).await?;
        Ok(Some(ServerMessage::AuditLog(AuditLog { request_id, entries, reaches_start })))
    }
}
