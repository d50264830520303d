//! How many connections one network address may hold at once.
//!
//! One address opening thousands of sockets would take file descriptors (20,000 per process
//! here) from everyone else. Each accepted WebSocket holds a [`ConnectionPermit`] for its
//! address; the permit is returned when the session ends.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Counts open connections per address. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ConnectionLimit {
    per_address: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One open connection's claim on its address's allowance; releases it when dropped.
#[derive(Debug)]
pub struct ConnectionPermit {
    address: IpAddr,
    limit: ConnectionLimit,
}

impl ConnectionLimit {
    /// At most `per_address` connections per address (at least 1).
    pub fn new(per_address: usize) -> Self {
        Self { per_address: per_address.max(1), open: Arc::default() }
    }

    /// A permit for one more connection from `address`, or `None` if it has used them all.
    pub fn acquire(&self, address: IpAddr) -> Option<ConnectionPermit> {
        let mut open = self.lock();
        let count = open.entry(address).or_insert(0);
        if *count >= self.per_address {
            return None;
        }
        *count += 1;
        Some(ConnectionPermit { address, limit: self.clone() })
    }

    /// The allowance per address.
    pub fn per_address(&self) -> usize {
        self.per_address
    }

    /// A std mutex: the critical sections are a map update, never across an `.await`. A
    /// poisoned map is still a valid map.
    fn lock(&self) -> MutexGuard<'_, HashMap<IpAddr, usize>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for ConnectionPermit {
    fn drop(&mut self) {
        let mut open = self.limit.lock();
        if let Some(count) = open.get_mut(&self.address) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_allowance_back_as_connections_close() {
        let limit = ConnectionLimit::new(2);
        let here: IpAddr = [127, 0, 0, 1].into();
        let there: IpAddr = [127, 0, 0, 2].into();
        let first = limit.acquire(here).expect("1 of 2");
        let _second = limit.acquire(here).expect("2 of 2");
        assert!(limit.acquire(here).is_none(), "a third is refused");
        assert!(limit.acquire(there).is_some(), "other addresses are not affected");
        drop(first);
        assert!(limit.acquire(here).is_some(), "a closed connection frees its place");
    }
}
