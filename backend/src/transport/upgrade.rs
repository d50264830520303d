//! `GET /ws`: checks who is asking, accepts the WebSocket upgrade and hands the connection to
//! a session. Refusals are plain HTTP answers, before any WebSocket frame: 403 for a page from
//! an origin that may not connect, 429 for an address that holds too many connections.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tracing::{info, warn};

use super::app_state::AppState;
use super::handshake;
use crate::session;

/// Accepts the WebSocket upgrade and runs the connection's session once hyper hands the
/// connection over.
pub async fn websocket(
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    State(state): State<AppState>,
    mut request: Request<Body>,
) -> Response {
    if let Some(reason) = state.origins.refusal(request.headers()) {
        info!(%peer, %reason, "upgrade refused");
        return (StatusCode::FORBIDDEN, reason).into_response();
    }
    let answer = match handshake::accept(&request) {
        Ok(answer) => answer,
        Err(refusal) => return refusal.into_response(),
    };
    let Some(permit) = state.connection_limit.acquire(peer.ip()) else {
        let reason = format!(
            "this address already has {} open connections, the most allowed; close one first",
            state.connection_limit.per_address()
        );
        info!(%peer, %reason, "upgrade refused");
        return (StatusCode::TOO_MANY_REQUESTS, reason).into_response();
    };
    let upgrade = hyper::upgrade::on(&mut request);
    // Only what the session needs is moved into its task, which lives as long as the
    // connection.
    let (services, shutdown, settings) =
        (state.services.clone(), state.shutdown.clone(), state.session_settings.clone());
    // Tracked so that shutdown can wait for every session's goodbye; the permit is held until
    // the session ends.
    let session = state.sessions.track_future(async move {
        let upgraded = match upgrade.await {
            Ok(upgraded) => upgraded,
            Err(error) => {
                info!(%peer, %error, "the upgrade did not complete");
                return;
            }
        };
        // The server serves plain TCP (see `super::serve`), so this is always the connection; the
        // session uses its two halves separately.
        let parts = match upgraded.downcast::<TokioIo<TcpStream>>() {
            Ok(parts) => parts,
            Err(_) => {
                warn!(%peer, "the upgraded connection is not a TCP stream; closing it");
                return;
            }
        };
        // Copied out and dropped now: the bytes read ahead (usually none) sit in hyper's whole
        // read buffer (8 KiB), which would otherwise live as long as the connection.
        let hyper::upgrade::Parts { io, read_buf, .. } = parts;
        let read_ahead = read_buf.to_vec();
        drop(read_buf);
        let socket = io.into_inner();
        session::run(socket, read_ahead, peer, services, shutdown, settings).await;
        drop(permit);
    });
    tokio::spawn(session);
    answer
}
