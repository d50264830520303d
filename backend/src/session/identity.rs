//! How a connection gets its identity: `hello` as a guest or with an account's session token,
//! `register`, `sign_in`, and `sign_out`. Whoever it is, the name is then claimed the same way
//! (in the cluster, then on this node: `crate::cluster::nicknames`) and the client welcomed.

use common::{
    ErrorCode, Nickname, PROTOCOL_VERSION, PasswordChanged, RequestId, Role, RoomSummary, Secret,
    ServerMessage, Sessions, SignedOut, SignedOutElsewhere, Welcome,
};
use tracing::info;
use tungstenite::protocol::frame::coding::CloseCode;

use super::refusal::Refusal;
use super::requests::{Answer, Session};
use crate::accounts::{SignedIn, claim_token, session_tag};
use crate::cluster::nicknames::ClaimError;
use crate::frames::wire::Goodbye;
use crate::metrics::names::SIGN_INS;

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
            self.services.accounts.admit_guest(&requested, self.peer).await?;
            let (nickname, token) = self.claim(&requested, token).await?;
            self.services.hub.guest_from(self.id, self.peer);
            info!(nickname = %nickname, "identified as a guest");
            metrics::counter!(SIGN_INS, "kind" => "guest").increment(1);
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
        invite: Option<&Secret>,
    ) -> Answer {
        self.unidentified(protocol)?;
        let username = Nickname::parse(username)?;
        let accounts = &self.services.accounts;
        let signed_in = accounts.register(&username, password, invite, self.peer).await?;
        let account = signed_in.account.clone();
        match self.signed_in(request_id, signed_in).await {
            Ok(answer) => Ok(answer),
            Err(refusal) => {
                // The name is registered but someone (a guest) holds it right now: take the
                // account back rather than leave one its owner cannot use yet.
                self.services.accounts.undo_registration(&account, invite).await?;
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

    /// `sign_out`: ends this connection's session (an account's), then the connection; the
    /// nickname is free at once, not kept for a reconnect.
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

    /// `sessions`: this account's sessions.
    pub(super) async fn sessions(&mut self, request_id: RequestId) -> Answer {
        let signed_in = self.account()?;
        let sessions =
            self.services.accounts.sessions(&signed_in.account, &signed_in.session).await?;
        Ok(Some(ServerMessage::Sessions(Sessions { request_id, sessions })))
    }

    /// `sign_out_elsewhere`: ends every other session of this account, and closes their
    /// connections on every node.
    pub(super) async fn sign_out_elsewhere(&mut self, request_id: RequestId) -> Answer {
        let signed_in = self.account()?;
        let accounts = &self.services.accounts;
        let ended = accounts.sign_out_elsewhere(&signed_in.account, &signed_in.session).await?;
        self.services.hub.sessions_ended(signed_in.account.id, session_tag(&signed_in.session));
        Ok(Some(ServerMessage::SignedOutElsewhere(SignedOutElsewhere { request_id, ended })))
    }

    /// `change_password`: checks the current password, sets the new one, and ends the other
    /// sessions.
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

    /// The account this connection signed in to, or a refusal.
    fn account(&self) -> Result<SignedIn, Refusal> {
        self.signed_in.as_deref().cloned().ok_or_else(|| {
            Refusal::new(ErrorCode::NotIdentified, "this connection is not signed in to an account")
        })
    }

    /// Claims the account's name and welcomes it, with its role and session token.
    async fn signed_in(&mut self, request_id: RequestId, signed_in: SignedIn) -> Answer {
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
