//! The bounded queue of encoded frames waiting to be written to one connection.
//!
//! Everything a connection receives, answers and room events alike, goes through its outbox,
//! so the order a client sees is the order things were pushed. Pushing never waits: a room
//! must not slow down for one member. The queue is bounded by bytes (what the waiting frames
//! weigh), not by a count of frames: a burst of small events (a thousand people joining at
//! once) fits, while a reader that stopped reading fills it soon enough. When it is full the
//! member is too slow to keep up; it is evicted (its session ends) instead of letting memory
//! grow.
//!
//! A plain deque under a mutex rather than a channel: an idle connection's queue holds no
//! memory at all (a channel keeps a block of 32 slots per connection, 1.5 KiB here), and the
//! writer takes everything waiting with one lock.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tungstenite::{Bytes, Utf8Bytes};

/// One item for the writer: a text frame, several text frames that go out together, a
/// heartbeat ping, the close frame that ends the connection, or a frame the WebSocket reader
/// owes the peer (a pong, or the answer to its close), already encoded.
#[derive(Debug)]
pub enum Outbound {
    Text(Utf8Bytes),
    /// A room's messages stored in one batch, shared by every member: one wake-up of the
    /// writer and one write for all of them.
    Texts(SharedTexts),
    Ping,
    Close(Goodbye),
    Raw(Bytes),
}

/// Encoded text frames shared by every member of a room (cheap to clone), with what they
/// weigh against a queue's bound, computed once rather than once per member.
#[derive(Debug, Clone)]
pub struct SharedTexts {
    texts: Arc<[Utf8Bytes]>,
    weight: usize,
}

impl SharedTexts {
    pub fn new(texts: Vec<Utf8Bytes>) -> Self {
        let weight = texts.iter().map(|text| text.len() + FRAME_OVERHEAD_BYTES).sum();
        Self { texts: texts.into(), weight }
    }

    pub fn texts(&self) -> &[Utf8Bytes] {
        &self.texts
    }
}

/// The close frame the server ends a connection with: a close code and a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goodbye {
    pub code: u16,
    pub reason: Utf8Bytes,
}

impl Goodbye {
    pub const fn new(code: u16, reason: &'static str) -> Self {
        Self { code, reason: Utf8Bytes::from_static(reason) }
    }
}

/// What each queued frame weighs beyond its bytes: the queue's own bookkeeping, so that even
/// a flood of tiny frames is bounded.
const FRAME_OVERHEAD_BYTES: usize = 64;

impl Outbound {
    /// What this item counts for against the queue's bound.
    fn weight(&self) -> usize {
        match self {
            Self::Text(text) => text.len() + FRAME_OVERHEAD_BYTES,
            Self::Texts(texts) => texts.weight,
            Self::Ping => FRAME_OVERHEAD_BYTES,
            Self::Close(goodbye) => goodbye.reason.len() + FRAME_OVERHEAD_BYTES,
            Self::Raw(bytes) => bytes.len() + FRAME_OVERHEAD_BYTES,
        }
    }
}

/// Once emptied, a queue keeps room for this many items and gives the rest back: enough for
/// the usual round of a busy room, little for the many connections that sit idle.
const KEPT_CAPACITY: usize = 2;

/// The sending side of a connection's queue; cheap to clone (the hub keeps one per room
/// membership). The queue closes when the last clone is dropped.
#[derive(Debug)]
pub struct Outbox {
    shared: Arc<Shared>,
}

/// The session's side: the queue to drain and the signal that the connection was evicted.
#[derive(Debug)]
pub struct OutboxReceiver {
    shared: Arc<Shared>,
    pub evicted: CancellationToken,
}

#[derive(Debug)]
struct Shared {
    queue: Mutex<Queue>,
    /// Wakes the writer when something was queued or the queue closed.
    wake: Notify,
    /// How many `Outbox` clones exist.
    senders: AtomicUsize,
    /// The most the waiting items may weigh.
    limit_bytes: usize,
    evicted: CancellationToken,
}

#[derive(Debug, Default)]
struct Queue {
    items: VecDeque<Outbound>,
    /// What the waiting items weigh.
    bytes: usize,
    /// No sender is left: nothing more will come.
    closed: bool,
    /// The receiver is gone: nothing more will be read.
    abandoned: bool,
}

impl Outbox {
    /// A new outbox whose waiting frames may weigh at most `limit_bytes` (a single item is
    /// always accepted into an empty queue, however large).
    pub fn new(limit_bytes: usize) -> (Self, OutboxReceiver) {
        let evicted = CancellationToken::new();
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            wake: Notify::new(),
            senders: AtomicUsize::new(1),
            limit_bytes,
            evicted: evicted.clone(),
        });
        (Self { shared: shared.clone() }, OutboxReceiver { shared, evicted })
    }

    /// Queues an already-encoded text frame. If the queue is full, the connection is marked
    /// evicted and the frame is not queued: the client will be disconnected, and it never
    /// sees a stream with a hole in it.
    pub fn push(&self, frame: Utf8Bytes) {
        self.push_outbound(Outbound::Text(frame));
    }

    /// Queues several encoded text frames as one item (same rules as [`Outbox::push`]).
    pub fn push_all(&self, frames: SharedTexts) {
        self.push_outbound(Outbound::Texts(frames));
    }

    /// Queues a heartbeat ping (same rules as [`Outbox::push`]: a client too far behind to take
    /// one is evicted anyway).
    pub fn ping(&self) {
        self.push_outbound(Outbound::Ping);
    }

    /// Queues the close frame that ends the connection (same rules as [`Outbox::push`]).
    pub fn close(&self, goodbye: Goodbye) {
        self.push_outbound(Outbound::Close(goodbye));
    }

    /// Queues bytes the WebSocket reader must send to the peer (same rules as
    /// [`Outbox::push`]).
    pub fn push_raw(&self, bytes: Bytes) {
        self.push_outbound(Outbound::Raw(bytes));
    }

    fn push_outbound(&self, item: Outbound) {
        let weight = item.weight();
        {
            let mut queue = self.shared.lock();
            // The session is already ending and no longer reads its queue; nothing is lost
            // that the client could still have received.
            if queue.abandoned {
                return;
            }
            if !queue.items.is_empty() && queue.bytes + weight > self.shared.limit_bytes {
                drop(queue);
                self.shared.evicted.cancel();
                return;
            }
            queue.bytes += weight;
            queue.items.push_back(item);
        }
        self.shared.wake.notify_one();
    }
}

impl Clone for Outbox {
    fn clone(&self) -> Self {
        self.shared.senders.fetch_add(1, Ordering::Relaxed);
        Self { shared: self.shared.clone() }
    }
}

impl Drop for Outbox {
    fn drop(&mut self) {
        if self.shared.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.shared.lock().closed = true;
            self.shared.wake.notify_one();
        }
    }
}

impl OutboxReceiver {
    /// Waits until something is queued, then moves up to `max` waiting items into `into`, in
    /// order. False once the queue is closed and empty.
    pub async fn recv_many(&mut self, into: &mut Vec<Outbound>, max: usize) -> bool {
        loop {
            if self.try_recv_many(into, max) {
                return true;
            }
            {
                let queue = self.shared.lock();
                if queue.closed && queue.items.is_empty() {
                    return false;
                }
            }
            self.shared.wake.notified().await;
        }
    }

    /// Moves up to `max` waiting items into `into` without waiting; true if there were any.
    pub fn try_recv_many(&mut self, into: &mut Vec<Outbound>, max: usize) -> bool {
        let mut guard = self.shared.lock();
        let queue = &mut *guard;
        if queue.items.is_empty() {
            return false;
        }
        let count = queue.items.len().min(max);
        for item in queue.items.drain(..count) {
            queue.bytes = queue.bytes.saturating_sub(item.weight());
            into.push(item);
        }
        if queue.items.is_empty() {
            queue.items.shrink_to(KEPT_CAPACITY);
        }
        true
    }
}

impl Drop for OutboxReceiver {
    fn drop(&mut self) {
        let mut queue = self.shared.lock();
        queue.abandoned = true;
        queue.items.clear();
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(receiver: &mut OutboxReceiver) -> Vec<Outbound> {
        let mut items = Vec::new();
        receiver.try_recv_many(&mut items, usize::MAX);
        items
    }

    #[test]
    fn a_full_outbox_evicts_instead_of_growing() {
        let frame = Utf8Bytes::from_static("0123456789");
        let weight = frame.len() + FRAME_OVERHEAD_BYTES;
        let (outbox, mut receiver) = Outbox::new(2 * weight);
        outbox.push(frame.clone());
        outbox.push(frame.clone());
        assert!(!receiver.evicted.is_cancelled());
        outbox.push(frame.clone());
        assert!(receiver.evicted.is_cancelled());
        assert_eq!(drain(&mut receiver).len(), 2);
    }

    #[test]
    fn reading_makes_room_again() {
        let frame = Utf8Bytes::from_static("0123456789");
        let (outbox, mut receiver) = Outbox::new(2 * (frame.len() + FRAME_OVERHEAD_BYTES));
        for _ in 0..10 {
            outbox.push(frame.clone());
            outbox.push(frame.clone());
            assert_eq!(drain(&mut receiver).len(), 2);
        }
        assert!(!receiver.evicted.is_cancelled());
    }

    #[test]
    fn one_large_item_fits_an_empty_queue() {
        let (outbox, mut receiver) = Outbox::new(16);
        outbox.push(Utf8Bytes::from("x".repeat(1_000)));
        assert!(!receiver.evicted.is_cancelled());
        assert_eq!(drain(&mut receiver).len(), 1);
    }

    #[tokio::test]
    async fn the_queue_ends_when_the_last_sender_goes_after_what_it_sent() {
        let (outbox, mut receiver) = Outbox::new(1_000);
        let second = outbox.clone();
        outbox.push(Utf8Bytes::from_static("a"));
        drop(outbox);
        second.push(Utf8Bytes::from_static("b"));
        drop(second);
        let mut items = Vec::new();
        assert!(receiver.recv_many(&mut items, 10).await);
        assert_eq!(items.len(), 2);
        assert!(!receiver.recv_many(&mut items, 10).await, "closed and empty");
    }
}
