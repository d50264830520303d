//! One WebSocket to the server, carrying `common` messages both ways.
//!
//! [`open`] starts two local tasks: a writer that sends queued messages once the socket is
//! open, and a reader that decodes each text frame into a [`ServerMessage`] and reports it.
//! Everything the rest of the page learns about the socket arrives as a [`LinkEvent`].

use std::rc::Rc;

use common::{ClientMessage, ServerMessage};
use futures_channel::mpsc;
use futures_util::{SinkExt, StreamExt, future::poll_fn};
use gloo_net::websocket::{Message, WebSocketError, futures::WebSocket};
use leptos::task::spawn_local;

/// How the connection is doing, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ConnectionStatus {
    /// No connection was opened yet.
    #[default]
    Idle,
    Connecting,
    Connected,
    /// The connection was lost (`reason` says why, in words for the user); the next attempt
    /// is at `retry_at_ms` (ms since the epoch).
    Reconnecting {
        reason: String,
        retry_at_ms: i64,
    },
}

/// What happens on a connection.
#[derive(Debug)]
pub enum LinkEvent {
    Opened,
    Message(ServerMessage),
    /// The connection ended; `ended` says why when the server ended this browser's sign-in
    /// with it (the page must not reconnect).
    Closed {
        reason: String,
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
pub fn open(url: &str, on_event: impl Fn(LinkEvent) + 'static) -> Result<Link, String> {
    let socket = WebSocket::open(url).map_err(|error| format!("cannot connect: {error}"))?;
    let (mut write, mut read) = socket.split();
    let (outgoing, mut queued) = mpsc::unbounded::<String>();
    let on_event = Rc::new(on_event);

    let report = Rc::clone(&on_event);
    spawn_local(async move {
        // Ready once the socket leaves the "connecting" state; if it failed instead, the
        // reader reports the close right after.
        if poll_fn(|cx| write.poll_ready_unpin(cx)).await.is_err() {
            return;
        }
        report(LinkEvent::Opened);
        while let Some(text) = queued.next().await {
            if write.send(Message::Text(text)).await.is_err() {
                return; // The reader reports the close.
            }
        }
        // The page let go of the link: close the socket (if it is still open).
        let _ = write.close().await;
    });

    spawn_local(async move {
        let mut reason = "the connection was lost".to_owned();
        let mut ended = None;
        while let Some(frame) = read.next().await {
            match frame {
                Ok(Message::Text(text)) => match serde_json::from_str::<ServerMessage>(&text) {
                    Ok(message) => on_event(LinkEvent::Message(message)),
                    // A frame this page cannot read is a server bug or a newer server; it must
                    // not take the page down. Leave a trace for whoever debugs it.
                    Err(error) => leptos::logging::warn!("undecodable frame {text:?}: {error}"),
                },
                Ok(Message::Bytes(_)) => leptos::logging::warn!("ignored a binary frame"),
                Err(WebSocketError::ConnectionClose(close)) => {
                    reason = describe_close(close.code, &close.reason);
                    ended = match close.code {
                        CLOSE_BANNED => Some(Ending::Banned(close.reason.clone())),
                        CLOSE_SIGNED_OUT => Some(Ending::SignedOutElsewhere),
                        _ => None,
                    };
                }
                Err(_) => {} // An error event is always followed by the close.
            }
        }
        on_event(LinkEvent::Closed { reason, ended });
    });

    Ok(Link { outgoing })
}

/// The close codes of a connection whose account was banned, and of one whose session was
/// ended from another browser (`backend/src/frames/close_codes.rs`).
const CLOSE_BANNED: u16 = 4003;
const CLOSE_SIGNED_OUT: u16 = 4004;

fn describe_close(code: u16, reason: &str) -> String {
    match code {
        1000 => "the connection was closed".into(),
        1001 => "the server is restarting".into(),
        1006 => "the server cannot be reached".into(),
        _ if reason.is_empty() => format!("the connection closed (code {code})"),
        _ => format!("the connection closed: {reason} (code {code})"),
    }
}
