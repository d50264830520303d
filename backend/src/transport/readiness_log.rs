//! What `/readyz` answered last, so it logs when its answer changes rather than on every
//! check (a load balancer asks every few seconds).

use std::sync::{Arc, Mutex, PoisonError};

use tracing::{info, warn};

/// The last answer of `/readyz`, so it logs when the answer changes, not on every check.
#[derive(Debug, Clone, Default)]
pub struct ReadinessLog {
    /// Whether the last check found the node ready (`None` before the first).
    last: Arc<Mutex<Option<bool>>>,
}

impl ReadinessLog {
    /// Logs `report` if the node turned unready (a warning) or ready again (a line).
    pub fn log_change(&self, ready: bool, report: &str) {
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if *last == Some(ready) {
            return;
        }
        match (ready, *last) {
            (false, _) => warn!(%report, "not ready"),
            (true, Some(false)) => info!(%report, "ready again"),
            (true, _) => {}
        }
        *last = Some(ready);
    }
}
