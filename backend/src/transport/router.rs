//! The routes: the WebSocket, the health checks, and the page's files, with the security
//! headers on every answer.

use std::path::Path;

use axum::Router;
use axum::routing::get;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use super::app_state::AppState;
use super::{health, security_headers, upgrade};

/// Every route, serving the page from `static_dir`.
pub fn router(state: AppState, static_dir: &Path) -> Router {
    let mut router = Router::new()
        .route("/ws", get(upgrade::websocket))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .fallback_service(ServeDir::new(static_dir));
    for header in security_headers::layers(static_dir) {
        router = router.layer(header);
    }
    router.layer(TraceLayer::new_for_http()).with_state(state)
}
