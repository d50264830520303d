//! A client that behaves like the page under faults: it sends each message with a client id
//! and keeps it until acknowledged, reconnects by itself, gets its nickname back with its
//! token, and catches up on every room from the last sequence number it holds.
//!
//! It trusts nothing: any error or silence ends the connection, and the next one resumes.
//! What it saw is kept for the caller to check (the tests' audit of "nothing lost, nothing
//! doubled, nothing out of order").

use std::collections::{BTreeMap, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::net::SocketAddr;
use std::time::Duration;

use common::{
    Ack, Backoff, BackoffRule, ChatMessage, ClientId, ClientMessage, ErrorCode, ErrorReply,
    History, Jitter, ServerMessage,
};

use crate::connection::{ConnectOptions, Connection};
use crate::error::ClientError;

/// Silence on a connection this long means it is dead (the server answers at once).
const SILENCE: Duration = Duration::from_secs(3);

/// Reconnecting: doubling from 50 ms up to 1 s, each wait a random part of its ceiling.
const RECONNECTING: BackoffRule = BackoffRule::doubling(50.0, 1_000.0, Jitter::Full);

/// One chat user with an outbox, across as many connections as it takes.
#[derive(Debug)]
pub struct ResilientClient {
    pub nickname: String,
    /// The nodes it may connect to; after a failure it tries the next one.
    servers: Vec<SocketAddr>,
    /// The node of the current (or next) connection, as an index into `servers`.
    current: usize,
    token: Option<String>,
    rooms: Vec<String>,
    /// Every message seen, per room, by sequence number.
    pub views: BTreeMap<String, BTreeMap<u64, ChatMessage>>,
    /// Per room, the first message the server still keeps, where its retention removed the
    /// ones before (the `first_seq` of a history page): nothing below it is waited for.
    pub first_kept: BTreeMap<String, u64>,
    /// Messages not acknowledged yet, in the order written: (room, client id, body).
    outbox: VecDeque<(String, ClientId, String)>,
    /// Every client id this client wrote.
    pub written: Vec<ClientId>,
    /// Every acknowledgement received: (client id, sequence number).
    pub acks: Vec<(ClientId, u64)>,
    /// Connections that failed and were replaced.
    pub reconnects: u64,
    /// Why each replaced connection failed, the latest last (a few are kept).
    pub failures: VecDeque<String>,
    /// Live messages that arrived with a sequence number beyond a hole, in a room already
    /// caught up on the connection (the server promises there are none).
    pub live_gaps: u64,
    /// The rooms caught up on the current connection: from then on, live messages follow on.
    live_rooms: Vec<String>,
    /// Pause after each acknowledged message.
    pub send_interval: Duration,
}

impl ResilientClient {
    pub fn new(nickname: &str, server: SocketAddr, rooms: &[&str]) -> Self {
        Self::with_servers(nickname, vec![server], rooms)
    }

    /// A client of several nodes: it starts on the first and moves to the next whenever a
    /// connection fails, as a page behind a load balancer would.
    ///
    /// # Panics
    /// If `servers` is empty.
    pub fn with_servers(nickname: &str, servers: Vec<SocketAddr>, rooms: &[&str]) -> Self {
        assert!(!servers.is_empty(), "a client needs a server");
        Self {
            nickname: nickname.to_owned(),
            servers,
            current: 0,
            token: None,
            rooms: rooms.iter().map(|room| (*room).to_owned()).collect(),
            views: rooms.iter().map(|room| ((*room).to_owned(), BTreeMap::new())).collect(),
            first_kept: BTreeMap::new(),
            outbox: VecDeque::new(),
            written: Vec::new(),
            acks: Vec::new(),
            reconnects: 0,
            failures: VecDeque::new(),
            live_gaps: 0,
            live_rooms: Vec::new(),
            send_interval: Duration::ZERO,
        }
    }

    /// Writes a message for `room` (sent by [`ResilientClient::run`]).
    ///
    /// # Panics
    /// If the nickname makes an invalid client id.
    pub fn write(&mut self, room: &str, body: String) {
        let client_id = ClientId::parse(&format!("{}-{}", self.nickname, self.written.len()))
            .expect("a nickname and a number make a valid client id");
        self.written.push(client_id.clone());
        self.outbox.push_back((room.to_owned(), client_id, body));
    }

    /// Connects (again and again if need be) until every written message is acknowledged and
    /// every room is caught up with what the server had stored. Waits between attempts grow
    /// by [`RECONNECTING`].
    pub async fn run(&mut self) {
        let mut backoff = Backoff::new(RECONNECTING);
        loop {
            match self.session().await {
                Ok(()) => return,
                Err(broken @ (ClientError::Undecodable { .. } | ClientError::NotText(_))) => {
                    // Not a fault to ride out: the server broke the protocol.
                    panic!("{}: {broken}", self.nickname);
                }
                Err(why) => {
                    self.reconnects += 1;
                    if self.failures.len() == 8 {
                        self.failures.pop_front();
                    }
                    self.failures.push_back(why.to_string());
                    self.current = (self.current + 1) % self.servers.len();
                    let wait_ms = backoff.next_delay_ms(jitter(), 0.0);
                    tokio::time::sleep(Duration::from_secs_f64(wait_ms / 1_000.0)).await;
                }
            }
        }
    }

    /// One connection: sign in, rejoin, catch up, send the outbox, catch up again.
    async fn session(&mut self) -> Result<(), ClientError> {
        self.live_rooms.clear();
        let options = ConnectOptions { within: SILENCE, ..ConnectOptions::default() };
        let mut connection = Connection::open(self.servers[self.current], &options).await?;
        let welcome = connection.hello(&self.nickname, self.token.as_deref(), SILENCE).await?;
        self.token = Some(welcome.token);
        for room in self.rooms.clone() {
            let join =
                ClientMessage::Join { request_id: connection.request_id(), room: room.clone() };
            match self.request(&mut connection, &join).await? {
                ServerMessage::Joined(_) => {}
                other => return Err(ClientError::Refused(Box::new(other))),
            }
            self.catch_up(&mut connection, &room).await?;
            self.live_rooms.push(room);
        }

        while let Some((room, client_id, body)) = self.outbox.front().cloned() {
            let send = ClientMessage::Send {
                request_id: connection.request_id(),
                room,
                client_id: client_id.clone(),
                body,
                reply_to: None,
            };
            match self.request(&mut connection, &send).await? {
                ServerMessage::Ack(Ack { client_id: acked, seq, .. }) if acked == client_id => {
                    self.acks.push((acked, seq));
                    self.outbox.pop_front();
                }
                ServerMessage::Error(ErrorReply {
                    code: ErrorCode::RateLimited,
                    retry_after_ms,
                    ..
                }) => {
                    let wait = retry_after_ms.unwrap_or(100);
                    tokio::time::sleep(Duration::from_millis(wait)).await;
                }
                // An ack for another message or any other refusal: the server broke a promise,
                // and no reconnecting fixes that.
                other => panic!("{}: send refused: {other:?}", self.nickname),
            }
            if !self.send_interval.is_zero() {
                tokio::time::sleep(self.send_interval).await;
            }
        }
        for room in self.rooms.clone() {
            self.catch_up(&mut connection, &room).await?;
        }
        let _ = connection.socket.close(None).await;
        Ok(())
    }

    /// Fetches every stored message of `room` after the last one held without a gap.
    async fn catch_up(
        &mut self,
        connection: &mut Connection,
        room: &str,
    ) -> Result<(), ClientError> {
        loop {
            let request = ClientMessage::History {
                request_id: connection.request_id(),
                room: room.to_owned(),
                before_seq: None,
                after_seq: Some(self.synced_to(room)),
                limit: Some(u64::from(common::HISTORY_PAGE_MAX)),
            };
            match self.request(connection, &request).await? {
                ServerMessage::History(History { messages, reaches_end, first_seq, .. }) => {
                    if let Some(first_seq) = first_seq {
                        self.first_kept.insert(room.to_owned(), first_seq);
                    }
                    for message in messages {
                        self.keep(message);
                    }
                    if reaches_end && !self.has_gap(room) {
                        return Ok(());
                    }
                }
                other => return Err(ClientError::Refused(Box::new(other))),
            }
        }
    }

    /// Sends `request` and waits for its answer, keeping every chat message on the way.
    async fn request(
        &mut self,
        connection: &mut Connection,
        request: &ClientMessage,
    ) -> Result<ServerMessage, ClientError> {
        let wanted = request.request_id();
        connection.send(request).await?;
        loop {
            match connection.receive(SILENCE).await? {
                ServerMessage::Message(chat) => {
                    let room = chat.room.as_str();
                    if self.live_rooms.iter().any(|live| live == room)
                        && chat.seq > self.synced_to(room) + 1
                    {
                        self.live_gaps += 1;
                    }
                    self.keep(chat);
                }
                closing @ ServerMessage::ServerClosing(_) => {
                    return Err(ClientError::Refused(Box::new(closing)));
                }
                answer if answer.answered_request() == wanted => return Ok(answer),
                _ => {} // presence and typing
            }
        }
    }

    /// Adds `message` to its room's view.
    ///
    /// # Panics
    /// If a different message with the same sequence number was seen before.
    fn keep(&mut self, message: ChatMessage) {
        let view = self.views.entry(message.room.to_string()).or_default();
        if let Some(held) = view.get(&message.seq) {
            assert_eq!(held, &message, "two different messages with one sequence number");
            return;
        }
        view.insert(message.seq, message);
    }

    /// The highest sequence number up to which the view of `room` has no hole (from the first
    /// message the server keeps).
    pub fn synced_to(&self, room: &str) -> u64 {
        let mut synced = self.first_kept.get(room).map_or(0, |first| first.saturating_sub(1));
        let Some(view) = self.views.get(room) else { return synced };
        for seq in view.range(synced + 1..).map(|(seq, _)| seq) {
            if *seq != synced + 1 {
                break;
            }
            synced = *seq;
        }
        synced
    }

    fn has_gap(&self, room: &str) -> bool {
        let last = self.views.get(room).and_then(|view| view.keys().next_back().copied());
        last.is_some_and(|last| last > self.synced_to(room))
    }
}

/// A random fraction in [0, 1), so clients that lost their connection together do not all
/// come back together (std's randomly keyed hasher: no random-number crate for this).
fn jitter() -> f64 {
    let random = RandomState::new().hash_one(0u8);
    (random >> 11) as f64 / (1u64 << 53) as f64
}
