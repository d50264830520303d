//! One shared connection to Redis for a node's requests (publishing, nickname reservations,
//! readiness pings): made on first use, made again after any failure, and every request held
//! to a deadline so a Redis that stopped answering cannot stall the caller.

use std::time::Duration;

use redis::AsyncConnectionConfig;
use redis::aio::MultiplexedConnection;
use tokio::sync::Mutex;

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
    connection: Mutex<Option<MultiplexedConnection>>,
}

impl RedisLink {
    /// Parses `url`; connects only when first used (Redis may be down at start).
    pub fn open(url: &str) -> redis::RedisResult<Self> {
        Ok(Self { client: redis::Client::open(url)?, connection: Mutex::new(None) })
    }

    /// The client, for connections of their own (a subscription needs one).
    pub fn client(&self) -> &redis::Client {
        &self.client
    }

    /// Runs `request` on the shared connection within [`REDIS_TIMEOUT`]. On failure the
    /// connection is dropped, and the next request makes a new one.
    pub async fn query<T, F, Fut>(&self, request: F) -> Result<T, String>
    where
        F: FnOnce(MultiplexedConnection) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        let attempt = async {
            let connection = {
                let mut shared = self.connection.lock().await;
                match shared.as_ref() {
                    Some(connection) => connection.clone(),
                    None => {
                        let config = without_deadlines_of_its_own();
                        let fresh = self
                            .client
                            .get_multiplexed_async_connection_with_config(&config)
                            .await?;
                        *shared = Some(fresh.clone());
                        fresh
                    }
                }
            };
            // A clone shares the one connection: concurrent requests pipeline on it.
            request(connection).await
        };
        let failure = match tokio::time::timeout(REDIS_TIMEOUT, attempt).await {
            Ok(Ok(answer)) => return Ok(answer),
            Ok(Err(error)) => error.to_string(),
            Err(_) => "Redis did not answer in time".to_owned(),
        };
        *self.connection.lock().await = None;
        Err(failure)
    }
}
