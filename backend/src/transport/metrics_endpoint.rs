//! `GET /metrics` on its own listener (`--metrics-addr`, off by default; `--metrics-token`
//! asks scrapers for a bearer token): the Prometheus recorder (installed once per process), the
//! states read at each scrape, and the token check.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::hub::Hub;
use crate::metrics::names::{
    BUS_LAG, DELIVERY_LAG, HISTORY, OPEN_FILES, RESIDENT_BYTES, ROOMS, SEARCH, STORE_BATCH_SIZE,
    STORE_COMMIT,
};
use crate::metrics::process;

/// Latencies from half a millisecond to ten seconds.
const SECONDS: &[f64] =
    &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// Appends per transaction.
const BATCH_SIZES: &[f64] = &[1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0];
/// How often histograms are brought up to date between scrapes.
const UPKEEP: Duration = Duration::from_secs(5);

/// The metrics endpoint, bound and ready to serve.
#[derive(Debug)]
pub struct MetricsEndpoint {
    listener: TcpListener,
    state: Scrape,
}

#[derive(Debug, Clone)]
struct Scrape {
    handle: PrometheusHandle,
    hub: Hub,
    /// `Authorization: Bearer` value a scraper must present, if set.
    token: Option<String>,
}

impl MetricsEndpoint {
    /// Installs the recorder (once per process) and binds `addr`.
    pub async fn bind(addr: SocketAddr, token: Option<String>, hub: Hub) -> std::io::Result<Self> {
        let handle = recorder().clone();
        let listener = TcpListener::bind(addr).await?;
        Ok(Self { listener, state: Scrape { handle, hub, token } })
    }

    /// Where it listens.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves scrapes until `shutdown`.
    pub async fn serve(self, shutdown: CancellationToken) {
        let Self { listener, state } = self;
        let upkeep = state.handle.clone();
        let stop_upkeep = shutdown.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(UPKEEP);
            loop {
                tokio::select! {
                    () = stop_upkeep.cancelled() => return,
                    _ = tick.tick() => upkeep.run_upkeep(),
                }
            }
        });
        if let Ok(addr) = listener.local_addr() {
            info!(%addr, "metrics at http://{addr}/metrics");
        }
        let router = Router::new().route("/metrics", get(scrape)).with_state(state);
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async move { shutdown.cancelled().await })
            .await;
        if let Err(error) = served {
            warn!(%error, "the metrics endpoint stopped");
        }
    }
}

/// The process's one recorder: installed at the first call.
fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), SECONDS)
            .and_then(|builder| {
                builder
                    .set_buckets_for_metric(Matcher::Full(STORE_BATCH_SIZE.to_owned()), BATCH_SIZES)
            })
            // Fails only for empty bucket lists, which these are not.
            .unwrap_or_else(|_| PrometheusBuilder::new());
        match builder.install_recorder() {
            Ok(handle) => {
                describe();
                handle
            }
            // Another recorder is installed (a test's): render what this one holds (nothing).
            Err(error) => {
                warn!(%error, "could not install the metrics recorder");
                PrometheusBuilder::new().build_recorder().handle()
            }
        }
    })
}

/// The help lines of the histograms and states (the others are described where counted).
fn describe() {
    metrics::describe_histogram!(
        DELIVERY_LAG,
        metrics::Unit::Seconds,
        "broadcast hand-off to socket write"
    );
    metrics::describe_histogram!(STORE_COMMIT, metrics::Unit::Seconds, "one store transaction");
    metrics::describe_histogram!(STORE_BATCH_SIZE, "appends per store transaction");
    metrics::describe_histogram!(HISTORY, metrics::Unit::Seconds, "answering one history request");
    metrics::describe_histogram!(SEARCH, metrics::Unit::Seconds, "answering one search request");
    metrics::describe_histogram!(
        BUS_LAG,
        metrics::Unit::Seconds,
        "own heartbeat's trip through Redis"
    );
    metrics::describe_gauge!(ROOMS, "rooms this node knows");
    metrics::describe_gauge!(RESIDENT_BYTES, metrics::Unit::Bytes, "resident memory");
    metrics::describe_gauge!(OPEN_FILES, "open file descriptors");
}

async fn scrape(State(scrape): State<Scrape>, headers: HeaderMap) -> Response {
    if let Some(token) = &scrape.token {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "));
        if presented != Some(token.as_str()) {
            return (StatusCode::UNAUTHORIZED, "a bearer token is required\n").into_response();
        }
    }
    metrics::gauge!(ROOMS).set(scrape.hub.room_count() as f64);
    if let Some(bytes) = process::resident_bytes() {
        metrics::gauge!(RESIDENT_BYTES).set(bytes);
    }
    if let Some(files) = process::open_files() {
        metrics::gauge!(OPEN_FILES).set(files);
    }
    let body = scrape.handle.render();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}
