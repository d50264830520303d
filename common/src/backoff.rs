//! When to try again after a failure: exponential backoff with jitter, one rule for every
//! side that reconnects (the page to the server, the client library, a node to Redis), each
//! with its own figures ([`BackoffRule`]).
//!
//! Each failure doubles the ceiling from `first_ms` up to `max_ceiling_ms`, and the wait is a
//! random point below it (full jitter) or between its half and all of it (half jitter), so
//! thousands of clients that lost the same server do not all come back in the same instant.
//! While an outage is young the ceiling may stay lower (`young_ceiling_ms` for
//! `young_for_ms`): most outages are a restart or a blip, and nobody should wait half a minute
//! for a server that has been back for twenty seconds.
//!
//! Pure: the caller gives the random number and the time (the page has no system clock of
//! its own, and the tests need neither).

/// Where in its ceiling a wait falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    /// Anywhere from nothing to the ceiling.
    Full,
    /// From half the ceiling to all of it: waits are never much shorter than the rule says.
    Half,
}

/// The figures of one side's backoff, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackoffRule {
    pub first_ms: f64,
    pub young_ceiling_ms: f64,
    pub young_for_ms: f64,
    pub max_ceiling_ms: f64,
    pub jitter: Jitter,
}

impl BackoffRule {
    /// Doubling from `first_ms` up to `max_ceiling_ms`, the same for any outage.
    pub const fn doubling(first_ms: f64, max_ceiling_ms: f64, jitter: Jitter) -> Self {
        Self {
            first_ms,
            young_ceiling_ms: max_ceiling_ms,
            young_for_ms: 0.0,
            max_ceiling_ms,
            jitter,
        }
    }
}

/// The failures of one outage under a rule; [`Backoff::reset`] when it is over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    rule: BackoffRule,
    failures: u32,
    outage_since_ms: Option<f64>,
}

impl Backoff {
    pub const fn new(rule: BackoffRule) -> Self {
        Self { rule, failures: 0, outage_since_ms: None }
    }

    /// The wait before the next attempt, in milliseconds, given `random` in [0, 1) and the
    /// time `now_ms`; counts one more failure.
    pub fn next_delay_ms(&mut self, random: f64, now_ms: f64) -> f64 {
        let rule = self.rule;
        let since = *self.outage_since_ms.get_or_insert(now_ms);
        let young = now_ms - since < rule.young_for_ms;
        let highest = if young { rule.young_ceiling_ms } else { rule.max_ceiling_ms };
        let ceiling = (rule.first_ms * 2f64.powi(self.failures.min(16) as i32)).min(highest);
        self.failures = self.failures.saturating_add(1);
        let random = random.clamp(0.0, 1.0);
        match rule.jitter {
            Jitter::Full => ceiling * random,
            Jitter::Half => ceiling / 2.0 * (1.0 + random),
        }
    }

    /// Failures since the last success.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// It works again: the next outage starts from the first ceiling.
    pub fn reset(&mut self) {
        *self = Self::new(self.rule);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE_LIKE: BackoffRule = BackoffRule {
        first_ms: 1_000.0,
        young_ceiling_ms: 5_000.0,
        young_for_ms: 60_000.0,
        max_ceiling_ms: 30_000.0,
        jitter: Jitter::Full,
    };

    #[test]
    fn the_ceiling_doubles_up_to_the_young_ceiling_while_the_outage_is_young() {
        let mut backoff = Backoff::new(PAGE_LIKE);
        let ceilings: Vec<f64> = (0..6)
            .map(|attempt| backoff.next_delay_ms(1.0, f64::from(attempt) * 5_000.0))
            .collect();
        assert_eq!(ceilings, vec![1_000.0, 2_000.0, 4_000.0, 5_000.0, 5_000.0, 5_000.0]);
        assert_eq!(backoff.failures(), 6);
        backoff.reset();
        assert_eq!(backoff.failures(), 0);
        assert!(backoff.next_delay_ms(0.999, 0.0) < 1_000.0, "the first retry comes at once");
    }

    #[test]
    fn a_long_outage_backs_off_up_to_the_highest_ceiling() {
        let mut backoff = Backoff::new(PAGE_LIKE);
        let start = 1_000_000.0;
        for attempt in 0..5 {
            backoff.next_delay_ms(1.0, start + f64::from(attempt) * 5_000.0);
        }
        assert_eq!(backoff.next_delay_ms(1.0, start + 59_000.0), 5_000.0, "still young");
        assert_eq!(backoff.next_delay_ms(1.0, start + 61_000.0), 30_000.0);
    }

    #[test]
    fn full_jitter_waits_a_random_point_below_the_ceiling() {
        let mut backoff = Backoff::new(PAGE_LIKE);
        backoff.next_delay_ms(0.5, 0.0);
        assert_eq!(backoff.next_delay_ms(0.25, 0.0), 500.0);
        assert_eq!(backoff.next_delay_ms(0.0, 0.0), 0.0);
    }

    #[test]
    fn half_jitter_waits_between_half_the_ceiling_and_all_of_it() {
        let rule = BackoffRule::doubling(100.0, 2_000.0, Jitter::Half);
        let (mut shortest, mut longest) = (Backoff::new(rule), Backoff::new(rule));
        let shortest: Vec<f64> = (0..6).map(|_| shortest.next_delay_ms(0.0, 0.0)).collect();
        let longest: Vec<f64> = (0..6).map(|_| longest.next_delay_ms(1.0, 0.0)).collect();
        assert_eq!(shortest, vec![50.0, 100.0, 200.0, 400.0, 800.0, 1_000.0]);
        assert_eq!(longest, vec![100.0, 200.0, 400.0, 800.0, 1_600.0, 2_000.0]);
    }
}
