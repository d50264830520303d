//! Sign-in attempts allowed per network address and per account name: a token bucket for
//! each (governor's keyed limiters), so guessing passwords is slow for one account from many
//! addresses and for many accounts from one address. Every attempt counts, right or wrong;
//! registering counts against the address.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Buckets kept before the ones full again are dropped (memory stays bounded whatever
/// names and addresses are tried).
const TRACKED_KEYS: usize = 10_000;

/// How many attempts a minute, from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInRates {
    pub per_address_per_minute: u32,
    pub per_account_per_minute: u32,
}

#[derive(Debug)]
pub struct SignInLimits {
    addresses: DefaultKeyedRateLimiter<IpAddr>,
    accounts: DefaultKeyedRateLimiter<String>,
}

impl SignInLimits {
    pub fn new(rates: SignInRates) -> Self {
        Self {
            addresses: RateLimiter::keyed(per_minute(rates.per_address_per_minute)),
            accounts: RateLimiter::keyed(per_minute(rates.per_account_per_minute)),
        }
    }

    /// Takes an attempt from `address` for the account named by `account_key`, or says how
    /// long until one would be allowed.
    pub fn attempt(&self, address: IpAddr, account_key: Option<&str>) -> Result<(), Duration> {
        take(&self.addresses, &address)?;
        if let Some(key) = account_key {
            take(&self.accounts, &key.to_owned())?;
        }
        Ok(())
    }
}

fn take<K: Clone + Hash + Eq>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> Result<(), Duration> {
    if limiter.len() > TRACKED_KEYS {
        limiter.retain_recent();
    }
    limiter
        .check_key(key)
        .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
}

fn per_minute(attempts: u32) -> Quota {
    let attempts = NonZeroU32::new(attempts).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(attempts).allow_burst(attempts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_and_an_account_each_have_their_own_bucket() {
        let limits =
            SignInLimits::new(SignInRates { per_address_per_minute: 2, per_account_per_minute: 2 });
        let here: IpAddr = [127, 0, 0, 1].into();
        let there: IpAddr = [10, 0, 0, 1].into();
        assert!(limits.attempt(here, Some("alice")).is_ok());
        assert!(limits.attempt(there, Some("alice")).is_ok());
        let wait = limits.attempt(here, Some("alice")).expect_err("alice's bucket is empty");
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(30), "{wait:?}");
        assert!(limits.attempt(here, Some("bob")).is_err(), "here has used its two");
        assert!(limits.attempt(there, Some("bob")).is_ok());
    }
}
