//! The bounded queue of encoded frames waiting to be written to one connection.
//!
//! Everything a connection receives, answers and room events alike, goes through its frame queue,
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
//!
//! A room's broadcast need not wake the writer at all: [`FrameQueue::push_all_unwritten`] queues
//! the frames, and once the hub's lock is released they are written straight to the socket
//! from the queue if the writer is idle (see [`Unwritten`]). Waking a thousand writer tasks
//! per message batch was a tenth of the server's time in a big room. Whatever the socket does
//! not take at once stays first in the queue for the writer, so the order never changes.

use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use std::io::IoSlice;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tungstenite::{Bytes, Utf8Bytes};

use super::wire::{
    Goodbye, MAX_ITEMS_PER_ROUND, MAX_SLICES_PER_WRITE, Outbound, RoundPlan, SharedTexts,
};

/// Once emptied, a queue keeps room for this many items and gives the rest back: enough for
/// the usual round of a busy room, little for the many connections that sit idle.
const KEPT_CAPACITY: usize = 2;

/// The sending side of a connection's queue; cheap to clone (the hub keeps one per room
/// membership). The queue closes when the last clone is dropped.
#[derive(Debug)]
pub struct FrameQueue {
    shared: Arc<Shared>,
}

/// The session's side: the queue to drain and the signal that the connection was evicted.
#[derive(Debug)]
pub struct FrameQueueReceiver {
    shared: Arc<Shared>,
    pub evicted: CancellationToken,
}

#[derive(Debug)]
struct Shared {
    queue: Mutex<Queue>,
    /// Wakes the writer when something was queued or the queue closed.
    wake: Notify,
    /// How many `FrameQueue` clones exist.
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
    /// The writer took items and has not come back for more: it is writing them.
    writer_busy: bool,
    /// The connection's socket, for writing directly while the writer is idle; gone once the
    /// receiver is.
    socket: Option<Arc<OwnedWriteHalf>>,
    /// Why the server ended the connection, when it did so on purpose (a ban) rather than for
    /// slowness: the close frame the writer sends after the eviction. Boxed: almost every
    /// connection has none, and each connection's size counts.
    ending: Option<Box<Goodbye>>,
}

impl FrameQueue {
    /// A new frame queue whose waiting frames may weigh at most `limit_bytes` (a single item is
    /// always accepted into an empty queue, however large).
    pub fn new(limit_bytes: usize) -> (Self, FrameQueueReceiver) {
        let evicted = CancellationToken::new();
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            wake: Notify::new(),
            senders: AtomicUsize::new(1),
            limit_bytes,
            evicted: evicted.clone(),
        });
        (Self { shared: shared.clone() }, FrameQueueReceiver { shared, evicted })
    }

    /// Lets [`FrameQueue::push_all_unwritten`] write to `socket` directly while the writer is
    /// idle.
    pub fn write_directly_to(&self, socket: Arc<OwnedWriteHalf>) {
        self.shared.lock().socket = Some(socket);
    }

    /// Queues an already-encoded text frame. If the queue is full, the connection is marked
    /// evicted and the frame is not queued: the client will be disconnected, and it never
    /// sees a stream with a hole in it.
    pub fn push(&self, frame: Utf8Bytes) {
        self.push_outbound(Outbound::Text(frame));
    }

    /// Queues several encoded text frames as one item without waking the writer: the
    /// returned [`Unwritten`] does that, or writes them itself, when it is dropped. For a
    /// room's broadcast, which pushes under the hub's lock and writes after releasing it.
    /// `None` if the frames were not queued (the connection is ending or was just evicted).
    pub fn push_all_unwritten(&self, frames: SharedTexts) -> Option<Unwritten> {
        self.shared
            .queue_item(Outbound::Texts(frames))
            .then(|| Unwritten { shared: Some(self.shared.clone()) })
    }

    /// Queues a heartbeat ping (same rules as [`FrameQueue::push`]: a client too far behind to take
    /// one is evicted anyway).
    pub fn ping(&self) {
        self.push_outbound(Outbound::Ping);
    }

    /// Ends the connection now, whatever is queued, with `goodbye` as its close frame: the
    /// session stops reading requests at once (as for an eviction) and the writer drops what
    /// waits and says `goodbye`.
    pub fn end(&self, goodbye: Goodbye) {
        self.shared.lock().ending = Some(Box::new(goodbye));
        self.shared.evicted.cancel();
    }

    /// Whether the connection is ending: [`FrameQueue::end`] was called, or it was evicted.
    pub fn is_ending(&self) -> bool {
        self.shared.evicted.is_cancelled()
    }

    /// Queues the close frame that ends the connection (same rules as [`FrameQueue::push`]).
    pub fn close(&self, goodbye: Goodbye) {
        self.push_outbound(Outbound::Close(goodbye));
    }

    /// Queues bytes the WebSocket reader must send to the peer (same rules as
    /// [`FrameQueue::push`]).
    pub fn push_raw(&self, bytes: Bytes) {
        self.push_outbound(Outbound::Raw(bytes));
    }

    fn push_outbound(&self, item: Outbound) {
        if self.shared.queue_item(item) {
            self.shared.wake.notify_one();
        }
    }
}

/// Frames queued by [`FrameQueue::push_all_unwritten`] and not written yet. Dropping this writes
/// everything waiting straight to the socket if the writer is idle (no wake-up, no task
/// switch: in a big room that is most of what delivering costs), or wakes the writer.
#[derive(Debug)]
#[must_use = "the frames wait in the queue until this is dropped"]
pub struct Unwritten {
    /// `None` once what this was for is known to be taken care of.
    shared: Option<Arc<Shared>>,
}

impl Unwritten {
    /// Writes (or has the writer write) what is waiting; the same as dropping this.
    pub fn write_now(self) {}
}

impl Drop for Unwritten {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.take() {
            shared.write_or_wake();
        }
    }
}

/// Writes what several broadcasts queued, each connection's queue once.
///
/// Once a queue is written, everything queued in it by then is taken care of: written, or
/// left to its writer, which was woken for it or is busy and comes back for the queue. Every
/// [`Unwritten`] given here was made (after its frames were queued) before the call, so a
/// second one for a queue already written has nothing left to do and is let go. Without
/// this, a connection whose queue got a newer broadcast in the milliseconds the first writes
/// took was written twice; in a big room, a quarter of the writes were such second ones.
pub fn write_each_queue_once(batches: impl IntoIterator<Item = Vec<Unwritten>>) {
    // Queues by address: one that was let go here cannot be replaced by a new one at the same
    // address, since every queue named by the batches was alive when they were made.
    let mut written: HashSet<*const Shared> = HashSet::new();
    for mut unwritten in batches.into_iter().flatten() {
        let Some(shared) = unwritten.shared.take() else { continue };
        if written.insert(Arc::as_ptr(&shared)) {
            shared.write_or_wake();
        }
    }
}

impl Clone for FrameQueue {
    fn clone(&self) -> Self {
        self.shared.senders.fetch_add(1, Ordering::Relaxed);
        Self { shared: self.shared.clone() }
    }
}

impl Drop for FrameQueue {
    fn drop(&mut self) {
        if self.shared.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.shared.lock().closed = true;
            self.shared.wake.notify_one();
        }
    }
}

impl FrameQueueReceiver {
    /// The close frame the server chose when it ended the connection on purpose
    /// ([`FrameQueue::end`]); `None` after an eviction for slowness.
    pub fn ending(&self) -> Option<Goodbye> {
        self.shared.lock().ending.as_deref().cloned()
    }

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
            queue.writer_busy = false;
            return false;
        }
        queue.writer_busy = true;
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

impl Drop for FrameQueueReceiver {
    fn drop(&mut self) {
        let mut queue = self.shared.lock();
        queue.abandoned = true;
        queue.items.clear();
        queue.socket = None;
    }
}

thread_local! {
    /// The round of a direct write, kept per thread so that writing for a thousand members
    /// reuses one set of buffers.
    static DIRECT_ROUND: RefCell<RoundPlan> = RefCell::new(RoundPlan::default());
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds `item` to the queue; false if it was not added: the session is already ending and
    /// no longer reads its queue (nothing is lost that the client could still have received),
    /// or the queue is full and the connection is now evicted (the client will be
    /// disconnected, and it never sees a stream with a hole in it).
    fn queue_item(&self, item: Outbound) -> bool {
        let weight = item.weight();
        let mut queue = self.lock();
        if queue.abandoned {
            return false;
        }
        if !queue.items.is_empty() && queue.bytes + weight > self.limit_bytes {
            drop(queue);
            if !self.evicted.is_cancelled() {
                metrics::counter!(crate::metrics::names::OUTBOX_EVICTIONS).increment(1);
            }
            self.evicted.cancel();
            return false;
        }
        queue.bytes += weight;
        queue.items.push_back(item);
        true
    }

    /// Writes the waiting text frames to the socket now if the writer is idle and nothing but
    /// text waits; otherwise (or for whatever the socket does not take) wakes the writer. A
    /// busy writer comes back for the queue when its round is written, so it is left alone:
    /// writing around it could put frames out of order.
    fn write_or_wake(&self) {
        let mut guard = self.lock();
        let queue = &mut *guard;
        if queue.items.is_empty() || queue.writer_busy {
            return;
        }
        let only_text = queue.items.len() <= MAX_ITEMS_PER_ROUND
            && queue
                .items
                .iter()
                .all(|item| matches!(item, Outbound::Text(_) | Outbound::Texts(_)));
        if only_text && let Some(socket) = queue.socket.take() {
            let all_written =
                DIRECT_ROUND.with_borrow_mut(|round| write_directly(&socket, queue, round));
            queue.socket = Some(socket);
            if all_written {
                return;
            }
        }
        drop(guard);
        self.wake.notify_one();
    }
}

/// Writes every item of `queue` to `socket` in one `writev` without waiting. True if the
/// socket took all of it. Otherwise what it did not take stays first in the queue: the items
/// themselves if nothing was written, or else a copy of the bytes left (rare: the socket's
/// buffer filled mid-write).
fn write_directly(socket: &OwnedWriteHalf, queue: &mut Queue, round: &mut RoundPlan) -> bool {
    round.start(queue.items.drain(..));
    let mut slices = round.slices();
    let total: usize = slices.iter().map(|slice| slice.len()).sum();
    // Any error (usually "would block") counts as nothing written: the writer tries again,
    // and meets and reports a real error itself.
    let written = if slices.len() <= MAX_SLICES_PER_WRITE {
        socket.try_write_vectored(&slices).unwrap_or(0)
    } else {
        0
    };
    if written == 0 {
        drop(slices);
        for item in round.take_items().into_iter().rev() {
            queue.items.push_front(item);
        }
        return false;
    }
    let left = (written < total).then(|| {
        let mut rest: &mut [IoSlice<'_>] = &mut slices;
        IoSlice::advance_slices(&mut rest, written);
        Bytes::from(rest.iter().flat_map(|slice| slice.iter().copied()).collect::<Vec<u8>>())
    });
    drop(slices);
    for item in round.take_items() {
        queue.bytes = queue.bytes.saturating_sub(item.weight());
    }
    let Some(left) = left else {
        queue.items.shrink_to(KEPT_CAPACITY);
        return true;
    };
    let item = Outbound::Raw(left);
    queue.bytes += item.weight();
    queue.items.push_front(item);
    false
}

#[cfg(test)]
mod tests;
