//! Building the application: the listener, the router and the state every handler shares.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;
use tracing::{info, warn};

use crate::bus::{Bus, BusError};
use crate::catch_up::CatchUp;
use crate::cluster_names::ClusterNames;
use crate::config::Settings;
use crate::connection_limit::ConnectionLimit;
use crate::hub::{Hub, Published};
use crate::origin::OriginPolicy;
use crate::session::SessionSettings;
use crate::store::{Store, StoreError};
use crate::{security_headers, upgrade};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot listen: {0}")]
    Listen(#[from] io::Error),
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    #[error("cannot set up the bus: {0}")]
    Bus(#[from] BusError),
}

/// What every request handler can reach. Cheap to clone: handles around shared state.
#[derive(Debug, Clone)]
pub struct AppState {
    pub hub: Hub,
    pub store: Store,
    /// The other nodes, if any (for `/readyz`).
    pub bus: Bus,
    /// Cancelled once, when the server starts shutting down.
    pub shutdown: CancellationToken,
    /// Every live session, so shutdown can wait for their goodbyes.
    pub sessions: TaskTracker,
    pub session_settings: SessionSettings,
    /// Which pages may open a WebSocket.
    pub origins: OriginPolicy,
    /// Open connections per address.
    pub connection_limit: ConnectionLimit,
}

/// A server bound to its address, ready to run. Tests build one on `127.0.0.1:0` and read the
/// port back with [`Application::local_addr`].
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    local_addr: SocketAddr,
    state: AppState,
    router: Router,
    shutdown_grace: Duration,
    /// How long a client may take to send its request headers.
    header_timeout: Duration,
}

impl Application {
    /// Opens the store, binds the listener and builds the router.
    pub async fn build(settings: &Settings) -> Result<Self, StartupError> {
        let (bus, bus_queue, cluster_names, releases) = match &settings.redis_url {
            Some(url) => {
                let (bus, queue) = Bus::redis(url, &settings.redis_prefix, settings.node_ttl())?;
                let (names, releases) = ClusterNames::redis(
                    url,
                    &settings.redis_prefix,
                    settings.node_ttl(),
                    settings.nickname_grace(),
                )
                .map_err(BusError::from)?;
                (bus, Some(queue), names, Some(releases))
            }
            None => (Bus::local(), None, ClusterNames::local(), None),
        };
        let hub = Hub::clustered(
            settings.nickname_grace(),
            bus.clone(),
            cluster_names.clone(),
            settings.write_gather(),
        );
        let catch_up = CatchUp::default();
        let (publisher, missed) = (hub.clone(), catch_up.clone());
        let store = Store::open(
            &settings.database_url,
            Arc::new(move |messages| {
                let batch = publisher.publish_stored(messages);
                for (message, outcome) in messages.iter().zip(&batch.published) {
                    // Another node's message in between has not reached this one yet.
                    if let Published::Waiting { .. } = outcome {
                        missed.room(&message.room);
                    }
                }
                batch.deliveries
            }),
            settings.gather(),
        )
        .await?;
        for (room, last_seq) in store.rooms().await? {
            hub.add_room(room, last_seq);
        }
        let shutdown = CancellationToken::new();
        if let (Some(queue), Some(releases)) = (bus_queue, releases) {
            tokio::spawn(catch_up.clone().run(hub.clone(), store.clone(), shutdown.clone()));
            tokio::spawn(bus.clone().run(queue, hub.clone(), catch_up, shutdown.clone()));
            tokio::spawn(cluster_names.run(releases, hub.clone(), shutdown.clone()));
        }
        let listener = TcpListener::bind(settings.addr).await?;
        let local_addr = listener.local_addr()?;
        if !settings.static_dir.join("index.html").is_file() {
            warn!(
                static_dir = %settings.static_dir.display(),
                "no index.html in the static directory; build the page with `trunk build --release`"
            );
        }
        let state = AppState {
            hub,
            store,
            bus,
            shutdown,
            sessions: TaskTracker::new(),
            session_settings: SessionSettings {
                outbox_bytes: settings.outbox_bytes,
                shutdown_grace: settings.shutdown_grace(),
                rates: settings.rates(),
                ping_interval: Duration::from_millis(settings.ping_interval_ms.max(1)),
                idle_timeout: Duration::from_millis(settings.idle_timeout_ms),
            },
            origins: OriginPolicy::new(&settings.allowed_origins),
            connection_limit: ConnectionLimit::new(settings.max_connections_per_address),
        };
        let mut router = Router::new()
            .route("/ws", get(upgrade::websocket))
            .route("/healthz", get(healthz))
            .route("/readyz", get(readyz))
            .fallback_service(ServeDir::new(&settings.static_dir));
        for header in security_headers::layers(&settings.static_dir) {
            router = router.layer(header);
        }
        let router = router.layer(TraceLayer::new_for_http()).with_state(state.clone());
        Ok(Self {
            listener,
            local_addr,
            state,
            router,
            shutdown_grace: settings.shutdown_grace(),
            header_timeout: Duration::from_millis(settings.request_header_timeout_ms.max(1)),
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Cancelling this token shuts the server down gracefully.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.state.shutdown.clone()
    }

    /// Serves until the shutdown token is cancelled, then waits (up to the grace period) for
    /// every session to say goodbye to its client.
    pub async fn run(self) -> io::Result<()> {
        let Self { listener, local_addr, state, router, shutdown_grace, header_timeout } = self;
        info!(addr = %local_addr, "listening on http://{local_addr}");
        let shutdown = state.shutdown.clone();
        crate::serve::serve(listener, router, header_timeout, shutdown, shutdown_grace).await?;
        state.sessions.close();
        if tokio::time::timeout(shutdown_grace, state.sessions.wait()).await.is_err() {
            warn!(remaining = state.sessions.len(), "sessions still open after the grace period");
        }
        info!("stopped");
        Ok(())
    }
}

/// `GET /healthz`: the process is up and serving requests.
async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: whether this node can do its work: 200 when its store answers and (with
/// several nodes) it is subscribed to the bus and Redis answers; 503 with what failed when
/// not, so a load balancer sends new connections elsewhere.
async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    let (store, bus) = tokio::join!(state.store.ping(), state.bus.check());
    let store = store.map_err(|error| error.to_string());
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
