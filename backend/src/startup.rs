//! Building the application: it only wires the layers together (store, hub, cluster,
//! delivery, sessions, transport) and owns the listener.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{info, warn};

use crate::accounts::{AccountError, Accounts};
use crate::cluster::bus::{Bus, BusError};
use crate::cluster::catch_up::CatchUp;
use crate::cluster::cluster_names::ClusterNames;
use crate::cluster::nicknames::Nicknames;
use crate::cluster::pulse::Pulse;
use crate::config::Settings;
use crate::delivery::gathering::Gathering;
use crate::delivery::{Delivery, publish};
use crate::hub::{Hub, OtherNodes};
use crate::session::{Services, SessionSettings};
use crate::store::{Store, StoreError};
use crate::transport::app_state::AppState;
use crate::transport::connection_limit::ConnectionLimit;
use crate::transport::metrics_endpoint::MetricsEndpoint;
use crate::transport::origin::OriginPolicy;
use crate::transport::readiness_log::ReadinessLog;
use crate::transport::router::router;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot listen: {0}")]
    Listen(#[from] io::Error),
    #[error("cannot prepare the accounts: {0}")]
    Accounts(#[from] AccountError),
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    #[error("cannot set up the bus: {0}")]
    Bus(#[from] BusError),
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
    /// `GET /metrics`, when asked for.
    metrics: Option<MetricsEndpoint>,
}

impl Application {
    /// Opens the store, binds the listener and builds the router.
    pub async fn build(settings: &Settings) -> Result<Self, StartupError> {
        let (bus, bus_queue, cluster_names, releases) = match &settings.redis_url {
            Some(url) => {
                let pulse = Arc::new(Pulse::new(settings.node_ttl()));
                let (bus, queue) =
                    Bus::redis(url, &settings.redis_prefix, settings.node_ttl(), pulse.clone())?;
                let (names, releases) = ClusterNames::redis(
                    url,
                    &settings.redis_prefix,
                    settings.node_ttl(),
                    settings.nickname_grace(),
                    pulse,
                )
                .map_err(BusError::from)?;
                (bus, Some(queue), names, Some(releases))
            }
            None => (Bus::local(), None, ClusterNames::local(), None),
        };
        let gathering =
            Gathering { commit_window: settings.gather(), write_window: settings.write_gather() };
        let other_nodes = bus.is_clustered().then(|| Arc::new(bus.clone()) as Arc<dyn OtherNodes>);
        let broadcasts = gathering.broadcast_writer();
        let hub = Hub::with(settings.nickname_grace(), other_nodes, broadcasts.clone())
            .listing_up_to(settings.listed_members_max);
        let catch_up = CatchUp::default();
        let store = Store::open(&settings.database_url).await?;
        for listing in store.rooms().await? {
            hub.add_room(listing.name, listing.last_seq, listing.private);
        }
        for mute in store.mutes().await? {
            hub.load_mute(&mute.room, mute.nickname_key, mute.until);
        }
        let publish = publish::to_members_and_nodes(hub.clone(), bus.clone(), catch_up.clone());
        let delivery = Delivery::start(store.clone(), publish, gathering, broadcasts);
        let shutdown = CancellationToken::new();
        if let (Some(queue), Some(releases)) = (bus_queue, releases) {
            tokio::spawn(catch_up.clone().run(hub.clone(), store.clone(), shutdown.clone()));
            let bus_task =
                bus.clone().run(queue, hub.clone(), catch_up, store.clone(), shutdown.clone());
            tokio::spawn(bus_task);
            tokio::spawn(cluster_names.clone().run(releases, hub.clone(), shutdown.clone()));
        }
        tokio::spawn(tell_member_counts(hub.clone(), shutdown.clone()));
        if let Some(days) = settings.retain_days {
            tokio::spawn(crate::jobs::retention::run(
                days,
                store.clone(),
                hub.clone(),
                shutdown.clone(),
            ));
        }
        let listener = TcpListener::bind(settings.addr).await?;
        let local_addr = listener.local_addr()?;
        if !settings.static_dir.join("index.html").is_file() {
            warn!(
                static_dir = %settings.static_dir.display(),
                "no index.html in the static directory; build the page with `trunk build --release`"
            );
        }
        let nicknames = Nicknames::new(hub.clone(), cluster_names);
        let accounts = Accounts::new(store.clone(), settings.account_policy());
        accounts.prepare().await?;
        let state = AppState {
            services: Arc::new(Services { hub, store, delivery, nicknames, accounts }),
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
            readiness: ReadinessLog::default(),
        };
        let metrics = match settings.metrics_addr {
            Some(addr) => {
                let token = settings.metrics_token.clone();
                Some(MetricsEndpoint::bind(addr, token, state.services.hub.clone()).await?)
            }
            None => None,
        };
        // After the metrics recorder is installed (above), so its gauge is seen.
        let backlog =
            crate::jobs::search_backlog::run(state.services.store.clone(), state.shutdown.clone());
        tokio::spawn(backlog);
        let router = router(state.clone(), &settings.static_dir);
        Ok(Self {
            metrics,
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

    /// Where `GET /metrics` is served, if it is.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().and_then(|metrics| metrics.local_addr().ok())
    }

    /// Cancelling this token shuts the server down gracefully.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.state.shutdown.clone()
    }

    /// Serves until the shutdown token is cancelled, then waits (up to the grace period) for
    /// every session to say goodbye to its client.
    pub async fn run(self) -> io::Result<()> {
        let Self { listener, local_addr, state, router, shutdown_grace, header_timeout, metrics } =
            self;
        info!(addr = %local_addr, "listening on http://{local_addr}");
        let shutdown = state.shutdown.clone();
        if let Some(metrics) = metrics {
            tokio::spawn(metrics.serve(shutdown.clone()));
        }
        crate::transport::serve::serve(listener, router, header_timeout, shutdown, shutdown_grace)
            .await?;
        state.sessions.close();
        if tokio::time::timeout(shutdown_grace, state.sessions.wait()).await.is_err() {
            warn!(remaining = state.sessions.len(), "sessions still open after the grace period");
        }
        info!("stopped");
        Ok(())
    }
}

/// Tells the members of counted rooms how many are in, every
/// [`common::MEMBER_COUNT_INTERVAL_MS`] while it changes (see `crate::hub`'s headcount).
async fn tell_member_counts(hub: Hub, shutdown: CancellationToken) {
    let mut ticks = tokio::time::interval(Duration::from_millis(common::MEMBER_COUNT_INTERVAL_MS));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = ticks.tick() => hub.tell_member_counts(),
        }
    }
}
