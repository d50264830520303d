//! The bounded queue of encoded frames waiting to be written to one connection.
//!
//! Everything a connection receives, answers and room events alike, goes through its outbox,
//! so the order a client sees is the order things were pushed. Pushing never waits: a room
//! must not slow down for one member. When the queue is full the member is too slow to keep
//! up; it is evicted (its session ends) instead of letting memory grow.

use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Utf8Bytes};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// One item for the writer: a text frame, several text frames that go out together, a
/// heartbeat ping, or the close frame that ends the connection.
#[derive(Debug)]
pub enum Outbound {
    Text(Utf8Bytes),
    /// A room's messages stored in one batch, shared by every member: one queue slot, one
    /// wake-up of the writer and one write for all of them.
    Texts(Arc<[Utf8Bytes]>),
    Ping,
    Close(CloseFrame),
}

/// The sending side of a connection's queue; cheap to clone (the hub keeps one per room
/// membership).
#[derive(Debug, Clone)]
pub struct Outbox {
    queue: mpsc::Sender<Outbound>,
    evicted: CancellationToken,
}

/// The session's side: the queue to drain and the signal that the connection was evicted.
#[derive(Debug)]
pub struct OutboxReceiver {
    pub queue: mpsc::Receiver<Outbound>,
    pub evicted: CancellationToken,
}

impl Outbox {
    /// A new outbox holding at most `capacity` frames (at least 1).
    pub fn new(capacity: usize) -> (Self, OutboxReceiver) {
        let (queue, receiver) = mpsc::channel(capacity.max(1));
        let evicted = CancellationToken::new();
        let outbox = Self { queue, evicted: evicted.clone() };
        (outbox, OutboxReceiver { queue: receiver, evicted })
    }

    /// Queues an already-encoded text frame. If the queue is full, the connection is marked
    /// evicted and the frame is not queued: the client will be disconnected, and it never
    /// sees a stream with a hole in it.
    pub fn push(&self, frame: Utf8Bytes) {
        self.push_outbound(Outbound::Text(frame));
    }

    /// Queues several encoded text frames as one item (same rules as [`Outbox::push`]).
    pub fn push_all(&self, frames: Arc<[Utf8Bytes]>) {
        self.push_outbound(Outbound::Texts(frames));
    }

    /// Queues a heartbeat ping (same rules as [`Outbox::push`]: a client too far behind to take
    /// one is evicted anyway).
    pub fn ping(&self) {
        self.push_outbound(Outbound::Ping);
    }

    /// Queues the close frame that ends the connection (same rules as [`Outbox::push`]).
    pub fn close(&self, frame: CloseFrame) {
        self.push_outbound(Outbound::Close(frame));
    }

    fn push_outbound(&self, item: Outbound) {
        match self.queue.try_send(item) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => self.evicted.cancel(),
            // The session is already ending and no longer reads its queue; nothing is lost
            // that the client could still have received.
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_outbox_evicts_instead_of_growing() {
        let (outbox, mut receiver) = Outbox::new(2);
        outbox.push(Utf8Bytes::from_static("1"));
        outbox.push(Utf8Bytes::from_static("2"));
        assert!(!receiver.evicted.is_cancelled());
        outbox.push(Utf8Bytes::from_static("3"));
        assert!(receiver.evicted.is_cancelled());
        let mut queued = 0;
        while receiver.queue.try_recv().is_ok() {
            queued += 1;
        }
        assert_eq!(queued, 2);
    }
}
