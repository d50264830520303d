//! Nickname ownership across nodes, kept in Redis.
//!
//! Each node keeps its own book of who holds which name (the hub's nickname book); with several
//! nodes, a name must also be reserved cluster-wide before a node gives it out. The
//! reservation is one key per name, `{prefix}:name:{ownership key}`, holding a hash of the
//! owner's token (never the token itself), with an expiry:
//!
//! - Every reservation lasts the *hold*: the nickname grace period, at least the node TTL.
//! - A node holding the name for a connected person refreshes the key every quarter of the
//!   node TTL, so the name stays taken while anyone holds it on any node. When the last such
//!   node dies, its people keep their names for the hold, as anyone who disconnects keeps
//!   theirs for the grace period: they get them back on another node with their tokens.
//! - When a person's last connection on a node closes, the key is given the hold from then.
//! - Claiming succeeds when the key is absent or holds the claimant's token: the owner gets the
//!   name back on any node, anyone else is refused.
//! - A node that cannot renew its reservations (cut off from Redis) closes its guests'
//!   connections once half the hold has passed since their names were last confirmed (close
//!   code 1013, try again later), so that no one holds a name on it by the time the
//!   reservation can lapse and someone on another node take it: one holder per name, however
//!   long the partition. It gives no name meanwhile (claims fail). Accounts keep their
//!   connections: the store keeps their names theirs.
//!
//! On a single node there is no Redis and every claim is left to the node's own book.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{debug, warn};

use super::pulse::Pulse;
use super::redis_link::{Patience, RedisLink};
use crate::hub::{Hub, ReleasedName};

/// Reservations refreshed per round trip.
const REFRESH_BATCH: usize = 500;
/// How long a claim may wait for Redis: a `hello` is answered within a second even when Redis
/// has stopped answering. Not a failure of the link (an answer may just be slow in a sign-in
/// storm): the link's own deadline and the channel's pulse decide that.
const CLAIM_DEADLINE: Duration = Duration::from_millis(800);

/// Sets the key to the claimant's token hash (with the TTL) if it is free or already theirs.
const CLAIM: &str = r"
local owner = redis.call('GET', KEYS[1])
if (not owner) or owner == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0";

/// Gives the key the grace period, if it still belongs to the releasing person.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0";

/// The cluster's answer to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterClaim {
    /// Free, or already this person's: go ahead.
    Granted,
    /// Someone else holds it on some node (connected, or within their grace period).
    Taken,
}

/// Redis did not answer; the claim cannot be confirmed.
#[derive(Debug, thiserror::Error)]
#[error("cannot reach the other nodes to confirm the nickname: {0}")]
pub struct Unreachable(String);

/// A cheap, cloneable handle to the cluster's nickname reservations.
#[derive(Debug, Clone, Default)]
pub struct ClusterNames {
    redis: Option<Arc<RedisNames>>,
}

#[derive(Debug)]
struct RedisNames {
    redis: RedisLink,
    /// The bus's: while its channel is silent, Redis is taken for unreachable without asking.
    pulse: Arc<Pulse>,
    prefix: String,
    node_ttl: Duration,
    /// How long a reservation lasts unrenewed: the nickname grace, at least the node TTL.
    hold: Duration,
    /// When the last refresh that renewed every name held here began: each of them is
    /// reserved until at least then plus the hold.
    confirmed_at: Mutex<Instant>,
    releases: mpsc::UnboundedSender<ReleasedName>,
}

impl ClusterNames {
    /// A single node: every claim is granted here and decided by the node's own book.
    pub fn local() -> Self {
        Self::default()
    }

    /// Reservations in the Redis server at `url`, under `{prefix}:name:`. Returns the queue of
    /// releases for [`ClusterNames::run`].
    pub fn redis(
        url: &str,
        prefix: &str,
        node_ttl: Duration,
        grace: Duration,
        pulse: Arc<Pulse>,
    ) -> Result<(Self, mpsc::UnboundedReceiver<ReleasedName>), redis::RedisError> {
        let (releases, queue) = mpsc::unbounded_channel();
        let names = RedisNames {
            redis: RedisLink::open(url, "nickname reservations")?,
            pulse,
            prefix: prefix.to_owned(),
            node_ttl,
            hold: grace.max(node_ttl),
            confirmed_at: Mutex::new(Instant::now()),
            releases,
        };
        Ok((Self { redis: Some(Arc::new(names)) }, queue))
    }

    /// Reserves the name with ownership key `key` for the person with `token`.
    pub async fn claim(&self, key: &str, token: &str) -> Result<ClusterClaim, Unreachable> {
        let Some(redis) = &self.redis else { return Ok(ClusterClaim::Granted) };
        // A partition that drops packets would hold every claim for the whole deadline.
        if redis.pulse.is_lost() {
            let silent = redis.pulse.silent_for().as_secs_f64();
            return Err(Unreachable(format!("nothing heard from Redis for {silent:.1} s")));
        }
        let claim = redis.eval(CLAIM, key, token, millis(redis.hold));
        let Ok(answer) = tokio::time::timeout(CLAIM_DEADLINE, claim).await else {
            let waited = CLAIM_DEADLINE.as_millis();
            return Err(Unreachable(format!("Redis did not answer within {waited} ms")));
        };
        match answer? {
            1 => Ok(ClusterClaim::Granted),
            _ => Ok(ClusterClaim::Taken),
        }
    }

    /// The last connection on this node of the person holding the name closed: the grace
    /// period starts cluster-wide, or after a sign-out the name is freed (done in the
    /// background).
    pub fn released(&self, released: ReleasedName) {
        if let Some(redis) = &self.redis {
            // Fails only when the background task is gone (shutting down); then the key
            // expires by itself within the node TTL.
            let _ = redis.releases.send(released);
        }
    }

    /// Refreshes the names held here, carries out releases, and closes guests' connections
    /// whose names could not be renewed in time, until `shutdown`.
    pub async fn run(
        self,
        releases: mpsc::UnboundedReceiver<ReleasedName>,
        hub: Hub,
        shutdown: CancellationToken,
    ) {
        let Some(redis) = self.redis else { return };
        // One task, two loops polled side by side: a refresh waiting on a silent Redis does
        // not delay the guard.
        tokio::select! {
            () = shutdown.cancelled() => {}
            () = redis.keep_reserved(releases, &hub) => {}
            () = redis.end_unconfirmed_guests(&hub) => {}
        }
    }
}

impl RedisNames {
    /// Refreshes every quarter of the node TTL and carries out releases as they come.
    async fn keep_reserved(&self, mut releases: mpsc::UnboundedReceiver<ReleasedName>, hub: &Hub) {
        let mut refresh = tokio::time::interval(self.node_ttl / 4);
        loop {
            tokio::select! {
                _ = refresh.tick() => self.refresh(hub, Patience::WaitOutBackoff).await,
                released = releases.recv() => {
                    let Some(ReleasedName { key, token, at_once }) = released else { return };
                    // After a sign-out the key expires at once: if the person still has a
                    // tab on another node, that node reserves the name again when it next
                    // refreshes.
                    let hold = if at_once { 1 } else { millis(self.hold) };
                    if let Err(error) = self.eval(RELEASE, &key, &token, hold).await {
                        // The key then expires within the hold of its last refresh instead. Not
                        // a warning each: the link says once that it is down.
                        debug!(%error, "could not start a nickname's grace period in Redis");
                    }
                }
            }
        }
    }

    /// Once half the hold has passed since the names held here were last confirmed (Redis
    /// unreachable), closes the guests' connections whose own claim is that old too: a name
    /// claimed later was reserved for the hold from its claim. Checked every eighth of the node
    /// TTL, so well before any reservation lapses. A last refresh is tried first, without
    /// waiting out the link's backoff (Redis may have just come back), for at most
    /// [`CLAIM_DEADLINE`].
    async fn end_unconfirmed_guests(&self, hub: &Hub) {
        let mut check = tokio::time::interval(self.node_ttl / 8);
        check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let half_hold = self.hold / 2;
        loop {
            check.tick().await;
            let unconfirmed_for = self.confirmed_at().elapsed();
            if unconfirmed_for <= half_hold {
                continue;
            }
            let Some(before) = Instant::now().checked_sub(half_hold) else { continue };
            if hub.count_guests_reserved_before(before) == 0 {
                continue;
            }
            let last_try = self.refresh(hub, Patience::ConnectNow);
            if tokio::time::timeout(CLAIM_DEADLINE, last_try).await.is_ok()
                && self.confirmed_at().elapsed() <= half_hold
            {
                continue;
            }
            let ended = hub.end_guests_reserved_before(before);
            if ended > 0 {
                warn!(
                    ended,
                    unconfirmed_s = unconfirmed_for.as_secs_f64(),
                    hold_s = self.hold.as_secs_f64(),
                    "cannot renew nickname reservations in Redis; closed the guests' connections before their names could lapse"
                );
            }
        }
    }

    fn confirmed_at(&self) -> Instant {
        *self.confirmed_at.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Re-reserves every name held by a connected person here, in pipelined batches; when
    /// every batch is answered, the names are confirmed as of the start. `patience`: whether
    /// to wait out the link's backoff.
    async fn refresh(&self, hub: &Hub, patience: Patience) {
        let started = Instant::now();
        let ttl = millis(self.hold);
        let held = hub.names_held();
        for batch in held.chunks(REFRESH_BATCH) {
            let mut pipeline = redis::pipe();
            for (key, token) in batch {
                pipeline.add_command(self.command(CLAIM, key, token, ttl));
            }
            let answers = self.redis.query_with(patience, |mut connection| async move {
                pipeline.query_async::<Vec<i64>>(&mut connection).await
            });
            match answers.await {
                Ok(answers) => {
                    for ((key, _), answer) in batch.iter().zip(answers) {
                        if answer != 1 {
                            warn!(key, "a nickname held here is reserved by someone else in Redis");
                        }
                    }
                }
                Err(error) => {
                    // The link says once that it is down and once that it is back.
                    debug!(%error, "cannot refresh nickname reservations; retrying");
                    return;
                }
            }
        }
        *self.confirmed_at.lock().unwrap_or_else(PoisonError::into_inner) = started;
    }

    /// Runs `script` on the name's key with the token's hash and a duration in milliseconds.
    async fn eval(
        &self,
        script: &str,
        key: &str,
        token: &str,
        millis: u64,
    ) -> Result<i64, Unreachable> {
        let command = self.command(script, key, token, millis);
        self.redis
            .query(|mut connection| async move { command.query_async(&mut connection).await })
            .await
            .map_err(Unreachable)
    }

    fn command(&self, script: &str, key: &str, token: &str, millis: u64) -> redis::Cmd {
        let mut command = redis::cmd("EVAL");
        command.arg(script).arg(1).arg(format!("{}:name:{key}", self.prefix));
        command.arg(token_hash(token)).arg(millis);
        command
    }
}

/// What Redis keeps instead of the token: whoever can read Redis cannot sign in as anyone.
fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX).max(1)
}
