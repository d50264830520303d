//! A connection's appends in flight: `send`, `edit_message` and `delete_message` are handed to
//! the committer and the connection goes on reading; their answers are written in the order
//! the requests came.
//!
//! Answered one at a time, a connection's sends waited for each commit (and, in a big room,
//! the commit window) before the next was even read: one connection topped out near 95
//! messages a second, with the server mostly idle. Now many are in flight at once (at most
//! [`MAX_IN_FLIGHT`]; then the connection waits for the oldest before reading on). The
//! committer stores a connection's appends in the order they were handed over, so a room's
//! order is still the order of arrival on the connection, and the answers come back in that
//! same order. Any other request, and any refusal, waits until the answers before it are
//! written: every answer of a connection still comes in request order.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use common::{Ack, RequestId, RoomName, ServerMessage};
use tungstenite::Utf8Bytes;

use super::Session;
use super::refusal::Refusal;
use super::requests::Answer;
use crate::delivery::PendingAppend;
use crate::store::NewMessage;

/// The most appends of one connection waiting for the committer at once.
pub const MAX_IN_FLIGHT: usize = 256;

/// One append handed to the committer, with what its answer needs.
#[derive(Debug)]
pub struct InFlight {
    request_id: RequestId,
    room: RoomName,
    pending: PendingAppend,
}

/// The connection's appends in flight, oldest first (empty, it allocates nothing).
pub type InFlightAppends = VecDeque<InFlight>;

impl Session {
    /// Hands `new` to the committer (stored, published, only then acknowledged: see
    /// [`crate::delivery`]); its answer (an `ack`, the original's for a repeat) is written
    /// when it comes, after those of the appends before it, so there is none now.
    pub(super) async fn append(&mut self, request_id: RequestId, new: NewMessage) -> Answer {
        if self.in_flight.len() >= MAX_IN_FLIGHT {
            self.answer_oldest().await;
        }
        let room = new.room.clone();
        let pending = self.services.delivery.submit(new).await?;
        self.in_flight.push_back(InFlight { request_id, room, pending });
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
        std::future::poll_fn(|context| self.poll_oldest(context))
    }

    fn poll_oldest(&mut self, context: &mut Context<'_>) -> Poll<()> {
        let Some(oldest) = self.in_flight.front_mut() else { return Poll::Ready(()) };
        let Poll::Ready(outcome) = Pin::new(&mut oldest.pending).poll(context) else {
            return Poll::Pending;
        };
        let Some(InFlight { request_id, room, .. }) = self.in_flight.pop_front() else {
            return Poll::Ready(());
        };
        match outcome {
            Ok(appended) => {
                let stored = appended.message();
                let ack = ServerMessage::Ack(Ack {
                    request_id,
                    room,
                    client_id: stored.client_id.clone(),
                    seq: stored.seq,
                    id: stored.id.clone(),
                    sent_at: stored.sent_at,
                });
                self.frame_queue.push(Utf8Bytes::from(ack.to_json()));
            }
            Err(error) => self.refuse(Some(request_id), Refusal::from(error)),
        }
        Poll::Ready(())
    }

    /// Writes the answers of every append in flight, waiting for them.
    pub async fn answer_all(&mut self) {
        while self.has_in_flight() {
            self.answer_oldest().await;
        }
    }
}
