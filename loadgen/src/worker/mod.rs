//! Worker processes: the load is spread over several of them, so no process nears the
//! 20,000-open-files cap, and each binds its sockets to its own local address (127.0.0.2,
//! 127.0.0.3, ...) so none runs out of ephemeral ports.
//!
//! The parent and each worker talk in lines: the parent writes the worker's [`Plan`] (JSON)
//! to its stdin; the worker sets up (connects, signs in, joins), writes `ready <Ready>`, waits
//! for the parent's `go`, runs for the plan's duration, and writes `result <WorkerResult>`.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, bail};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::{Semaphore, watch};
use tokio::time::Instant;

use client::Connection;

use crate::connect::{SETUP_WAIT, connect};

mod churn;
mod history_probe;
mod member;

use self::churn::Churn;
use self::history_probe::HistoryProbe;
use self::member::Member;
use crate::latency::{Counts, Latency};

/// Connections a worker opens at once during set-up.
const PARALLEL_CONNECTS: usize = 100;
/// Latency samples a member keeps before adding them to the worker's histogram.
const SAMPLE_BATCH: usize = 256;

/// What one worker does.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub server: SocketAddr,
    /// The local address its sockets use.
    pub bind: Option<IpAddr>,
    /// Makes nicknames unique to this run.
    pub run: String,
    pub job: Job,
    /// How long to send after `go`.
    pub duration_ms: u64,
    /// How long to keep reading after the last send (so late deliveries are counted).
    pub drain_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Job {
    /// Members `first..first + count`; member `i` is in room `{room_prefix}{i / room_size}`,
    /// and the first `senders_per_room` members of each room send, together `rate_per_room`
    /// messages a second, each stamped with its send time.
    Members {
        first: usize,
        count: usize,
        room_size: usize,
        room_prefix: String,
        senders_per_room: usize,
        rate_per_room: f64,
        body_padding: usize,
    },
    /// `loops` loops of: connect, hello, join `room`, send one message (waiting for its ack),
    /// leave, close.
    Churn { loops: usize, room: String },
    /// One member of `room` asking for its latest `limit` messages, one request at a time.
    History { room: String, limit: u32, pause_ms: u64 },
}

/// A worker's report after set-up.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Ready {
    pub connected: u64,
    pub failed: u64,
    pub setup_ms: u64,
    pub first_error: Option<String>,
}

/// A worker's figures after its run.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct WorkerResult {
    pub sent: u64,
    pub acked: u64,
    /// Stamped messages received (every member receives its room's messages, its own too).
    pub received: u64,
    /// Connections that ended before the run did (closed by the server, or failed).
    pub dropped: u64,
    /// Delivery latency (members), cycle time (churn) or answer time (history).
    pub latency: Counts,
    /// Completed churn cycles, or history answers.
    pub cycles: u64,
    pub errors: u64,
    pub first_error: Option<String>,
}

/// Runs this process as a worker (`loadgen worker`): plan from stdin, figures to stdout.
pub async fn worker_main() -> anyhow::Result<()> {
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let plan: Plan = serde_json::from_str(&lines.next_line().await?.context("no plan on stdin")?)?;
    let mut out = tokio::io::stdout();
    let started = Instant::now();
    let shared = Arc::new(Shared::default());
    let (go, _) = watch::channel(None);
    let prepared = prepare(&plan, &shared, &go).await;
    let ready = Ready {
        connected: (prepared.clients.len() + prepared.members.len()) as u64,
        failed: prepared.failed,
        setup_ms: started.elapsed().as_millis() as u64,
        first_error: prepared.first_error.clone(),
    };
    out.write_all(format!("ready {}\n", serde_json::to_string(&ready)?).as_bytes()).await?;
    out.flush().await?;
    match lines.next_line().await? {
        Some(line) if line == "go" => {}
        other => bail!("expected go, got {other:?}"),
    }
    let result = run(&plan, prepared, shared, &go).await;
    out.write_all(format!("result {}\n", serde_json::to_string(&result)?).as_bytes()).await?;
    out.flush().await?;
    Ok(())
}

/// Set-up: the connections a job holds before `go`. Members are already running (reading
/// what their room gets, as a real client would: one that stopped reading during a long
/// set-up would be disconnected as too slow, or as silent, before the run began).
struct Prepared {
    clients: Vec<(usize, Connection)>,
    members: Vec<tokio::task::JoinHandle<()>>,
    failed: u64,
    first_error: Option<String>,
}

/// When the run's sending stops, and when reading stops; sent to running members at `go`.
#[derive(Debug, Clone, Copy)]
struct Window {
    stop_sending: Instant,
    stop: Instant,
}

async fn prepare(
    plan: &Plan,
    shared: &Arc<Shared>,
    go: &watch::Sender<Option<Window>>,
) -> Prepared {
    let (indices, room_of): (Vec<usize>, Box<dyn Fn(usize) -> String + Send + Sync>) = match &plan
        .job
    {
        Job::Members { first, count, room_size, room_prefix, .. } => {
            let (size, prefix) = (*room_size, room_prefix.clone());
            ((*first..first + count).collect(), Box::new(move |i| format!("{prefix}{}", i / size)))
        }
        Job::History { room, .. } => {
            let room = room.clone();
            (vec![0], Box::new(move |_| room.clone()))
        }
        Job::Churn { .. } => {
            return Prepared {
                clients: Vec::new(),
                members: Vec::new(),
                failed: 0,
                first_error: None,
            };
        }
    };
    let room_of = Arc::new(room_of);
    let permits = Arc::new(Semaphore::new(PARALLEL_CONNECTS));
    let mut setups: FuturesUnordered<_> = indices
        .into_iter()
        .map(|index| {
            let (permits, room_of, plan) = (permits.clone(), room_of.clone(), plan.clone());
            let (shared, go) = (shared.clone(), go.subscribe());
            tokio::spawn(async move {
                let permit = permits.acquire_owned().await;
                let mut client = connect(plan.server, plan.bind).await?;
                client.hello(&format!("{}-{index}", plan.run), None, SETUP_WAIT).await?;
                let room = room_of(index);
                client.join(&room, SETUP_WAIT).await?;
                drop(permit);
                match Member::for_plan(&plan, index, room) {
                    Some(member) => {
                        Ok(Setup::Running(tokio::spawn(member.run(client, shared, go))))
                    }
                    None => Ok::<_, anyhow::Error>(Setup::Held(index, Box::new(client))),
                }
            })
        })
        .collect();
    let mut prepared =
        Prepared { clients: Vec::new(), members: Vec::new(), failed: 0, first_error: None };
    while let Some(setup) = setups.next().await {
        match setup.map_err(anyhow::Error::from).and_then(|outcome| outcome) {
            Ok(Setup::Held(index, client)) => prepared.clients.push((index, *client)),
            Ok(Setup::Running(member)) => prepared.members.push(member),
            Err(error) => {
                prepared.failed += 1;
                prepared.first_error.get_or_insert_with(|| format!("{error:#}"));
            }
        }
    }
    prepared.clients.sort_by_key(|(index, _)| *index);
    prepared
}

/// A connection after set-up: running as a member, or held for the job to use.
enum Setup {
    Running(tokio::task::JoinHandle<()>),
    Held(usize, Box<Connection>),
}

/// Counters the tasks of one worker share.
#[derive(Debug, Default)]
struct Shared {
    sent: AtomicU64,
    acked: AtomicU64,
    received: AtomicU64,
    dropped: AtomicU64,
    cycles: AtomicU64,
    errors: AtomicU64,
    latency: Mutex<Latency>,
    first_error: Mutex<Option<String>>,
}

impl Shared {
    fn record(&self, samples: &mut Vec<Duration>) {
        let mut latency = self.latency.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for sample in samples.drain(..) {
            latency.record(sample);
        }
    }

    fn error(&self, error: &anyhow::Error) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        let mut first = self.first_error.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        first.get_or_insert_with(|| format!("{error:#}"));
    }
}

async fn run(
    plan: &Plan,
    prepared: Prepared,
    shared: Arc<Shared>,
    go: &watch::Sender<Option<Window>>,
) -> WorkerResult {
    let start = Instant::now();
    let stop_sending = start + Duration::from_millis(plan.duration_ms);
    let stop = stop_sending + Duration::from_millis(plan.drain_ms);
    // Members are running already: they start sending now.
    let _ = go.send(Some(Window { stop_sending, stop }));
    let mut tasks = prepared.members;
    match &plan.job {
        Job::Members { .. } => {}
        Job::Churn { loops, room } => {
            for number in 0..*loops {
                let churn = Churn { plan: plan.clone(), room: room.clone(), number, stop_sending };
                tasks.push(tokio::spawn(churn.run(shared.clone())));
            }
        }
        Job::History { limit, pause_ms, room } => {
            for (_, client) in prepared.clients {
                let probe = HistoryProbe {
                    room: room.clone(),
                    limit: *limit,
                    pause: Duration::from_millis(*pause_ms),
                    stop_sending,
                };
                tasks.push(tokio::spawn(probe.run(client, shared.clone())));
            }
        }
    }
    for task in tasks {
        let _ = task.await;
    }
    let latency = shared.latency.lock().unwrap_or_else(std::sync::PoisonError::into_inner).counts();
    let first_error =
        shared.first_error.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    WorkerResult {
        sent: shared.sent.load(Ordering::Relaxed),
        acked: shared.acked.load(Ordering::Relaxed),
        received: shared.received.load(Ordering::Relaxed),
        dropped: shared.dropped.load(Ordering::Relaxed),
        latency,
        cycles: shared.cycles.load(Ordering::Relaxed),
        errors: shared.errors.load(Ordering::Relaxed),
        first_error,
    }
}
