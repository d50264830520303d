//! The scenarios, one per file, and what they share: splitting members over worker processes,
//! running the workers while watching the server, and adding up what they found.

pub mod churn;
pub mod cluster;
pub mod fanout;
pub mod history;
pub mod idle;
pub mod page;
pub mod rooms;
pub mod search;
pub mod sign_ins;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use common::{ClientMessage, ErrorReply, Joined, ServerMessage};
use futures_util::{SinkExt, StreamExt};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use crate::connect::{SETUP_WAIT, connect};
use crate::latency::Latency;
use crate::server::Server;
use crate::worker::{Job, Plan, Ready, WorkerResult};
use crate::workers::{Workers, worker_address};

/// What every scenario is given.
#[derive(Debug, Clone)]
pub struct Setting {
    /// The server binary to start for each run.
    pub server_bin: PathBuf,
    /// Worker processes to spread connections over.
    pub workers: usize,
    /// A tag that makes this run's nicknames unique.
    pub run: String,
    /// A server already running (address and process id) to use instead of starting one.
    pub attach: Option<(SocketAddr, u32)>,
}

impl Setting {
    /// The server for a run: started fresh, or the one given with `--attach`.
    pub async fn start_server(&self) -> anyhow::Result<Server> {
        match self.attach {
            Some((addr, pid)) => Server::attach(addr, pid).await,
            None => Server::start(&self.server_bin, &[]).await,
        }
    }
}

/// Members `0..total` in rooms of `room_size`, split evenly over the workers.
#[allow(clippy::too_many_arguments, reason = "one plain description of the members of a run")]
pub fn member_plans(
    setting: &Setting,
    server: SocketAddr,
    total: usize,
    room_size: usize,
    room_prefix: &str,
    senders_per_room: usize,
    rate_per_room: f64,
    duration: Duration,
) -> Vec<Plan> {
    let workers = setting.workers.clamp(1, total.max(1));
    (0..workers)
        .map(|n| {
            let first = total * n / workers;
            let count = total * (n + 1) / workers - first;
            let rooms = (room_size, room_prefix, senders_per_room, rate_per_room);
            member_plan(setting, server, n, (first, count), rooms, duration)
        })
        .collect()
}

/// Worker `worker`'s plan: members `first..first + count` (`members`), in rooms of
/// `room_size` named `{room_prefix}{n}`, the first `senders_per_room` of each sending
/// `rate_per_room` messages a second together (`rooms`).
pub fn member_plan(
    setting: &Setting,
    server: SocketAddr,
    worker: usize,
    (first, count): (usize, usize),
    (room_size, room_prefix, senders_per_room, rate_per_room): (usize, &str, usize, f64),
    duration: Duration,
) -> Plan {
    Plan {
        server,
        bind: Some(worker_address(worker)),
        run: setting.run.clone(),
        job: Job::Members {
            first,
            count,
            room_size,
            room_prefix: room_prefix.to_owned(),
            senders_per_room,
            rate_per_room,
            body_padding: 0,
        },
        duration_ms: duration.as_millis() as u64,
        drain_ms: DRAIN.as_millis() as u64,
    }
}

/// How long members keep reading after the last send.
pub const DRAIN: Duration = Duration::from_secs(2);

/// What a run of workers found, added up, with the server's CPU time during the run.
#[derive(Debug, Default)]
pub struct Outcome {
    pub ready: Vec<Ready>,
    pub results: Vec<WorkerResult>,
    pub setup: Duration,
    /// How many people the counted room's presence list showed after set-up.
    pub listed: Option<usize>,
    /// The server's CPU time during the sending window (all nodes' together).
    pub server_cpu_seconds: f64,
    /// The server's RSS once everyone is set up (all nodes' together).
    pub rss_after_setup_kib: u64,
    /// The same, per node.
    pub rss_after_setup_per_node: Vec<u64>,
    pub cpu_per_node: Vec<f64>,
    pub latency: Latency,
}

impl Outcome {
    pub fn connected(&self) -> u64 {
        self.ready.iter().map(|ready| ready.connected).sum()
    }
    pub fn failed(&self) -> u64 {
        self.ready.iter().map(|ready| ready.failed).sum()
    }
    pub fn sum(&self, field: impl Fn(&WorkerResult) -> u64) -> u64 {
        self.results.iter().map(field).sum()
    }
    /// The first error any worker met, for the notes.
    pub fn first_error(&self) -> Option<String> {
        let from_setup = self.ready.iter().find_map(|ready| ready.first_error.clone());
        from_setup.or_else(|| self.results.iter().find_map(|result| result.first_error.clone()))
    }
}

/// Starts the workers for `plans`, waits for their set-up, runs them (showing progress), and
/// adds up their figures (`latency` over every worker; `results` in the order of `plans`).
pub async fn run_workers(
    label: &str,
    server: &Server,
    plans: &[Plan],
    run_for: Duration,
) -> anyhow::Result<Outcome> {
    run_workers_counting(label, server, plans, run_for, None).await
}

/// [`run_workers`], also counting who `count_room`'s presence list shows once everyone is set
/// up (in [`Outcome::listed`]).
pub async fn run_workers_counting(
    label: &str,
    server: &Server,
    plans: &[Plan],
    run_for: Duration,
    count_room: Option<(&str, &str)>,
) -> anyhow::Result<Outcome> {
    run_workers_on(label, std::slice::from_ref(server), plans, run_for, count_room).await
}

/// [`run_workers_counting`] that says on `went` when the workers start sending (for a
/// scenario that does something else in the middle of the load).
pub async fn run_workers_signalling(
    label: &str,
    server: &Server,
    plans: &[Plan],
    run_for: Duration,
    count_room: Option<(&str, &str)>,
    went: tokio::sync::oneshot::Sender<()>,
) -> anyhow::Result<Outcome> {
    watch_workers(label, std::slice::from_ref(server), plans, run_for, count_room, Some(went)).await
}

/// [`run_workers_counting`] against several nodes: memory and CPU time are read from each
/// (and added up in the totals); the room is counted on the first.
pub async fn run_workers_on(
    label: &str,
    servers: &[Server],
    plans: &[Plan],
    run_for: Duration,
    count_room: Option<(&str, &str)>,
) -> anyhow::Result<Outcome> {
    watch_workers(label, servers, plans, run_for, count_room, None).await
}

async fn watch_workers(
    label: &str,
    servers: &[Server],
    plans: &[Plan],
    run_for: Duration,
    count_room: Option<(&str, &str)>,
    went: Option<tokio::sync::oneshot::Sender<()>>,
) -> anyhow::Result<Outcome> {
    let server = servers.first().ok_or_else(|| anyhow::anyhow!("no server"))?;
    let started = Instant::now();
    let mut workers = Workers::spawn(plans).await?;
    let ready = workers.ready().await?;
    let setup = started.elapsed();
    let listed = match count_room {
        Some((run, room)) => Some(members_listed(server.addr, run, room).await?),
        None => None,
    };
    let rss_after_setup_per_node =
        servers.iter().map(Server::rss_kib).collect::<anyhow::Result<Vec<_>>>()?;
    let cpu_before_per_node =
        servers.iter().map(Server::cpu_seconds).collect::<anyhow::Result<Vec<_>>>()?;
    let cpu_before = server.cpu_seconds()?;
    workers.go().await?;
    if let Some(went) = went {
        let _ = went.send(());
    }
    let window = Instant::now();
    let mut cpu_at_end = None;
    let mut cpu_at_end_per_node = None;
    let total = run_for + DRAIN;
    let mut last_cpu = (cpu_before, Instant::now());
    while window.elapsed() < total {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let cpu = server.cpu_seconds()?;
        let busy = (cpu - last_cpu.0) / last_cpu.1.elapsed().as_secs_f64() * 100.0;
        last_cpu = (cpu, Instant::now());
        if cpu_at_end.is_none() && window.elapsed() >= run_for {
            cpu_at_end = Some(cpu);
            cpu_at_end_per_node =
                Some(servers.iter().map(Server::cpu_seconds).collect::<anyhow::Result<Vec<_>>>()?);
        }
        eprint!(
            "\r  {label}: {:>4.0}/{:.0} s  server RSS {:>7.1} MiB  server CPU {:>5.1}%   ",
            window.elapsed().as_secs_f64().min(total.as_secs_f64()),
            total.as_secs_f64(),
            server.rss_kib()? as f64 / 1024.0,
            busy
        );
        let _ = std::io::stderr().flush();
    }
    eprintln!();
    let results = workers.results().await?;
    let cpu_at_end = cpu_at_end.unwrap_or(server.cpu_seconds()?);
    let cpu_at_end_per_node = match cpu_at_end_per_node {
        Some(cpu) => cpu,
        None => servers.iter().map(Server::cpu_seconds).collect::<anyhow::Result<Vec<_>>>()?,
    };
    let cpu_per_node: Vec<f64> = cpu_at_end_per_node
        .iter()
        .zip(&cpu_before_per_node)
        .map(|(end, start)| end - start)
        .collect();
    let mut latency = Latency::default();
    for result in &results {
        latency.add_counts(&result.latency);
    }
    Ok(Outcome {
        ready,
        results,
        setup,
        listed,
        server_cpu_seconds: if servers.len() == 1 {
            cpu_at_end - cpu_before
        } else {
            cpu_per_node.iter().sum()
        },
        rss_after_setup_kib: rss_after_setup_per_node.iter().sum(),
        rss_after_setup_per_node,
        cpu_per_node,
        latency,
    })
}

/// Creates rooms through one connection, requests pipelined (sent together, answers read
/// after).
pub async fn create_rooms(server: SocketAddr, run: &str, rooms: &[String]) -> anyhow::Result<()> {
    let mut client = connect(server, None).await?;
    client.hello(&format!("{run}-maker"), None, SETUP_WAIT).await?;
    for chunk in rooms.chunks(500) {
        for room in chunk {
            let request = ClientMessage::CreateRoom {
                request_id: client.request_id(),
                room: room.clone(),
                private: false,
            };
            client.socket.send(Message::text(request.to_json())).await?;
        }
        let mut answered = 0;
        while answered < chunk.len() {
            let frame = tokio::time::timeout(Duration::from_secs(60), client.socket.next())
                .await?
                .ok_or_else(|| anyhow::anyhow!("closed while creating rooms"))??;
            let Message::Text(text) = frame else { continue };
            match serde_json::from_str::<ServerMessage>(text.as_str())? {
                ServerMessage::Created(_) => answered += 1,
                ServerMessage::Error(ErrorReply {
                    code: common::ErrorCode::RoomExists, ..
                }) => answered += 1,
                ServerMessage::Error(ErrorReply { message, .. }) => {
                    anyhow::bail!("creating rooms: {message}")
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Everyone listed in `room`, as a newcomer's `joined` says, or, in a counted room, as the
/// newcomer reads the list a page at a time (each name once).
pub async fn members_listed(server: SocketAddr, run: &str, room: &str) -> anyhow::Result<usize> {
    let mut client = connect(server, None).await?;
    client.hello(&format!("{run}-counter"), None, SETUP_WAIT).await?;
    let join = ClientMessage::Join { request_id: client.request_id(), room: room.to_owned() };
    let listed = match client.request(&join, SETUP_WAIT).await? {
        ServerMessage::Joined(Joined { member_count: Some(_), .. }) => {
            every_member_page(&mut client, room).await?
        }
        ServerMessage::Joined(Joined { members, .. }) => members.len(),
        other => anyhow::bail!("joining {room} to count: {other:?}"),
    };
    // The newcomer is in the list too.
    Ok(listed.saturating_sub(1))
}

/// How many different people `room`'s member pages list, read to the end.
async fn every_member_page(client: &mut client::Connection, room: &str) -> anyhow::Result<usize> {
    let mut seen = std::collections::HashSet::new();
    let mut after = None;
    loop {
        let request_id = client.request_id();
        let limit = Some(u64::from(common::MEMBER_PAGE_MAX));
        let ask = ClientMessage::Members { request_id, room: room.to_owned(), after, limit };
        match client.request(&ask, SETUP_WAIT).await? {
            ServerMessage::MemberPage(page) => {
                for member in page.members {
                    anyhow::ensure!(
                        seen.insert(member.as_str().to_owned()),
                        "{member} listed twice"
                    );
                }
                after = page.next_after.map(|name| name.as_str().to_owned());
            }
            other => anyhow::bail!("reading {room}'s members: {other:?}"),
        }
        if after.is_none() {
            return Ok(seen.len());
        }
    }
}

/// Delivery figures shared by the fanout and rooms scenarios: how many, how fast, what was
/// lost, and the server's CPU time per delivery.
pub fn delivery_figures(
    report: &mut crate::report::Report,
    outcome: &Outcome,
    run_for: Duration,
    members_per_room: usize,
) -> (f64, f64, u64) {
    use crate::report::Figure;
    let received = outcome.sum(|r| r.received);
    let acked = outcome.sum(|r| r.acked);
    let expected = acked * members_per_room as u64;
    let lost = expected.saturating_sub(received);
    let per_second = received as f64 / run_for.as_secs_f64();
    let summary = outcome.latency.summary();
    report.add(Figure::new("messages sent", outcome.sum(|r| r.sent) as f64, "messages"));
    report.add(Figure::new("messages acknowledged", acked as f64, "messages"));
    report.add(Figure::new("deliveries", received as f64, "deliveries"));
    report.add(Figure::new("deliveries per second", per_second, "/s"));
    report.add(Figure::new("delivery latency p50", summary.p50_ms, "ms"));
    report.add(Figure::new("delivery latency p99", summary.p99_ms, "ms"));
    report.add(Figure::new("delivery latency p99.9", summary.p999_ms, "ms"));
    report.add(Figure::new("delivery latency max", summary.max_ms, "ms"));
    report.add(Figure::new("lost deliveries", lost as f64, "deliveries").at_most(0.0));
    report.add(
        Figure::new("connections dropped", outcome.sum(|r| r.dropped) as f64, "connections")
            .at_most(0.0),
    );
    let cpu_per_delivery_us =
        if received == 0 { 0.0 } else { outcome.server_cpu_seconds / received as f64 * 1e6 };
    report.add(Figure::new("server CPU time", outcome.server_cpu_seconds, "s"));
    report.add(Figure::new("server CPU per delivery", cpu_per_delivery_us, "µs"));
    let per_cpu_second = if outcome.server_cpu_seconds > 0.0 {
        received as f64 / outcome.server_cpu_seconds
    } else {
        0.0
    };
    report.add(Figure::new("deliveries per server CPU-second", per_cpu_second, "/cpu-s"));
    (per_second, summary.p99_ms, lost)
}

/// Runs one statement with `psql` against the server's `postgres` database.
pub fn psql(server: &str, statement: &str) -> anyhow::Result<()> {
    let status = std::process::Command::new("psql")
        .arg(format!("{server}/postgres"))
        .args(["-qc", statement])
        .status()
        .map_err(|error| anyhow::anyhow!("running psql: {error}"))?;
    if !status.success() {
        anyhow::bail!("psql failed: {statement}");
    }
    Ok(())
}
