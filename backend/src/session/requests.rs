//! A connection's requests: each text frame decoded, checked against the flood limits and
//! carried out, one function per request, its answer (or refusal) queued for the client.

use std::future::Future;
use std::net::IpAddr;
use std::sync::Arc;
use std::task::Poll;

use common::{
    ClientId, ClientMessage, ErrorCode, HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX, History, Joined,
    Left, MessageBody, Nickname, Pong, RequestId, RoomName, ServerMessage, decode_client_message,
};
use tracing::info;
use tungstenite::Utf8Bytes;

use super::in_flight::InFlightAppends;
use super::rate_limit::{RateLimits, RateSettings, RequestKind};
use super::refusal::Refusal;
use super::services::Services;
use super::typing_throttle::TypingThrottle;
use crate::accounts::SignedIn;
use crate::frames::frame_queue::FrameQueue;
use crate::frames::wire::Goodbye;
use crate::hub::{HubError, SessionId};
use crate::metrics::names;
use crate::store::{NewContent, NewMessage, Page};
use common::permissions::Action;

/// What a `search` asks, as it came.
pub(super) struct SearchAsked {
    pub query: String,
    pub room: Option<String>,
    pub author: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub before: Option<u64>,
    pub limit: Option<u64>,
}

/// What a request answers with: its answer (`typing` has none) or why it was turned down.
pub(super) type Answer = Result<Option<ServerMessage>, Refusal>;

/// The reader's state for one connection.
#[derive(Debug)]
pub struct Session {
    pub id: SessionId,
    /// Shared by every session (one pointer here: each session's task holds it, so its
    /// size counts once per connection).
    pub services: Arc<Services>,
    pub frame_queue: FrameQueue,
    /// Set by a successful `hello`, `register` or `sign_in`; most requests need it.
    pub nickname: Option<Nickname>,
    /// The account and session this connection signed in with (boxed: most connections
    /// have none, and each connection's size counts).
    pub signed_in: Option<Box<SignedIn>>,
    /// The client's network address, for the limits on sign-in attempts.
    pub peer: IpAddr,
    /// Set when the connection must end after the answer just queued.
    pub closing: Option<Goodbye>,
    /// The person signed out: their nickname is free as soon as the connection ends.
    pub signed_out: bool,
    typing_throttle: TypingThrottle,
    rate_limits: RateLimits,
    /// Appends handed to the committer, waiting for their answers.
    in_flight: InFlightAppends,
}

impl Session {
    pub fn new(
        id: SessionId,
        peer: IpAddr,
        services: Arc<Services>,
        frame_queue: FrameQueue,
        rates: RateSettings,
    ) -> Self {
        Self {
            id,
            services,
            frame_queue,
            nickname: None,
            signed_in: None,
            peer,
            closing: None,
            signed_out: false,
            typing_throttle: TypingThrottle::default(),
            rate_limits: RateLimits::new(rates),
            in_flight: InFlightAppends::default(),
        }
    }

    /// Decodes and carries out one text frame, then queues its answer. Requests are handled
    /// one at a time, so answers come in the order the requests were sent.
    pub async fn handle_text(&mut self, text: &str) {
        let message = match decode_client_message(text) {
            Ok(message) => message,
            Err(error) => {
                return self.refuse(error.request_id, Refusal::new(error.code, error.message));
            }
        };
        // Boxed: the request's future (database and Redis calls inside) is large, and held
        // inline it would make every connection's task that large even while it sits idle.
        // One small allocation per request instead of ~10 KB per connection.
        Box::pin(self.answer_in_order(message)).await;
    }

    /// Carries out `message` and writes its answer after those of the requests before it.
    /// Appends are answered when stored, in order, while the connection reads on (see
    /// `in_flight`); every other answer waits for theirs (typing has none).
    async fn answer_in_order(&mut self, message: ClientMessage) {
        let request_id = message.request_id();
        let answered_later = matches!(
            message,
            ClientMessage::Send { .. }
                | ClientMessage::EditMessage { .. }
                | ClientMessage::DeleteMessage { .. }
                | ClientMessage::React { .. }
                | ClientMessage::Typing { .. }
        );
        if !answered_later {
            self.answer_all().await;
        }
        match self.handle(message).await {
            Ok(Some(answer)) => {
                self.answer_all().await;
                self.frame_queue.push(Utf8Bytes::from(answer.to_json()));
            }
            Ok(None) => {}
            Err(refusal) => {
                self.answer_all().await;
                self.refuse(request_id, refusal);
            }
        }
    }

    /// Hands `new` to the committer (stored, published, only then acknowledged: see
    /// [`crate::delivery`]); its answer (an `ack`, the original's for a repeat) is written
    /// when it comes, after those of the appends before it (see [`super::in_flight`]), so
    /// there is none now.
    pub(super) async fn append(&mut self, request_id: RequestId, new: NewMessage) -> Answer {
        if self.in_flight.is_full() {
            self.answer_oldest().await;
        }
        let room = new.room.clone();
        let pending = self.services.delivery.submit(new).await?;
        self.in_flight.push(request_id, room, pending);
        Ok(None)
    }

    /// Whether appends wait for their answers.
    pub fn has_in_flight(&self) -> bool {
        !self.in_flight.is_empty()
    }

    /// Waits for the oldest append's answer and writes it (nothing, at once, if none waits).
    /// Cancel-safe: dropped before it finishes, the append stays first in line. The future
    /// is one pointer (a `poll_fn`, not an `async fn` with its state): it sits in every
    /// connection's read loop, and each byte there counts 20,000 times.
    pub fn answer_oldest(&mut self) -> impl Future<Output = ()> + '_ {
        std::future::poll_fn(|context| {
            let Poll::Ready(answered) = self.in_flight.poll_oldest(context) else {
                return Poll::Pending;
            };
            match answered {
                Some(Ok(ack)) => self.frame_queue.push(Utf8Bytes::from(ack.to_json())),
                Some(Err((request_id, refusal))) => self.refuse(Some(request_id), refusal),
                None => {}
            }
            Poll::Ready(())
        })
    }

    /// Writes the answers of every append in flight, waiting for them.
    pub async fn answer_all(&mut self) {
        while self.has_in_flight() {
            self.answer_oldest().await;
        }
    }

    /// Queues an `error` for the client; the connection stays open.
    pub fn refuse(&self, request_id: Option<RequestId>, refusal: Refusal) {
        self.frame_queue.push(Utf8Bytes::from(refusal.into_error(request_id).to_json()));
    }

    /// Carries out one request after the flood limits allow it.
    async fn handle(&mut self, message: ClientMessage) -> Answer {
        let kind = match message {
            ClientMessage::Typing { .. } => None, // throttled on its own, below
            ClientMessage::Send { .. }
            | ClientMessage::DeleteMessage { .. }
            | ClientMessage::EditMessage { .. }
            | ClientMessage::React { .. } => Some(RequestKind::Message),
            _ => Some(RequestKind::Other),
        };
        if let Some(kind) = kind
            && let Err(limited) = self.rate_limits.check(kind)
        {
            let kind = match kind {
                RequestKind::Message => "message",
                RequestKind::Other => "other",
            };
            metrics::counter!(names::RATE_LIMITED, "kind" => kind).increment(1);
            return Err(Refusal::rate_limited(limited));
        }
        match message {
            ClientMessage::Hello { request_id, protocol, nickname, token, session } => {
                self.hello(request_id, protocol, &nickname, token.as_deref(), session).await
            }
            ClientMessage::Register { request_id, protocol, username, password, invite } => {
                self.register(request_id, protocol, &username, &password, invite.as_ref()).await
            }
            ClientMessage::SignIn { request_id, protocol, username, password } => {
                self.sign_in(request_id, protocol, &username, &password).await
            }
            ClientMessage::SignOut { request_id } => self.sign_out(request_id).await,
            ClientMessage::Sessions { request_id } => self.sessions(request_id).await,
            ClientMessage::SignOutElsewhere { request_id } => {
                self.sign_out_elsewhere(request_id).await
            }
            ClientMessage::ChangePassword { request_id, current, new } => {
                self.change_password(request_id, &current, &new).await
            }
            ClientMessage::CreateRoom { request_id, room, private } => {
                self.create_room(request_id, &room, private).await
            }
            ClientMessage::Invite { request_id, room, username } => {
                self.invite(request_id, &room, &username).await
            }
            ClientMessage::RemoveMember { request_id, room, username } => {
                self.remove_member(request_id, &room, &username).await
            }
            ClientMessage::OpenDm { request_id, username } => {
                self.open_dm(request_id, &username).await
            }
            ClientMessage::Ban { request_id, username, reason, minutes } => {
                self.ban(request_id, &username, &reason, minutes).await
            }
            ClientMessage::Unban { request_id, username } => {
                self.unban(request_id, &username).await
            }
            ClientMessage::BanGuest { request_id, nickname, reason, minutes } => {
                self.ban_guest(request_id, &nickname, &reason, minutes).await
            }
            ClientMessage::UnbanGuest { request_id, nickname } => {
                self.unban_guest(request_id, &nickname).await
            }
            ClientMessage::AuditLog { request_id, before_id } => {
                self.audit_log(request_id, before_id).await
            }
            ClientMessage::SetRoomRole { request_id, room, username, role } => {
                self.set_room_role(request_id, &room, &username, role).await
            }
            ClientMessage::Kick { request_id, room, nickname, reason } => {
                self.kick(request_id, &room, &nickname, &reason).await
            }
            ClientMessage::Mute { request_id, room, nickname, reason, minutes } => {
                self.mute(request_id, &room, &nickname, &reason, minutes).await
            }
            ClientMessage::Unmute { request_id, room, nickname } => {
                self.unmute(request_id, &room, &nickname).await
            }
            ClientMessage::CreateInvite { request_id, max_uses, hours } => {
                self.create_invite(request_id, max_uses, hours).await
            }
            ClientMessage::Invites { request_id } => self.list_invites(request_id).await,
            ClientMessage::People { request_id } => self.people(request_id).await,
            ClientMessage::SetRole { request_id, username, role } => {
                self.set_role(request_id, &username, role).await
            }
            ClientMessage::RevokeInvite { request_id, id } => {
                self.revoke_invite(request_id, id).await
            }
            ClientMessage::Join { request_id, room } => self.join(request_id, &room).await,
            ClientMessage::Leave { request_id, room } => self.leave(request_id, &room),
            ClientMessage::Send { request_id, room, client_id, body, reply_to } => {
                self.send(request_id, &room, client_id, &body, reply_to).await
            }
            ClientMessage::DeleteMessage { request_id, room, seq, client_id } => {
                self.delete_message(request_id, &room, seq, client_id).await
            }
            ClientMessage::EditMessage { request_id, room, seq, client_id, body } => {
                self.edit_message(request_id, &room, seq, client_id, &body).await
            }
            ClientMessage::Members { request_id, room, after, limit } => {
                self.members(request_id, &room, after.as_deref(), limit)
            }
            ClientMessage::FindDate { request_id, room, at } => {
                self.find_date(request_id, &room, at).await
            }
            ClientMessage::React { request_id, room, seq, client_id, emoji, withdraw } => {
                self.react(request_id, &room, seq, client_id, &emoji, withdraw).await
            }
            ClientMessage::History { request_id, room, before_seq, after_seq, limit } => {
                self.history(request_id, &room, before_seq, after_seq, limit).await
            }
            ClientMessage::Search {
                request_id,
                query,
                room,
                author,
                since,
                until,
                before,
                limit,
            } => {
                let asked = SearchAsked { query, room, author, since, until, before, limit };
                self.search(request_id, asked).await
            }
            ClientMessage::Ping { request_id } => {
                Ok(Some(ServerMessage::Pong(Pong { request_id })))
            }
            ClientMessage::Typing { room } => self.typing(&room),
        }
    }

    async fn join(&mut self, request_id: RequestId, room: &str) -> Answer {
        let nickname = self.identified()?.clone();
        let room = RoomName::parse(room)?;
        let facts = self.allowed(Action::Enter, &room).await?;
        // Someone's part in a public room (owner, moderator) is read only now, for the page
        // to offer its moderation.
        let role = match (facts.private, self.account_id()) {
            (false, Some(account)) => self.services.store.room_role(&room, account).await?,
            _ => facts.role_in_room,
        };
        let joined = self.services.hub.join(self.id, &nickname, &room, &self.frame_queue)?;
        let muted_until = self.services.hub.muted_until(&room, &nickname.key());
        info!(nickname = %nickname, room = %room, "joined");
        Ok(Some(ServerMessage::Joined(Joined {
            request_id,
            room,
            members: joined.members,
            guests: joined.guests,
            last_seq: joined.last_seq,
            role,
            muted_until,
            member_count: joined.member_count,
        })))
    }

    fn leave(&mut self, request_id: RequestId, room: &str) -> Answer {
        self.identified()?;
        let room = RoomName::parse(room)?;
        self.services.hub.leave(self.id, &room)?;
        Ok(Some(ServerMessage::Left(Left { request_id, room })))
    }

    /// `send`: stored, published and only then acknowledged (see [`crate::delivery`]). A
    /// reply's original is the store's to check, in the append's transaction.
    async fn send(
        &mut self,
        request_id: RequestId,
        room: &str,
        client_id: ClientId,
        body: &str,
        reply_to: Option<u64>,
    ) -> Answer {
        self.identified()?;
        let room = RoomName::parse(room)?;
        let body = MessageBody::parse(body)?;
        let author = self.services.hub.speaker(self.id, &room)?;
        let content = NewContent::Post { body, reply_to };
        let message = NewMessage { room, client_id, author, content };
        self.append(request_id, message).await
    }

    /// `history`: a page from the hub's recent messages if it has them all, else the store.
    async fn history(
        &mut self,
        request_id: RequestId,
        room: &str,
        before_seq: Option<u64>,
        after_seq: Option<u64>,
        limit: Option<u64>,
    ) -> Answer {
        self.identified()?;
        let page = match (before_seq, after_seq) {
            (before, None) => Page::Before(before),
            (None, Some(after)) => Page::After(after),
            (Some(_), Some(_)) => {
                return Err(Refusal::new(
                    ErrorCode::InvalidMessage,
                    "give before_seq or after_seq, not both",
                ));
            }
        };
        let started = std::time::Instant::now();
        let room = RoomName::parse(room)?;
        self.services.hub.member_nickname(self.id, &room)?;
        self.allowed(Action::Enter, &room).await?;
        // Any number asks for at most a full page (as PROTOCOL.md says), however large.
        let limit = limit.map_or(HISTORY_PAGE_DEFAULT, |asked| {
            let clamped = asked.clamp(1, u64::from(HISTORY_PAGE_MAX));
            u32::try_from(clamped).unwrap_or(HISTORY_PAGE_MAX)
        });
        let page = match self.services.hub.recent_page(&room, page, limit) {
            Some(recent) => recent.into_history_page(),
            None => self.services.store.history(&room, page, limit).await?,
        };
        metrics::histogram!(names::HISTORY).record(started.elapsed().as_secs_f64());
        Ok(Some(ServerMessage::History(History {
            request_id,
            room,
            messages: page.messages,
            reaches_start: page.reaches_start,
            reaches_end: page.reaches_end,
            // Only where it tells something: the page reaches back to a start that is not 1.
            first_seq: page.first_seq.filter(|first| page.reaches_start && *first > 1),
        })))
    }

    fn typing(&mut self, room: &str) -> Answer {
        self.identified()?;
        let room = RoomName::parse(room)?;
        if self.typing_throttle.allow(&room) {
            match self.services.hub.speaker(self.id, &room) {
                // Typing while muted goes nowhere, without an error for each keystroke.
                Err(HubError::Muted { .. }) => return Ok(None),
                Err(error) => return Err(error.into()),
                Ok(_) => self.services.hub.typing(self.id, &room)?,
            }
        }
        Ok(None)
    }

    pub(super) fn identified(&self) -> Result<&Nickname, Refusal> {
        self.nickname.as_ref().ok_or_else(|| {
            Refusal::new(ErrorCode::NotIdentified, "send hello with a nickname first")
        })
    }
}
