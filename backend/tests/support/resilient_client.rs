//! A client that behaves like the page under faults: it sends each message with a client id
//! and keeps it until acknowledged, reconnects by itself, gets its nickname back with its
//! token, and catches up on every room from the last sequence number it holds.
//!
//! It speaks the protocol from `common` over a real WebSocket and trusts nothing: any error
//! or silence ends the connection, and the next one resumes.

#![allow(dead_code, reason = "several test binaries include this file; each uses a part")]

use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::time::Duration;

use common::{
    Ack, ChatMessage, ClientId, ClientMessage, ErrorCode, ErrorReply, History, PROTOCOL_VERSION,
    ServerMessage, Welcome,
};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Silence on a connection this long means it is dead (the server answers at once).
const SILENCE: Duration = Duration::from_secs(3);

/// The connection failed in some way; the next one resumes.
#[derive(Debug)]
pub struct Lost(pub String);

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One chat user with an outbox, across as many connections as it takes.
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
    /// Messages not acknowledged yet, in the order written: (room, client id, body).
    outbox: VecDeque<(String, ClientId, String)>,
    /// Every client id this client wrote.
    pub written: Vec<ClientId>,
    /// Every acknowledgement received: (client id, sequence number).
    pub acks: Vec<(ClientId, u64)>,
    /// Connections that failed and were replaced.
    pub reconnects: u64,
    /// Live messages that arrived with a sequence number beyond a hole, in a room already
    /// caught up on the connection (the server promises there are none).
    pub live_gaps: u64,
    /// The rooms caught up on the current connection: from then on, live messages follow on.
    live_rooms: Vec<String>,
    /// Pause after each acknowledged message.
    pub send_interval: Duration,
    next_request_id: u64,
}

impl ResilientClient {
    pub fn new(nickname: &str, server: SocketAddr, rooms: &[&str]) -> Self {
        Self::with_servers(nickname, vec![server], rooms)
    }

    /// A client of several nodes: it starts on the first and moves to the next whenever a
    /// connection fails, as a page behind a load balancer would.
    pub fn with_servers(nickname: &str, servers: Vec<SocketAddr>, rooms: &[&str]) -> Self {
        assert!(!servers.is_empty(), "a client needs a server");
        Self {
            nickname: nickname.to_owned(),
            servers,
            current: 0,
            token: None,
            rooms: rooms.iter().map(|room| (*room).to_owned()).collect(),
            views: rooms.iter().map(|room| ((*room).to_owned(), BTreeMap::new())).collect(),
            outbox: VecDeque::new(),
            written: Vec::new(),
            acks: Vec::new(),
            reconnects: 0,
            live_gaps: 0,
            live_rooms: Vec::new(),
            send_interval: Duration::ZERO,
            next_request_id: 0,
        }
    }

    /// Writes a message for `room` (sent by [`ResilientClient::run`]).
    pub fn write(&mut self, room: &str, body: String) {
        let client_id =
            ClientId::parse(&format!("{}-{}", self.nickname, self.written.len())).expect("valid");
        self.written.push(client_id.clone());
        self.outbox.push_back((room.to_owned(), client_id, body));
    }

    /// Connects (again and again if need be) until every written message is acknowledged and
    /// every room is caught up with what the server had stored.
    pub async fn run(&mut self) {
        let mut ceiling_ms = 50;
        loop {
            match self.session().await {
                Ok(()) => return,
                Err(Lost(_why)) => {
                    self.reconnects += 1;
                    self.current = (self.current + 1) % self.servers.len();
                    let wait = pseudo_random(self.reconnects) % ceiling_ms;
                    tokio::time::sleep(Duration::from_millis(wait)).await;
                    ceiling_ms = (ceiling_ms * 2).min(1_000);
                }
            }
        }
    }

    /// One connection: sign in, rejoin, catch up, send the outbox, catch up again.
    async fn session(&mut self) -> Result<(), Lost> {
        self.live_rooms.clear();
        let url = format!("ws://{}/ws", self.servers[self.current]);
        let connected = tokio::time::timeout(SILENCE, tokio_tungstenite::connect_async(url)).await;
        let (mut socket, _) = connected
            .map_err(|_| Lost("connect timed out".into()))?
            .map_err(|error| Lost(format!("connect: {error}")))?;

        let hello = ClientMessage::Hello {
            request_id: self.request_id(),
            protocol: PROTOCOL_VERSION,
            nickname: self.nickname.clone(),
            token: self.token.clone(),
        };
        match self.request(&mut socket, &hello).await? {
            ServerMessage::Welcome(Welcome { token, .. }) => self.token = Some(token),
            other => return Err(Lost(format!("hello refused: {other:?}"))),
        }
        for room in self.rooms.clone() {
            let join = ClientMessage::Join { request_id: self.request_id(), room: room.clone() };
            match self.request(&mut socket, &join).await? {
                ServerMessage::Joined(_) => {}
                other => return Err(Lost(format!("join refused: {other:?}"))),
            }
            self.catch_up(&mut socket, &room).await?;
            self.live_rooms.push(room);
        }

        while let Some((room, client_id, body)) = self.outbox.front().cloned() {
            let send = ClientMessage::Send {
                request_id: self.request_id(),
                room,
                client_id: client_id.clone(),
                body,
            };
            match self.request(&mut socket, &send).await? {
                ServerMessage::Ack(Ack { client_id: acked, seq, .. }) => {
                    assert_eq!(acked, client_id, "the ack names the message sent");
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
                other => panic!("{}: send refused: {other:?}", self.nickname),
            }
            if !self.send_interval.is_zero() {
                tokio::time::sleep(self.send_interval).await;
            }
        }
        for room in self.rooms.clone() {
            self.catch_up(&mut socket, &room).await?;
        }
        let _ = socket.close(None).await;
        Ok(())
    }

    /// Fetches every stored message of `room` after the last one held without a gap.
    async fn catch_up(&mut self, socket: &mut Socket, room: &str) -> Result<(), Lost> {
        loop {
            let after_seq = self.synced_to(room);
            let request = ClientMessage::History {
                request_id: self.request_id(),
                room: room.to_owned(),
                before_seq: None,
                after_seq: Some(after_seq),
                limit: Some(common::HISTORY_PAGE_MAX),
            };
            match self.request(socket, &request).await? {
                ServerMessage::History(History { messages, reaches_end, .. }) => {
                    for message in messages {
                        self.keep(message);
                    }
                    if reaches_end && !self.has_gap(room) {
                        return Ok(());
                    }
                }
                other => return Err(Lost(format!("history refused: {other:?}"))),
            }
        }
    }

    /// Sends `request` and waits for its answer, keeping every room event on the way.
    async fn request(
        &mut self,
        socket: &mut Socket,
        request: &ClientMessage,
    ) -> Result<ServerMessage, Lost> {
        let wanted = request.request_id();
        socket
            .send(Message::text(request.to_json()))
            .await
            .map_err(|error| Lost(format!("send: {error}")))?;
        loop {
            let frame = tokio::time::timeout(SILENCE, socket.next())
                .await
                .map_err(|_| Lost("silence".into()))?
                .ok_or_else(|| Lost("closed".into()))?
                .map_err(|error| Lost(format!("read: {error}")))?;
            let Message::Text(text) = frame else { continue };
            let message: ServerMessage = serde_json::from_str(text.as_str())
                .unwrap_or_else(|error| panic!("undecodable frame {text}: {error}"));
            match message {
                ServerMessage::Message(chat) => {
                    let room = chat.room.as_str();
                    if self.live_rooms.iter().any(|live| live == room)
                        && chat.seq > self.synced_to(room) + 1
                    {
                        self.live_gaps += 1;
                    }
                    self.keep(chat);
                }
                ServerMessage::ServerClosing(_) => {
                    return Err(Lost("server closing".into()));
                }
                answer if answer.answered_request() == wanted => return Ok(answer),
                _ => {} // presence and typing
            }
        }
    }

    /// Adds `message` to its room's view; the same sequence number must be the same message.
    fn keep(&mut self, message: ChatMessage) {
        let view = self.views.entry(message.room.to_string()).or_default();
        if let Some(held) = view.get(&message.seq) {
            assert_eq!(held, &message, "two different messages with one sequence number");
            return;
        }
        view.insert(message.seq, message);
    }

    /// The highest sequence number up to which the view of `room` has no hole.
    pub fn synced_to(&self, room: &str) -> u64 {
        let Some(view) = self.views.get(room) else { return 0 };
        let mut synced = 0;
        for seq in view.keys() {
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

    fn request_id(&mut self) -> u64 {
        self.next_request_id += 1;
        self.next_request_id
    }
}

/// Spreads reconnect waits without a random-number crate.
fn pseudo_random(n: u64) -> u64 {
    crate::chaos_proxy::SplitMix(n).next()
}
