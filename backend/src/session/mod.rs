//! One WebSocket connection, from upgrade to goodbye: its lifecycle.
//!
//! The session's own task reads frames (with tungstenite) and hands each text frame to the
//! connection's [`requests`], which decode, validate and carry them out. A second task, the
//! [`writer`], drains the connection's frame queue into the socket: every frame already waiting
//! goes out in one vectored write. (A room's broadcast is usually written by whoever
//! published it, straight from the frame queue, while the writer sleeps: see
//! [`crate::frames::frame_queue`].) The reader stops on whichever comes first: the client leaving,
//! a read error, the server shutting down, or the frame queue overflowing (the client is too
//! slow).

#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod identity;
mod in_flight;
mod message_target;
mod moderation;
pub mod rate_limit;
mod read_side;
mod refusal;
mod requests;
mod room_access;
mod room_moderation;
mod services;
mod state;
mod typing_throttle;
mod writer;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{ErrorCode, Nickname, ServerClosing, ServerMessage};
use futures_util::sink::SinkExt;
use futures_util::stream::StreamExt;
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, debug, info, info_span, warn};

use crate::metrics::names;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::{Role, WebSocketConfig};
use tungstenite::{Message, Utf8Bytes};

use self::rate_limit::RateSettings;
use self::read_side::ReadSide;
use self::refusal::Refusal;
pub use self::services::Services;
use self::state::Session;
use self::writer::write_frames;
use crate::frames::close_codes::CLOSE_IDLE;
use crate::frames::frame_queue::FrameQueue;
use crate::frames::frame_writer::FrameWriter;
use crate::frames::wire::Goodbye;
use crate::hub::{Departure, SessionId};

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

/// Runs one connection to its end: `socket` has just been upgraded, and `read_ahead` is
/// whatever the client sent right after its upgrade request (usually nothing).
pub async fn run(
    socket: TcpStream,
    read_ahead: Vec<u8>,
    peer: SocketAddr,
    services: Arc<Services>,
    shutdown: CancellationToken,
    settings: SessionSettings,
) {
    let id = services.hub.next_session_id();
    let span = info_span!("session", id, %peer);
    serve(socket, read_ahead, id, peer, services, shutdown, settings).instrument(span).await;
}

/// Why the reading side stopped.
#[derive(Debug)]
enum End {
    /// The client closed the connection or it dropped.
    ClientGone,
    /// The server is shutting down.
    Shutdown,
    /// The frame queue overflowed: the client does not read fast enough.
    Evicted,
    /// The client broke the WebSocket protocol; answer with this close frame if there is one.
    BrokenFrame(Option<Goodbye>),
    /// Nothing arrived for the idle timeout, not even an answer to a ping: the client is gone
    /// or the connection is half-open.
    Silent,
    /// The session ended the connection after its answer, with this close frame: the person
    /// signed out, or the server cannot serve them now (the other nodes are unreachable) and
    /// the client should reconnect later.
    Closing(Goodbye),
}

async fn serve(
    socket: TcpStream,
    read_ahead: Vec<u8>,
    id: SessionId,
    peer: SocketAddr,
    services: Arc<Services>,
    shutdown: CancellationToken,
    settings: SessionSettings,
) {
    info!("connected");
    metrics::gauge!(names::CONNECTIONS_OPEN).increment(1.0);
    let (frame_queue, queue) = FrameQueue::new(settings.outbox_bytes);
    let evicted = queue.evicted.clone();
    let (read_half, write_half) = socket.into_split();
    let config = WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER_BYTES)
        // What the reader writes (pongs, the answer to a close) goes to the frame queue at once.
        .write_buffer_size(0)
        .max_message_size(Some(common::MAX_FRAME_BYTES))
        .max_frame_size(Some(common::MAX_FRAME_BYTES));
    let reader = ReadSide::new(read_half, frame_queue.clone());
    let mut stream =
        WebSocketStream::from_partially_read(reader, read_ahead, Role::Server, Some(config)).await;
    let write_half = Arc::new(write_half);
    frame_queue.write_directly_to(write_half.clone());
    // Not instrumented: the writer logs nothing, and entering the span on each of its many
    // wake-ups cost a few percent of the server's time under load.
    let writer = FrameWriter::new(write_half);
    let mut writer = tokio::spawn(write_frames(writer, queue));
    let mut session = Session::new(id, peer.ip(), services, frame_queue, settings.rates);

    let mut heartbeat = tokio::time::interval(settings.ping_interval);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    heartbeat.tick().await; // the first tick is immediate; the client just connected
    let mut last_heard = Instant::now();

    let end = loop {
        tokio::select! {
            _ = shutdown.cancelled() => break End::Shutdown,
            _ = evicted.cancelled() => break End::Evicted,
            // The committer answered the oldest append in flight: its ack goes out now.
            () = session.answer_oldest(), if session.has_in_flight() => {}
            _ = heartbeat.tick() => {
                if last_heard.elapsed() >= settings.idle_timeout {
                    break End::Silent;
                }
                session.frame_queue.ping();
            }
            frame = stream.next() => {
                last_heard = Instant::now();
                match frame {
                None => break End::ClientGone,
                Some(Ok(Message::Close(_))) => {
                    // The WebSocket layer has queued the echo of the client's close frame
                    // (RFC 6455 section 5.5.1); flushing hands it to the writer, which sends
                    // it before closing the socket.
                    let _ = stream.flush().await;
                    break End::ClientGone;
                }
                Some(Ok(Message::Text(text))) => {
                    session.handle_text(text.as_str()).await;
                    if let Some(frame) = session.closing.take() {
                        break End::Closing(frame);
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

    // Appends already handed over are stored whatever happens; a client still there (even one
    // being closed) hears their answers first.
    if !matches!(end, End::ClientGone | End::Evicted | End::BrokenFrame(None)) {
        let _ = tokio::time::timeout(settings.shutdown_grace, session.answer_all()).await;
    }
    let departure = match end {
        End::Shutdown => Departure::Silent,
        _ if session.signed_out => Departure::SignedOut,
        _ => Departure::Announced,
    };
    session.services.nicknames.disconnect(id, departure);
    match &end {
        End::Shutdown => {
            let goodbye = ServerMessage::ServerClosing(ServerClosing {
                reason: "the server is restarting".into(),
            });
            session.frame_queue.push(Utf8Bytes::from(goodbye.to_json()));
            session.frame_queue.close(Goodbye::new(CloseCode::Away.into(), "server shutting down"));
        }
        End::BrokenFrame(Some(frame)) | End::Closing(frame) => {
            session.frame_queue.close(frame.clone());
        }
        // Best effort: a half-open connection never sees it, a stalled client might.
        End::Silent => session.frame_queue.close(Goodbye::new(CLOSE_IDLE, "no answer to pings")),
        // The writer saw the eviction too and says goodbye itself (its queue is full).
        End::ClientGone | End::BrokenFrame(None) | End::Evicted => {}
    }
    info!(nickname = session.nickname.as_ref().map(Nickname::as_str), reason = ?end, "disconnected");
    metrics::gauge!(names::CONNECTIONS_OPEN).decrement(1.0);

    // Dropping the last frame queue (the reader holds one for its pongs) lets the writer finish the
    // queue and close the socket.
    drop(session);
    drop(stream);
    if tokio::time::timeout(settings.shutdown_grace, &mut writer).await.is_err() {
        warn!("writer did not finish in time; dropping the connection");
        writer.abort();
    }
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
