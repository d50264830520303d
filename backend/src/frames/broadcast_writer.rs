//! The thread that writes rooms' broadcasts to their members' sockets.
//!
//! Writing one batch of a room of a thousand takes milliseconds of CPU. Done in tokio tasks,
//! those milliseconds kept the runtime's workers from polling for new requests: beside the
//! fanout benchmark, a third of history requests waited 4 to 12 ms before the server even
//! read them (tokio looks for IO only between tasks, every 61 task polls or when it runs out
//! of tasks). On a thread of its own, the bulk writing is what waits: the kernel lets a worker
//! woken by a request run in between, and the workers stay free for requests.
//!
//! A big room's writes also gather here. Each write to a member's socket costs about the same
//! however many messages it carries (on loopback, most of it is the kernel's work per call),
//! so while big rooms' messages come often (more than `busy_from` a second lately, as their
//! publisher notes them: [`BroadcastWriter::note_broadcast`]; the batches this thread sees
//! cannot tell, since while a room's batch waits its next messages join it in the members'
//! queues and hand nothing over), once one has been written the next waits until `gather` has passed since: meanwhile the room's new
//! messages pile up in each member's queue, and one write carries them all. A quiet big room's
//! messages go at once (at 20 a second, the 30 ms window had put the median delivery at 28 ms
//! instead of 13); small rooms never wait. The
//! senders are not held up: their acknowledgements are written by their own connections.
//!
//! Every write still goes through the member's queue ([`Unwritten`]), so a member's own writer
//! and this thread never overtake each other, and nothing waits here that the member's writer
//! could not write earlier (anything it is woken for, it writes together with what waits).

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tracing::warn;

use super::event_rate::EventRate;
use super::frame_queue::{Unwritten, write_each_queue_once};
use crate::metrics::names::DELIVERY_LAG;

/// A handle to the writing thread; the thread ends when every handle is gone.
#[derive(Debug, Clone)]
pub struct BroadcastWriter {
    batches: mpsc::Sender<Handed>,
    /// Big rooms' messages broadcast lately, noted by the publisher, read by the thread.
    pace: Arc<Pace>,
    /// A broadcast to this many members or more is a big room's.
    big_from: usize,
}

/// A broadcast's writes, with when they were handed over (for the delivery-lag metric) and
/// what they carry.
type Handed = (Instant, Vec<Unwritten>, News);

/// What a broadcast carries: each kind gathers while big rooms are busy with that kind, so
/// a storm of joins does not hold up a quiet room's messages after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum News {
    Messages,
    Presence,
}

impl BroadcastWriter {
    /// Starts the thread. A broadcast to at least `big_from` members is a big room's: while
    /// more than `busy_from` of those come a second, they are written at most once per
    /// `gather` (zero: always at once). The numbers are the delivery's gathering policy
    /// ([`crate::delivery::gathering`]). If the thread cannot be started, broadcasts are
    /// written by their caller.
    pub fn start(gather: Duration, big_from: usize, busy_from: f64) -> Self {
        let (batches, queue) = mpsc::channel::<Handed>();
        let pace = Arc::new(Pace {
            big_room_messages: Mutex::default(),
            big_room_presence: Mutex::default(),
            busy_from,
        });
        let thread_pace = pace.clone();
        let started = std::thread::Builder::new()
            .name("broadcast-writer".to_owned())
            .spawn(move || write_loop(&queue, gather, big_from, &thread_pace));
        if let Err(error) = started {
            // The receiver is gone with the closure: `write` falls back to writing inline.
            warn!(%error, "cannot start the broadcast writer thread; writing inline");
        }
        Self { batches, pace, big_from }
    }

    /// Whether a room of `members` is a big one, whose broadcasts gather while busy.
    pub fn is_big(&self, members: usize) -> bool {
        members >= self.big_from
    }

    /// Whether big rooms' messages came faster than `busy_from` a second lately: then their
    /// writes gather here, and the committer lets their commits gather too (one estimate for
    /// both: `crate::delivery::gathering`).
    pub fn big_rooms_busy(&self) -> bool {
        self.pace.busy(News::Messages, Instant::now())
    }

    /// Notes that `messages` were broadcast to a room of `members` (whether or not they had
    /// anything to hand over here): big rooms' writes gather while they come fast.
    pub fn note_broadcast(&self, members: usize, messages: usize) {
        if self.is_big(members) {
            self.pace.add(News::Messages, messages);
        }
    }

    /// Writes what a broadcast of messages queued, on the writing thread (here, if it is not
    /// running).
    pub fn write(&self, unwritten: Vec<Unwritten>) {
        self.hand_over(unwritten, News::Messages);
    }

    /// Writes what a presence broadcast (`user_joined`, `user_left`) to a room of `members`
    /// queued, as [`BroadcastWriter::write`] does; while big rooms' presence changes fast (a
    /// storm of joins), it gathers.
    pub fn write_presence(&self, members: usize, unwritten: Vec<Unwritten>) {
        if self.is_big(members) {
            self.pace.add(News::Presence, 1);
        }
        self.hand_over(unwritten, News::Presence);
    }

    fn hand_over(&self, unwritten: Vec<Unwritten>, news: News) {
        if unwritten.is_empty() {
            return;
        }
        if let Err(mpsc::SendError(handed)) = self.batches.send((Instant::now(), unwritten, news)) {
            write(handed);
        }
    }
}

/// Whether big rooms are busy: their messages lately, against the rate they gather from.
#[derive(Debug)]
struct Pace {
    big_room_messages: Mutex<EventRate>,
    big_room_presence: Mutex<EventRate>,
    busy_from: f64,
}

impl Pace {
    fn rate(&self, news: News) -> &Mutex<EventRate> {
        match news {
            News::Messages => &self.big_room_messages,
            News::Presence => &self.big_room_presence,
        }
    }

    fn add(&self, news: News, events: usize) {
        let mut rate = self.rate(news).lock().unwrap_or_else(PoisonError::into_inner);
        rate.add(events, Instant::now());
    }

    fn busy(&self, news: News, now: Instant) -> bool {
        let rate = self.rate(news).lock().unwrap_or_else(PoisonError::into_inner);
        rate.per_second(now) > self.busy_from
    }
}

/// The thread's loop: small batches are written as they come; big ones (to `big_from`
/// members or more) too while big rooms are quiet, and at most once per `gather` while they
/// are busy, all that waited together. Ends (writing what waits) when every handle is gone.
fn write_loop(queue: &mpsc::Receiver<Handed>, gather: Duration, big_from: usize, pace: &Pace) {
    let mut waiting: Vec<Handed> = Vec::new();
    // When the big batches that wait are due; `None` while none wait.
    let mut due: Option<Instant> = None;
    let mut last_big_write: Option<Instant> = None;
    loop {
        let next = match due {
            None => queue.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(due) => queue.recv_timeout(due.saturating_duration_since(Instant::now())),
        };
        match next {
            Ok(batch) if gather.is_zero() || batch.1.len() < big_from => write(batch),
            Ok(batch) => {
                let now = Instant::now();
                let ready_at = match last_big_write {
                    Some(last) if pace.busy(batch.2, now) => last + gather,
                    _ => now,
                };
                if due.is_none() && ready_at <= now {
                    write(batch);
                    last_big_write = Some(now);
                } else {
                    due.get_or_insert(ready_at);
                    waiting.push(batch);
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                write_waiting(&mut waiting);
                due = None;
                last_big_write = Some(Instant::now());
            }
            Err(RecvTimeoutError::Disconnected) => {
                write_waiting(&mut waiting);
                return;
            }
        }
    }
}

fn write((handed_at, batch, _): Handed) {
    batch.into_iter().for_each(Unwritten::write_now);
    record_lag(handed_at);
}

/// Writes the big rooms' batches that waited, each queue once.
fn write_waiting(waiting: &mut Vec<Handed>) {
    let handed: Vec<Instant> = waiting.iter().map(|(at, _, _)| *at).collect();
    write_each_queue_once(waiting.drain(..).map(|(_, batch, _)| batch));
    handed.into_iter().for_each(record_lag);
}

fn record_lag(handed_at: Instant) {
    metrics::histogram!(DELIVERY_LAG).record(handed_at.elapsed().as_secs_f64());
}

#[cfg(test)]
mod tests {
    use tungstenite::{Message, Utf8Bytes};

    use super::*;
    use crate::frames::frame_queue::{FrameQueue, FrameQueueReceiver};
    use crate::frames::frame_writer::tests::{Client, next, socket_and_client};
    use crate::frames::wire::SharedTexts;

    async fn member() -> (FrameQueue, FrameQueueReceiver, Client) {
        let (socket, client) = socket_and_client().await;
        let (frame_queue, receiver) = FrameQueue::new(1 << 20);
        frame_queue.write_directly_to(socket);
        (frame_queue, receiver, client)
    }

    fn queue(members: &[&FrameQueue], text: &'static str) -> Vec<Unwritten> {
        let frames = SharedTexts::new(vec![Utf8Bytes::from_static(text)]);
        members
            .iter()
            .filter_map(|frame_queue| frame_queue.push_all_unwritten(frames.clone()))
            .collect()
    }

    #[tokio::test]
    async fn a_busy_big_rooms_batches_wait_for_the_gather_and_small_ones_never_wait() {
        let gather = Duration::from_millis(300);
        // Batches to two members or more are a big room's here, busy from 3 messages a second
        // lately (after the first, 2 a second; after the second, 4).
        let writer = BroadcastWriter::start(gather, 2, 3.0);
        let (alice, _alice_queue, mut alice_reads) = member().await;
        let (bob, _bob_queue, mut bob_reads) = member().await;
        let (carol, _carol_queue, mut carol_reads) = member().await;
        let started = Instant::now();

        writer.note_broadcast(2, 1);
        writer.write(queue(&[&alice, &bob], "first"));
        assert_eq!(next(&mut alice_reads).await, Message::text("first"));
        assert_eq!(next(&mut bob_reads).await, Message::text("first"));
        assert!(started.elapsed() < gather, "a quiet big room's batch goes at once");

        writer.note_broadcast(2, 1);
        writer.write(queue(&[&alice, &bob], "second"));
        writer.note_broadcast(2, 1);
        writer.write(queue(&[&alice, &bob], "third"));
        writer.note_broadcast(1, 1);
        writer.write(queue(&[&carol], "small"));
        assert_eq!(next(&mut carol_reads).await, Message::text("small"));
        assert!(started.elapsed() < gather, "a small room's batch never waits");

        for reads in [&mut alice_reads, &mut bob_reads] {
            assert_eq!(next(reads).await, Message::text("second"));
            assert!(started.elapsed() >= gather, "the next big batch waits for the gather");
            assert_eq!(next(reads).await, Message::text("third"));
        }
    }

    #[tokio::test]
    async fn a_quiet_big_rooms_batches_go_at_once_even_within_the_gather() {
        let gather = Duration::from_millis(300);
        // Never busy at the rates of this test.
        let writer = BroadcastWriter::start(gather, 2, 1_000.0);
        let (alice, _alice_queue, mut alice_reads) = member().await;
        let (bob, _bob_queue, mut bob_reads) = member().await;
        let started = Instant::now();
        for text in ["first", "second", "third"] {
            writer.note_broadcast(2, 1);
            writer.write(queue(&[&alice, &bob], text));
            assert_eq!(next(&mut alice_reads).await, Message::text(text));
            assert_eq!(next(&mut bob_reads).await, Message::text(text));
        }
        assert!(started.elapsed() < gather, "none waited for the gather");
    }
}
