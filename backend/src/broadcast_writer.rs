//! The thread that writes rooms' broadcasts to their members' sockets.
//!
//! Writing one batch of a room of a thousand takes milliseconds of CPU. Done in tokio tasks,
//! those milliseconds kept the runtime's workers from polling for new requests: beside the
//! fanout benchmark, a third of history requests waited 4 to 12 ms before the server even
//! read them (tokio looks for IO only between tasks, every 61 task polls or when it runs out
//! of tasks). On a thread of its own, the bulk writing is what waits: the kernel lets a worker
//! woken by a request run in between, and the workers stay free for requests.
//!
//! One thread keeps each batch's writes in the order the hub queued them and costs one
//! hand-off per batch, where tasks cost a spawn per 64 members. Every write still goes through
//! the member's queue ([`Unwritten`]), so a member's own writer and this thread never overtake
//! each other.

use std::sync::mpsc;

use tracing::warn;

use crate::outbox::Unwritten;

/// A handle to the writing thread; the thread ends when every handle is gone.
#[derive(Debug, Clone)]
pub struct BroadcastWriter {
    batches: mpsc::Sender<Vec<Unwritten>>,
}

impl BroadcastWriter {
    /// Starts the thread. If it cannot be started, broadcasts are written by their caller.
    pub fn start() -> Self {
        let (batches, queue) = mpsc::channel::<Vec<Unwritten>>();
        let started =
            std::thread::Builder::new().name("broadcast-writer".to_owned()).spawn(move || {
                for batch in queue {
                    batch.into_iter().for_each(Unwritten::write_now);
                }
            });
        if let Err(error) = started {
            // The receiver is gone with the closure: `write` falls back to writing inline.
            warn!(%error, "cannot start the broadcast writer thread; writing inline");
        }
        Self { batches }
    }

    /// Writes what a broadcast queued, on the writing thread (here, if it is not running).
    pub fn write(&self, unwritten: Vec<Unwritten>) {
        if unwritten.is_empty() {
            return;
        }
        if let Err(mpsc::SendError(unwritten)) = self.batches.send(unwritten) {
            unwritten.into_iter().for_each(Unwritten::write_now);
        }
    }
}
