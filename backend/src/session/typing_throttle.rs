//! A connection's `typing` events, thinned out per room.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::RoomName;

/// Drops `typing` events that come faster than [`common::TYPING_MIN_INTERVAL_MS`] per room, so
/// a flooding client costs its room members nothing.
#[derive(Debug, Default)]
pub struct TypingThrottle {
    /// When each room last relayed this connection's typing (one entry per room typed in).
    last_relayed: HashMap<RoomName, Instant>,
}

impl TypingThrottle {
    /// Whether a `typing` in `room` now is relayed (and, if so, counts as the latest).
    pub fn allow(&mut self, room: &RoomName) -> bool {
        let now = Instant::now();
        let interval = Duration::from_millis(common::TYPING_MIN_INTERVAL_MS);
        match self.last_relayed.get(room) {
            Some(last) if now.duration_since(*last) < interval => false,
            _ => {
                self.last_relayed.insert(room.clone(), now);
                true
            }
        }
    }
}
