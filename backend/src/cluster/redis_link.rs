//! One shared connection to Redis for one purpose of a node (publishing, nickname
//! reservations): made on first use, made again after a failure once a backoff has passed
//! (requests meanwhile fail at once, without a connection attempt), and every request held to
//! a deadline so a Redis that stopped answering cannot stall the caller. An outage is logged
//! twice: one warning when the link breaks, one line when it is back, with how long it took.

use std::time::{Duration, Instant};

use redis::AsyncConnectionConfig;
use redis::aio::MultiplexedConnection;
use tokio::sync::Mutex;
use tracing::{debug, info, warn};

use super::backoff::Backoff;
use crate::metrics::names::REDIS_OUTAGES;

/// How long a Redis request (with the connection attempt, if one is needed) may take before
/// it counts as failed.
pub const REDIS_TIMEOUT: Duration = Duration::from_secs(2);

/// The shared connection has no deadlines of its own: [`REDIS_TIMEOUT`] is the one deadline.
/// The redis crate's defaults (1 s to connect, 500 ms per answer) cut requests short: in a
/// sign-in storm (18,000 per node on 5 nodes) about 0.5 % of the nickname reservations took
/// longer than 500 ms and were refused as "timed out", well within the 2 s they were meant to
/// have.
fn without_deadlines_of_its_own() -> AsyncConnectionConfig {
    AsyncConnectionConfig::new().set_connection_timeout(None).set_response_timeout(None)
}

#[derive(Debug)]
pub struct RedisLink {
    client: redis::Client,
    /// What the link is for, in its log lines.
    purpose: &'static str,
    state: Mutex<LinkState>,
}

#[derive(Debug, Default)]
struct LinkState {
    connection: Option<MultiplexedConnection>,
    /// Since when requests have failed, and when the next connection attempt may be made.
    outage: Option<(Instant, Instant)>,
    backoff: Backoff,
}

impl RedisLink {
    /// Parses `url`; connects only when first used (Redis may be down at start).
    pub fn open(url: &str, purpose: &'static str) -> redis::RedisResult<Self> {
        Ok(Self { client: redis::Client::open(url)?, purpose, state: Mutex::default() })
    }

    /// The client, for connections of their own (a subscription needs one).
    pub fn client(&self) -> &redis::Client {
        &self.client
    }

    /// Runs `request` on the shared connection within [`REDIS_TIMEOUT`]. On failure the
    /// connection is dropped; the next request makes a new one once the backoff has passed,
    /// and fails at once before that.
    pub async fn query<T, F, Fut>(&self, request: F) -> Result<T, String>
    where
        F: FnOnce(MultiplexedConnection) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        self.query_with(Patience::WaitOutBackoff, request).await
    }

    /// Like [`RedisLink::query`]; with [`Patience::ConnectNow`] it connects even while backing
    /// off: for a last try before something that is costly to undo.
    pub async fn query_with<T, F, Fut>(&self, patience: Patience, request: F) -> Result<T, String>
    where
        F: FnOnce(MultiplexedConnection) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        let attempt = async {
            let connection = {
                let mut state = self.state.lock().await;
                match (state.connection.as_ref(), state.outage) {
                    (Some(connection), _) => connection.clone(),
                    (None, Some((_, retry_at)))
                        if patience == Patience::WaitOutBackoff && Instant::now() < retry_at =>
                    {
                        let wait = retry_at - Instant::now();
                        return Err(Failure::Waiting(wait));
                    }
                    (None, _) => {
                        let config = without_deadlines_of_its_own();
                        let fresh = self
                            .client
                            .get_multiplexed_async_connection_with_config(&config)
                            .await
                            .map_err(Failure::Redis)?;
                        state.connection = Some(fresh.clone());
                        fresh
                    }
                }
            };
            // A clone shares the one connection: concurrent requests pipeline on it.
            request(connection).await.map_err(Failure::Redis)
        };
        let failure = match tokio::time::timeout(REDIS_TIMEOUT, attempt).await {
            Ok(Ok(answer)) => {
                self.answered().await;
                return Ok(answer);
            }
            Ok(Err(Failure::Waiting(wait))) => {
                return Err(format!(
                    "Redis is unreachable; next attempt in {} ms",
                    wait.as_millis()
                ));
            }
            Ok(Err(Failure::Redis(error))) => error.to_string(),
            Err(_) => "Redis did not answer in time".to_owned(),
        };
        self.failed(&failure).await;
        Err(failure)
    }

    /// A request was answered: the end of an outage, if there was one.
    async fn answered(&self) {
        let mut state = self.state.lock().await;
        if let Some((since, _)) = state.outage.take() {
            let failures = state.backoff.failures();
            let outage_s = since.elapsed().as_secs_f64();
            info!(purpose = self.purpose, outage_s, failures, "reached Redis again");
            state.backoff.reset();
        }
    }

    /// A request failed: the connection goes, and the next attempt waits out the backoff.
    async fn failed(&self, failure: &str) {
        let mut state = self.state.lock().await;
        state.connection = None;
        let now = Instant::now();
        let since = match state.outage {
            Some((since, _)) => {
                debug!(purpose = self.purpose, %failure, "Redis still unreachable");
                since
            }
            None => {
                metrics::counter!(REDIS_OUTAGES, "purpose" => self.purpose).increment(1);
                warn!(purpose = self.purpose, %failure, "lost the connection to Redis; retrying with backoff");
                now
            }
        };
        let retry_at = now + state.backoff.next_delay();
        state.outage = Some((since, retry_at));
    }
}

/// Whether a request made while the link backs off waits for the backoff to pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patience {
    WaitOutBackoff,
    ConnectNow,
}

/// Why a request did not get an answer.
enum Failure {
    /// The backoff has not passed yet: no attempt was made.
    Waiting(Duration),
    Redis(redis::RedisError),
}
