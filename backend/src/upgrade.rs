//! `GET /ws`: checks who is asking, accepts the WebSocket upgrade and hands the connection to
//! a session. Refusals are plain HTTP answers, before any WebSocket frame: 403 for a page from
//! an origin that may not connect, 429 for an address that holds too many connections.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use tracing::info;

use crate::session;
use crate::startup::AppState;

/// The WebSocket library's read buffer per connection. Its default (128 KiB) is allocated up
/// front for every connection, idle or not, and would dominate the server's memory; chat
/// frames are small (a chat message is a few hundred bytes), and a larger one is simply read
/// in several steps.
const READ_BUFFER_BYTES: usize = 1024;

/// Upgrades the request to a WebSocket whose frames and messages are limited to
/// [`common::MAX_FRAME_BYTES`]; a larger one closes the connection with code 1009.
pub async fn websocket(
    upgrade: WebSocketUpgrade,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Response {
    if let Some(reason) = state.origins.refusal(&headers) {
        info!(%peer, %reason, "upgrade refused");
        return (StatusCode::FORBIDDEN, reason).into_response();
    }
    let Some(permit) = state.connection_limit.acquire(peer.ip()) else {
        let reason = format!(
            "this address already has {} open connections, the most allowed; close one first",
            state.connection_limit.per_address()
        );
        info!(%peer, %reason, "upgrade refused");
        return (StatusCode::TOO_MANY_REQUESTS, reason).into_response();
    };
    upgrade
        .read_buffer_size(READ_BUFFER_BYTES)
        .max_message_size(common::MAX_FRAME_BYTES)
        .max_frame_size(common::MAX_FRAME_BYTES)
        .on_upgrade(move |socket| {
            let session = session::run(
                socket,
                peer,
                state.hub.clone(),
                state.store.clone(),
                state.shutdown.clone(),
                state.session_settings.clone(),
            );
            // Tracked so that shutdown can wait for every session's goodbye; the permit is
            // held until the session ends.
            state.sessions.track_future(async move {
                session.await;
                drop(permit);
            })
        })
}
