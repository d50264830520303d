//! The committer: the one task per node that stores appends and publishes what it stored.
//!
//! It takes every append waiting in its bounded queue (up to [`MAX_APPENDS_PER_COMMIT`]),
//! stores them in one transaction (group commit: one fsync for the batch), and only then
//! publishes each new message, in sequence order, and answers each sender. So a message is acknowledged and
//! broadcast only once it is durably stored, and the room's sequence numbers are assigned in
//! the same transaction that saves the message.

use std::time::Instant;

use common::ChatMessage;
use tokio::sync::{mpsc, oneshot};
use tracing::error;

use super::Publish;
use super::gathering::Gathering;
use crate::frames::broadcast_writer::BroadcastWriter;
use crate::metrics::names;
use crate::store::{Appended, NewMessage, Store, StoreError};

/// The most appends stored in one transaction.
pub const MAX_APPENDS_PER_COMMIT: usize = 256;

/// One sender's append, with where its answer goes.
#[derive(Debug)]
pub struct AppendRequest {
    pub message: NewMessage,
    pub reply: oneshot::Sender<Result<Appended, StoreError>>,
}

/// Batches appends into transactions until every sender of the queue is gone.
pub async fn run(
    store: Store,
    mut queue: mpsc::Receiver<AppendRequest>,
    publish: Publish,
    gathering: Gathering,
    broadcasts: BroadcastWriter,
) {
    let mut batch = Vec::with_capacity(MAX_APPENDS_PER_COMMIT);
    while queue.recv_many(&mut batch, MAX_APPENDS_PER_COMMIT).await > 0 {
        let mut deliveries = 0;
        let arrived_together = batch.len() > 1;
        let messages: Vec<&NewMessage> = batch.iter().map(|request| &request.message).collect();
        let started = Instant::now();
        let stored = store.store_batch(&messages).await;
        metrics::histogram!(names::STORE_COMMIT).record(started.elapsed().as_secs_f64());
        metrics::histogram!(names::STORE_BATCH_SIZE).record(messages.len() as f64);
        match stored {
            Ok(outcomes) => {
                let stored: Vec<ChatMessage> = outcomes
                    .iter()
                    .filter_map(|outcome| match outcome {
                        Ok(Appended::New(message)) => Some(message.clone()),
                        _ => None,
                    })
                    .collect();
                // Published before any sender hears back, so a sender's acknowledgement never
                // overtakes the messages stored before its own.
                if !stored.is_empty() {
                    deliveries = publish(&stored);
                    metrics::counter!(names::MESSAGES_STORED).increment(stored.len() as u64);
                    metrics::counter!(names::DELIVERIES).increment(deliveries as u64);
                }
                for (request, outcome) in batch.drain(..).zip(outcomes) {
                    // The sender may have gone (its connection closed); the message is stored
                    // all the same and it will find it in the history.
                    let _ = request.reply.send(outcome);
                }
            }
            Err(failure) => {
                error!(error = %failure, size = batch.len(), "storing a batch failed");
                for request in batch.drain(..) {
                    // As above: a sender that left needs no answer.
                    let _ = request.reply.send(Err(StoreError::BatchFailed(failure.to_string())));
                }
            }
        }
        let wait =
            gathering.after_commit(deliveries, arrived_together, broadcasts.big_rooms_busy());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}
