//! The delivery: one message's way from a sender to every member, in one room.
//!
//! ```text
//! session --append--> committer  (one task per node: a batch of appends, one transaction,
//!                        |        each message with its room's next sequence number)
//!                        +--> publish  (in seq order: the hub's members here, the bus for
//!                        |             the other nodes)
//!                        +--> ack      (each sender's answer, after its message is
//!                                      published, so no ack overtakes earlier messages)
//! ```
//!
//! All the gathering policy of this path (how long commits and broadcast writes may wait for
//! company) is in [`gathering`]. The store only persists and reads; the hub only orders and
//! fans out; this room decides when, and in which order, the two are asked.

pub mod committer;
pub mod gathering;
pub mod publish;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use common::ChatMessage;
use tokio::sync::{mpsc, oneshot};

use self::committer::AppendRequest;
use self::gathering::Gathering;
use crate::frames::broadcast_writer::BroadcastWriter;
use crate::store::{Appended, NewMessage, Store, StoreError};

/// Appends that may wait for the committer; senders wait (briefly) when it is full.
const QUEUE_CAPACITY: usize = 4_096;

/// Called by the committer with the messages each transaction stored anew, in sequence order;
/// returns how many deliveries that made (messages times the members they reached).
pub type Publish = Arc<dyn Fn(&[ChatMessage]) -> usize + Send + Sync>;

/// A cheap, cloneable handle for appending messages.
#[derive(Debug, Clone)]
pub struct Delivery {
    appends: mpsc::Sender<AppendRequest>,
}

impl Delivery {
    /// Starts the committer on `store`, which hands what it stores to `publish` and gathers
    /// by `gathering` while the hub's `broadcasts` say big rooms are busy.
    pub fn start(
        store: Store,
        publish: Publish,
        gathering: Gathering,
        broadcasts: BroadcastWriter,
    ) -> Self {
        let (appends, queue) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(committer::run(store, queue, publish, gathering, broadcasts));
        Self { appends }
    }

    /// Stores `message` (or finds the original with the same room and client id); a new one
    /// is published before this returns.
    pub async fn append(&self, message: NewMessage) -> Result<Appended, StoreError> {
        self.submit(message).await?.await
    }

    /// Hands `message` to the committer (waiting only while its queue is full) and returns
    /// at once: the answer comes when the message is stored and published. Messages submitted
    /// one after another are stored in that order, so a connection may have many in flight.
    pub async fn submit(&self, message: NewMessage) -> Result<PendingAppend, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.appends
            .send(AppendRequest { message, reply })
            .await
            .map_err(|_| StoreError::Closed)?;
        Ok(PendingAppend { answer })
    }
}

/// A submitted append's answer, to come (a future: stored and published, or why not).
#[derive(Debug)]
pub struct PendingAppend {
    answer: oneshot::Receiver<Result<Appended, StoreError>>,
}

impl Future for PendingAppend {
    type Output = Result<Appended, StoreError>;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.answer)
            .poll(context)
            .map(|answer| answer.unwrap_or(Err(StoreError::Closed)))
    }
}
