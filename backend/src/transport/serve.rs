//! Accepting TCP connections and serving HTTP/1.1 (and WebSocket upgrades) on each, with a
//! deadline for the request headers.
//!
//! This is what `axum::serve` does, plus hyper's header read timeout, which `axum::serve` does
//! not turn on: without it, a client that opens connections and sends its headers a byte at a
//! time (slowloris), or never, holds a socket and a task for as long as it likes. With it, an
//! upgrade that never finishes is dropped after `--request-header-timeout-ms`.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;
use tracing::{debug, warn};

/// How long to wait before accepting again after `accept` failed (out of file descriptors,
/// say): long enough not to spin, short enough to recover quickly.
const ACCEPT_RETRY: Duration = Duration::from_millis(50);

/// Serves `router` on `listener` until `shutdown` is cancelled, then waits up to `grace` for
/// requests in progress. Upgraded WebSockets are not waited for here: their sessions have
/// their own goodbye.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    shutdown: CancellationToken,
    grace: Duration,
) -> io::Result<()> {
    let connections = TaskTracker::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(header_timeout);
    loop {
        let (stream, peer) = tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(ACCEPT_RETRY).await;
                    continue;
                }
            },
        };
        // Chat frames are small and latency matters more than packing them.
        if let Err(error) = stream.set_nodelay(true) {
            debug!(%error, "cannot set TCP_NODELAY");
        }
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            router.clone().oneshot(request)
        });
        let connection = http.serve_connection(TokioIo::new(stream), service).with_upgrades();
        let shutdown = shutdown.clone();
        connections.spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let ended = tokio::select! {
                ended = connection.as_mut() => ended,
                () = shutdown.cancelled() => {
                    // Finish the request in progress, if any, then close.
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            // Timeouts and clients that vanish end here; nothing to do but note it.
            if let Err(error) = ended {
                debug!(%error, %peer, "HTTP connection ended with an error");
            }
        });
    }
    drop(listener);
    connections.close();
    if tokio::time::timeout(grace, connections.wait()).await.is_err() {
        warn!("HTTP requests still in progress after the grace period");
    }
    Ok(())
}
