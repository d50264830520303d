//! One WebSocket to the server, carrying `common` messages both ways.
//!
//! [`open`] starts one local task that owns the socket: it reports each text frame, and sends
//! what the page queued while the socket is open. Everything the rest of the page learns about
//! the socket arrives as a [`LinkEvent`]. Frames are read into [`common::ServerMessage`]s by
//! the controller's frame reader, which comes with the chat module
//! (`controller/chat_module.rs`), so the sign-in form's module carries no decoder.

use std::task::Poll;

use common::ClientMessage;
use futures_channel::mpsc;
use futures_util::{SinkExt, StreamExt, future::poll_fn};
use gloo_net::websocket::{Message, State, WebSocketError, futures::WebSocket};
use leptos::task::spawn_local;

/// How the connection is doing, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ConnectionStatus {
    /// No connection was opened yet.
    #[default]
    Idle,
    Connecting,
    Connected,
    /// The connection was lost (`reason` says why); the next attempt is at `retry_at_ms` (ms
    /// since the epoch).
    Reconnecting {
        reason: LostReason,
        retry_at_ms: i64,
    },
}

/// Why the connection was lost (put in words by the page, in the reader's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LostReason {
    /// It dropped without a close frame, or the browser refused to open it.
    Unreachable,
    /// The server closed it normally (1000).
    Closed,
    /// The server is restarting (1001).
    Restarting,
    /// Nothing came from the server for too long (the page's heartbeat).
    Silent,
    /// Another close code, with the server's own words (in English).
    Code { code: u16, reason: String },
}

/// What happens on a connection.
#[derive(Debug)]
pub enum LinkEvent {
    Opened,
    /// A text frame from the server, as it came.
    Frame(String),
    /// The connection ended; `ended` says why when the server ended this browser's sign-in
    /// with it (the page must not reconnect).
    Closed {
        reason: LostReason,
        ended: Option<Ending>,
    },
}

/// Why the server ended this browser's sign-in along with the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The account was banned (close code 4003), with the server's reason.
    Banned(String),
    /// The session was ended from another browser (close code 4004).
    SignedOutElsewhere,
}

/// The sending side of an open connection. Messages queue until the socket is open.
#[derive(Debug, Clone)]
pub struct Link {
    outgoing: mpsc::UnboundedSender<String>,
}

impl Link {
    /// Queues `message` for sending. Returns false if the connection has ended.
    pub fn send(&self, message: &ClientMessage) -> bool {
        self.outgoing.unbounded_send(message.to_json()).is_ok()
    }

    /// Closes the connection (dropping every [`Link`] to it does the same).
    pub fn close(&self) {
        self.outgoing.close_channel();
    }
}

/// The WebSocket address for this page: same host, `/ws`, `wss:` when the page is `https:`.
/// Under `trunk serve`, Trunk proxies `/ws` to the backend.
pub fn default_url() -> String {
    let location = web_sys::window().map(|window| window.location());
    let protocol = location.as_ref().and_then(|l| l.protocol().ok()).unwrap_or_default();
    let host =
        location.as_ref().and_then(|l| l.host().ok()).unwrap_or_else(|| "127.0.0.1:8080".into());
    let scheme = if protocol == "https:" { "wss" } else { "ws" };
    format!("{scheme}://{host}/ws")
}

/// Opens a WebSocket to `url`; every event on it is passed to `on_event`, the last being
/// [`LinkEvent::Closed`].
///
/// One task owns the socket: it reads frames and writes what the page queued, but writes only
/// while the socket is open. (gloo's sink reports itself ready as soon as the socket stops
/// connecting, also when it failed: writing then makes the browser log "WebSocket is already
/// in CLOSING or CLOSED state" for every queued message of every failed attempt.)
pub fn open(url: &str, on_event: impl Fn(LinkEvent) + 'static) -> Result<Link, String> {
    let mut socket = WebSocket::open(url).map_err(|error| format!("cannot connect: {error}"))?;
    let (outgoing, mut queued) = mpsc::unbounded::<String>();

    spawn_local(async move {
        let mut reason = LostReason::Unreachable;
        let mut ended = None;
        // `None` while connecting; then whether the socket opened.
        let mut opened = None;
        loop {
            let step = poll_fn(|cx| {
                if let Poll::Ready(frame) = socket.poll_next_unpin(cx) {
                    return Poll::Ready(Step::Frame(frame));
                }
                match opened {
                    // Ready once the socket leaves the "connecting" state, opened or failed.
                    None => socket.poll_ready_unpin(cx).map(|_| Step::Settled),
                    Some(true) => queued.poll_next_unpin(cx).map(Step::Queued),
                    // It failed: only its close event is still to come.
                    Some(false) => Poll::Pending,
                }
            })
            .await;
            match step {
                Step::Settled => {
                    let open = matches!(socket.state(), State::Open);
                    opened = Some(open);
                    if open {
                        on_event(LinkEvent::Opened);
                    }
                }
                Step::Queued(Some(text)) => {
                    // A write that fails means the socket is closing: its close event follows
                    // and ends the loop.
                    if matches!(socket.state(), State::Open) {
                        let _ = socket.send(Message::Text(text)).await;
                    }
                }
                // The page let go of the link: dropping the socket closes it.
                Step::Queued(None) => return,
                Step::Frame(None) => break,
                Step::Frame(Some(frame)) => match frame {
                    Ok(Message::Text(text)) => on_event(LinkEvent::Frame(text)),
                    Ok(Message::Bytes(_)) => leptos::logging::warn!("ignored a binary frame"),
                    Err(WebSocketError::ConnectionClose(close)) => {
                        reason = describe_close(close.code, &close.reason);
                        ended = match close.code {
                            CLOSE_BANNED => Some(Ending::Banned(close.reason.clone())),
                            CLOSE_SIGNED_OUT => Some(Ending::SignedOutElsewhere),
                            _ => None,
                        };
                        // Nothing follows a close.
                        break;
                    }
                    Err(_) => {} // An error event is always followed by the close.
                },
            }
        }
        on_event(LinkEvent::Closed { reason, ended });
    });

    Ok(Link { outgoing })
}

/// What the connection's task does next.
enum Step {
    /// The socket left the "connecting" state (opened, or failed).
    Settled,
    /// Something arrived from the server (`None`: the socket is gone).
    Frame(Option<Result<Message, WebSocketError>>),
    /// The page queued this to send (`None`: the page let go of the link).
    Queued(Option<String>),
}

/// The close codes of a connection whose account was banned, and of one whose session was
/// ended from another browser (`backend/src/frames/close_codes.rs`).
const CLOSE_BANNED: u16 = 4003;
const CLOSE_SIGNED_OUT: u16 = 4004;

fn describe_close(code: u16, reason: &str) -> LostReason {
    match code {
        1000 => LostReason::Closed,
        1001 => LostReason::Restarting,
        1006 => LostReason::Unreachable,
        _ => LostReason::Code { code, reason: reason.to_owned() },
    }
}
