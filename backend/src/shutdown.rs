//! Turning SIGINT / SIGTERM into a cancellation the whole server obeys.
//!
//! One [`CancellationToken`] is the server's shutdown signal: the HTTP listener stops
//! accepting, and every session says goodbye (`server_closing`, then close code 1001).

use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

/// Waits for SIGINT or SIGTERM, then cancels `token`.
pub async fn cancel_on_signal(token: CancellationToken) {
    wait_for_signal().await;
    info!("shutdown signal received");
    token.cancel();
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = match signal(SignalKind::terminate()) {
        Ok(stream) => stream,
        Err(error) => {
            warn!(%error, "cannot listen for SIGTERM; only Ctrl-C will stop the server");
            if let Err(error) = tokio::signal::ctrl_c().await {
                warn!(%error, "cannot listen for Ctrl-C either");
                std::future::pending::<()>().await;
            }
            return;
        }
    };
    tokio::select! {
        result = tokio::signal::ctrl_c() => {
            if let Err(error) = result {
                warn!(%error, "cannot listen for Ctrl-C; waiting for SIGTERM only");
                terminate.recv().await;
            }
        }
        _ = terminate.recv() => {}
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    if let Err(error) = tokio::signal::ctrl_c().await {
        warn!(%error, "cannot listen for Ctrl-C");
        std::future::pending::<()>().await;
    }
}
