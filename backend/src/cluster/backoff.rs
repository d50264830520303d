//! How long to wait before trying Redis again after a failure: doubling from 100 ms up to 2 s,
//! each wait drawn between half and all of it (half jitter: `common::Backoff`'s rule), so a
//! node whose Redis is gone makes about one attempt a second per link, several nodes do not
//! retry in step, and a node finds Redis again within 2 s of its return (every second of that
//! is a second of the others not hearing it: at the node TTL they take it for dead).

use std::time::Duration;

use common::{BackoffRule, Jitter};

const REDIS: BackoffRule = BackoffRule::doubling(100.0, 2_000.0, Jitter::Half);

/// The waits of one outage; [`Backoff::reset`] when Redis answers again.
#[derive(Debug)]
pub struct Backoff(common::Backoff);

impl Default for Backoff {
    fn default() -> Self {
        Self(common::Backoff::new(REDIS))
    }
}

impl Backoff {
    /// The wait after one more failure.
    pub fn next_delay(&mut self) -> Duration {
        // The rule does not depend on when: the outage's age plays no part in it.
        Duration::from_secs_f64(self.0.next_delay_ms(fastrand::f64(), 0.0) / 1_000.0)
    }

    /// Failures since Redis last answered.
    pub fn failures(&self) -> u32 {
        self.0.failures()
    }

    /// Redis answered: the next outage starts from the first wait again.
    pub fn reset(&mut self) {
        self.0.reset();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_from_a_tenth_of_a_second_to_two_seconds_with_jitter() {
        let mut backoff = Backoff::default();
        let mut ceiling = Duration::from_millis(100);
        for _ in 0..12 {
            let delay = backoff.next_delay();
            assert!(delay >= ceiling / 2 && delay <= ceiling, "{delay:?} within {ceiling:?}");
            ceiling = (ceiling * 2).min(Duration::from_secs(2));
        }
        assert_eq!(backoff.failures(), 12);
        backoff.reset();
        assert!(backoff.next_delay() <= Duration::from_millis(100));
    }
}
