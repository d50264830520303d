//! What the page knows, and how server messages change it.
//!
//! Plain Rust with no DOM, so every rule (ordering, de-duplication, presence, unread counts,
//! which rooms to join, what to send next) is unit-tested natively. The controller keeps one
//! [`ChatState`] in a signal. What the user does is here; what the server says is in
//! [`apply`].

mod administration;
mod apply;
mod far_back;
mod history_requests;
mod member_pages;
mod reactions;
mod reconnect;
mod replies;
mod room_moderation;
mod search;

use std::collections::BTreeMap;

use common::{
    ClientId, ClientMessage, MessageBody, Nickname, PROTOCOL_VERSION, ReplyTo, Role, RoomName,
    Secret, check_password_length,
};

pub use self::room_moderation::RoomAction;
use crate::model::case_fold::same_name;
use crate::model::identity::Identity;
use crate::model::outbox::{Outbox, Outgoing};
use crate::model::problem::Problem;
pub use crate::model::room_state::{EntryKey, HistoryStatus, RoomState, TimelineEntry};

/// A room that fell further behind than this while the page was away is loaded afresh from its
/// latest messages (older ones are a scroll away) instead of caught up page by page.
pub const CATCH_UP_MAX: u64 = 500;

/// Where the user is in the sign-in flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Phase {
    /// Choosing a nickname.
    #[default]
    SignedOut,
    /// `hello` sent, waiting for `welcome`.
    Identifying,
    /// The server accepted the nickname.
    SignedIn,
}

/// What a password form does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountAction {
    /// Sign in to an existing account.
    SignIn,
    /// Create an account and sign in with it.
    Register,
}

/// Everything the page shows about the chat.
#[derive(Debug, Clone)]
pub struct ChatState {
    pub phase: Phase,
    /// The nickname the server confirmed (kept across a reconnect).
    pub me: Option<Nickname>,
    /// The nickname and token of the last `welcome` (kept by the page across reloads).
    pub identity: Option<Identity>,
    /// Who the server takes the user for (`guest` without an account).
    pub role: Role,
    /// This account's sessions, once asked for.
    pub sessions: Option<Vec<common::SessionInfo>>,
    /// The latest page of the audit log, once an admin asked for it.
    pub audit_log: Option<Vec<common::AuditEntry>>,
    /// Every account and the guests' bans, once an admin asked for them.
    pub people: Option<common::People>,
    /// The invite links, once an admin asked for them.
    pub invites: Option<Vec<common::InviteInfo>>,
    /// The code of the invite link the admin just made (shown once).
    pub new_invite: Option<Secret>,
    /// The invite this page was opened with (`#/invite/<code>`), for registering.
    pub invite: Option<Secret>,
    /// Every room the server listed, by name.
    pub rooms: BTreeMap<RoomName, RoomState>,
    /// The room on screen (the one in the URL).
    pub current: RoomName,
    /// The latest refusal or problem to show the user, if any.
    pub error: Option<Problem>,
    /// The server speaks another protocol version: the page must be reloaded.
    pub must_reload: bool,
    /// What the user wrote that the server has not acknowledged yet.
    pub outbox: Outbox,
    /// Set when a send was refused for a passing reason: the outbox should be tried again
    /// after this many milliseconds. Handed out in [`ChatState::apply`]'s effects.
    resend_after_ms: Option<u64>,
    /// Rooms the user was in on an earlier visit, with what they had read there: rejoined
    /// after the next `welcome`, so their unread counts show again.
    remembered: Vec<(RoomName, u64)>,
    /// The nickname the user asked for, until the server refuses it.
    asked_for: Option<Nickname>,
    /// The search on screen, if any.
    pub search: Option<crate::model::search::Search>,
    /// A message to bring into view (a search result opened): its room and seq.
    pub focus: Option<(RoomName, u64)>,
    /// The message of the room on screen the user is answering, if any: the next message
    /// they send is a reply to it.
    pub replying: Option<ReplyTo>,
    next_request_id: u64,
    next_notice_id: u64,
}

impl Default for ChatState {
    fn default() -> Self {
        Self::showing(RoomName::lobby())
    }
}

impl ChatState {
    /// A signed-out state that will show `room` once signed in.
    pub fn showing(room: RoomName) -> Self {
        Self {
            phase: Phase::default(),
            me: None,
            identity: None,
            role: Role::Guest,
            audit_log: None,
            invites: None,
            people: None,
            new_invite: None,
            invite: None,
            sessions: None,
            rooms: BTreeMap::new(),
            current: room,
            error: None,
            must_reload: false,
            outbox: Outbox::default(),
            resend_after_ms: None,
            remembered: Vec::new(),
            asked_for: None,
            search: None,
            focus: None,
            replying: None,
            next_request_id: 0,
            next_notice_id: 0,
        }
    }

    /// The room on screen, if the server listed it.
    pub fn current_room(&self) -> Option<&RoomState> {
        self.rooms.get(&self.current)
    }

    /// Validates `raw` and returns the `hello` to send, or the reason it cannot be used (also
    /// shown as the state's error).
    pub fn hello(&mut self, raw: &str) -> Result<ClientMessage, Problem> {
        let nickname = match Nickname::parse(raw) {
            Ok(nickname) => nickname,
            Err(invalid) => return Err(self.show_problem(Problem::Nickname(invalid))),
        };
        self.asked_for = Some(nickname.clone());
        Ok(self.hello_as(&nickname))
    }

    /// Validates a username and password and returns the `sign_in` or `register` to send,
    /// or the reason they cannot be used (also shown as the state's error). The password is
    /// not kept: a connection lost before the answer needs the form again.
    pub fn sign_in_with_password(
        &mut self,
        username: &str,
        password: &str,
        action: AccountAction,
    ) -> Result<ClientMessage, Problem> {
        let username = match Nickname::parse(username) {
            Ok(username) => username.to_string(),
            Err(invalid) => return Err(self.show_problem(Problem::Nickname(invalid))),
        };
        let password = Secret::new(password);
        if action == AccountAction::Register
            && let Err(invalid) = check_password_length(&password)
        {
            return Err(self.show_problem(Problem::Password(invalid)));
        }
        self.asked_for = None;
        self.phase = Phase::Identifying;
        self.error = None;
        let (request_id, protocol) = (self.request_id(), PROTOCOL_VERSION);
        Ok(match action {
            AccountAction::SignIn => {
                ClientMessage::SignIn { request_id, protocol, username, password }
            }
            AccountAction::Register => {
                let invite = self.invite.clone();
                ClientMessage::Register { request_id, protocol, username, password, invite }
            }
        })
    }

    /// The `sign_out` that ends this browser's account session, or frees a guest's nickname
    /// at once (instead of keeping it a minute for a reconnect), if the server knows the user.
    pub fn sign_out(&mut self) -> Option<ClientMessage> {
        self.identity.as_ref()?;
        Some(ClientMessage::SignOut { request_id: self.request_id() })
    }

    /// The `hello` to send on a new connection: with the nickname held, or the one asked for
    /// if the connection dropped before the server answered.
    pub fn hello_again(&mut self) -> Option<ClientMessage> {
        let nickname = self.me.clone().or_else(|| self.asked_for.clone())?;
        Some(self.hello_as(&nickname))
    }

    fn hello_as(&mut self, nickname: &Nickname) -> ClientMessage {
        self.phase = Phase::Identifying;
        self.error = None;
        let saved = self
            .identity
            .as_ref()
            .filter(|identity| same_name(&identity.nickname, nickname))
            .map(|identity| (identity.token.clone(), identity.session.clone()));
        let (token, session) = saved.unzip();
        ClientMessage::Hello {
            request_id: self.request_id(),
            protocol: PROTOCOL_VERSION,
            nickname: nickname.to_string(),
            token,
            session: session.flatten(),
        }
    }

    /// Validates `raw` and puts it in the outbox for the current room (sent by
    /// [`ChatState::next_sends`] once the room is joined), or returns why it cannot be sent.
    /// `now_ms` is when the user sent it.
    /// A reply (see [`ChatState::replying`]) once queued is no longer being written.
    pub fn compose(&mut self, raw: &str, client_id: ClientId, now_ms: i64) -> Result<(), Problem> {
        self.queue(raw, None, client_id, now_ms)?;
        self.replying = None;
        Ok(())
    }

    /// Validates `raw` as the new text of the user's message `seq` in the current room and
    /// puts the edit in the outbox (sent in order with the room's messages), or returns why it
    /// cannot be.
    pub fn compose_edit(
        &mut self,
        seq: u64,
        raw: &str,
        client_id: ClientId,
        now_ms: i64,
    ) -> Result<(), Problem> {
        self.queue(raw, Some(seq), client_id, now_ms)
    }

    fn queue(
        &mut self,
        raw: &str,
        edits: Option<u64>,
        client_id: ClientId,
        now_ms: i64,
    ) -> Result<(), Problem> {
        let body = match MessageBody::parse(raw) {
            Ok(body) => body,
            Err(invalid) => return Err(self.show_problem(Problem::Body(invalid))),
        };
        let Some(author) = self.me.clone() else {
            return Err(self.show_problem(Problem::SignInFirst));
        };
        self.outbox.add(Outgoing {
            client_id,
            room: self.current.clone(),
            author,
            body,
            edits,
            reply_to: if edits.is_none() { self.replying.clone() } else { None },
            written_at: now_ms,
            failed: None,
            in_flight: None,
        });
        self.error = None;
        Ok(())
    }

    /// The `send`s to make now: the next message of the outbox in each joined room.
    pub fn next_sends(&mut self) -> Vec<ClientMessage> {
        let Some(me) = self.me.clone() else { return Vec::new() };
        if self.phase != Phase::SignedIn {
            return Vec::new();
        }
        let rooms = &self.rooms;
        let next_request_id = &mut self.next_request_id;
        self.outbox.next_sends(
            &me,
            |room| rooms.get(room).is_some_and(|state| state.joined),
            || {
                *next_request_id += 1;
                *next_request_id
            },
        )
    }

    /// The user's messages in the outbox for the room on screen, oldest first. (Messages
    /// written under another nickname before a sign-out wait, unseen, for that nickname.)
    pub fn pending_in_current(&self) -> Vec<Outgoing> {
        let mut pending = self.outbox.in_room(&self.current);
        pending.retain(|outgoing| self.is_me(&outgoing.author));
        pending
    }

    /// How many of the user's messages wait to be delivered.
    pub fn unsent(&self) -> usize {
        let mine = |outgoing: &&Outgoing| self.is_me(&outgoing.author) && outgoing.is_unsent();
        self.outbox.entries().iter().filter(mine).count()
    }

    /// The user asked to send a failed message again.
    pub fn retry(&mut self, client_id: &ClientId) {
        self.outbox.retry(client_id);
    }

    /// The user gave up on a failed message.
    pub fn discard(&mut self, client_id: &ClientId) {
        self.outbox.discard(client_id);
    }

    /// Validates `raw` and returns the `create_room` for it (or the reason, also shown as the
    /// state's error). A room of that name the user can see already is opened instead (the
    /// requests that shows it).
    pub fn create_room(&mut self, raw: &str, private: bool) -> Result<Vec<ClientMessage>, Problem> {
        let room = match RoomName::parse(raw.trim()) {
            Ok(room) => room,
            Err(invalid) => return Err(self.show_problem(Problem::RoomName(invalid))),
        };
        self.error = None;
        if self.rooms.contains_key(&room) {
            return Ok(self.show(room));
        }
        let request_id = self.request_id();
        Ok(vec![ClientMessage::CreateRoom { request_id, room: room.to_string(), private }])
    }

    /// Validates `raw` and returns the `invite` of that account to the room on screen.
    pub fn invite(&mut self, raw: &str) -> Result<ClientMessage, Problem> {
        let username = match Nickname::parse(raw) {
            Ok(username) => username,
            Err(invalid) => return Err(self.show_problem(Problem::Nickname(invalid))),
        };
        let (request_id, room) = (self.request_id(), self.current.to_string());
        Ok(ClientMessage::Invite { request_id, room, username: username.to_string() })
    }

    /// The request that opens the direct messages with `other`.
    pub fn open_dm(&mut self, other: &Nickname) -> ClientMessage {
        ClientMessage::OpenDm { request_id: self.request_id(), username: other.to_string() }
    }

    /// Puts `room` on screen, joining it if the page is not in it yet. An unknown room is
    /// refused with an explanation (once the server has listed the rooms).
    pub fn show(&mut self, room: RoomName) -> Vec<ClientMessage> {
        if self.phase != Phase::SignedIn {
            self.current = room; // Joined once signed in.
            return Vec::new();
        }
        if !self.rooms.contains_key(&room) {
            self.error = Some(Problem::NoSuchRoom(room));
            return Vec::new();
        }
        if self.focus.as_ref().is_some_and(|(focused, _)| *focused != room) {
            self.focus = None; // Another room: the search result opened is no longer wanted.
        }
        if room != self.current {
            self.replying = None; // A reply answers a message of the room it is written in.
        }
        self.current = room.clone();
        self.error = None;
        let Some(state) = self.rooms.get_mut(&room) else { return Vec::new() };
        state.enter();
        if state.followed {
            return Vec::new();
        }
        state.followed = true;
        vec![ClientMessage::Join { request_id: self.request_id(), room: room.to_string() }]
    }

    /// The `typing` for the room on screen.
    pub fn typing(&self) -> Option<ClientMessage> {
        let joined = self.current_room().is_some_and(|room| room.joined);
        joined.then(|| ClientMessage::Typing { room: self.current.to_string() })
    }

    /// The `leave` for the room on screen (the lobby cannot be left).
    pub fn leave_current(&mut self) -> Option<ClientMessage> {
        if self.current == RoomName::lobby() || self.phase != Phase::SignedIn {
            return None;
        }
        Some(ClientMessage::Leave { request_id: self.request_id(), room: self.current.to_string() })
    }

    /// A link named a room that cannot exist: says so.
    pub fn bad_room_link(&mut self) {
        self.error = Some(Problem::BadRoomLink);
    }

    /// Shows `problem` as the state's error and hands it back (for the caller's `Err`).
    fn show_problem(&mut self, problem: Problem) -> Problem {
        self.error = Some(problem.clone());
        problem
    }

    /// Whether `author` is the user of this page.
    pub fn is_me(&self, author: &Nickname) -> bool {
        self.me.as_ref().is_some_and(|me| same_name(me, author))
    }
}

#[cfg(test)]
mod admin_view_tests;
#[cfg(test)]
mod tests;
