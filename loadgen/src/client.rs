//! One protocol connection, opened from a chosen local address (so the load can exceed the
//! ~28,000 ephemeral ports one source address has).

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use anyhow::{Context, bail};
use common::{ClientMessage, PROTOCOL_VERSION, ServerMessage};
use futures_util::{SinkExt, StreamExt};
use nix::sys::socket::setsockopt;
use nix::sys::socket::sockopt::IpBindAddressNoPort;
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

pub type Socket = WebSocketStream<TcpStream>;

/// How long a setup request may wait for its answer.
const ANSWER_WAIT: Duration = Duration::from_secs(30);

/// A connection during set-up: requests answered one at a time.
#[derive(Debug)]
pub struct Client {
    pub socket: Socket,
    next_request_id: u64,
}

impl Client {
    /// Connects to `server` from `bind` (any port) and upgrades to a WebSocket, within
    /// [`ANSWER_WAIT`] (a server out of file descriptors leaves connections unaccepted).
    pub async fn connect(server: SocketAddr, bind: Option<IpAddr>) -> anyhow::Result<Self> {
        let socket = TcpSocket::new_v4()?;
        if let Some(ip) = bind {
            // The port is then chosen at connect time, among those free for this server's
            // address, not at bind time among those free for any: otherwise every socket a run
            // leaves in TIME_WAIT (60 s) holds its port, and a run soon after another one
            // (churn opens 35,000 connections) waits for ports.
            setsockopt(&socket, IpBindAddressNoPort, &true).context("IP_BIND_ADDRESS_NO_PORT")?;
            socket.bind(SocketAddr::new(ip, 0)).with_context(|| format!("binding to {ip}"))?;
        }
        let connecting = async {
            let stream = socket.connect(server).await.context("TCP connect")?;
            stream.set_nodelay(true)?;
            let url = format!("ws://{server}/ws");
            // Small buffers: the load generator holds thousands of connections per process.
            let config = WebSocketConfig::default().read_buffer_size(4_096).write_buffer_size(0);
            let (socket, _) =
                tokio_tungstenite::client_async_with_config(url, stream, Some(config))
                    .await
                    .context("upgrade")?;
            Ok::<_, anyhow::Error>(socket)
        };
        let socket = tokio::time::timeout(ANSWER_WAIT, connecting)
            .await
            .context("the server did not accept the connection in time")??;
        Ok(Self { socket, next_request_id: 0 })
    }

    pub fn request_id(&mut self) -> u64 {
        self.next_request_id += 1;
        self.next_request_id
    }

    /// Sends `request` and waits for its answer, skipping room events on the way.
    pub async fn request(&mut self, request: &ClientMessage) -> anyhow::Result<ServerMessage> {
        let wanted = request.request_id();
        self.socket.send(Message::text(request.to_json())).await?;
        let deadline = tokio::time::Instant::now() + ANSWER_WAIT;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .context("no answer in time")?
                .context("connection closed")??;
            let Message::Text(text) = frame else { continue };
            if !is_answer(text.as_str()) {
                continue; // a room event (the cheap check avoids decoding every broadcast)
            }
            let message: ServerMessage = serde_json::from_str(text.as_str())?;
            if message.answered_request() == wanted {
                return Ok(message);
            }
        }
    }

    pub async fn hello(&mut self, nickname: &str) -> anyhow::Result<()> {
        let hello = ClientMessage::Hello {
            request_id: self.request_id(),
            protocol: PROTOCOL_VERSION,
            nickname: nickname.to_owned(),
            token: None,
        };
        match self.request(&hello).await? {
            ServerMessage::Welcome(_) => Ok(()),
            other => bail!("hello as {nickname} refused: {other:?}"),
        }
    }

    pub async fn join(&mut self, room: &str) -> anyhow::Result<()> {
        let join = ClientMessage::Join { request_id: self.request_id(), room: room.to_owned() };
        match self.request(&join).await? {
            ServerMessage::Joined(_) => Ok(()),
            other => bail!("join {room} refused: {other:?}"),
        }
    }
}

/// Whether a frame answers a request (rather than being a room event): answers all carry a
/// `request_id`, room events never do.
pub fn is_answer(text: &str) -> bool {
    text.contains("\"request_id\"")
}

/// The send time a load-generator message carries at the start of its body: `t=<unix ns>`.
pub fn stamped_body(sent_at_ns: u128, padding: usize) -> String {
    format!("t={sent_at_ns} {}", "x".repeat(padding))
}

/// The send time in a delivered `message` frame, found without decoding the whole frame.
pub fn sent_at_ns(frame: &str) -> Option<u128> {
    let start = frame.find("\"body\":\"t=")? + "\"body\":\"t=".len();
    let digits = &frame[start..];
    let end = digits.find(|c: char| !c.is_ascii_digit())?;
    digits[..end].parse().ok()
}

/// Now, as the stamp uses it (the wall clock, shared by every process on the machine).
pub fn now_ns() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}
