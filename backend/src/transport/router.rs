//! The routes: the WebSocket, the health checks, and the page's files (precompressed, with
//! their cache policy), with the security headers on every answer.

use std::path::Path;

use axum::Router;
use axum::middleware;
use axum::routing::get;
use tower::Layer;
use tower_http::trace::TraceLayer;

use super::app_state::AppState;
use super::{health, page_files, security_headers, upgrade};

/// Every route, serving the page from `static_dir`.
pub fn router(state: AppState, static_dir: &Path) -> Router {
    // Health checks are asked every few seconds by every load balancer: not traced (a 503
    // would be an error line each time); `/readyz` logs when its answer changes.
    let health =
        Router::new().route("/healthz", get(health::healthz)).route("/readyz", get(health::readyz));
    let mut router = Router::new()
        .route("/ws", get(upgrade::websocket))
        .fallback_service(
            middleware::from_fn(page_files::cache_headers).layer(page_files::service(static_dir)),
        )
        .layer(TraceLayer::new_for_http())
        .merge(health);
    for header in security_headers::layers(static_dir) {
        router = router.layer(header);
    }
    router.with_state(state)
}
