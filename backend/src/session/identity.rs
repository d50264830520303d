//! How a connection gets its identity: `hello` as a guest or with an account's session token,
//! `register`, `sign_in`, and `sign_out`. Whoever it is, the name is then claimed the same way
//! (in the cluster, then on this node: `crate::cluster::nicknames`) and the client welcomed.

use common::{
    ErrorCode, Nickname, PROTOCOL_VERSION, RequestId, Role, RoomSummary, Secret, ServerMessage,
    Welcome,
};
use tracing::info;
use tungstenite::protocol::frame::coding::CloseCode;

use super::refusal::Refusal;
use super::state::{Answer, Session};
use crate::accounts::{SignedIn, claim_token, session_tag};
use crate::cluster::nicknames::ClaimError;
use crate::frames::wire::Goodbye;
use crate::metrics::names::SIGN_INS;

impl Session {
    /// The account this connection signed in to, or a refusal.
    pub(super) fn account(&self) -> Result<SignedIn, Refusal> {
        self.signed_in.as_deref().cloned().ok_or_else(|| {
            Refusal::new(ErrorCode::NotIdentified, "this connection is not signed in to an account")
        })
    }

    /// Claims the account's name and welcomes it, with its role and session token.
    pub(super) async fn signed_in(&mut self, request_id: RequestId, signed_in: SignedIn) -> Answer {
        let token = claim_token(&signed_in.account);
        let (nickname, token) = self.claim(&signed_in.account.username, Some(&token)).await?;
        info!(nickname = %nickname, role = signed_in.account.role.as_str(), "identified");
        metrics::counter!(SIGN_INS, "kind" => "account").increment(1);
        let (role, session) = (signed_in.account.role, Some(signed_in.session.clone()));
        let tag = session_tag(&signed_in.session);
        self.services.hub.signed_in(self.id, signed_in.account.id, tag);
        self.signed_in = Some(Box::new(signed_in));
        let rooms = self.visible_rooms().await?;
        Ok(Some(self.welcome(request_id, nickname, token, rooms, role, session)))
    }

    /// Refuses an identifying request on a connection that has an identity, or in another
    /// protocol version.
    pub(super) fn unidentified(&self, protocol: u32) -> Result<(), Refusal> {
        if self.nickname.is_some() {
            return Err(Refusal::new(
                ErrorCode::AlreadyIdentified,
                "this connection already has a nickname",
            ));
        }
        if protocol != PROTOCOL_VERSION {
            return Err(Refusal::new(
                ErrorCode::UnsupportedProtocol,
                format!(
                    "this server speaks protocol {PROTOCOL_VERSION}, not {protocol}; reload the page"
                ),
            ));
        }
        Ok(())
    }

    /// Claims `requested` for this connection (in the cluster first, then here) under
    /// `token`, and takes the name it is held by.
    pub(super) async fn claim(
        &mut self,
        requested: &Nickname,
        token: Option<&str>,
    ) -> Result<(Nickname, String), Refusal> {
        let claimed =
            self.services.nicknames.claim(self.id, requested, token, &self.frame_queue).await;
        match claimed {
            Ok((nickname, token)) => {
                self.nickname = Some(nickname.clone());
                Ok((nickname, token))
            }
            Err(ClaimError::Refused(refusal)) => Err(refusal.into()),
            Err(ClaimError::Unreachable(unreachable)) => {
                // Nothing this client can fix: it reconnects (with backoff, perhaps to another
                // node) and says hello again.
                self.closing = Some(Goodbye::new(CloseCode::Again.into(), "try again later"));
                Err(Refusal::new(ErrorCode::Unavailable, unreachable.to_string()))
            }
        }
    }

    pub(super) fn welcome(
        &self,
        request_id: RequestId,
        nickname: Nickname,
        token: String,
        rooms: Vec<RoomSummary>,
        role: Role,
        session: Option<Secret>,
    ) -> ServerMessage {
        let protocol = PROTOCOL_VERSION;
        ServerMessage::Welcome(Welcome {
            request_id,
            protocol,
            nickname,
            token,
            rooms,
            role,
            session,
        })
    }
}
