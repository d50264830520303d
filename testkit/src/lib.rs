//! What the server's tests and tools share, as a crate of its own (the test binaries and
//! benchmarks of `backend` and the load generator depend on it): one module per tool.
//!
//! - [`test_database`]: a database of its own for each test, SQLite or PostgreSQL;
//! - [`ws_client`]: the WebSocket client the tests speak the protocol with;
//! - [`server_process`]: the server binary as a child process, with its logs, and the one
//!   command line every tool starts a server with; [`process_stats`]: its memory and CPU time;
//! - [`chrome_driver`]: chromedriver and headless Chromium sessions, with DevTools commands;
//! - [`chaos_proxy`], [`outage_proxy`], [`failover_proxy`]: TCP proxies that cut, stall or
//!   redirect connections (to the server, to Redis);
//! - [`audit`]: that every acknowledged message is stored once, in order, and reached everyone;
//! - [`redis_keys`]: cleaning a cluster's keys off the shared Redis.

pub mod audit;
pub mod chaos_proxy;
pub mod chrome_driver;
pub mod failover_proxy;
pub mod outage_proxy;
pub mod process_stats;
pub mod redis_keys;
pub mod server_process;
pub mod test_database;
pub mod ws_client;

/// Why a tool could not do its work (tests unwrap it; the load generator reports it).
pub type Failure = Box<dyn std::error::Error + Send + Sync>;

/// The `backend` binary that the running test binary was built with: cargo puts both in the
/// same target folder (`target/<profile>/`, the tests one level down, in `deps/`).
pub fn backend_binary() -> std::path::PathBuf {
    let test_binary = std::env::current_exe().unwrap_or_default();
    let profile_dir = test_binary.parent().and_then(std::path::Path::parent);
    profile_dir.map_or_else(|| "backend".into(), |dir| dir.join("backend"))
}
