//! `GET /ws`: accepts the WebSocket upgrade and hands the connection to a session.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::response::Response;

use crate::session;
use crate::startup::AppState;

/// Upgrades the request to a WebSocket whose frames and messages are limited to
/// [`common::MAX_FRAME_BYTES`]; a larger one closes the connection with code 1009.
pub async fn websocket(
    upgrade: WebSocketUpgrade,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    State(state): State<AppState>,
) -> Response {
    upgrade
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
            // Tracked so that shutdown can wait for every session's goodbye.
            state.sessions.track_future(session)
        })
}
