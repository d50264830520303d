//! `sign_out`: ends this connection's session (an account's), then the connection; the
//! nickname is free at once, not kept for a reconnect.

use common::{ErrorCode, RequestId, ServerMessage, SignedOut};
use tracing::info;
use tungstenite::protocol::frame::coding::CloseCode;

use crate::accounts::session_tag;
use crate::frames::wire::Goodbye;
use crate::session::refusal::Refusal;
use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn sign_out(&mut self, request_id: RequestId) -> Answer {
        let Some(nickname) = &self.nickname else {
            return Err(Refusal::new(ErrorCode::NotIdentified, "say hello first"));
        };
        match &self.signed_in {
            Some(signed_in) => {
                self.services.accounts.sign_out(&signed_in.session).await?;
                // This browser's other tabs hold the same session: they are signed out too.
                let tag = session_tag(&signed_in.session);
                self.services.hub.session_ended(signed_in.account.id, tag, self.id);
                info!(account = %signed_in.account.username, "signed out");
            }
            None => info!(nickname = %nickname, "guest signed out"),
        }
        self.signed_out = true;
        self.closing = Some(Goodbye::new(CloseCode::Normal.into(), "signed out"));
        Ok(Some(ServerMessage::SignedOut(SignedOut { request_id })))
    }
}
