//! What every request handler can reach.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::connection_limit::ConnectionLimit;
use super::origin::OriginPolicy;
use super::readiness_log::ReadinessLog;
use crate::cluster::bus::Bus;
use crate::session::{Services, SessionSettings};

/// The handlers' shared state. Cheap to clone: handles around shared state.
#[derive(Debug, Clone)]
pub struct AppState {
    /// What each session works with, shared by all of them.
    pub services: Arc<Services>,
    /// The other nodes, if any (for `/readyz`).
    pub bus: Bus,
    /// Cancelled once, when the server starts shutting down.
    pub shutdown: CancellationToken,
    /// Every live session, so shutdown can wait for their goodbyes.
    pub sessions: TaskTracker,
    pub session_settings: SessionSettings,
    /// Which pages may open a WebSocket.
    pub origins: OriginPolicy,
    /// Open connections per address.
    pub connection_limit: ConnectionLimit,
    /// What `/readyz` answered last.
    pub readiness: ReadinessLog,
}
