//! When this node last heard anything on its Redis channel, its own heartbeat included.
//!
//! Every node publishes a heartbeat every quarter of the node TTL and hears its own through its
//! subscription, so a channel that stays silent much longer than that means the link is gone,
//! even when TCP says nothing (a partition that drops packets instead of closing connections).
//! `/readyz` reads this instead of asking Redis, so it answers at once whatever Redis does, and
//! the subscriber resubscribes when its channel has gone silent.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The shortest silence taken for a lost link, however short the node TTL: a busy node's own
/// heartbeat may queue behind a batch of events for a moment.
const MIN_SILENCE: Duration = Duration::from_secs(3);

#[derive(Debug)]
pub struct Pulse {
    started: Instant,
    /// Milliseconds after `started` when the channel was last heard.
    last_heard_ms: AtomicU64,
    /// How long the channel may be silent before the link counts as lost.
    silence_limit: Duration,
    /// Two heartbeats: the channel heard within this is working right now.
    two_heartbeats: Duration,
}

impl Pulse {
    /// A pulse for heartbeats every `node_ttl / 4`: two missed (or [`MIN_SILENCE`]) mean lost.
    pub fn new(node_ttl: Duration) -> Self {
        Self {
            started: Instant::now(),
            last_heard_ms: AtomicU64::new(0),
            silence_limit: (node_ttl / 2).max(MIN_SILENCE),
            two_heartbeats: node_ttl / 2,
        }
    }

    /// Something arrived on the channel (or the subscription was just made).
    pub fn heard(&self) {
        let now = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_heard_ms.store(now, Ordering::Relaxed);
    }

    /// How long the channel has been silent.
    pub fn silent_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_heard_ms.load(Ordering::Relaxed));
        self.started.elapsed().saturating_sub(last)
    }

    /// How long a silence means the link is lost.
    pub fn silence_limit(&self) -> Duration {
        self.silence_limit
    }

    /// Whether the channel has been silent for longer than the limit.
    pub fn is_lost(&self) -> bool {
        self.silent_for() > self.silence_limit
    }

    /// Whether the channel was heard within two heartbeats: stricter than not [`Pulse::is_lost`]
    /// (no floor), for deciding that the other nodes' silence is theirs, not this node's.
    pub fn is_fresh(&self) -> bool {
        self.silent_for() <= self.two_heartbeats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_two_heartbeats_but_never_under_three_seconds() {
        assert_eq!(Pulse::new(Duration::from_secs(10)).silence_limit(), Duration::from_secs(5));
        assert_eq!(Pulse::new(Duration::from_millis(1500)).silence_limit(), MIN_SILENCE);
    }

    #[test]
    fn a_pulse_just_heard_is_not_lost() {
        let pulse = Pulse::new(Duration::from_secs(10));
        pulse.heard();
        assert!(pulse.silent_for() < Duration::from_secs(1));
        assert!(!pulse.is_lost());
        assert!(pulse.is_fresh());
    }
}
