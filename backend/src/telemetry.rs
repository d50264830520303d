//! Structured logs through `tracing`, filtered by `RUST_LOG` (default: `info`).

use tracing_subscriber::EnvFilter;

/// Installs the global log subscriber. Call once, from the binary.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_target(false).init();
}
