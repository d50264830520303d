//! What the page knows, and how server messages change it.
//!
//! Plain Rust with no DOM, so every rule (ordering, de-duplication, presence, unread counts,
//! which rooms to join, what to send next) is unit-tested natively. The controller keeps one
//! [`ChatState`] in a signal.

use std::collections::BTreeMap;

use common::{
    ChatMessage, ClientId, ClientMessage, ErrorCode, MessageBody, Nickname, PROTOCOL_VERSION,
    RequestId, RoomName, ServerMessage,
};

use crate::case_fold::same_name;
use crate::outbox::{Outbox, Outgoing, Refused};
use crate::problem::{Problem, Refusal};
use crate::room_state::NoticeEvent;
pub use crate::room_state::{EntryKey, HistoryStatus, RoomState, TimelineEntry};

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

/// Who this browser signed in as last: presenting the token again lets another tab (or this
/// page after a reload) use the same nickname while the first connection still holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub nickname: Nickname,
    pub token: String,
}

/// Everything the page shows about the chat.
#[derive(Debug, Clone)]
pub struct ChatState {
    pub phase: Phase,
    /// The nickname the server confirmed (kept across a reconnect).
    pub me: Option<Nickname>,
    /// The nickname and token of the last `welcome` (kept by the page across reloads).
    pub identity: Option<Identity>,
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
    /// after this many milliseconds. The controller takes it.
    pub resend_after_ms: Option<u64>,
    /// Rooms the user was in on an earlier visit, with what they had read there: rejoined
    /// after the next `welcome`, so their unread counts show again.
    remembered: Vec<(RoomName, u64)>,
    /// The nickname the user asked for, until the server refuses it.
    asked_for: Option<Nickname>,
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
            rooms: BTreeMap::new(),
            current: room,
            error: None,
            must_reload: false,
            outbox: Outbox::default(),
            resend_after_ms: None,
            remembered: Vec::new(),
            asked_for: None,
            next_request_id: 0,
            next_notice_id: 0,
        }
    }

    /// The room on screen, if the server listed it.
    pub fn current_room(&self) -> Option<&RoomState> {
        self.rooms.get(&self.current)
    }

    /// Validates `raw` and returns the `hello` to send, or the reason it cannot be used.
    pub fn hello(&mut self, raw: &str) -> Result<ClientMessage, Problem> {
        let nickname = Nickname::parse(raw).map_err(Problem::Nickname)?;
        self.asked_for = Some(nickname.clone());
        Ok(self.hello_as(&nickname))
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
        let token = self
            .identity
            .as_ref()
            .filter(|identity| same_name(&identity.nickname, nickname))
            .map(|identity| identity.token.clone());
        ClientMessage::Hello {
            request_id: self.request_id(),
            protocol: PROTOCOL_VERSION,
            nickname: nickname.to_string(),
            token,
        }
    }

    /// Validates `raw` and puts it in the outbox for the current room (sent by
    /// [`ChatState::next_sends`] once the room is joined), or returns why it cannot be sent.
    /// `now_ms` is when the user sent it.
    pub fn compose(&mut self, raw: &str, client_id: ClientId, now_ms: i64) -> Result<(), Problem> {
        let body = MessageBody::parse(raw).map_err(Problem::Body)?;
        let author = self.me.clone().ok_or(Problem::SignInFirst)?;
        self.outbox.add(Outgoing {
            client_id,
            room: self.current.clone(),
            author,
            body,
            written_at: now_ms,
            failed: None,
            in_flight: None,
        });
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

    /// Validates `raw` and returns the `create_room` for it.
    pub fn create_room(&mut self, raw: &str) -> Result<ClientMessage, Problem> {
        let room = RoomName::parse(raw.trim()).map_err(Problem::RoomName)?;
        Ok(ClientMessage::CreateRoom { request_id: self.request_id(), room: room.to_string() })
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

    /// Whether `author` is the user of this page.
    pub fn is_me(&self, author: &Nickname) -> bool {
        self.me.as_ref().is_some_and(|me| same_name(me, author))
    }

    /// Applies one server message, received at `now_ms` (milliseconds since the epoch, for
    /// typing indicators); returns the messages to send in reply.
    pub fn apply(&mut self, message: ServerMessage, now_ms: i64) -> Vec<ClientMessage> {
        match message {
            ServerMessage::Welcome { nickname, token, rooms, .. } => {
                self.identity = Some(Identity { nickname: nickname.clone(), token });
                self.me = Some(nickname);
                self.phase = Phase::SignedIn;
                for summary in rooms {
                    let room = self.rooms.entry(summary.name).or_default();
                    room.last_seq = room.last_seq.max(summary.last_seq);
                }
                return self.rejoin();
            }
            ServerMessage::Created { room, .. } => {
                self.rooms.entry(room.clone()).or_default();
                return self.show(room);
            }
            ServerMessage::RoomAdded { room } => {
                let state = self.rooms.entry(room.name).or_default();
                state.last_seq = state.last_seq.max(room.last_seq);
            }
            ServerMessage::Joined { room, members, last_seq, .. } => {
                let state = self.rooms.entry(room.clone()).or_default();
                state.joined = true;
                state.followed = true;
                state.members = members;
                state.last_seq = state.last_seq.max(last_seq);
                // Everything after `last_seq` arrives live. Catch up from what the page holds,
                // or, the first time (or after a long absence), fetch the page ending there.
                match state.synced_to {
                    Some(synced) if last_seq.saturating_sub(synced) <= CATCH_UP_MAX => {
                        if synced < last_seq {
                            return vec![self.catch_up_request(&room, synced)];
                        }
                    }
                    _ => {
                        state.clear_timeline();
                        state.synced_to = Some(last_seq);
                        return vec![self.history_request(&room, Some(last_seq.saturating_add(1)))];
                    }
                }
            }
            ServerMessage::History {
                request_id,
                room,
                messages,
                reaches_start,
                reaches_end,
                ..
            } => {
                let is_current = room == self.current;
                let state = self.rooms.entry(room.clone()).or_default();
                let got_any = !messages.is_empty();
                for message in messages {
                    state.insert_message(message);
                }
                state.advance_synced();
                if is_current {
                    state.mark_read();
                }
                if state.catch_up == Some(request_id) {
                    state.catch_up = None;
                    let behind = !reaches_end || state.has_gap();
                    if let (true, true, Some(synced)) = (behind, got_any, state.synced_to) {
                        return vec![self.catch_up_request(&room, synced)];
                    }
                } else {
                    state.history = HistoryStatus { loading: false, reaches_start };
                }
            }
            ServerMessage::Message(message) => {
                if self.is_me(&message.author) {
                    self.outbox.delivered(&message.client_id);
                }
                return self.receive(message);
            }
            ServerMessage::Left { room, .. } => {
                if let Some(state) = self.rooms.get_mut(&room) {
                    state.joined = false;
                    state.followed = false;
                    state.members.clear();
                }
                if room == self.current {
                    return self.show(RoomName::lobby());
                }
            }
            ServerMessage::Ack { client_id, seq, id, sent_at, .. } => {
                // Show it where it belongs now; the `message` event (or, after a repeat, the
                // room's history) brings the same sequence number, kept once.
                if let Some(sent) = self.outbox.delivered(&client_id) {
                    let Outgoing { client_id, room, author, body, .. } = sent;
                    let message = ChatMessage { room, seq, id, client_id, author, body, sent_at };
                    return self.receive(message);
                }
            }
            ServerMessage::Pong { .. } => {}
            ServerMessage::UserJoined { room, nickname } => {
                let id = self.notice_id();
                let state = self.rooms.entry(room).or_default();
                state.notice(id, NoticeEvent::Joined(nickname.clone()));
                state.add_member(nickname);
            }
            ServerMessage::UserLeft { room, nickname } => {
                let id = self.notice_id();
                let state = self.rooms.entry(room).or_default();
                state.remove_member(&nickname);
                state.notice(id, NoticeEvent::Left(nickname));
            }
            ServerMessage::Typing { room, nickname } => {
                if let Some(state) = self.rooms.get_mut(&room) {
                    state.typing_seen(nickname, now_ms);
                }
            }
            ServerMessage::Error { request_id, code, message, retry_after_ms } => {
                self.refused(request_id, code, message, retry_after_ms);
            }
            ServerMessage::ServerClosing { reason } => {
                let id = self.notice_id();
                if let Some(state) = self.rooms.get_mut(&self.current) {
                    state.notice(id, NoticeEvent::ServerClosing(reason));
                }
            }
        }
        Vec::new()
    }

    /// Rooms the user was in on an earlier visit (see [`ChatState::followed_rooms`]), to be
    /// rejoined after `welcome`.
    pub fn remember_rooms(&mut self, rooms: Vec<(RoomName, u64)>) {
        self.remembered = rooms;
    }

    /// Every room the user is in, with the last sequence number read there: what a later
    /// visit needs to rejoin them and count what is new.
    pub fn followed_rooms(&self) -> Vec<(RoomName, u64)> {
        self.rooms
            .iter()
            .filter(|(_, room)| room.followed)
            .map(|(name, room)| (name.clone(), room.last_read))
            .collect()
    }

    /// After `welcome`: join every room the user was in before a reconnect or on an earlier
    /// visit, and the room on screen (the lobby, if the URL named a room that does not exist).
    fn rejoin(&mut self) -> Vec<ClientMessage> {
        for (name, last_read) in std::mem::take(&mut self.remembered) {
            // A remembered room that no longer exists is forgotten.
            if let Some(room) = self.rooms.get_mut(&name) {
                room.followed = true;
                room.last_read = room.last_read.max(last_read);
            }
        }
        if !self.rooms.contains_key(&self.current) {
            self.error = Some(Problem::NoSuchRoom(self.current.clone()));
            self.current = RoomName::lobby();
        }
        if let Some(state) = self.rooms.get_mut(&self.current) {
            state.enter();
            state.followed = true;
        }
        let followed: Vec<RoomName> = self
            .rooms
            .iter()
            .filter(|(_, state)| state.followed && !state.joined)
            .map(|(name, _)| name.clone())
            .collect();
        followed
            .into_iter()
            .map(|room| ClientMessage::Join {
                request_id: self.request_id(),
                room: room.to_string(),
            })
            .collect()
    }

    /// The request for the page of messages before the oldest one shown in the current room,
    /// unless one is on its way already or the timeline reaches the start of the room.
    pub fn older_history(&mut self) -> Option<ClientMessage> {
        let room = self.current.clone();
        let state = self.rooms.get(&room)?;
        if self.phase != Phase::SignedIn
            || !state.joined
            || state.history.loading
            || state.history.reaches_start
        {
            return None;
        }
        let oldest = state.oldest_seq();
        Some(self.history_request(&room, oldest))
    }

    fn history_request(&mut self, room: &RoomName, before_seq: Option<u64>) -> ClientMessage {
        if let Some(state) = self.rooms.get_mut(room) {
            state.history.loading = true;
        }
        ClientMessage::History {
            request_id: self.request_id(),
            room: room.to_string(),
            before_seq,
            after_seq: None,
            limit: None,
        }
    }

    /// The connection dropped: nobody is known to be present any more, and the rooms must
    /// be joined again on the next connection.
    pub fn disconnected(&mut self) {
        for state in self.rooms.values_mut() {
            state.joined = false;
            state.members.clear();
            // The answers to pending history requests will never come.
            state.history.loading = false;
            state.catch_up = None;
        }
        self.outbox.connection_lost();
        // A sign-in cut short is tried again on the next connection (the page reconnects by
        // itself); without a name to try, back to the form.
        if self.phase == Phase::Identifying && self.me.is_none() && self.asked_for.is_none() {
            self.phase = Phase::SignedOut;
        }
    }

    fn refused(
        &mut self,
        request_id: Option<RequestId>,
        code: ErrorCode,
        message: String,
        retry_after_ms: Option<u64>,
    ) {
        if let Some(request_id) = request_id {
            match self.outbox.refused(request_id, code, &message, retry_after_ms) {
                Refused::NotASend => {}
                Refused::RetryAfter(wait) => {
                    self.resend_after_ms = Some(wait);
                    if code != ErrorCode::RateLimited {
                        return; // Nothing the user needs to know or do.
                    }
                }
                // Shown on the message itself, with a retry button.
                Refused::Failed => return,
            }
            for state in self.rooms.values_mut() {
                if state.catch_up == Some(request_id) {
                    state.catch_up = None; // The next gap asks again.
                }
            }
        }
        match code {
            ErrorCode::NicknameTaken | ErrorCode::InvalidNickname
                if self.phase == Phase::Identifying =>
            {
                // Back to the sign-in form with the reason; any held name is gone.
                self.phase = Phase::SignedOut;
                self.me = None;
                self.asked_for = None;
            }
            ErrorCode::UnsupportedProtocol => self.must_reload = true,
            _ => {}
        }
        self.error = Some(Problem::Refused(Refusal { code, message }));
    }

    /// A message for a room: into its timeline, and a catch-up request if it shows that
    /// messages before it were missed.
    fn receive(&mut self, message: ChatMessage) -> Vec<ClientMessage> {
        let is_current = message.room == self.current;
        let room = message.room.clone();
        let state = self.rooms.entry(room.clone()).or_default();
        state.insert_message(message);
        state.advance_synced();
        if is_current {
            state.mark_read();
        }
        match state.synced_to {
            Some(synced) if state.has_gap() && state.catch_up.is_none() && state.joined => {
                vec![self.catch_up_request(&room, synced)]
            }
            _ => Vec::new(),
        }
    }

    /// The request for the messages of `room` after `after_seq`.
    fn catch_up_request(&mut self, room: &RoomName, after_seq: u64) -> ClientMessage {
        let request_id = self.request_id();
        if let Some(state) = self.rooms.get_mut(room) {
            state.catch_up = Some(request_id);
        }
        ClientMessage::History {
            request_id,
            room: room.to_string(),
            before_seq: None,
            after_seq: Some(after_seq),
            limit: Some(common::HISTORY_PAGE_MAX),
        }
    }

    fn notice_id(&mut self) -> u64 {
        self.next_notice_id += 1;
        self.next_notice_id
    }

    /// A fresh request id, for requests made outside the state (like `ping`).
    pub fn next_request_id(&mut self) -> u64 {
        self.request_id()
    }

    fn request_id(&mut self) -> u64 {
        self.next_request_id += 1;
        self.next_request_id
    }
}

#[cfg(test)]
mod tests {
    use common::RoomSummary;

    use super::*;
    use crate::test_support::{message, nick, room};

    fn chat_in(room_name: &str, seq: u64, author: &str) -> ServerMessage {
        ServerMessage::Message(message(room_name, seq, author, 0))
    }

    fn welcome(name: &str, rooms: &[(&str, u64)]) -> ServerMessage {
        ServerMessage::Welcome {
            request_id: 1,
            protocol: 1,
            nickname: nick(name),
            token: format!("token-of-{name}"),
            rooms: rooms
                .iter()
                .map(|(r, last_seq)| RoomSummary { name: room(r), last_seq: *last_seq })
                .collect(),
        }
    }

    fn refusal(
        request_id: u64,
        code: ErrorCode,
        message: &str,
        retry: Option<u64>,
    ) -> ServerMessage {
        ServerMessage::Error {
            request_id: Some(request_id),
            code,
            message: message.into(),
            retry_after_ms: retry,
        }
    }

    fn joined(room_name: &str, last_seq: u64) -> ServerMessage {
        ServerMessage::Joined { request_id: 2, room: room(room_name), members: vec![], last_seq }
    }

    fn history(room_name: &str, seqs: impl IntoIterator<Item = u64>, start: bool) -> ServerMessage {
        let messages = seqs.into_iter().map(|seq| message(room_name, seq, "bob", 0)).collect();
        ServerMessage::History {
            request_id: 9,
            room: room(room_name),
            messages,
            reaches_start: start,
            reaches_end: true,
        }
    }

    fn joins(requests: &[ClientMessage]) -> Vec<String> {
        requests
            .iter()
            .filter_map(|request| match request {
                ClientMessage::Join { room, .. } => Some(room.clone()),
                _ => None,
            })
            .collect()
    }

    fn seqs(state: &ChatState, room_name: &str) -> Vec<u64> {
        state.rooms[&room(room_name)]
            .timeline
            .iter()
            .filter_map(|entry| match entry {
                TimelineEntry::Message(m) => Some(m.seq),
                TimelineEntry::Notice { .. } => None,
            })
            .collect()
    }

    /// Signed in as `name`, in the lobby, with its (empty) history loaded.
    fn signed_in(name: &str) -> ChatState {
        let mut state = ChatState::default();
        state.hello(name).expect("valid");
        state.apply(welcome(name, &[("lobby", 0), ("rust", 0)]), 0);
        state.apply(joined("lobby", 0), 0);
        state.apply(history("lobby", [], true), 0);
        state
    }

    #[test]
    fn welcome_lists_rooms_and_joins_the_room_in_the_url() {
        let mut state = ChatState::showing(room("rust"));
        state.hello(" alice ").expect("valid");
        assert_eq!(state.phase, Phase::Identifying);
        let requests = state.apply(welcome("alice", &[("lobby", 3), ("rust", 7)]), 0);
        assert_eq!(joins(&requests), vec!["rust"]);
        assert_eq!(state.phase, Phase::SignedIn);
        assert_eq!(state.rooms.len(), 2);
        assert_eq!(state.rooms[&room("rust")].last_seq, 7);
    }

    #[test]
    fn a_url_naming_an_unknown_room_falls_back_to_the_lobby_with_a_reason() {
        let mut state = ChatState::showing(room("gone"));
        state.hello("alice").expect("valid");
        let requests = state.apply(welcome("alice", &[("lobby", 0)]), 0);
        assert_eq!(joins(&requests), vec!["lobby"]);
        assert_eq!(state.current, RoomName::lobby());
        assert_eq!(state.error, Some(Problem::NoSuchRoom(room("gone"))));
    }

    #[test]
    fn joining_fetches_the_page_that_ends_at_the_join_point() {
        let mut state = ChatState::default();
        state.hello("alice").expect("valid");
        state.apply(welcome("alice", &[("lobby", 120)]), 0);
        let requests = state.apply(joined("lobby", 120), 0);
        assert!(
            matches!(requests.as_slice(), [ClientMessage::History { before_seq: Some(121), .. }]),
            "{requests:?}"
        );
        // A message that arrives live before the page is not lost or doubled by it.
        state.apply(chat_in("lobby", 121, "bob"), 0);
        state.apply(history("lobby", 71..=120, false), 0);
        assert_eq!(seqs(&state, "lobby"), (71..=121).collect::<Vec<_>>());
        let lobby = state.current_room().expect("lobby");
        assert!(!lobby.history.loading);
        assert!(!lobby.history.reaches_start);
    }

    #[test]
    fn older_pages_are_fetched_one_at_a_time_until_the_start() {
        let mut state = signed_in("alice");
        state.apply(joined("lobby", 100), 0);
        state.apply(history("lobby", 51..=100, false), 0);
        let request = state.older_history();
        assert!(matches!(request, Some(ClientMessage::History { before_seq: Some(51), .. })));
        assert_eq!(state.older_history(), None, "one request at a time");
        state.apply(history("lobby", 1..=50, true), 0);
        assert_eq!(seqs(&state, "lobby"), (1..=100).collect::<Vec<_>>());
        assert_eq!(state.older_history(), None, "nothing before the start");
    }

    #[test]
    fn switching_rooms_joins_once_and_unread_counts_rooms_in_the_background() {
        let mut state = signed_in("alice");
        assert_eq!(joins(&state.show(room("rust"))), vec!["rust"]);
        state.apply(joined("rust", 0), 0);
        assert_eq!(joins(&state.show(RoomName::lobby())), Vec::<String>::new(), "still in lobby");
        assert_eq!(joins(&state.show(room("rust"))), Vec::<String>::new(), "already in rust");
        state.show(RoomName::lobby());

        state.apply(chat_in("rust", 1, "bob"), 0);
        state.apply(chat_in("rust", 2, "bob"), 0);
        state.apply(chat_in("lobby", 1, "bob"), 0);
        let me = state.me.clone();
        assert_eq!(state.rooms[&room("rust")].unread(me.as_ref()), 2);
        assert_eq!(state.rooms[&RoomName::lobby()].unread(me.as_ref()), 0, "on screen: read");
        state.show(room("rust"));
        assert_eq!(state.rooms[&room("rust")].unread(me.as_ref()), 0, "read once shown");
    }

    #[test]
    fn an_unknown_room_is_not_shown() {
        let mut state = signed_in("alice");
        assert!(state.show(room("nowhere")).is_empty());
        assert_eq!(state.current, RoomName::lobby());
        assert!(state.error.is_some());
    }

    #[test]
    fn creating_a_room_takes_the_creator_there() {
        let mut state = signed_in("alice");
        assert!(state.create_room("Bad Name").is_err());
        let request = state.create_room(" new-room ").expect("valid");
        assert!(
            matches!(request, ClientMessage::CreateRoom { ref room, .. } if room == "new-room")
        );
        let requests =
            state.apply(ServerMessage::Created { request_id: 5, room: room("new-room") }, 0);
        assert_eq!(joins(&requests), vec!["new-room"]);
        assert_eq!(state.current, room("new-room"));
    }

    #[test]
    fn a_reconnect_rejoins_every_room_the_user_was_in() {
        let mut state = signed_in("alice");
        state.show(room("rust"));
        state.apply(joined("rust", 0), 0);
        state.disconnected();
        assert!(state.rooms.values().all(|room| !room.joined));
        state.hello_again().expect("has a nickname");
        let mut rejoined = joins(&state.apply(welcome("alice", &[("lobby", 0), ("rust", 0)]), 0));
        rejoined.sort();
        assert_eq!(rejoined, vec!["lobby", "rust"]);
    }

    #[test]
    fn rooms_from_an_earlier_visit_are_rejoined_with_their_unread_counts() {
        let mut state = ChatState::default();
        state.remember_rooms(vec![(room("rust"), 1), (room("gone"), 4)]);
        state.hello("alice").expect("valid");
        let mut rejoined = joins(&state.apply(welcome("alice", &[("lobby", 0), ("rust", 3)]), 0));
        rejoined.sort();
        assert_eq!(rejoined, vec!["lobby", "rust"], "the vanished room is dropped");
        state.apply(joined("rust", 3), 0);
        state.apply(history("rust", 1..=3, true), 0);
        let me = state.me.clone();
        assert_eq!(state.rooms[&room("rust")].unread(me.as_ref()), 2, "seq 2 and 3 are new");
        let followed: Vec<String> =
            state.followed_rooms().iter().map(|(name, _)| name.to_string()).collect();
        assert_eq!(followed, vec!["lobby", "rust"]);
    }

    #[test]
    fn leaving_a_room_goes_back_to_the_lobby() {
        let mut state = signed_in("alice");
        state.show(room("rust"));
        state.apply(joined("rust", 0), 0);
        let leave = state.leave_current();
        assert!(matches!(leave, Some(ClientMessage::Leave { ref room, .. }) if room == "rust"));
        state.apply(ServerMessage::Left { request_id: 7, room: room("rust") }, 0);
        assert_eq!(state.current, RoomName::lobby());
        assert!(!state.rooms[&room("rust")].followed);
        assert_eq!(state.leave_current(), None, "the lobby cannot be left");
    }

    #[test]
    fn presence_follows_joins_and_leaves_per_room() {
        let mut state = signed_in("alice");
        state
            .apply(ServerMessage::UserJoined { room: RoomName::lobby(), nickname: nick("bob") }, 0);
        assert_eq!(state.current_room().expect("lobby").members, vec![nick("bob")]);
        state.apply(ServerMessage::UserLeft { room: RoomName::lobby(), nickname: nick("bob") }, 0);
        assert!(state.current_room().expect("lobby").members.is_empty());
    }

    #[test]
    fn a_taken_nickname_returns_to_sign_in_with_the_reason() {
        let mut state = ChatState::default();
        state.hello("alice").expect("valid");
        state.apply(refusal(1, ErrorCode::NicknameTaken, "taken", None), 0);
        assert_eq!(state.phase, Phase::SignedOut);
        assert_eq!(
            state.error,
            Some(Problem::Refused(Refusal {
                code: ErrorCode::NicknameTaken,
                message: "taken".into()
            }))
        );
    }

    #[test]
    fn the_token_of_the_last_welcome_goes_with_the_same_nickname_only() {
        let mut state = signed_in("alice");
        let token_sent = |hello: ClientMessage| match hello {
            ClientMessage::Hello { token, .. } => token,
            other => panic!("{other:?}"),
        };
        assert_eq!(token_sent(state.hello("ALICE").expect("valid")), Some("token-of-alice".into()));
        assert_eq!(token_sent(state.hello("bob").expect("valid")), None);
    }

    #[test]
    fn a_sign_in_cut_short_by_a_lost_connection_is_tried_again() {
        let mut state = ChatState::default();
        state.hello("alice").expect("valid");
        state.disconnected();
        assert_eq!(state.phase, Phase::Identifying, "still signing in, not back to the form");
        assert!(matches!(
            state.hello_again(),
            Some(ClientMessage::Hello { nickname, .. }) if nickname == "alice"
        ));
        state.apply(refusal(1, ErrorCode::NicknameTaken, "taken", None), 0);
        assert_eq!(state.phase, Phase::SignedOut);
        assert!(state.hello_again().is_none(), "a refused name is not tried again");
    }

    #[test]
    fn an_invalid_nickname_is_caught_before_sending() {
        let mut state = ChatState::default();
        assert!(state.hello("  ").is_err());
        assert_eq!(state.phase, Phase::SignedOut);
    }

    #[test]
    fn blank_messages_are_not_sent() {
        let mut state = signed_in("alice");
        let id = ClientId::parse("x").expect("valid");
        assert!(state.compose(" \n ", id.clone(), 0).is_err());
        assert!(state.outbox.entries().is_empty());
        assert!(state.compose("line one\nline two", id, 0).is_ok());
        assert_eq!(state.outbox.unsent(), 1);
    }

    fn send_ids(requests: &[ClientMessage]) -> Vec<(u64, String)> {
        requests
            .iter()
            .filter_map(|request| match request {
                ClientMessage::Send { request_id, client_id, .. } => {
                    Some((*request_id, client_id.as_str().to_owned()))
                }
                _ => None,
            })
            .collect()
    }

    fn catch_up_from(requests: &[ClientMessage]) -> Option<(u64, u64)> {
        requests.iter().find_map(|request| match request {
            ClientMessage::History { request_id, after_seq: Some(after), .. } => {
                Some((*request_id, *after))
            }
            _ => None,
        })
    }

    fn catch_up_page(
        request_id: u64,
        seqs: impl IntoIterator<Item = u64>,
        end: bool,
    ) -> ServerMessage {
        let messages = seqs.into_iter().map(|seq| message("lobby", seq, "bob", 0)).collect();
        ServerMessage::History {
            request_id,
            room: room("lobby"),
            messages,
            reaches_start: false,
            reaches_end: end,
        }
    }

    #[test]
    fn a_message_written_offline_waits_then_goes_once_and_the_ack_shows_it_in_place() {
        let mut state = signed_in("alice");
        state.apply(joined("lobby", 2), 0);
        state.apply(history("lobby", [1, 2], true), 0);
        state.disconnected();
        let id = ClientId::parse("offline-1").expect("valid");
        state.compose("written offline", id.clone(), 5).expect("valid");
        assert!(state.next_sends().is_empty(), "not joined: it waits");
        assert_eq!(state.pending_in_current().len(), 1, "shown as pending meanwhile");

        state.apply(joined("lobby", 2), 0);
        let sends = send_ids(&state.next_sends());
        assert_eq!(sends.len(), 1);
        assert!(state.next_sends().is_empty(), "one in flight per room");
        let (request_id, client_id) = sends[0].clone();
        assert_eq!(client_id, "offline-1");
        state.apply(
            ServerMessage::Ack {
                request_id,
                room: room("lobby"),
                client_id: id.clone(),
                seq: 3,
                id: "m3".into(),
                sent_at: 9,
            },
            0,
        );
        assert!(state.pending_in_current().is_empty());
        assert_eq!(seqs(&state, "lobby"), vec![1, 2, 3]);
        // The broadcast of the same message changes nothing.
        let mut echo = message("lobby", 3, "alice", 9);
        echo.client_id = id;
        state.apply(ServerMessage::Message(echo), 0);
        assert_eq!(seqs(&state, "lobby"), vec![1, 2, 3]);
    }

    #[test]
    fn a_refused_message_is_marked_failed_and_a_rate_limited_one_waits() {
        let mut state = signed_in("alice");
        state.apply(joined("lobby", 0), 0);
        state.compose("one", ClientId::parse("c-1").expect("valid"), 1).expect("valid");
        let (request_id, _) = send_ids(&state.next_sends())[0].clone();
        state.apply(refusal(request_id, ErrorCode::RateLimited, "no", Some(250)), 0);
        assert_eq!(state.resend_after_ms.take(), Some(250));
        assert_eq!(state.outbox.unsent(), 1);
        let (request_id, _) = send_ids(&state.next_sends())[0].clone();
        state.apply(refusal(request_id, ErrorCode::InvalidBody, "too long", None), 0);
        let failed = state.pending_in_current()[0].failed.clone();
        assert_eq!(failed.map(|refusal| refusal.message).as_deref(), Some("too long"));
        assert_eq!(state.outbox.unsent(), 0);
    }

    #[test]
    fn a_reconnect_catches_up_from_the_last_message_held_page_by_page() {
        let mut state = signed_in("alice");
        state.apply(joined("lobby", 3), 0);
        state.apply(history("lobby", [1, 2, 3], true), 0);
        state.disconnected();
        let requests = state.apply(joined("lobby", 250), 0);
        let (first, after) = catch_up_from(&requests).expect("a catch-up request");
        assert_eq!(after, 3, "from the last message held, not the latest page");
        // A live message arrives before the catch-up answer: no second request.
        assert!(state.apply(chat_in("lobby", 251, "bob"), 0).is_empty());
        let requests = state.apply(catch_up_page(first, 4..=103, false), 0);
        let (second, after) = catch_up_from(&requests).expect("the next page");
        assert_eq!(after, 103);
        let requests = state.apply(catch_up_page(second, 104..=203, false), 0);
        let (third, after) = catch_up_from(&requests).expect("the next page");
        assert_eq!(after, 203);
        assert!(state.apply(catch_up_page(third, 204..=251, true), 0).is_empty(), "done");
        assert_eq!(seqs(&state, "lobby"), (1..=251).collect::<Vec<_>>());
    }

    #[test]
    fn a_jump_in_the_live_stream_fetches_the_missing_messages() {
        let mut state = signed_in("alice");
        state.apply(joined("lobby", 0), 0);
        state.apply(chat_in("lobby", 1, "bob"), 0);
        let requests = state.apply(chat_in("lobby", 4, "bob"), 0);
        let (request_id, after) = catch_up_from(&requests).expect("missing 2 and 3");
        assert_eq!(after, 1);
        state.apply(catch_up_page(request_id, 2..=4, true), 0);
        assert_eq!(seqs(&state, "lobby"), vec![1, 2, 3, 4]);
        assert!(state.apply(chat_in("lobby", 5, "bob"), 0).is_empty());
    }

    #[test]
    fn after_a_long_absence_a_room_is_loaded_afresh() {
        let mut state = signed_in("alice");
        state.apply(joined("lobby", 3), 0);
        state.apply(history("lobby", [1, 2, 3], true), 0);
        state.disconnected();
        let requests = state.apply(joined("lobby", 3 + CATCH_UP_MAX + 1), 0);
        assert!(catch_up_from(&requests).is_none());
        assert!(matches!(
            requests.as_slice(),
            [ClientMessage::History { before_seq: Some(_), .. }]
        ));
        assert!(seqs(&state, "lobby").is_empty(), "the old timeline would have a hole");
    }

    #[test]
    fn own_messages_are_recognised_ignoring_case() {
        let state = signed_in("Alice");
        assert!(state.is_me(&nick("alice")));
        assert!(!state.is_me(&nick("bob")));
    }

    #[test]
    fn a_protocol_mismatch_asks_for_a_reload() {
        let mut state = ChatState::default();
        state.hello("alice").expect("valid");
        state.apply(refusal(1, ErrorCode::UnsupportedProtocol, "reload", None), 0);
        assert!(state.must_reload);
    }
}
