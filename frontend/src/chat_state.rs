//! What the page knows, and how server messages change it.
//!
//! Plain Rust with no DOM, so every rule (ordering, de-duplication, presence, what to send
//! next) is unit-tested natively. The controller keeps one [`ChatState`] in a signal.

use common::{
    ChatMessage, ClientId, ClientMessage, ErrorCode, MessageBody, Nickname, PROTOCOL_VERSION,
    RoomName, ServerMessage,
};

/// Where the user is in the sign-in flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Phase {
    /// Choosing a nickname.
    #[default]
    SignedOut,
    /// `hello` sent, waiting for `welcome`.
    Identifying,
    /// `join` sent, waiting for `joined`.
    Joining,
    /// In the room.
    InRoom,
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineEntry {
    Message(ChatMessage),
    /// Something that happened in the room, like someone joining, shown between messages.
    Notice {
        id: u64,
        text: String,
    },
}

/// Identifies a timeline entry for keyed rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKey {
    Message(u64),
    Notice(u64),
}

impl TimelineEntry {
    pub fn key(&self) -> EntryKey {
        match self {
            Self::Message(message) => EntryKey::Message(message.seq),
            Self::Notice { id, .. } => EntryKey::Notice(*id),
        }
    }
}

/// Where fetching the room's older messages stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HistoryStatus {
    /// A `history` request is on its way; no second one is sent meanwhile.
    pub loading: bool,
    /// The timeline holds the room's first message (or the room is empty): nothing older.
    pub reaches_start: bool,
}

/// Everything the page shows about the chat.
#[derive(Debug, Clone, Default)]
pub struct ChatState {
    pub phase: Phase,
    /// The nickname the server confirmed (kept across a reconnect).
    pub me: Option<Nickname>,
    /// Who is in the room now, sorted case-insensitively.
    pub members: Vec<Nickname>,
    /// Messages in sequence order, with notices where they happened.
    pub timeline: Vec<TimelineEntry>,
    /// The latest refusal or problem to show the user, if any.
    pub error: Option<String>,
    /// The server speaks another protocol version: the page must be reloaded.
    pub must_reload: bool,
    /// Where fetching older messages stands.
    pub history: HistoryStatus,
    next_request_id: u64,
    next_notice_id: u64,
}

impl ChatState {
    /// The room this page lives in (rooms arrive in a later version of the page).
    pub fn room(&self) -> RoomName {
        RoomName::lobby()
    }

    /// Validates `raw` and returns the `hello` to send, or the reason it cannot be used.
    pub fn hello(&mut self, raw: &str) -> Result<ClientMessage, String> {
        let nickname = Nickname::parse(raw).map_err(|error| error.to_string())?;
        Ok(self.hello_as(&nickname))
    }

    /// The `hello` that signs in again with the nickname already held, after a reconnect.
    pub fn hello_again(&mut self) -> Option<ClientMessage> {
        let nickname = self.me.clone()?;
        Some(self.hello_as(&nickname))
    }

    fn hello_as(&mut self, nickname: &Nickname) -> ClientMessage {
        self.phase = Phase::Identifying;
        self.error = None;
        ClientMessage::Hello {
            request_id: self.request_id(),
            protocol: PROTOCOL_VERSION,
            nickname: nickname.to_string(),
        }
    }

    /// Validates `raw` and returns the `send` for it, or the reason it cannot be sent.
    pub fn compose(&mut self, raw: &str, client_id: ClientId) -> Result<ClientMessage, String> {
        let body = MessageBody::parse(raw).map_err(|error| error.to_string())?;
        Ok(ClientMessage::Send {
            request_id: self.request_id(),
            room: self.room().to_string(),
            client_id,
            body: body.to_string(),
        })
    }

    /// Whether `author` is the user of this page.
    pub fn is_me(&self, author: &Nickname) -> bool {
        self.me.as_ref().is_some_and(|me| me.key() == author.key())
    }

    /// Applies one server message; returns the message to send in reply, if any.
    pub fn apply(&mut self, message: ServerMessage) -> Option<ClientMessage> {
        match message {
            ServerMessage::Welcome { nickname, .. } => {
                self.me = Some(nickname);
                self.phase = Phase::Joining;
                return Some(ClientMessage::Join {
                    request_id: self.request_id(),
                    room: self.room().to_string(),
                });
            }
            ServerMessage::Joined { members, last_seq, .. } => {
                self.members = members;
                self.phase = Phase::InRoom;
                self.error = None;
                // Everything after `last_seq` arrives live; fetch the page that ends at it.
                return Some(self.history_request(Some(last_seq.saturating_add(1))));
            }
            ServerMessage::History { messages, reaches_start, .. } => {
                for message in messages {
                    self.insert_message(message);
                }
                self.history = HistoryStatus { loading: false, reaches_start };
            }
            ServerMessage::Left { .. } => self.members.clear(),
            // Room lists arrive with the room switcher; this page lives in the lobby.
            ServerMessage::Created { .. } | ServerMessage::RoomAdded { .. } => {}
            ServerMessage::Ack { .. } => {}
            ServerMessage::Message(message) => self.insert_message(message),
            ServerMessage::UserJoined { nickname, .. } => {
                self.notice(format!("{nickname} joined"));
                if !self.members.contains(&nickname) {
                    self.members.push(nickname);
                    self.members.sort_by_key(Nickname::key);
                }
            }
            ServerMessage::UserLeft { nickname, .. } => {
                self.notice(format!("{nickname} left"));
                self.members.retain(|member| member != &nickname);
            }
            ServerMessage::Error { code, message, .. } => self.refused(code, message),
            ServerMessage::ServerClosing { reason } => {
                self.notice(format!("The server is closing: {reason}"));
            }
        }
        None
    }

    /// The request for the page of messages before the oldest one shown, unless one is on its
    /// way already or the timeline reaches the start of the room.
    pub fn older_history(&mut self) -> Option<ClientMessage> {
        if self.phase != Phase::InRoom || self.history.loading || self.history.reaches_start {
            return None;
        }
        let oldest = self.timeline.iter().find_map(|entry| match entry {
            TimelineEntry::Message(message) => Some(message.seq),
            TimelineEntry::Notice { .. } => None,
        });
        Some(self.history_request(oldest))
    }

    fn history_request(&mut self, before_seq: Option<u64>) -> ClientMessage {
        self.history.loading = true;
        ClientMessage::History {
            request_id: self.request_id(),
            room: self.room().to_string(),
            before_seq,
            limit: None,
        }
    }

    /// The connection dropped: nobody is known to be present any more.
    pub fn disconnected(&mut self) {
        self.members.clear();
        // The answer to a pending history request will never come.
        self.history.loading = false;
        if self.phase == Phase::Identifying && self.me.is_none() {
            self.phase = Phase::SignedOut;
        }
    }

    fn refused(&mut self, code: ErrorCode, message: String) {
        match code {
            ErrorCode::NicknameTaken | ErrorCode::InvalidNickname
                if self.phase == Phase::Identifying =>
            {
                // Back to the sign-in form with the reason; any held name is gone.
                self.phase = Phase::SignedOut;
                self.me = None;
            }
            ErrorCode::UnsupportedProtocol => self.must_reload = true,
            _ => {}
        }
        self.error = Some(message);
    }

    /// Puts `message` in sequence order; a sequence number already shown is ignored.
    fn insert_message(&mut self, message: ChatMessage) {
        let seq_of = |entry: &TimelineEntry| match entry {
            TimelineEntry::Message(m) => Some(m.seq),
            TimelineEntry::Notice { .. } => None,
        };
        let last_seq = self.timeline.iter().rev().find_map(seq_of);
        if last_seq.is_none_or(|last| message.seq > last) {
            self.timeline.push(TimelineEntry::Message(message));
            return;
        }
        if self.timeline.iter().any(|entry| seq_of(entry) == Some(message.seq)) {
            return;
        }
        let position = self
            .timeline
            .iter()
            .position(|entry| seq_of(entry).is_some_and(|seq| seq > message.seq))
            .unwrap_or(self.timeline.len());
        self.timeline.insert(position, TimelineEntry::Message(message));
    }

    fn notice(&mut self, text: String) {
        self.next_notice_id += 1;
        self.timeline.push(TimelineEntry::Notice { id: self.next_notice_id, text });
    }

    fn request_id(&mut self) -> u64 {
        self.next_request_id += 1;
        self.next_request_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nick(s: &str) -> Nickname {
        Nickname::parse(s).expect("valid")
    }

    fn chat(seq: u64, author: &str, body: &str) -> ServerMessage {
        ServerMessage::Message(ChatMessage {
            room: RoomName::lobby(),
            seq,
            id: format!("m{seq}"),
            client_id: ClientId::parse(&format!("c{seq}")).expect("valid"),
            author: nick(author),
            body: MessageBody::parse(body).expect("valid"),
            sent_at: 0,
        })
    }

    fn seqs(state: &ChatState) -> Vec<u64> {
        state
            .timeline
            .iter()
            .filter_map(|entry| match entry {
                TimelineEntry::Message(m) => Some(m.seq),
                TimelineEntry::Notice { .. } => None,
            })
            .collect()
    }

    fn signed_in(name: &str) -> ChatState {
        let mut state = ChatState::default();
        state.hello(name).expect("valid");
        state.apply(ServerMessage::Welcome {
            request_id: 1,
            protocol: 1,
            nickname: nick(name),
            rooms: vec![],
        });
        state.apply(ServerMessage::Joined {
            request_id: 2,
            room: RoomName::lobby(),
            members: vec![nick(name)],
            last_seq: 0,
        });
        state.apply(ServerMessage::History {
            request_id: 3,
            room: RoomName::lobby(),
            messages: vec![],
            reaches_start: true,
        });
        state
    }

    #[test]
    fn welcome_leads_to_joining_the_lobby() {
        let mut state = ChatState::default();
        let hello = state.hello(" alice ").expect("valid");
        assert!(matches!(hello, ClientMessage::Hello { ref nickname, .. } if nickname == "alice"));
        assert_eq!(state.phase, Phase::Identifying);
        let next = state.apply(ServerMessage::Welcome {
            request_id: 1,
            protocol: 1,
            nickname: nick("alice"),
            rooms: vec![],
        });
        assert!(matches!(next, Some(ClientMessage::Join { ref room, .. }) if room == "lobby"));
        assert_eq!(state.phase, Phase::Joining);
    }

    fn history(messages: Vec<ServerMessage>, reaches_start: bool) -> ServerMessage {
        let messages = messages
            .into_iter()
            .filter_map(|m| match m {
                ServerMessage::Message(message) => Some(message),
                _ => None,
            })
            .collect();
        ServerMessage::History { request_id: 9, room: RoomName::lobby(), messages, reaches_start }
    }

    #[test]
    fn joining_fetches_the_page_that_ends_at_the_join_point() {
        let mut state = ChatState::default();
        state.hello("alice").expect("valid");
        state.apply(ServerMessage::Welcome {
            request_id: 1,
            protocol: 1,
            nickname: nick("alice"),
            rooms: vec![],
        });
        let request = state.apply(ServerMessage::Joined {
            request_id: 2,
            room: RoomName::lobby(),
            members: vec![nick("alice")],
            last_seq: 120,
        });
        assert!(
            matches!(request, Some(ClientMessage::History { before_seq: Some(121), .. })),
            "{request:?}"
        );
        // A message that arrives live before the page is not lost or doubled by it.
        state.apply(chat(121, "bob", "live"));
        state.apply(history((71..=120).map(|seq| chat(seq, "bob", "old")).collect(), false));
        assert_eq!(seqs(&state), (71..=121).collect::<Vec<_>>());
        assert!(!state.history.loading);
        assert!(!state.history.reaches_start);
    }

    #[test]
    fn older_pages_are_fetched_one_at_a_time_until_the_start() {
        let mut state = signed_in("alice");
        state.history = HistoryStatus::default();
        state.apply(history((51..=100).map(|seq| chat(seq, "bob", "x")).collect(), false));
        let request = state.older_history();
        assert!(matches!(request, Some(ClientMessage::History { before_seq: Some(51), .. })));
        assert_eq!(state.older_history(), None, "one request at a time");
        state.apply(history((1..=50).map(|seq| chat(seq, "bob", "x")).collect(), true));
        assert_eq!(seqs(&state), (1..=100).collect::<Vec<_>>());
        assert_eq!(state.older_history(), None, "nothing before the start");
    }

    #[test]
    fn an_invalid_nickname_is_caught_before_sending() {
        let mut state = ChatState::default();
        assert!(state.hello("  ").is_err());
        assert_eq!(state.phase, Phase::SignedOut);
    }

    #[test]
    fn a_taken_nickname_returns_to_sign_in_with_the_reason() {
        let mut state = ChatState::default();
        state.hello("alice").expect("valid");
        state.apply(ServerMessage::Error {
            request_id: Some(1),
            code: ErrorCode::NicknameTaken,
            message: "taken".into(),
        });
        assert_eq!(state.phase, Phase::SignedOut);
        assert_eq!(state.error.as_deref(), Some("taken"));
    }

    #[test]
    fn messages_are_ordered_by_sequence_and_never_doubled() {
        let mut state = signed_in("alice");
        for seq in [1, 2, 4, 3, 2, 4, 5] {
            state.apply(chat(seq, "bob", "hi"));
        }
        assert_eq!(seqs(&state), vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn presence_follows_joins_and_leaves_with_notices() {
        let mut state = signed_in("alice");
        state.apply(ServerMessage::UserJoined { room: RoomName::lobby(), nickname: nick("bob") });
        assert_eq!(state.members, vec![nick("alice"), nick("bob")]);
        state.apply(ServerMessage::UserLeft { room: RoomName::lobby(), nickname: nick("bob") });
        assert_eq!(state.members, vec![nick("alice")]);
        let notices: Vec<&str> = state
            .timeline
            .iter()
            .filter_map(|entry| match entry {
                TimelineEntry::Notice { text, .. } => Some(text.as_str()),
                TimelineEntry::Message(_) => None,
            })
            .collect();
        assert_eq!(notices, vec!["bob joined", "bob left"]);
    }

    #[test]
    fn own_messages_are_recognised_ignoring_case() {
        let state = signed_in("Alice");
        assert!(state.is_me(&nick("alice")));
        assert!(!state.is_me(&nick("bob")));
    }

    #[test]
    fn blank_messages_are_not_sent() {
        let mut state = signed_in("alice");
        let id = ClientId::parse("x").expect("valid");
        assert!(state.compose(" \n ", id.clone()).is_err());
        assert!(state.compose("line one\nline two", id).is_ok());
    }

    #[test]
    fn a_protocol_mismatch_asks_for_a_reload() {
        let mut state = ChatState::default();
        state.hello("alice").expect("valid");
        state.apply(ServerMessage::Error {
            request_id: Some(1),
            code: ErrorCode::UnsupportedProtocol,
            message: "reload".into(),
        });
        assert!(state.must_reload);
    }
}
