//! `GET /healthz` and `GET /readyz`, for load balancers and supervisors.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;

use super::app_state::AppState;

/// How long the store may take to answer: a store slower than this is not ready, and the check
/// answers without waiting for it (a load balancer's health check has a deadline of its own).
const STORE_DEADLINE: Duration = Duration::from_millis(500);

/// `GET /healthz`: the process is up and serving requests.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: whether this node can do its work: 200 when its store answers and (with
/// several nodes) it is subscribed to the bus and has heard it lately; 503 with what failed
/// when not, so a load balancer sends new connections elsewhere. The bus's state is the one
/// its background tasks last saw: no request waits on Redis; the store gets
/// [`STORE_DEADLINE`].
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    let bus = state.bus.check();
    let store = match tokio::time::timeout(STORE_DEADLINE, state.services.store.ping()).await {
        Ok(answer) => answer.map_err(|error| error.to_string()),
        Err(_) => Err(format!("no answer within {} ms", STORE_DEADLINE.as_millis())),
    };
    let report = |name: &str, check: &Result<(), String>| match check {
        Ok(()) => format!("{name} ok"),
        Err(error) => format!("{name}: {error}"),
    };
    let mut lines = vec![report("store", &store)];
    if state.bus.is_clustered() {
        lines.push(report("bus", &bus));
    }
    let ready = store.is_ok() && bus.is_ok();
    let report = lines.join("; ");
    state.readiness.log_change(ready, &report);
    if ready {
        (StatusCode::OK, format!("ready: {report}\n"))
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {report}\n"))
    }
}
