//! Moderation requests: banning and unbanning accounts server-wide, and reading the audit log.
//! Each action is checked by `common::permissions` and written to the audit log.

use super::refusal::{Refusal, sign_in_first};
use super::state::Session;
use common::permissions::{self, Action};

impl Session {
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
