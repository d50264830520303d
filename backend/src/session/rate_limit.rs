//! Flood control: a token bucket per connection for chat messages and one for other requests
//! (`hello`, `create_room`, `join`, `leave`, `history`). Typing has its own throttle in the
//! session. Over the limit, a request is refused with `rate_limited` and the time until it
//! would be accepted; the connection stays open.

use std::num::NonZeroU32;
use std::sync::LazyLock;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// The sizes of the buckets, from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateSettings {
    pub messages_per_second: u32,
    pub message_burst: u32,
    pub requests_per_second: u32,
    pub request_burst: u32,
}

/// Which bucket a request draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    Message,
    Other,
}

/// One connection's buckets.
#[derive(Debug)]
pub struct RateLimits {
    messages: DefaultDirectRateLimiter,
    requests: DefaultDirectRateLimiter,
}

impl RateLimits {
    pub fn new(settings: RateSettings) -> Self {
        Self {
            messages: limiter(settings.messages_per_second, settings.message_burst),
            requests: limiter(settings.requests_per_second, settings.request_burst),
        }
    }

    /// Takes a token for `kind`, or says how long until one is available.
    pub fn check(&self, kind: RequestKind) -> Result<(), Duration> {
        let bucket = match kind {
            RequestKind::Message => &self.messages,
            RequestKind::Other => &self.requests,
        };
        bucket.check().map_err(|not_until| not_until.wait_time_from(CLOCK.now()))
    }
}

/// One clock for every bucket: making one asks the processor what timer it has (CPUID, a
/// trip to the hypervisor in a virtual machine), which a join storm of 20,000 connections did
/// twice per connection.
static CLOCK: LazyLock<DefaultClock> = LazyLock::new(DefaultClock::default);

fn limiter(per_second: u32, burst: u32) -> DefaultDirectRateLimiter {
    let per_second = NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst).unwrap_or(per_second);
    RateLimiter::direct_with_clock(Quota::per_second(per_second).allow_burst(burst), CLOCK.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_requests_wait_and_buckets_are_separate() {
        let limits = RateLimits::new(RateSettings {
            messages_per_second: 2,
            message_burst: 3,
            requests_per_second: 1,
            request_burst: 1,
        });
        for _ in 0..3 {
            assert_eq!(limits.check(RequestKind::Message), Ok(()));
        }
        let wait = limits.check(RequestKind::Message).expect_err("over the burst");
        assert!(wait > Duration::ZERO && wait <= Duration::from_millis(500), "{wait:?}");
        assert_eq!(limits.check(RequestKind::Other), Ok(()), "the other bucket is untouched");
    }
}
