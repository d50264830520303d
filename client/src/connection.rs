//! One protocol connection: a WebSocket to `/ws`, request ids, and answers matched to their
//! requests.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use common::{
    Ack, ClientId, ClientMessage, Joined, PROTOCOL_VERSION, Secret, ServerMessage, Welcome,
};
use futures_util::{SinkExt, StreamExt};
use nix::sys::socket::setsockopt;
use nix::sys::socket::sockopt::IpBindAddressNoPort;
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::Instant;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

use crate::error::ClientError;

pub type Socket = WebSocketStream<TcpStream>;

/// How a connection is opened.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// The local address to connect from (any port), so one machine can open more
    /// connections than the ~28,000 ephemeral ports of one source address.
    pub bind: Option<IpAddr>,
    /// Small socket buffers, for a process holding thousands of connections.
    pub small_buffers: bool,
    /// How long the TCP connect and the upgrade may take together (a server out of file
    /// descriptors leaves connections unaccepted).
    pub within: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self { bind: None, small_buffers: false, within: Duration::from_secs(5) }
    }
}

/// One WebSocket speaking the protocol.
#[derive(Debug)]
pub struct Connection {
    /// The WebSocket itself, for what the protocol methods do not cover (raw frames, pings,
    /// reading a close frame, splitting the two directions).
    pub socket: Socket,
    last_request_id: u64,
}

impl Connection {
    /// Connects to `server` and upgrades to a WebSocket at `/ws`.
    pub async fn open(server: SocketAddr, options: &ConnectOptions) -> Result<Self, ClientError> {
        let tcp = if server.is_ipv4() { TcpSocket::new_v4() } else { TcpSocket::new_v6() }
            .map_err(|e| ClientError::Connect(e.to_string()))?;
        if let Some(ip) = options.bind {
            // The port is then chosen at connect time, among those free for this server's
            // address, not at bind time among those free for any: otherwise every socket a run
            // leaves in TIME_WAIT (60 s) holds its port, and a run soon after another one
            // (churn opens 35,000 connections) waits for ports.
            setsockopt(&tcp, IpBindAddressNoPort, &true)
                .map_err(|e| ClientError::Connect(format!("IP_BIND_ADDRESS_NO_PORT: {e}")))?;
            tcp.bind(SocketAddr::new(ip, 0))
                .map_err(|e| ClientError::Connect(format!("binding to {ip}: {e}")))?;
        }
        let config = if options.small_buffers {
            WebSocketConfig::default().read_buffer_size(4_096).write_buffer_size(0)
        } else {
            WebSocketConfig::default()
        };
        let connecting = async {
            let stream =
                tcp.connect(server).await.map_err(|e| ClientError::Connect(e.to_string()))?;
            stream.set_nodelay(true).map_err(|e| ClientError::Connect(e.to_string()))?;
            let url = format!("ws://{server}/ws");
            let (socket, _) =
                tokio_tungstenite::client_async_with_config(url, stream, Some(config)).await?;
            Ok::<_, ClientError>(socket)
        };
        let socket = tokio::time::timeout(options.within, connecting)
            .await
            .map_err(|_| ClientError::Silence(options.within))??;
        Ok(Self { socket, last_request_id: 0 })
    }

    /// A request id not used on this connection before.
    pub fn request_id(&mut self) -> u64 {
        self.last_request_id += 1;
        self.last_request_id
    }

    pub async fn send(&mut self, message: &ClientMessage) -> Result<(), ClientError> {
        self.send_text(&message.to_json()).await
    }

    /// Sends any text, valid protocol or not.
    pub async fn send_text(&mut self, text: &str) -> Result<(), ClientError> {
        Ok(self.socket.send(Message::text(text)).await?)
    }

    /// The next protocol message, skipping WebSocket pings and pongs, within `within`.
    pub async fn receive(&mut self, within: Duration) -> Result<ServerMessage, ClientError> {
        let text = self.next_text(Instant::now() + within, within).await?;
        decode(&text)
    }

    /// Sends `request` and returns its answer (what it asked for or an `error`), skipping
    /// everything else on the way, within `within`. Frames that are not answers are passed
    /// over without being decoded (the cheap check of [`is_answer`]), so a connection in a
    /// busy room can make requests at the cost of a substring search per broadcast.
    pub async fn request(
        &mut self,
        request: &ClientMessage,
        within: Duration,
    ) -> Result<ServerMessage, ClientError> {
        self.send(request).await?;
        let wanted = request.request_id();
        let deadline = Instant::now() + within;
        loop {
            let text = self.next_text(deadline, within).await?;
            if !is_answer(&text) {
                continue;
            }
            let message = decode(&text)?;
            if message.answered_request() == wanted {
                return Ok(message);
            }
        }
    }

    /// `hello` as `nickname`, presenting `token` (from an earlier `welcome`) if given.
    pub async fn hello(
        &mut self,
        nickname: &str,
        token: Option<&str>,
        within: Duration,
    ) -> Result<Welcome, ClientError> {
        let hello = ClientMessage::Hello {
            request_id: self.request_id(),
            protocol: PROTOCOL_VERSION,
            nickname: nickname.to_owned(),
            token: token.map(str::to_owned),
            session: None,
        };
        welcome_or_refusal(self.request(&hello, within).await?)
    }

    /// `register`s the account `username` (instead of `hello`).
    pub async fn register(
        &mut self,
        username: &str,
        password: &str,
        within: Duration,
    ) -> Result<Welcome, ClientError> {
        let register = ClientMessage::Register {
            request_id: self.request_id(),
            protocol: PROTOCOL_VERSION,
            username: username.to_owned(),
            password: Secret::new(password),
            invite: None,
        };
        welcome_or_refusal(self.request(&register, within).await?)
    }

    /// `sign_in` to the account `username` (instead of `hello`).
    pub async fn sign_in(
        &mut self,
        username: &str,
        password: &str,
        within: Duration,
    ) -> Result<Welcome, ClientError> {
        let sign_in = ClientMessage::SignIn {
            request_id: self.request_id(),
            protocol: PROTOCOL_VERSION,
            username: username.to_owned(),
            password: Secret::new(password),
        };
        welcome_or_refusal(self.request(&sign_in, within).await?)
    }

    pub async fn join(&mut self, room: &str, within: Duration) -> Result<Joined, ClientError> {
        let join = ClientMessage::Join { request_id: self.request_id(), room: room.to_owned() };
        match self.request(&join, within).await? {
            ServerMessage::Joined(joined) => Ok(joined),
            other => Err(ClientError::Refused(Box::new(other))),
        }
    }

    /// Sends `body` to `room` under `client_id` and waits for the `ack`.
    pub async fn say(
        &mut self,
        room: &str,
        client_id: ClientId,
        body: &str,
        within: Duration,
    ) -> Result<Ack, ClientError> {
        let send = ClientMessage::Send {
            request_id: self.request_id(),
            room: room.to_owned(),
            client_id,
            body: body.to_owned(),
            reply_to: None,
        };
        match self.request(&send, within).await? {
            ServerMessage::Ack(ack) => Ok(ack),
            other => Err(ClientError::Refused(Box::new(other))),
        }
    }

    /// The next text frame before `deadline` (`within` is its length, for the error).
    async fn next_text(
        &mut self,
        deadline: Instant,
        within: Duration,
    ) -> Result<Utf8Bytes, ClientError> {
        loop {
            let frame = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .map_err(|_| ClientError::Silence(within))?
                .ok_or(ClientError::Closed(None))??;
            match frame {
                Message::Text(text) => return Ok(text),
                Message::Close(frame) => return Err(ClientError::Closed(frame)),
                Message::Ping(_) | Message::Pong(_) => {}
                other => return Err(ClientError::NotText(format!("{other:?}"))),
            }
        }
    }
}

fn welcome_or_refusal(answer: ServerMessage) -> Result<Welcome, ClientError> {
    match answer {
        ServerMessage::Welcome(welcome) => Ok(welcome),
        other => Err(ClientError::Refused(Box::new(other))),
    }
}

fn decode(text: &str) -> Result<ServerMessage, ClientError> {
    serde_json::from_str(text)
        .map_err(|error| ClientError::Undecodable { text: text.to_owned(), error })
}

/// Whether a frame answers a request (rather than being a room event): answers all carry a
/// `request_id`, room events never do.
pub fn is_answer(text: &str) -> bool {
    text.contains("\"request_id\"")
}
