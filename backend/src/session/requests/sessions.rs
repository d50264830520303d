//! `sessions`: this account's sessions.

use common::{RequestId, ServerMessage, Sessions};

use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn sessions(&mut self, request_id: RequestId) -> Answer {
        let signed_in = self.account()?;
        let sessions =
            self.services.accounts.sessions(&signed_in.account, &signed_in.session).await?;
        Ok(Some(ServerMessage::Sessions(Sessions { request_id, sessions })))
    }
}
