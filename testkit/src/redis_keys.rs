//! Cleaning up after a test that ran nodes on the shared Redis.

/// Deletes every key under `prefix` (the test's own): they would expire within a minute, but
/// a test leaves nothing behind. Best effort: a failure is reported, not fatal.
pub fn remove_redis_keys(redis_url: &str, prefix: &str) {
    let remove = || -> redis::RedisResult<()> {
        let mut redis = redis::Client::open(redis_url)?.get_connection()?;
        let keys: Vec<String> = redis::cmd("KEYS").arg(format!("{prefix}:*")).query(&mut redis)?;
        if !keys.is_empty() {
            redis::cmd("DEL").arg(keys).exec(&mut redis)?;
        }
        Ok(())
    };
    if let Err(error) = remove() {
        eprintln!("could not remove the test's Redis keys under {prefix}: {error}");
    }
}
