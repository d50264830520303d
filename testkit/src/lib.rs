//! What the server's tests share, as a crate of its own (the test binaries of `backend` depend
//! on it): one module per tool.
//!
//! - [`test_database`]: a database of its own for each test, SQLite or PostgreSQL;
//! - [`ws_client`]: the WebSocket client the tests speak the protocol with;
//! - [`server_process`]: the release-like server binary as a child process, with its logs;
//! - [`chaos_proxy`], [`outage_proxy`], [`failover_proxy`]: TCP proxies that cut, stall or
//!   redirect connections (to the server, to Redis);
//! - [`audit`]: that every acknowledged message is stored once, in order, and reached everyone;
//! - [`redis_keys`]: cleaning a cluster's keys off the shared Redis.

pub mod audit;
pub mod chaos_proxy;
pub mod failover_proxy;
pub mod outage_proxy;
pub mod redis_keys;
pub mod server_process;
pub mod test_database;
pub mod ws_client;

/// The `backend` binary that the running test binary was built with: cargo puts both in the
/// same target folder (`target/<profile>/`, the tests one level down, in `deps/`).
pub fn backend_binary() -> std::path::PathBuf {
    let test_binary = std::env::current_exe().unwrap_or_default();
    let profile_dir = test_binary.parent().and_then(std::path::Path::parent);
    profile_dir.map_or_else(|| "backend".into(), |dir| dir.join("backend"))
}
