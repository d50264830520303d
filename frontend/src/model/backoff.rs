//! When to try connecting again: exponential backoff with full jitter, kept short while the
//! outage is young.
//!
//! Each failed attempt doubles the ceiling (1 s, 2 s, 4 s, ... up to 30 s) and the wait is a
//! random point below it, so thousands of pages that lost the same server do not all come back
//! in the same instant. The first retry comes within a second. Most outages are a restart or a
//! network blip: for the first minute of one the ceiling stays at 5 s, so nobody waits half a
//! minute for a server that has been back for twenty seconds (a user trial saw a 27 s wait
//! after a 12 s outage).

/// The ceiling of the first wait, in milliseconds.
pub const FIRST_CEILING_MS: f64 = 1_000.0;
/// The highest ceiling while the outage is young, in milliseconds.
pub const YOUNG_CEILING_MS: f64 = 5_000.0;
/// How long an outage counts as young, in milliseconds.
pub const YOUNG_OUTAGE_MS: f64 = 60_000.0;
/// The highest ceiling, in milliseconds.
pub const MAX_CEILING_MS: f64 = 30_000.0;

/// Failed attempts since the last successful connection, and when the first of them was.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Backoff {
    failures: u32,
    outage_since_ms: Option<f64>,
}

impl Backoff {
    /// The wait before the next attempt, in milliseconds, given `random` in [0, 1) and the
    /// time `now_ms`; counts one more failure.
    pub fn next_delay_ms(&mut self, random: f64, now_ms: f64) -> f64 {
        let since = *self.outage_since_ms.get_or_insert(now_ms);
        let highest =
            if now_ms - since < YOUNG_OUTAGE_MS { YOUNG_CEILING_MS } else { MAX_CEILING_MS };
        let ceiling = (FIRST_CEILING_MS * 2f64.powi(self.failures.min(16) as i32)).min(highest);
        self.failures = self.failures.saturating_add(1);
        ceiling * random.clamp(0.0, 1.0)
    }

    /// The connection works again: the next loss starts from the first ceiling.
    pub fn reset(&mut self) {
        *self = Self::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ceiling_doubles_from_one_second_up_to_five_in_the_first_minute() {
        let mut backoff = Backoff::default();
        let ceilings: Vec<f64> = (0..6)
            .map(|attempt| backoff.next_delay_ms(1.0, f64::from(attempt) * 5_000.0))
            .collect();
        assert_eq!(ceilings, vec![1_000.0, 2_000.0, 4_000.0, 5_000.0, 5_000.0, 5_000.0]);
        backoff.reset();
        assert!(
            backoff.next_delay_ms(0.999, 0.0) < 1_000.0,
            "the first retry comes within a second"
        );
    }

    #[test]
    fn a_long_outage_backs_off_up_to_thirty_seconds() {
        let mut backoff = Backoff::default();
        let start = 1_000_000.0;
        for attempt in 0..5 {
            backoff.next_delay_ms(1.0, start + f64::from(attempt) * 5_000.0);
        }
        assert_eq!(backoff.next_delay_ms(1.0, start + 59_000.0), 5_000.0, "still young");
        assert_eq!(backoff.next_delay_ms(1.0, start + 61_000.0), 30_000.0);
    }

    #[test]
    fn the_wait_is_a_random_point_below_the_ceiling() {
        let mut backoff = Backoff::default();
        backoff.next_delay_ms(0.5, 0.0);
        assert_eq!(backoff.next_delay_ms(0.25, 0.0), 500.0);
        assert_eq!(backoff.next_delay_ms(0.0, 0.0), 0.0);
    }
}
