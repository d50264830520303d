//! `GET /healthz` and `GET /readyz`, for load balancers and supervisors.

use axum::extract::State;
use axum::http::StatusCode;
use tracing::warn;

use super::app_state::AppState;

/// `GET /healthz`: the process is up and serving requests.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: whether this node can do its work: 200 when its store answers and (with
/// several nodes) it is subscribed to the bus and has heard it lately; 503 with what failed
/// when not, so a load balancer sends new connections elsewhere. The bus's state is the one
/// its background tasks last saw: no request waits on Redis.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    let bus = state.bus.check();
    let store = state.services.store.ping().await.map_err(|error| error.to_string());
    let report = |name: &str, check: &Result<(), String>| match check {
        Ok(()) => format!("{name} ok"),
        Err(error) => format!("{name}: {error}"),
    };
    let mut lines = vec![report("store", &store)];
    if state.bus.is_clustered() {
        lines.push(report("bus", &bus));
    }
    if store.is_ok() && bus.is_ok() {
        (StatusCode::OK, format!("ready: {}\n", lines.join("; ")))
    } else {
        warn!(report = %lines.join("; "), "readiness check failed");
        (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {}\n", lines.join("; ")))
    }
}
