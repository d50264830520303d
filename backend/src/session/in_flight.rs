//! A connection's appends in flight: `send`, `edit_message` and `delete_message` are handed to
//! the committer and the connection goes on reading; their answers are written in the order
//! the requests came (the session's `answer_oldest`, `answer_all`).
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

use super::refusal::Refusal;
use crate::delivery::PendingAppend;

/// The most appends of one connection waiting for the committer at once.
pub const MAX_IN_FLIGHT: usize = 256;

/// One append handed to the committer, with what its answer needs.
#[derive(Debug)]
struct InFlight {
    request_id: RequestId,
    room: RoomName,
    pending: PendingAppend,
}

/// The answer to an append: its `ack`, or why it was refused (with the request's id).
pub type Answered = Result<ServerMessage, (RequestId, Refusal)>;

/// The connection's appends in flight, oldest first (empty, it allocates nothing).
#[derive(Debug, Default)]
pub struct InFlightAppends {
    waiting: VecDeque<InFlight>,
}

impl InFlightAppends {
    /// Whether no more may be handed over before the oldest is answered.
    pub fn is_full(&self) -> bool {
        self.waiting.len() >= MAX_IN_FLIGHT
    }

    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    /// Adds the append of `request_id` into `room`, handed to the committer as `pending`.
    pub fn push(&mut self, request_id: RequestId, room: RoomName, pending: PendingAppend) {
        self.waiting.push_back(InFlight { request_id, room, pending });
    }

    /// The oldest append's answer once the committer has given it (`None` if nothing waits).
    /// Until then the oldest stays first in line.
    pub fn poll_oldest(&mut self, context: &mut Context<'_>) -> Poll<Option<Answered>> {
        let Some(oldest) = self.waiting.front_mut() else { return Poll::Ready(None) };
        let Poll::Ready(outcome) = Pin::new(&mut oldest.pending).poll(context) else {
            return Poll::Pending;
        };
        let Some(InFlight { request_id, room, .. }) = self.waiting.pop_front() else {
            return Poll::Ready(None);
        };
        let answered = match outcome {
            Ok(appended) => {
                let stored = appended.message();
                Ok(ServerMessage::Ack(Ack {
                    request_id,
                    room,
                    client_id: stored.client_id.clone(),
                    seq: stored.seq,
                    id: stored.id.clone(),
                    sent_at: stored.sent_at,
                }))
            }
            Err(error) => Err((request_id, Refusal::from(error))),
        };
        Poll::Ready(Some(answered))
    }
}
