//! How many times a second something happens lately: a count that decays exponentially
//! (time constant [`TIME_CONSTANT`]), so a burst is noticed within a tenth of a second and a
//! pause forgets it within a second or two. Used by the write path's gathering
//! ([`crate::delivery::gathering`]) to gather only while a big room is busy: a quiet one's
//! messages go at once.

use std::time::{Duration, Instant};

/// How quickly the past is forgotten: an event this long ago counts `1/e` of a new one.
const TIME_CONSTANT: Duration = Duration::from_millis(500);

#[derive(Debug, Default, Clone, Copy)]
pub struct EventRate {
    /// The decayed count as of `at`.
    count: f64,
    at: Option<Instant>,
}

impl EventRate {
    /// Counts `events` that happened at `now`.
    pub fn add(&mut self, events: usize, now: Instant) {
        self.count = self.count_at(now) + events as f64;
        self.at = Some(now);
    }

    /// Events per second lately, as of `now`.
    pub fn per_second(&self, now: Instant) -> f64 {
        self.count_at(now) / TIME_CONSTANT.as_secs_f64()
    }

    fn count_at(&self, now: Instant) -> f64 {
        let Some(at) = self.at else { return 0.0 };
        let elapsed = now.saturating_duration_since(at).as_secs_f64();
        self.count * (-elapsed / TIME_CONSTANT.as_secs_f64()).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rate after `events` events spaced `every` apart, just after the last.
    fn steady(events: usize, every: Duration) -> f64 {
        let start = Instant::now();
        let mut rate = EventRate::default();
        for n in 0..events {
            rate.add(1, start + every * u32::try_from(n).expect("small"));
        }
        rate.per_second(start + every * u32::try_from(events - 1).expect("small"))
    }

    #[test]
    fn a_steady_rate_is_estimated_and_a_pause_forgets_it() {
        let busy = steady(1_000, Duration::from_millis(4)); // 250 a second
        assert!((230.0..=270.0).contains(&busy), "{busy}");
        let quiet = steady(200, Duration::from_millis(50)); // 20 a second
        assert!((15.0..=30.0).contains(&quiet), "{quiet}");

        let start = Instant::now();
        let mut rate = EventRate::default();
        assert!(rate.per_second(start) == 0.0, "nothing yet");
        for n in 0..100 {
            rate.add(1, start + Duration::from_millis(4 * n));
        }
        let later = start + Duration::from_millis(400) + Duration::from_secs(3);
        assert!(rate.per_second(later) < 1.0, "three seconds of quiet forget a burst");
    }
}
