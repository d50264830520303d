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

use std::sync::Arc;

use common::ChatMessage;
use tokio::sync::{mpsc, oneshot};

use self::committer::AppendRequest;
use self::gathering::Gathering;
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
    /// by `gathering`.
    pub fn start(store: Store, publish: Publish, gathering: Gathering) -> Self {
        let (appends, queue) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(committer::run(store, queue, publish, gathering));
        Self { appends }
    }

    /// Stores `message` (or finds the original with the same room and client id); a new one
    /// is published before this returns.
    pub async fn append(&self, message: NewMessage) -> Result<Appended, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.appends
            .send(AppendRequest { message, reply })
            .await
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }
}
