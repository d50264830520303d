//! When to try connecting again: exponential backoff with full jitter.
//!
//! Each failed attempt doubles the ceiling (1 s, 2 s, 4 s, ... up to 30 s) and the wait is a
//! random point below it, so thousands of pages that lost the same server do not all come back
//! in the same instant. The first retry comes within a second.

/// The ceiling of the first wait, in milliseconds.
pub const FIRST_CEILING_MS: f64 = 1_000.0;
/// The highest ceiling, in milliseconds.
pub const MAX_CEILING_MS: f64 = 30_000.0;

/// Failed attempts since the last successful connection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    /// The wait before the next attempt, in milliseconds, given `random` in [0, 1); counts
    /// one more failure.
    pub fn next_delay_ms(&mut self, random: f64) -> f64 {
        let ceiling =
            (FIRST_CEILING_MS * 2f64.powi(self.failures.min(16) as i32)).min(MAX_CEILING_MS);
        self.failures = self.failures.saturating_add(1);
        ceiling * random.clamp(0.0, 1.0)
    }

    /// The connection works again: the next loss starts from the first ceiling.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ceiling_doubles_from_one_second_up_to_thirty() {
        let mut backoff = Backoff::default();
        let ceilings: Vec<f64> = (0..8).map(|_| backoff.next_delay_ms(1.0)).collect();
        assert_eq!(
            ceilings,
            vec![1_000.0, 2_000.0, 4_000.0, 8_000.0, 16_000.0, 30_000.0, 30_000.0, 30_000.0]
        );
        backoff.reset();
        assert!(backoff.next_delay_ms(0.999) < 1_000.0, "the first retry comes within a second");
    }

    #[test]
    fn the_wait_is_a_random_point_below_the_ceiling() {
        let mut backoff = Backoff::default();
        backoff.next_delay_ms(0.5);
        assert_eq!(backoff.next_delay_ms(0.25), 500.0);
        assert_eq!(backoff.next_delay_ms(0.0), 0.0);
    }
}
