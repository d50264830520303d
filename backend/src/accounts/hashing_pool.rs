//! The threads that hash passwords: a small pool of its own, beside the async runtime, whose
//! threads run at a lower CPU priority (nice 10). Argon2id is slow on purpose; on these threads
//! it takes the CPU the message delivery leaves idle, and yields it back as soon as delivery
//! needs it (Linux weighs a nice-10 thread at a tenth of a normal one). A burst of sign-ins then
//! waits a little longer instead of slowing every room: measured with `loadgen sign-ins`.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::oneshot;
use tracing::warn;

/// How much lower than the server's other threads the hashing threads run.
const NICENESS: i32 = 10;

type Job = Box<dyn FnOnce() + Send>;

/// A handle to the pool; cheap to clone. The threads end when the last handle is dropped.
#[derive(Debug, Clone)]
pub struct HashingPool {
    jobs: Sender<Job>,
}

impl HashingPool {
    /// Starts `threads` hashing threads.
    pub fn start(threads: usize) -> Self {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("password-hashing-{n}"))
                .spawn(move || run(&queue));
            if let Err(error) = spawned {
                warn!(%error, "could not start a password hashing thread");
            }
        }
        Self { jobs }
    }

    /// Runs `work` on a hashing thread and waits for its result; `None` if the pool is gone.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = answer.send(work());
        });
        self.jobs.send(job).ok()?;
        answered.await.ok()
    }
}

/// One thread: lowers its own priority, then takes jobs until the pool is dropped.
fn run(queue: &Mutex<Receiver<Job>>) {
    // On Linux `nice` changes the calling thread only. Without it the thread still hashes,
    // at normal priority.
    if let Err(error) = rustix::process::nice(NICENESS) {
        warn!(%error, "could not lower the priority of a password hashing thread");
    }
    loop {
        let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        match job {
            Ok(job) => job(),
            Err(_) => return, // every handle is gone
        }
    }
}
