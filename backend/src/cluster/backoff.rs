//! How long to wait before trying Redis again after a failure: doubling from 100 ms up to 2 s,
//! each wait drawn between half and all of it (jitter), so a node whose Redis is gone makes
//! about one attempt a second per link, several nodes do not retry in step, and a node finds
//! Redis again within 2 s of its return (every second of that is a second of the others not
//! hearing it: at the node TTL they take it for dead).

use std::time::Duration;

const FIRST: Duration = Duration::from_millis(100);
const CEILING: Duration = Duration::from_secs(2);

/// The waits of one outage; [`Backoff::reset`] when Redis answers again.
#[derive(Debug, Default)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    /// The wait after one more failure.
    pub fn next_delay(&mut self) -> Duration {
        let ceiling = FIRST.saturating_mul(1 << self.failures.min(16)).min(CEILING);
        self.failures = self.failures.saturating_add(1);
        let half = ceiling / 2;
        half + half.mul_f64(fastrand::f64())
    }

    /// Failures since Redis last answered.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Redis answered: the next outage starts from the first wait again.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_from_a_tenth_of_a_second_to_two_seconds_with_jitter() {
        let mut backoff = Backoff::default();
        let mut ceiling = FIRST;
        for _ in 0..12 {
            let delay = backoff.next_delay();
            assert!(delay >= ceiling / 2 && delay <= ceiling, "{delay:?} within {ceiling:?}");
            ceiling = (ceiling * 2).min(CEILING);
        }
        assert_eq!(backoff.failures(), 12);
        backoff.reset();
        assert!(backoff.next_delay() <= FIRST);
    }
}
