//! `change_password`: checks the current password, sets the new one, and ends the other
//! sessions.

use common::{PasswordChanged, RequestId, Secret, ServerMessage};

use crate::accounts::session_tag;
use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn change_password(
        &mut self,
        request_id: RequestId,
        current: &Secret,
        new: &Secret,
    ) -> Answer {
        let signed_in = self.account()?;
        let (account, session) = (&signed_in.account, &signed_in.session);
        let ended = self.services.accounts.change_password(account, session, current, new).await?;
        self.services.hub.sessions_ended(account.id, session_tag(session));
        Ok(Some(ServerMessage::PasswordChanged(PasswordChanged { request_id, ended })))
    }
}
