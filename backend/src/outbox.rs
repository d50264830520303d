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
//!
//! A room's broadcast need not wake the writer at all: [`Outbox::push_all_unwritten`] queues
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

use crate::frame_writer::{MAX_ITEMS_PER_ROUND, MAX_SLICES_PER_WRITE, RoundPlan, text_frames};

/// One item for the writer: a text frame, several text frames that go out together, a
/// heartbeat ping, the close frame that ends the connection, or a frame the WebSocket reader
/// owes the peer (a pong, or the answer to its close), already encoded.
#[derive(Debug)]
pub enum Outbound {
    Text(Utf8Bytes),
    /// A room's messages stored in one batch, shared by every member: one write for all of
    /// them.
    Texts(SharedTexts),
    Ping,
    Close(Goodbye),
    Raw(Bytes),
}

/// Encoded text frames shared by every member of a room (cheap to clone): the texts, the
/// frames as they go on the wire (each text behind its frame header, back to back), and what
/// they weigh against a queue's bound. All computed once per batch rather than once per
/// member: a member's write hands the kernel one buffer for the whole batch.
#[derive(Debug, Clone)]
pub struct SharedTexts {
    texts: Arc<[Utf8Bytes]>,
    wire: Bytes,
    weight: usize,
}

impl SharedTexts {
    pub fn new(texts: Vec<Utf8Bytes>) -> Self {
        let weight = texts.iter().map(|text| text.len() + FRAME_OVERHEAD_BYTES).sum();
        let wire = Bytes::from(text_frames(&texts));
        Self { texts: texts.into(), wire, weight }
    }

    pub fn texts(&self) -> &[Utf8Bytes] {
        &self.texts
    }

    /// The frames, headers included, exactly as they are written.
    pub fn wire(&self) -> &[u8] {
        &self.wire
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
    /// The writer took items and has not come back for more: it is writing them.
    writer_busy: bool,
    /// The connection's socket, for writing directly while the writer is idle; gone once the
    /// receiver is.
    socket: Option<Arc<OwnedWriteHalf>>,
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

    /// Lets [`Outbox::push_all_unwritten`] write to `socket` directly while the writer is
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
        if self.shared.queue_item(item) {
            self.shared.wake.notify_one();
        }
    }
}

/// Frames queued by [`Outbox::push_all_unwritten`] and not written yet. Dropping this writes
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

impl Drop for OutboxReceiver {
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
mod tests {
    use super::*;
    use crate::frame_writer::FrameWriter;
    use crate::frame_writer::tests::{Client, next, socket_and_client};

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

    /// An outbox that writes directly to one end of a TCP connection, the writer of that
    /// connection, and a tungstenite client reading the other end.
    async fn connected() -> (Outbox, OutboxReceiver, FrameWriter, Client) {
        let (socket, reader) = socket_and_client().await;
        let (outbox, receiver) = Outbox::new(64 << 20);
        outbox.write_directly_to(socket.clone());
        (outbox, receiver, FrameWriter::new(socket), reader)
    }

    async fn next_text(reader: &mut Client) -> String {
        match next(reader).await {
            tungstenite::Message::Text(text) => text.as_str().to_owned(),
            other => panic!("expected a text frame, got {other:?}"),
        }
    }

    fn texts(texts: &[&str]) -> SharedTexts {
        SharedTexts::new(texts.iter().map(|text| Utf8Bytes::from(text.to_string())).collect())
    }

    #[tokio::test]
    async fn an_idle_writer_leaves_the_writing_to_the_pusher() {
        let (outbox, mut receiver, _writer, mut reader) = connected().await;
        outbox.push_all_unwritten(texts(&["one", "two"])).expect("queued").write_now();
        assert!(drain(&mut receiver).is_empty(), "written, not left for the writer");
        assert_eq!(next_text(&mut reader).await, "one");
        assert_eq!(next_text(&mut reader).await, "two");
    }

    #[tokio::test]
    async fn broadcasts_written_together_write_each_queue_once() {
        let (alice, mut alice_queue, _alice_writer, mut alice_reads) = connected().await;
        let (bob, _bob_queue, _bob_writer, mut bob_reads) = connected().await;
        let first = vec![
            alice.push_all_unwritten(texts(&["one"])).expect("queued"),
            bob.push_all_unwritten(texts(&["one"])).expect("queued"),
        ];
        let second = vec![
            alice.push_all_unwritten(texts(&["two"])).expect("queued"),
            bob.push_all_unwritten(texts(&["two"])).expect("queued"),
        ];
        let mut late = None;
        // A newer broadcast reaches alice's queue while the first writes are under way.
        let batches = [first, second].into_iter().enumerate().map(|(at, batch)| {
            if at == 1 {
                late = alice.push_all_unwritten(texts(&["late"]));
            }
            batch
        });
        write_each_queue_once(batches);
        for reads in [&mut alice_reads, &mut bob_reads] {
            assert_eq!(next_text(reads).await, "one");
            assert_eq!(next_text(reads).await, "two");
        }
        let waiting = drain(&mut alice_queue);
        assert_eq!(waiting.len(), 1, "alice's queue was not written a second time");
        drop(late);
    }

    #[tokio::test]
    async fn a_busy_writer_is_not_overtaken() {
        let (outbox, mut receiver, _writer, _reader) = connected().await;
        outbox.push(Utf8Bytes::from_static("first"));
        let mut taken = Vec::new();
        assert!(receiver.try_recv_many(&mut taken, 1)); // the writer is writing "first"
        outbox.push_all_unwritten(texts(&["second"])).expect("queued").write_now();
        assert_eq!(drain(&mut receiver).len(), 1, "left for the writer, after its round");
    }

    #[tokio::test]
    async fn what_the_socket_does_not_take_is_written_whole_by_the_writer() {
        let (outbox, mut receiver, mut writer, mut reader) = connected().await;
        // Far more than a socket buffer takes, so the direct write stops part way.
        let large = "x".repeat(16 << 20);
        outbox.push_all_unwritten(texts(&[&large, "after"])).expect("queued").write_now();
        let left = drain(&mut receiver);
        assert!(matches!(left.first(), Some(Outbound::Raw(_))), "the rest waits as bytes");
        let writing = async move {
            writer.start_round(left);
            writer.finish_round().await.expect("written");
            writer
        };
        let reading = async {
            assert_eq!(next_text(&mut reader).await.len(), large.len());
            assert_eq!(next_text(&mut reader).await, "after");
        };
        let (_writer, ()) = tokio::join!(writing, reading);
    }
}
