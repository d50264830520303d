//! Retention (`--retain-days`): the periodic task that removes messages older than the
//! operator keeps them, from the store and from the hub's memory of the latest ones.
//!
//! It runs at startup and then every [`EVERY`], removing at most [`BATCH`] entries per room per
//! transaction with a short pause between batches: the committer's transactions, which share
//! the store's write connection, take their turns in between, so sends are never blocked for
//! long however much there is to remove (the first run on a store that was never trimmed may
//! have years of it). What is removed and why only a room's first entries go: see
//! `store::retention`. With several nodes each runs the task; a batch another node removed
//! first counts 0 here.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::hub::Hub;
use crate::metrics::names;
use crate::store::{Store, now_millis};

/// How often the task looks for messages to remove.
const EVERY: Duration = Duration::from_secs(10 * 60);

/// The most entries removed from one room in one transaction.
const BATCH: u32 = 500;

/// The pause between two batches, for the committer's transactions.
const PAUSE: Duration = Duration::from_millis(20);

/// Milliseconds in a day.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Removes messages older than `days` days now and every [`EVERY`] until `shutdown`.
pub async fn run(days: u32, store: Store, hub: Hub, shutdown: CancellationToken) {
    loop {
        tokio::select! {
            () = remove_old(days, &store, &hub) => {}
            () = shutdown.cancelled() => return,
        }
        tokio::select! {
            () = tokio::time::sleep(EVERY) => {}
            () = shutdown.cancelled() => return,
        }
    }
}

/// One pass: removes, batch by batch, every entry older than `days` days at a room's start.
async fn remove_old(days: u32, store: &Store, hub: &Hub) {
    let cutoff = now_millis().saturating_sub(i64::from(days).saturating_mul(DAY_MS));
    // The hub first: a page from memory must not show what the store no longer has. Pages read
    // from the store meanwhile still hold the old messages, as they would have a moment ago.
    hub.forget_sent_before(cutoff);
    let mut removed = 0;
    loop {
        match store.remove_sent_before(cutoff, BATCH).await {
            Ok(0) => break,
            Ok(count) => {
                removed += count;
                metrics::counter!(names::MESSAGES_REMOVED).increment(count);
                tokio::time::sleep(PAUSE).await;
            }
            Err(error) => {
                // The next pass tries again; what was removed so far stays removed.
                warn!(%error, removed, "retention could not remove old messages");
                return;
            }
        }
    }
    if removed > 0 {
        info!(removed, days, "retention removed old messages");
    }
}
