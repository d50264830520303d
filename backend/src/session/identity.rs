//! How a connection gets its identity: `hello` as a guest or with an account's session token,
//! `register`, `sign_in`, and `sign_out`. Whoever it is, the name is then claimed the same way
//! (in the cluster, then on this node: `crate::cluster::nicknames`) and the client welcomed.

use common::{
    ErrorCode, Nickname, PROTOCOL_VERSION, RequestId, Role, RoomSummary, Secret, ServerMessage,
    SignedOut, Welcome,
};
use tracing::info;
use tungstenite::protocol::frame::coding::CloseCode;

use super::refusal::Refusal;
use super::requests::{Answer, Session};
use crate::accounts::{SignedIn, claim_token};
use crate::cluster::nicknames::ClaimError;
use crate::frames::wire::Goodbye;

impl Session {
    /// `hello`: a guest's nickname, or an account's name with its session token.
    pub(super) async fn hello(
        &mut self,
        request_id: RequestId,
        protocol: u32,
        nickname: &str,
        token: Option<&str>,
        session: Option<Secret>,
    ) -> Answer {
        self.unidentified(protocol)?;
        let requested = Nickname::parse(nickname)?;
        let Some(session) = session else {
            self.services.accounts.admit_guest(&requested).await?;
            let (nickname, token) = self.claim(&requested, token).await?;
            info!(nickname = %nickname, "identified as a guest");
            let rooms = self.visible_rooms().await?;
            return Ok(Some(self.welcome(request_id, nickname, token, rooms, Role::Guest, None)));
        };
        let account = self.services.accounts.resume(&session, &requested).await?;
        self.signed_in(request_id, SignedIn { account, session }).await
    }

    /// `register`: a new account, signed in at once.
    pub(super) async fn register(
        &mut self,
        request_id: RequestId,
        protocol: u32,
        username: &str,
        password: &Secret,
    ) -> Answer {
        self.unidentified(protocol)?;
        let username = Nickname::parse(username)?;
        let signed_in = self.services.accounts.register(&username, password, self.peer).await?;
        let account = signed_in.account.clone();
        match self.signed_in(request_id, signed_in).await {
            Ok(answer) => Ok(answer),
            Err(refusal) => {
                // The name is registered but someone (a guest) holds it right now: take the
                // account back rather than leave one its owner cannot use yet.
                self.services.accounts.undo_registration(&account).await?;
                Err(refusal)
            }
        }
    }

    /// `sign_in`: an existing account, with its password.
    pub(super) async fn sign_in(
        &mut self,
        request_id: RequestId,
        protocol: u32,
        username: &str,
        password: &Secret,
    ) -> Answer {
        self.unidentified(protocol)?;
        let signed_in = self.services.accounts.sign_in(username, password, self.peer).await?;
        self.signed_in(request_id, signed_in).await
    }

    /// `sign_out`: ends this connection's session, then the connection.
    pub(super) async fn sign_out(&mut self, request_id: RequestId) -> Answer {
        let Some(signed_in) = &self.signed_in else {
            return Err(Refusal::new(
                ErrorCode::NotIdentified,
                "this connection is not signed in to an account",
            ));
        };
        self.services.accounts.sign_out(&signed_in.session).await?;
        info!(account = %signed_in.account.username, "signed out");
        self.closing = Some(Goodbye::new(CloseCode::Normal.into(), "signed out"));
        Ok(Some(ServerMessage::SignedOut(SignedOut { request_id })))
    }

    /// Claims the account's name and welcomes it, with its role and session token.
    async fn signed_in(&mut self, request_id: RequestId, signed_in: SignedIn) -> Answer {
        let token = claim_token(&signed_in.account);
        let (nickname, token) = self.claim(&signed_in.account.username, Some(&token)).await?;
        info!(nickname = %nickname, role = signed_in.account.role.as_str(), "identified");
        let (role, session) = (signed_in.account.role, Some(signed_in.session.clone()));
        self.services.hub.signed_in(self.id, signed_in.account.id);
        self.signed_in = Some(Box::new(signed_in));
        let rooms = self.visible_rooms().await?;
        Ok(Some(self.welcome(request_id, nickname, token, rooms, role, session)))
    }

    /// Refuses an identifying request on a connection that has an identity, or in another
    /// protocol version.
    fn unidentified(&self, protocol: u32) -> Result<(), Refusal> {
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
    async fn claim(
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

    fn welcome(
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
