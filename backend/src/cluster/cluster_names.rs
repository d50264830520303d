//! Nickname ownership across nodes, kept in Redis.
//!
//! Each node keeps its own book of who holds which name (the hub's nickname book); with several
//! nodes, a name must also be reserved cluster-wide before a node gives it out. The
//! reservation is one key per name, `{prefix}:name:{ownership key}`, holding a hash of the
//! owner's token (never the token itself), with an expiry:
//!
//! - A node holding the name for a connected person refreshes the key every quarter of the
//!   node TTL, so the name stays taken while anyone holds it on any node, and is freed within
//!   the TTL of the last such node dying.
//! - When a person's last connection on a node closes, the key is given the grace period (at
//!   least the node TTL, so another node where the person is still connected refreshes it in
//!   time).
//! - Claiming succeeds when the key is absent or holds the claimant's token: the owner gets the
//!   name back on any node, anyone else is refused.
//!
//! On a single node there is no Redis and every claim is left to the node's own book.

use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::warn;

use super::pulse::Pulse;
use super::redis_link::RedisLink;
use crate::hub::{Hub, ReleasedName};

/// Reservations refreshed per round trip.
const REFRESH_BATCH: usize = 500;

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
    grace: Duration,
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
            grace,
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
        let ttl = millis(redis.node_ttl);
        match redis.eval(CLAIM, key, token, ttl).await? {
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

    /// Refreshes the names held here and carries out releases, until `shutdown`.
    pub async fn run(
        self,
        mut releases: mpsc::UnboundedReceiver<ReleasedName>,
        hub: Hub,
        shutdown: CancellationToken,
    ) {
        let Some(redis) = self.redis else { return };
        let mut refresh = tokio::time::interval(redis.node_ttl / 4);
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                _ = refresh.tick() => redis.refresh(&hub).await,
                Some(ReleasedName { key, token, at_once }) = releases.recv() => {
                    // After a sign-out the key expires at once: if the person still has a
                    // tab on another node, that node reserves the name again when it next
                    // refreshes.
                    let grace =
                        if at_once { 1 } else { millis(redis.grace.max(redis.node_ttl)) };
                    if let Err(error) = redis.eval(RELEASE, &key, &token, grace).await {
                        // The key then expires within the node TTL instead of the grace period.
                        warn!(%error, "could not start a nickname's grace period in Redis");
                    }
                }
            }
        }
    }
}

impl RedisNames {
    /// Re-reserves every name held by a connected person here, in pipelined batches.
    async fn refresh(&self, hub: &Hub) {
        let ttl = millis(self.node_ttl);
        let held = hub.names_held();
        for batch in held.chunks(REFRESH_BATCH) {
            let mut pipeline = redis::pipe();
            for (key, token) in batch {
                pipeline.add_command(self.command(CLAIM, key, token, ttl));
            }
            let answers = self.redis.query(|mut connection| async move {
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
                    warn!(%error, "cannot refresh nickname reservations; retrying");
                    return;
                }
            }
        }
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
