//! `sign_out_elsewhere`: ends every other session of this account, and closes their
//! connections on every node.

use common::{RequestId, ServerMessage, SignedOutElsewhere};

use crate::accounts::session_tag;
use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn sign_out_elsewhere(&mut self, request_id: RequestId) -> Answer {
        let signed_in = self.account()?;
        let accounts = &self.services.accounts;
        let ended = accounts.sign_out_elsewhere(&signed_in.account, &signed_in.session).await?;
        self.services.hub.sessions_ended(signed_in.account.id, session_tag(&signed_in.session));
        Ok(Some(ServerMessage::SignedOutElsewhere(SignedOutElsewhere { request_id, ended })))
    }
}
