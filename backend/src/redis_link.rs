//! One shared connection to Redis for a node's requests (publishing, nickname reservations,
//! readiness pings): made on first use, made again after any failure, and every request held
//! to a deadline so a Redis that stopped answering cannot stall the caller.

use std::time::Duration;

use redis::aio::MultiplexedConnection;
use tokio::sync::Mutex;

/// How long a Redis request (with the connection attempt, if one is needed) may take before
/// it counts as failed.
pub const REDIS_TIMEOUT: Duration = Duration::from_secs(2);

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
                        let fresh = self.client.get_multiplexed_async_connection().await?;
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
