//! The shared Redis connection keeps to one deadline, `REDIS_TIMEOUT`: an answer that takes
//! longer than the redis crate's own default (500 ms) is still taken, and one that takes
//! longer than the deadline is a failure, not a hang.

use std::time::Duration;

use backend::cluster::redis_link::{REDIS_TIMEOUT, RedisLink};

use crate::nodes::redis_addr;

/// Waits on an empty list for `seconds`: Redis answers "nothing" only when the wait is over.
async fn wait_in_redis(link: &RedisLink, seconds: f64) -> Result<Option<(String, String)>, String> {
    let key = format!("chat-test-redis-link:{}:empty", std::process::id());
    link.query(|mut connection| async move {
        redis::cmd("BLPOP").arg(key).arg(seconds).query_async(&mut connection).await
    })
    .await
}

#[tokio::test]
async fn an_answer_slower_than_the_crates_default_but_within_the_deadline_is_taken() {
    let link =
        RedisLink::open(&format!("redis://{}", redis_addr()), "a test").expect("a valid URL");
    assert!(Duration::from_secs(1) < REDIS_TIMEOUT);
    let answer = wait_in_redis(&link, 1.0).await;
    assert_eq!(answer, Ok(None), "a request answered after 1 s is within the deadline");
}

#[tokio::test]
async fn an_answer_slower_than_the_deadline_is_a_failure() {
    let link =
        RedisLink::open(&format!("redis://{}", redis_addr()), "a test").expect("a valid URL");
    let too_long = REDIS_TIMEOUT.as_secs_f64() + 2.0;
    let answer = wait_in_redis(&link, too_long).await;
    assert_eq!(answer, Err("Redis did not answer in time".to_owned()));
    // The connection was dropped with the failed request. Until the backoff (at most 100 ms
    // after a first failure) has passed, requests fail at once without trying; then the next
    // one makes a new connection.
    let at_once = wait_in_redis(&link, 0.1).await;
    assert!(at_once.as_ref().is_err_and(|error| error.contains("next attempt")), "{at_once:?}");
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(wait_in_redis(&link, 0.1).await, Ok(None));
}
