//! A connection's state, and the order of its answers: each text frame decoded and carried out
//! ([`super::requests`]), its answer (or refusal) queued for the client after those of the
//! requests before it.

use std::future::Future;
use std::net::IpAddr;
use std::sync::Arc;
use std::task::Poll;

use common::{ClientMessage, ErrorCode, Nickname, RequestId, ServerMessage, decode_client_message};
use tungstenite::Utf8Bytes;

use super::in_flight::InFlightAppends;
use super::rate_limit::{RateLimits, RateSettings};
use super::refusal::Refusal;
use super::services::Services;
use super::typing_throttle::TypingThrottle;
use crate::accounts::SignedIn;
use crate::frames::frame_queue::FrameQueue;
use crate::frames::wire::Goodbye;
use crate::hub::SessionId;
use crate::store::NewMessage;

/// What a request answers with: its answer (`typing` has none) or why it was turned down.
pub(super) type Answer = Result<Option<ServerMessage>, Refusal>;

/// The reader's state for one connection.
#[derive(Debug)]
pub struct Session {
    pub id: SessionId,
    /// Shared by every session (one pointer here: each session's task holds it, so its
    /// size counts once per connection).
    pub services: Arc<Services>,
    pub frame_queue: FrameQueue,
    /// Set by a successful `hello`, `register` or `sign_in`; most requests need it.
    pub nickname: Option<Nickname>,
    /// The account and session this connection signed in with (boxed: most connections
    /// have none, and each connection's size counts).
    pub signed_in: Option<Box<SignedIn>>,
    /// The client's network address, for the limits on sign-in attempts.
    pub peer: IpAddr,
    /// Set when the connection must end after the answer just queued.
    pub closing: Option<Goodbye>,
    /// The person signed out: their nickname is free as soon as the connection ends.
    pub signed_out: bool,
    pub(super) typing_throttle: TypingThrottle,
    pub(super) rate_limits: RateLimits,
    /// Appends handed to the committer, waiting for their answers.
    in_flight: InFlightAppends,
}

impl Session {
    pub fn new(
        id: SessionId,
        peer: IpAddr,
        services: Arc<Services>,
        frame_queue: FrameQueue,
        rates: RateSettings,
    ) -> Self {
        Self {
            id,
            services,
            frame_queue,
            nickname: None,
            signed_in: None,
            peer,
            closing: None,
            signed_out: false,
            typing_throttle: TypingThrottle::default(),
            rate_limits: RateLimits::new(rates),
            in_flight: InFlightAppends::default(),
        }
    }

    /// Decodes and carries out one text frame, then queues its answer. Requests are handled
    /// one at a time, so answers come in the order the requests were sent.
    pub async fn handle_text(&mut self, text: &str) {
        let message = match decode_client_message(text) {
            Ok(message) => message,
            Err(error) => {
                return self.refuse(error.request_id, Refusal::new(error.code, error.message));
            }
        };
        // Boxed: the request's future (database and Redis calls inside) is large, and held
        // inline it would make every connection's task that large even while it sits idle.
        // One small allocation per request instead of ~10 KB per connection.
        Box::pin(self.answer_in_order(message)).await;
    }

    /// Carries out `message` and writes its answer after those of the requests before it.
    /// Appends are answered when stored, in order, while the connection reads on (see
    /// `in_flight`); every other answer waits for theirs (typing has none).
    async fn answer_in_order(&mut self, message: ClientMessage) {
        let request_id = message.request_id();
        let answered_later = message.appends() || matches!(message, ClientMessage::Typing { .. });
        if !answered_later {
            self.answer_all().await;
        }
        match self.carry_out(message).await {
            Ok(Some(answer)) => {
                self.answer_all().await;
                self.frame_queue.push(Utf8Bytes::from(answer.to_json()));
            }
            Ok(None) => {}
            Err(refusal) => {
                self.answer_all().await;
                self.refuse(request_id, refusal);
            }
        }
    }

    /// Hands `new` to the committer (stored, published, only then acknowledged: see
    /// [`crate::delivery`]); its answer (an `ack`, the original's for a repeat) is written
    /// when it comes, after those of the appends before it (see [`super::in_flight`]), so
    /// there is none now.
    pub(super) async fn append(&mut self, request_id: RequestId, new: NewMessage) -> Answer {
        if self.in_flight.is_full() {
            self.answer_oldest().await;
        }
        let room = new.room.clone();
        let pending = self.services.delivery.submit(new).await?;
        self.in_flight.push(request_id, room, pending);
        Ok(None)
    }

    /// Whether appends wait for their answers.
    pub fn has_in_flight(&self) -> bool {
        !self.in_flight.is_empty()
    }

    /// Waits for the oldest append's answer and writes it (nothing, at once, if none waits).
    /// Cancel-safe: dropped before it finishes, the append stays first in line. The future
    /// is one pointer (a `poll_fn`, not an `async fn` with its state): it sits in every
    /// connection's read loop, and each byte there counts 20,000 times.
    pub fn answer_oldest(&mut self) -> impl Future<Output = ()> + '_ {
        std::future::poll_fn(|context| {
            let Poll::Ready(answered) = self.in_flight.poll_oldest(context) else {
                return Poll::Pending;
            };
            match answered {
                Some(Ok(ack)) => self.frame_queue.push(Utf8Bytes::from(ack.to_json())),
                Some(Err((request_id, refusal))) => self.refuse(Some(request_id), refusal),
                None => {}
            }
            Poll::Ready(())
        })
    }

    /// Writes the answers of every append in flight, waiting for them.
    pub async fn answer_all(&mut self) {
        while self.has_in_flight() {
            self.answer_oldest().await;
        }
    }

    /// Queues an `error` for the client; the connection stays open.
    pub fn refuse(&self, request_id: Option<RequestId>, refusal: Refusal) {
        self.frame_queue.push(Utf8Bytes::from(refusal.into_error(request_id).to_json()));
    }

    pub(super) fn identified(&self) -> Result<&Nickname, Refusal> {
        self.nickname.as_ref().ok_or_else(|| {
            Refusal::new(ErrorCode::NotIdentified, "send hello with a nickname first")
        })
    }
}
