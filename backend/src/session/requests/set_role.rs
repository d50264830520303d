//! The admin view's people: every account with its role, last activity and ban, the guests'
//! bans in force, and giving an account a server role (which counts at once, on every node).
//! Admins only (`common::permissions`).

use common::permissions::{self, Action};
use common::{ErrorCode, RequestId, Role, RoleSet, ServerMessage};
use tracing::info;

use crate::session::refusal::Refusal;
use crate::session::state::{Answer, Session};
use crate::store::AuditAction;

impl Session {
    /// `set_role`.
    pub(super) async fn set_role(
        &mut self,
        request_id: RequestId,
        username: &str,
        role: Role,
    ) -> Answer {
        let admin = self.moderator().await?;
        permissions::check(&self.actor(), Action::Administer, None)?;
        if !role.is_registered() {
            return Err(Refusal::new(
                ErrorCode::InvalidMessage,
                "an account's role is member, moderator or admin",
            ));
        }
        let target = self.account_named(username).await?;
        let own = target.username.key() == admin.key();
        permissions::check(&self.actor(), Action::SetServerRole { own }, None)?;
        self.services.store.set_role(&target.username, role).await?;
        self.services.hub.role_changed(target.id, role);
        let entry = AuditAction {
            actor: &admin,
            action: "set_role",
            target: &target.username,
            room: None,
            reason: role.as_str(),
        };
        self.services.store.audit(&entry).await?;
        info!(username = %target.username, role = role.as_str(), by = %admin, "set a server role");
        Ok(Some(ServerMessage::RoleSet(RoleSet { request_id, username: target.username, role })))
    }
}
