//! When the page tries connecting again: `common::Backoff` with the page's figures. The first
//! retry comes within a second; each failed attempt doubles the ceiling up to 30 s, with full
//! jitter, so thousands of pages that lost the same server do not all come back in the same
//! instant. For the first minute of an outage the ceiling stays at 5 s: most outages are a
//! restart or a network blip, and a user trial saw a 27 s wait after a 12 s outage.

use common::{BackoffRule, Jitter};

/// The ceiling of the first wait, in milliseconds.
pub const FIRST_CEILING_MS: f64 = 1_000.0;

/// The page's rule.
pub const PAGE: BackoffRule = BackoffRule {
    first_ms: FIRST_CEILING_MS,
    young_ceiling_ms: 5_000.0,
    young_for_ms: 60_000.0,
    max_ceiling_ms: 30_000.0,
    jitter: Jitter::Full,
};

/// Failed attempts since the last successful connection, under the page's rule.
pub fn page_backoff() -> common::Backoff {
    common::Backoff::new(PAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_retry_comes_within_a_second_and_a_young_outage_waits_at_most_five() {
        let mut backoff = page_backoff();
        let ceilings: Vec<f64> = (0..6)
            .map(|attempt| backoff.next_delay_ms(1.0, f64::from(attempt) * 5_000.0))
            .collect();
        assert_eq!(ceilings, vec![1_000.0, 2_000.0, 4_000.0, 5_000.0, 5_000.0, 5_000.0]);
        let later = backoff.next_delay_ms(1.0, 61_000.0);
        assert_eq!(later, 30_000.0, "a long outage backs off up to thirty seconds");
    }
}
