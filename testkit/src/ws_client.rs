//! The tests' view of a protocol connection: [`client::Connection`] with every failure a
//! test failure after [`PATIENCE`] (shared by the test binaries).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use client::{ClientError, ConnectOptions, Connection};
use common::{
    ClientId, ClientMessage, Nickname, PROTOCOL_VERSION, RoomRole, Secret, ServerMessage,
};
use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;

/// How long a test waits for something the server should send promptly.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// A WebSocket client speaking the protocol.
#[derive(Debug)]
pub struct Client {
    pub connection: Connection,
}

impl Client {
    /// Opens a WebSocket to the server at `addr` that has not said hello yet.
    pub async fn connect(addr: SocketAddr) -> Self {
        let options = ConnectOptions { within: PATIENCE, ..ConnectOptions::default() };
        let connection = Connection::open(addr, &options).await.expect("ws connects");
        Self { connection }
    }

    /// [`Client::connect`] from the local address `from` (any of 127.0.0.0/8 on Linux).
    pub async fn connect_from(addr: SocketAddr, from: std::net::IpAddr) -> Self {
        let options =
            ConnectOptions { within: PATIENCE, bind: Some(from), ..ConnectOptions::default() };
        let connection = Connection::open(addr, &options).await.expect("ws connects");
        Self { connection }
    }

    pub fn request_id(&mut self) -> u64 {
        self.connection.request_id()
    }

    pub async fn send(&mut self, message: &ClientMessage) {
        self.connection.send(message).await.expect("frame sent");
    }

    pub async fn send_raw(&mut self, text: &str) {
        self.connection.send_text(text).await.expect("frame sent");
    }

    /// The next protocol message (skipping WebSocket pings), failing the test after
    /// [`PATIENCE`].
    pub async fn recv(&mut self) -> ServerMessage {
        self.connection.receive(PATIENCE).await.unwrap_or_else(|e| panic!("no message: {e}"))
    }

    /// Receives until `pick` returns something, failing the test after [`PATIENCE`].
    pub async fn recv_until<T>(&mut self, mut pick: impl FnMut(ServerMessage) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let message = tokio::time::timeout_at(deadline, self.recv())
                .await
                .expect("the expected message within the patience window");
            if let Some(found) = pick(message) {
                return found;
            }
        }
    }

    /// Waits for the close frame, returning it, skipping frames queued before it; fails after
    /// [`PATIENCE`].
    pub async fn recv_close(&mut self) -> Option<CloseFrame> {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.connection.socket.next())
                .await
                .expect("the close within the patience window");
            match frame {
                Some(Ok(Message::Close(frame))) => return frame,
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Text(_))) => continue,
                Some(Ok(other)) => panic!("expected a close frame, got {other:?}"),
                Some(Err(error)) => panic!("connection failed instead of closing: {error}"),
                None => return None,
            }
        }
    }

    pub async fn hello(&mut self, nickname: &str) -> ServerMessage {
        self.hello_with_token(nickname, None).await
    }

    /// `hello` presenting the token of an earlier `welcome` (another tab of the same person).
    pub async fn hello_with_token(&mut self, nickname: &str, token: Option<&str>) -> ServerMessage {
        let request_id = self.request_id();
        self.send(&ClientMessage::Hello {
            request_id,
            protocol: PROTOCOL_VERSION,
            nickname: nickname.into(),
            token: token.map(str::to_owned),
            session: None,
        })
        .await;
        self.recv_answer().await
    }

    /// `hello` as the account `username`, with a session token from an earlier `welcome`.
    pub async fn hello_with_session(&mut self, username: &str, session: &str) -> ServerMessage {
        let request_id = self.request_id();
        self.request(&ClientMessage::Hello {
            request_id,
            protocol: PROTOCOL_VERSION,
            nickname: username.into(),
            token: None,
            session: Some(Secret::new(session)),
        })
        .await
    }

    /// Creates a private room; returns the answer (`created` or `error`).
    pub async fn create_private_room(&mut self, room: &str) -> ServerMessage {
        let request_id = self.request_id();
        self.request(&ClientMessage::CreateRoom { request_id, room: room.into(), private: true })
            .await
    }

    /// Invites `username` to `room`; returns the answer (`invited` or `error`).
    pub async fn invite(&mut self, room: &str, username: &str) -> ServerMessage {
        let request_id = self.request_id();
        let (room, username) = (room.into(), username.into());
        self.request(&ClientMessage::Invite { request_id, room, username }).await
    }

    /// Removes `username` from `room`; returns the answer (`member_removed` or `error`).
    pub async fn remove_member(&mut self, room: &str, username: &str) -> ServerMessage {
        let request_id = self.request_id();
        let (room, username) = (room.into(), username.into());
        self.request(&ClientMessage::RemoveMember { request_id, room, username }).await
    }

    /// Lists the accounts that are members of `room`; returns the answer (`room_member_list`
    /// or `error`).
    pub async fn room_members(&mut self, room: &str) -> ServerMessage {
        let request_id = self.request_id();
        self.request(&ClientMessage::RoomMembers { request_id, room: room.into() }).await
    }

    /// Opens the direct messages with `username`; returns the answer (`dm_opened` or `error`).
    pub async fn open_dm(&mut self, username: &str) -> ServerMessage {
        let request_id = self.request_id();
        self.request(&ClientMessage::OpenDm { request_id, username: username.into() }).await
    }

    /// Bans `username` for `reason` (for good); returns the answer (`ban_recorded` or `error`).
    pub async fn ban(&mut self, username: &str, reason: &str) -> ServerMessage {
        let request_id = self.request_id();
        let (username, reason) = (username.into(), reason.into());
        self.request(&ClientMessage::Ban { request_id, username, reason, minutes: None }).await
    }

    pub async fn set_room_role(
        &mut self,
        room: &str,
        username: &str,
        role: RoomRole,
    ) -> ServerMessage {
        let request_id = self.request_id();
        let (room, username) = (room.into(), username.into());
        self.request(&ClientMessage::SetRoomRole { request_id, room, username, role }).await
    }

    pub async fn kick(&mut self, room: &str, nickname: &str, reason: &str) -> ServerMessage {
        let request_id = self.request_id();
        let (room, nickname, reason) = (room.into(), nickname.into(), reason.into());
        self.request(&ClientMessage::Kick { request_id, room, nickname, reason }).await
    }

    pub async fn mute(
        &mut self,
        room: &str,
        nickname: &str,
        minutes: Option<u32>,
    ) -> ServerMessage {
        let request_id = self.request_id();
        let (room, nickname, reason) = (room.into(), nickname.into(), "calm down".into());
        self.request(&ClientMessage::Mute { request_id, room, nickname, reason, minutes }).await
    }

    pub async fn unmute(&mut self, room: &str, nickname: &str) -> ServerMessage {
        let request_id = self.request_id();
        let (room, nickname) = (room.into(), nickname.into());
        self.request(&ClientMessage::Unmute { request_id, room, nickname }).await
    }

    /// Every frame that arrives within `window`, as text (to check what never arrives).
    pub async fn frames_within(&mut self, window: Duration) -> Vec<String> {
        let mut frames = Vec::new();
        let until = tokio::time::Instant::now() + window;
        while let Ok(Some(Ok(frame))) =
            tokio::time::timeout_at(until, self.connection.socket.next()).await
        {
            if let Message::Text(text) = frame {
                frames.push(text.as_str().to_owned());
            }
        }
        frames
    }

    /// `register`s an account; returns the answer (`welcome` or `error`).
    pub async fn register(&mut self, username: &str, password: &str) -> ServerMessage {
        self.register_invited(username, password, None).await
    }

    /// `register`s an account with an invite code.
    pub async fn register_invited(
        &mut self,
        username: &str,
        password: &str,
        invite: Option<&str>,
    ) -> ServerMessage {
        let request_id = self.request_id();
        self.request(&ClientMessage::Register {
            request_id,
            protocol: PROTOCOL_VERSION,
            username: username.into(),
            password: Secret::new(password),
            invite: invite.map(Secret::new),
        })
        .await
    }

    /// `sign_in`; returns the answer (`welcome` or `error`).
    pub async fn sign_in(&mut self, username: &str, password: &str) -> ServerMessage {
        let request_id = self.request_id();
        self.request(&ClientMessage::SignIn {
            request_id,
            protocol: PROTOCOL_VERSION,
            username: username.into(),
            password: Secret::new(password),
        })
        .await
    }

    /// The next message that is not a room event (`message`, presence):
    /// an answer to a request, or an error.
    pub async fn recv_answer(&mut self) -> ServerMessage {
        self.recv_until(|message| (!is_room_event(&message)).then_some(message)).await
    }

    /// Sends `join` and returns the answer (`joined` or `error`), skipping room events.
    pub async fn join(&mut self, room: &str) -> ServerMessage {
        let request_id = self.request_id();
        self.request(&ClientMessage::Join { request_id, room: room.into() }).await
    }

    /// Creates `room`; returns the answer (`created` or `error`).
    pub async fn create_room(&mut self, room: &str) -> ServerMessage {
        let request_id = self.request_id();
        self.request(&ClientMessage::CreateRoom { request_id, room: room.into(), private: false })
            .await
    }

    /// Fetches a page of `room`'s history; returns the answer (`history` or `error`).
    pub async fn history(
        &mut self,
        room: &str,
        before_seq: Option<u64>,
        limit: Option<u32>,
    ) -> ServerMessage {
        let request_id = self.request_id();
        let after_seq = None;
        self.request(&ClientMessage::History {
            request_id,
            room: room.into(),
            before_seq,
            after_seq,
            limit: limit.map(u64::from),
        })
        .await
    }

    /// Fetches the page of `room`'s history after `after_seq` (catching up); returns the
    /// answer (`history` or `error`).
    pub async fn history_after(
        &mut self,
        room: &str,
        after_seq: u64,
        limit: Option<u32>,
    ) -> ServerMessage {
        let request_id = self.request_id();
        self.request(&ClientMessage::History {
            request_id,
            room: room.into(),
            before_seq: None,
            after_seq: Some(after_seq),
            limit: limit.map(u64::from),
        })
        .await
    }

    /// Sends `text` to `room` and returns the answer (`ack` or `error`), skipping room events.
    pub async fn say(&mut self, room: &str, text: &str) -> ServerMessage {
        let request_id = self.request_id();
        // Unique across every client of the test process, like the UUIDs real clients use.
        static NEXT_CLIENT_ID: AtomicU64 = AtomicU64::new(0);
        let n = NEXT_CLIENT_ID.fetch_add(1, Ordering::Relaxed);
        let client_id =
            ClientId::parse(&format!("test-{}-{n}", std::process::id())).expect("valid");
        self.request(&ClientMessage::Send {
            request_id,
            room: room.into(),
            client_id,
            body: text.into(),
            reply_to: None,
        })
        .await
    }

    /// Sends `request` and returns its answer (what it asked for or an `error`).
    pub async fn request(&mut self, request: &ClientMessage) -> ServerMessage {
        self.connection.request(request, PATIENCE).await.unwrap_or_else(|e| panic!("{e}"))
    }

    /// The next message that answers `request_id`.
    pub async fn answer_to(&mut self, request_id: u64) -> ServerMessage {
        self.recv_until(|message| {
            (message.answered_request() == Some(request_id)).then_some(message)
        })
        .await
    }

    /// Checks that nothing arrives for a short while.
    pub async fn expect_silence(&mut self) {
        match self.connection.receive(Duration::from_millis(200)).await {
            Err(ClientError::Silence(_)) => {}
            other => panic!("expected silence, got {other:?}"),
        }
    }
}

/// Whether a message is pushed to room members rather than answering a request.
pub fn is_room_event(message: &ServerMessage) -> bool {
    matches!(
        message,
        ServerMessage::Message(_)
            | ServerMessage::UserJoined(_)
            | ServerMessage::UserLeft(_)
            | ServerMessage::MemberCount(_)
            | ServerMessage::MemberList(_)
    )
}

pub fn nicknames(names: &[&str]) -> Vec<Nickname> {
    names.iter().map(|name| Nickname::parse(name).expect("valid")).collect()
}
