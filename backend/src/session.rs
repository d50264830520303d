//! One WebSocket connection, from upgrade to goodbye.
//!
//! The session's own task reads frames (with tungstenite), decodes them into `common` types,
//! validates what the user typed and hands commands to the hub. A second task, the writer,
//! drains the connection's [`Outbox`] into the socket with a [`FrameWriter`]: every frame
//! already waiting goes out in one vectored write. (A room's broadcast is usually written by
//! whoever published it, straight from the outbox, while the writer sleeps: see `outbox`.)
//! The reader stops on whichever comes first: the client leaving, a read error, the server
//! shutting down, or the outbox overflowing (the client is too slow).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{
    ClientMessage, ErrorCode, HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX, MessageBody,
    MessageBodyError, Nickname, NicknameError, PROTOCOL_VERSION, RoomName, RoomNameError,
    ServerMessage, decode_client_message,
};
use futures_util::stream::StreamExt;
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, debug, info, info_span, warn};
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::{Role, WebSocketConfig};
use tungstenite::{Message, Utf8Bytes};

use crate::cluster_names::ClusterClaim;
use crate::frame_writer::{FrameWriter, MAX_ITEMS_PER_ROUND, Round};
use crate::hub::{Departure, Hub, HubError, SessionId};
use crate::nicknames;
use crate::outbox::{Goodbye, Outbound, Outbox, OutboxReceiver};
use crate::rate_limit::{RateLimits, RateSettings, RequestKind};
use crate::read_side::ReadSide;
use crate::store::{NewMessage, Page, Store, StoreError};

/// The WebSocket reader's buffer per connection. Its default (128 KiB) would be allocated up
/// front for every connection, idle or not, and dominate the server's memory; what clients
/// send is small and rare (a chat message is a few hundred bytes, a person sends a few a
/// minute), and a larger frame gets room for its whole length once its header is read.
const READ_BUFFER_BYTES: usize = 256;

/// What a session needs from the server around it.
#[derive(Debug, Clone)]
pub struct SessionSettings {
    pub outbox_bytes: usize,
    pub shutdown_grace: Duration,
    pub rates: RateSettings,
    /// How often the server pings the client.
    pub ping_interval: Duration,
    /// How long the client may stay silent (no frame, not even a pong) before the connection
    /// counts as dead and is closed.
    pub idle_timeout: Duration,
}

/// The close code for a connection that stopped answering (a private-use code: the standard
/// ones do not say "you went silent").
pub const CLOSE_IDLE: u16 = 4000;

/// The close code for a connection that fell too far behind reading what it was sent: its
/// outbox filled up. It can reconnect and resume by sequence number.
pub const CLOSE_TOO_SLOW: u16 = 4001;

/// How long an evicted connection's writer tries to get the close frame out. A client that is
/// not reading at all never takes it; one that was only slow does, after what it had queued.
const EVICTION_GOODBYE: Duration = Duration::from_secs(1);

/// Runs one connection to its end: `socket` has just been upgraded, and `read_ahead` is
/// whatever the client sent right after its upgrade request (usually nothing).
pub async fn run(
    socket: TcpStream,
    read_ahead: Vec<u8>,
    peer: SocketAddr,
    hub: Hub,
    store: Store,
    shutdown: CancellationToken,
    settings: SessionSettings,
) {
    let id = hub.next_session_id();
    let span = info_span!("session", id, %peer);
    serve(socket, read_ahead, id, hub, store, shutdown, settings).instrument(span).await;
}

/// Why the reading side stopped.
#[derive(Debug)]
enum End {
    /// The client closed the connection or it dropped.
    ClientGone,
    /// The server is shutting down.
    Shutdown,
    /// The outbox overflowed: the client does not read fast enough.
    Evicted,
    /// The client broke the WebSocket protocol; answer with this close frame if there is one.
    BrokenFrame(Option<Goodbye>),
    /// Nothing arrived for the idle timeout, not even an answer to a ping: the client is gone
    /// or the connection is half-open.
    Silent,
    /// The server cannot serve this connection now (the other nodes are unreachable); the
    /// client should reconnect later.
    TryAgainLater(Goodbye),
}

async fn serve(
    socket: TcpStream,
    read_ahead: Vec<u8>,
    id: SessionId,
    hub: Hub,
    store: Store,
    shutdown: CancellationToken,
    settings: SessionSettings,
) {
    debug!("connected");
    let (outbox, queue) = Outbox::new(settings.outbox_bytes);
    let evicted = queue.evicted.clone();
    let (read_half, write_half) = socket.into_split();
    let config = WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER_BYTES)
        // What the reader writes (pongs, the answer to a close) goes to the outbox at once.
        .write_buffer_size(0)
        .max_message_size(Some(common::MAX_FRAME_BYTES))
        .max_frame_size(Some(common::MAX_FRAME_BYTES));
    let reader = ReadSide::new(read_half, outbox.clone());
    let mut stream =
        WebSocketStream::from_partially_read(reader, read_ahead, Role::Server, Some(config)).await;
    let write_half = Arc::new(write_half);
    outbox.write_directly_to(write_half.clone());
    // Not instrumented: the writer logs nothing, and entering the span on each of its many
    // wake-ups cost a few percent of the server's time under load.
    let writer = FrameWriter::new(write_half);
    let mut writer = tokio::spawn(write_frames(writer, queue));
    let mut session = Session {
        id,
        hub: hub.clone(),
        store,
        outbox,
        nickname: None,
        closing: None,
        typing_throttle: TypingThrottle::default(),
        rate_limits: RateLimits::new(settings.rates),
    };

    let mut heartbeat = tokio::time::interval(settings.ping_interval);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    heartbeat.tick().await; // the first tick is immediate; the client just connected
    let mut last_heard = Instant::now();

    let end = loop {
        tokio::select! {
            _ = shutdown.cancelled() => break End::Shutdown,
            _ = evicted.cancelled() => break End::Evicted,
            _ = heartbeat.tick() => {
                if last_heard.elapsed() >= settings.idle_timeout {
                    break End::Silent;
                }
                session.outbox.ping();
            }
            frame = stream.next() => {
                last_heard = Instant::now();
                match frame {
                None | Some(Ok(Message::Close(_))) => break End::ClientGone,
                Some(Ok(Message::Text(text))) => {
                    session.handle_text(text.as_str()).await;
                    if let Some(frame) = session.closing.take() {
                        break End::TryAgainLater(frame);
                    }
                }
                Some(Ok(Message::Binary(_))) => session.refuse(
                    None,
                    Refusal::new(
                        ErrorCode::TextFramesOnly,
                        "binary frames are not part of the protocol; send JSON text frames",
                    ),
                ),
                // The WebSocket layer answers pings by itself; a pong just proves life.
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {}
                Some(Err(error)) => break End::BrokenFrame(close_frame_for(&error)),
                }
            }
        }
    };

    let departure = match end {
        End::Shutdown => Departure::Silent,
        _ => Departure::Announced,
    };
    hub.disconnect(id, departure);
    match &end {
        End::Shutdown => {
            let goodbye =
                ServerMessage::ServerClosing { reason: "the server is restarting".into() };
            session.outbox.push(Utf8Bytes::from(goodbye.to_json()));
            session.outbox.close(Goodbye::new(CloseCode::Away.into(), "server shutting down"));
        }
        End::BrokenFrame(Some(frame)) | End::TryAgainLater(frame) => {
            session.outbox.close(frame.clone());
        }
        // Best effort: a half-open connection never sees it, a stalled client might.
        End::Silent => session.outbox.close(Goodbye::new(CLOSE_IDLE, "no answer to pings")),
        // The writer saw the eviction too and says goodbye itself (its queue is full).
        End::ClientGone | End::BrokenFrame(None) | End::Evicted => {}
    }
    info!(nickname = session.nickname.as_ref().map(Nickname::as_str), reason = ?end, "disconnected");

    // Dropping the last outbox (the reader holds one for its pongs) lets the writer finish the
    // queue and close the socket.
    drop(session);
    drop(stream);
    if tokio::time::timeout(settings.shutdown_grace, &mut writer).await.is_err() {
        warn!("writer did not finish in time; dropping the connection");
        writer.abort();
    }
}

/// The reader's state for one connection.
#[derive(Debug)]
struct Session {
    id: SessionId,
    hub: Hub,
    store: Store,
    outbox: Outbox,
    /// Set by a successful `hello`; everything but `hello` needs it.
    nickname: Option<Nickname>,
    /// Set when the connection must end after the answer just queued.
    closing: Option<Goodbye>,
    typing_throttle: TypingThrottle,
    rate_limits: RateLimits,
}

/// Drops `typing` events that come faster than [`common::TYPING_MIN_INTERVAL_MS`] per room, so
/// a flooding client costs its room members nothing.
#[derive(Debug, Default)]
struct TypingThrottle {
    /// When each room last relayed this connection's typing (one entry per room typed in).
    last_relayed: HashMap<RoomName, Instant>,
}

impl TypingThrottle {
    fn allow(&mut self, room: &RoomName) -> bool {
        let now = Instant::now();
        let interval = Duration::from_millis(common::TYPING_MIN_INTERVAL_MS);
        match self.last_relayed.get(room) {
            Some(last) if now.duration_since(*last) < interval => false,
            _ => {
                self.last_relayed.insert(room.clone(), now);
                true
            }
        }
    }
}

/// A request the server turns down: the code and the sentence the client receives.
#[derive(Debug)]
struct Refusal {
    code: ErrorCode,
    message: String,
    /// For `rate_limited`: when the request would be accepted.
    retry_after: Option<Duration>,
}

impl Refusal {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), retry_after: None }
    }

    fn rate_limited(retry_after: Duration) -> Self {
        let message = format!(
            "you are sending too fast; try again in {:.1} s",
            retry_after.as_secs_f64().max(0.1)
        );
        Self { code: ErrorCode::RateLimited, message, retry_after: Some(retry_after) }
    }
}

impl From<HubError> for Refusal {
    fn from(error: HubError) -> Self {
        Self::new(error.code(), error.to_string())
    }
}

impl From<StoreError> for Refusal {
    fn from(error: StoreError) -> Self {
        match &error {
            StoreError::UnknownRoom(room) => HubError::UnknownRoom(room.clone()).into(),
            StoreError::RoomExists(_) => Self::new(ErrorCode::RoomExists, error.to_string()),
            StoreError::ClientIdReused(_) => Self::new(
                ErrorCode::ClientIdReused,
                format!("{error}; give every new message a fresh client_id"),
            ),
            _ => {
                warn!(%error, "store failed");
                Self::new(
                    ErrorCode::Unavailable,
                    "the server could not store or read messages right now; try again",
                )
            }
        }
    }
}

impl From<NicknameError> for Refusal {
    fn from(error: NicknameError) -> Self {
        Self::new(ErrorCode::InvalidNickname, error.to_string())
    }
}

impl From<RoomNameError> for Refusal {
    fn from(error: RoomNameError) -> Self {
        Self::new(ErrorCode::InvalidRoomName, error.to_string())
    }
}

impl From<MessageBodyError> for Refusal {
    fn from(error: MessageBodyError) -> Self {
        Self::new(ErrorCode::InvalidBody, error.to_string())
    }
}

impl Session {
    /// Decodes and carries out one text frame, then queues its answer. Requests are handled
    /// one at a time, so answers come in the order the requests were sent.
    async fn handle_text(&mut self, text: &str) {
        let message = match decode_client_message(text) {
            Ok(message) => message,
            Err(error) => {
                return self.refuse(error.request_id, Refusal::new(error.code, error.message));
            }
        };
        let request_id = message.request_id();
        // Boxed: the request's future (database and Redis calls inside) is large, and held
        // inline it would make every connection's task that large even while it sits idle.
        // One small allocation per request instead of ~10 KB per connection.
        match Box::pin(self.handle(message)).await {
            Ok(Some(answer)) => self.outbox.push(Utf8Bytes::from(answer.to_json())),
            Ok(None) => {}
            Err(refusal) => self.refuse(request_id, refusal),
        }
    }

    /// Queues an `error` for the client; the connection stays open.
    fn refuse(&self, request_id: Option<u64>, refusal: Refusal) {
        let Refusal { code, message, retry_after } = refusal;
        debug!(?code, %message, "refused");
        // Rounded up, so a client that waits exactly this long is not refused again.
        let retry_after_ms = retry_after
            .map(|wait| u64::try_from(wait.as_nanos().div_ceil(1_000_000)).unwrap_or(u64::MAX));
        let error = ServerMessage::Error { request_id, code, message, retry_after_ms };
        self.outbox.push(Utf8Bytes::from(error.to_json()));
    }

    /// Carries out one request; returns its answer (`typing` has none).
    async fn handle(&mut self, message: ClientMessage) -> Result<Option<ServerMessage>, Refusal> {
        let kind = match message {
            ClientMessage::Typing { .. } => None, // throttled on its own, below
            ClientMessage::Send { .. } => Some(RequestKind::Message),
            _ => Some(RequestKind::Other),
        };
        if let Some(kind) = kind {
            self.rate_limits.check(kind).map_err(Refusal::rate_limited)?;
        }
        match message {
            ClientMessage::Hello { request_id, protocol, nickname, token } => {
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
                let nickname = nicknames::normalized(&Nickname::parse(&nickname)?);
                let token = nicknames::proposed_token(token.as_deref());
                let key = nicknames::ownership_key(&nickname);
                match self.hub.cluster_names().claim(&key, &token).await {
                    Ok(ClusterClaim::Granted) => {}
                    Ok(ClusterClaim::Taken) => {
                        return Err(HubError::NicknameTaken(nickname.to_string()).into());
                    }
                    Err(unreachable) => {
                        // Nothing this client can fix: it reconnects (with backoff, perhaps
                        // to another node) and says hello again.
                        self.closing =
                            Some(Goodbye::new(CloseCode::Again.into(), "try again later"));
                        return Err(Refusal::new(ErrorCode::Unavailable, unreachable.to_string()));
                    }
                }
                let (nickname, token) =
                    self.hub.claim_nickname(self.id, &nickname, Some(&token), &self.outbox)?;
                info!(nickname = %nickname, "identified");
                self.nickname = Some(nickname.clone());
                Ok(Some(ServerMessage::Welcome {
                    request_id,
                    protocol: PROTOCOL_VERSION,
                    nickname,
                    token,
                    rooms: self.hub.rooms(),
                }))
            }
            ClientMessage::CreateRoom { request_id, room } => {
                let nickname = self.identified()?.clone();
                let room = RoomName::parse(&room)?;
                self.store.create_room(&room).await?;
                self.hub.room_created(room.clone());
                info!(nickname = %nickname, room = %room, "created a room");
                Ok(Some(ServerMessage::Created { request_id, room }))
            }
            ClientMessage::Join { request_id, room } => {
                let nickname = self.identified()?.clone();
                let room = RoomName::parse(&room)?;
                let joined = self.hub.join(self.id, &nickname, &room, &self.outbox)?;
                info!(nickname = %nickname, room = %room, "joined");
                Ok(Some(ServerMessage::Joined {
                    request_id,
                    room,
                    members: joined.members,
                    last_seq: joined.last_seq,
                }))
            }
            ClientMessage::Leave { request_id, room } => {
                self.identified()?;
                let room = RoomName::parse(&room)?;
                self.hub.leave(self.id, &room)?;
                Ok(Some(ServerMessage::Left { request_id, room }))
            }
            ClientMessage::Send { request_id, room, client_id, body } => {
                self.identified()?;
                let room = RoomName::parse(&room)?;
                let body = MessageBody::parse(&body)?;
                let author = self.hub.member_nickname(self.id, &room)?;
                let appended = self
                    .store
                    .append(NewMessage { room: room.clone(), client_id, author, body })
                    .await?;
                let stored = appended.message();
                Ok(Some(ServerMessage::Ack {
                    request_id,
                    room,
                    client_id: stored.client_id.clone(),
                    seq: stored.seq,
                    id: stored.id.clone(),
                    sent_at: stored.sent_at,
                }))
            }
            ClientMessage::History { request_id, room, before_seq, after_seq, limit } => {
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
                let room = RoomName::parse(&room)?;
                self.hub.member_nickname(self.id, &room)?;
                let limit = limit.unwrap_or(HISTORY_PAGE_DEFAULT).clamp(1, HISTORY_PAGE_MAX);
                let page = match self.hub.recent_page(&room, page, limit) {
                    Some(recent) => recent.into_history_page(),
                    None => self.store.history(&room, page, limit).await?,
                };
                Ok(Some(ServerMessage::History {
                    request_id,
                    room,
                    messages: page.messages,
                    reaches_start: page.reaches_start,
                    reaches_end: page.reaches_end,
                }))
            }
            ClientMessage::Ping { request_id } => Ok(Some(ServerMessage::Pong { request_id })),
            ClientMessage::Typing { room } => {
                self.identified()?;
                let room = RoomName::parse(&room)?;
                if self.typing_throttle.allow(&room) {
                    self.hub.typing(self.id, &room)?;
                }
                Ok(None)
            }
        }
    }

    fn identified(&self) -> Result<&Nickname, Refusal> {
        self.nickname.as_ref().ok_or_else(|| {
            Refusal::new(ErrorCode::NotIdentified, "send hello with a nickname first")
        })
    }
}

/// Drains the queue into the socket until the queue closes or a close frame is sent. If the
/// connection is evicted meanwhile, what is still queued is dropped and the client gets a
/// close frame saying why (if it reads it within [`EVICTION_GOODBYE`]).
async fn write_frames(mut writer: FrameWriter, mut queue: OutboxReceiver) {
    let evicted = queue.evicted.clone();
    let mut waiting = Vec::new();
    loop {
        let written = tokio::select! {
            // Once evicted, waiting for a reader that does not read helps nobody.
            biased;
            () = evicted.cancelled() => break,
            written = write_waiting(&mut writer, &mut queue, &mut waiting) => written,
        };
        match written {
            Ok(Some(Round::Written)) => {}
            // The close frame is out; or the peer is gone (the reader sees it too); or the
            // session ended without a close frame of its own (the client left). Either way our
            // direction ends: it is shut down when the writer and the queue let go of the
            // socket, on return.
            Ok(Some(Round::Closed) | None) | Err(_) => return,
        }
    }
    let goodbye =
        Goodbye::new(CLOSE_TOO_SLOW, "too slow: messages piled up unread; reconnect to resume");
    // Best effort, as above. A round cut short by the eviction is finished first, so the close
    // frame does not land in the middle of another frame.
    let _ = tokio::time::timeout(EVICTION_GOODBYE, writer.say_goodbye(goodbye)).await;
}

/// Waits for a frame, then writes it and every frame already waiting in one round. `None` once
/// the queue is closed and empty.
async fn write_waiting(
    writer: &mut FrameWriter,
    queue: &mut OutboxReceiver,
    waiting: &mut Vec<Outbound>,
) -> std::io::Result<Option<Round>> {
    if !queue.recv_many(waiting, MAX_ITEMS_PER_ROUND).await {
        return Ok(None);
    }
    writer.start_round(waiting.drain(..));
    // An idle connection keeps this list as long as it lives: not a large round's room.
    waiting.shrink_to(2);
    writer.finish_round().await.map(Some)
}

/// The close frame owed to a client whose frame broke the WebSocket rules, if one can still be
/// sent.
fn close_frame_for(error: &tungstenite::Error) -> Option<Goodbye> {
    debug!(%error, "read failed");
    let (code, reason) = match error {
        tungstenite::Error::Capacity(_) => (CloseCode::Size, "frame too large"),
        tungstenite::Error::Utf8(_) => (CloseCode::Invalid, "text frame is not valid UTF-8"),
        tungstenite::Error::Protocol(_) => (CloseCode::Protocol, "WebSocket protocol error"),
        _ => return None,
    };
    Some(Goodbye::new(code.into(), reason))
}

/// A connection's request handling without a socket, for the fuzzer (`fuzz/`): the same
/// decoding, validation, hub and store calls as a real session.
#[cfg(feature = "fuzzing")]
pub mod fuzzing {
    use super::*;

    /// One connection's reader state and the frames it queued.
    #[derive(Debug)]
    pub struct FrameHandler {
        session: Session,
        receiver: OutboxReceiver,
    }

    impl FrameHandler {
        /// A fresh connection to `hub` and `store`, with generous flood limits (the fuzzer
        /// looks for panics, not for rate limiting).
        pub fn new(hub: &Hub, store: &Store) -> Self {
            let (outbox, receiver) = Outbox::new(1 << 20);
            let rates = RateSettings {
                messages_per_second: 1_000_000,
                message_burst: 1_000_000,
                requests_per_second: 1_000_000,
                request_burst: 1_000_000,
            };
            let session = Session {
                id: hub.next_session_id(),
                hub: hub.clone(),
                store: store.clone(),
                outbox,
                nickname: None,
                closing: None,
                typing_throttle: TypingThrottle::default(),
                rate_limits: RateLimits::new(rates),
            };
            Self { session, receiver }
        }

        /// Handles one text frame; returns every frame queued for this connection since the
        /// last call.
        pub async fn handle(&mut self, text: &str) -> Vec<String> {
            self.session.handle_text(text).await;
            let mut items = Vec::new();
            self.receiver.try_recv_many(&mut items, usize::MAX);
            let mut queued = Vec::new();
            for item in items {
                match item {
                    Outbound::Text(text) => queued.push(text.as_str().to_owned()),
                    Outbound::Texts(texts) => {
                        queued.extend(texts.texts().iter().map(|text| text.as_str().to_owned()));
                    }
                    Outbound::Ping | Outbound::Close(_) | Outbound::Raw(_) => {}
                }
            }
            queued
        }

        /// Ends the connection the way a closed socket does.
        pub fn disconnect(self) {
            self.session.hub.disconnect(self.session.id, Departure::Announced);
        }
    }
}
