//! Indexing the backlog for search: at start-up, the messages stored before search existed
//! (or imported since the last start) get their words indexed, oldest first, a batch per
//! transaction with a short pause between, so sends take their turns. Searching works
//! meanwhile and finds what is indexed so far. With several nodes each runs it; rows another
//! node is indexing are skipped.

use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::metrics::names;
use crate::store::Store;

/// The pause between two batches, for the committer's transactions.
const PAUSE: Duration = Duration::from_millis(20);

/// After a store failure, the wait before trying again.
const RETRY: Duration = Duration::from_secs(5);

/// Indexes the whole backlog, then ends (or at `shutdown`).
pub async fn run(store: Store, shutdown: CancellationToken) {
    let pending = metrics::gauge!(names::SEARCH_BACKLOG_PENDING);
    pending.set(1.0);
    let started = Instant::now();
    let mut indexed = 0;
    loop {
        let pause = match store.index_backlog().await {
            Ok(0) => break,
            Ok(count) => {
                indexed += count;
                PAUSE
            }
            Err(error) => {
                warn!(%error, "indexing old messages for search failed; trying again");
                RETRY
            }
        };
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            () = shutdown.cancelled() => return,
        }
    }
    pending.set(0.0);
    if indexed > 0 {
        if let Err(error) = store.backlog_indexed().await {
            warn!(%error, "updating the planner's statistics after indexing failed");
        }
        info!(
            indexed,
            seconds = started.elapsed().as_secs_f64(),
            "indexed older messages for search"
        );
    }
}
