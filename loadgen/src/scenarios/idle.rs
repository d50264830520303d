//! idle: open N connections, sign each in and join a room, and hold them. Measures the
//! server's memory per connection (RSS growth, read from `/proc/<pid>/status`), the kernel's
//! TCP socket memory, and the server's CPU use while nothing happens.

use std::time::Duration;

use clap::Args;
use serde_json::json;

use super::{Setting, create_rooms, member_plans, run_workers};
use crate::report::{Figure, Report};
use crate::server::tcp_socket_memory_kib;

#[derive(Debug, Clone, Args)]
pub struct Idle {
    /// Connections to hold.
    #[arg(long, default_value_t = 19_000)]
    pub connections: usize,
    /// Members per room (each connection joins one room; one huge room would measure the
    /// join storm instead, see `fanout`).
    #[arg(long, default_value_t = 50)]
    pub room_size: usize,
    /// How long to hold them, in seconds (the idle CPU is measured over it).
    #[arg(long, default_value_t = 10)]
    pub hold_s: u64,
}

pub async fn run(setting: &Setting, idle: &Idle) -> anyhow::Result<Report> {
    let mut report = Report::new(
        "idle",
        json!({
            "connections": idle.connections, "room_size": idle.room_size, "hold_s": idle.hold_s,
            "workers": setting.workers,
        }),
    );
    let server = setting.start_server().await?;
    let rooms: Vec<String> =
        (0..idle.connections.div_ceil(idle.room_size)).map(|n| format!("idle{n}")).collect();
    create_rooms(server.addr, &setting.run, &rooms).await?;
    let rss_before = server.rss_kib()?;
    let sockets_before = tcp_socket_memory_kib()?;
    let hold = Duration::from_secs(idle.hold_s);
    let plans =
        member_plans(setting, server.addr, idle.connections, idle.room_size, "idle", 0, 0.0, hold);
    let outcome = run_workers("idle", &server, &plans, hold).await?;
    let connected = outcome.connected();
    let sockets_after = tcp_socket_memory_kib()?;
    let growth_kib = outcome.rss_after_setup_kib.saturating_sub(rss_before);
    let per_connection = if connected == 0 { 0.0 } else { growth_kib as f64 / connected as f64 };
    report.add(
        Figure::new("connections held", connected as f64, "connections")
            .at_least(idle.connections as f64),
    );
    report.add(Figure::new(
        "connections refused or failed",
        outcome.failed() as f64,
        "connections",
    ));
    report.add(Figure::new("time to connect and join all", outcome.setup.as_secs_f64(), "s"));
    report.add(Figure::new("server RSS before", rss_before as f64 / 1024.0, "MiB"));
    report.add(Figure::new(
        "server RSS holding them",
        outcome.rss_after_setup_kib as f64 / 1024.0,
        "MiB",
    ));
    report.add(Figure::new("server RSS growth per connection", per_connection, "KiB").at_most(8.0));
    let socket_growth = sockets_after.saturating_sub(sockets_before);
    report.add(Figure::new(
        "kernel TCP memory per connection (both ends)",
        if connected == 0 { 0.0 } else { socket_growth as f64 / connected as f64 },
        "KiB",
    ));
    report.add(Figure::new(
        "server CPU while idle",
        outcome.server_cpu_seconds / (hold.as_secs_f64() + super::DRAIN.as_secs_f64()) * 100.0,
        "% of a core",
    ));
    report.add(
        Figure::new(
            "connections dropped while held",
            outcome.sum(|r| r.dropped) as f64,
            "connections",
        )
        .at_most(0.0),
    );
    if let Some(error) = outcome.first_error() {
        report.notes.push(format!("first error: {error}"));
    }
    server.stop().await;
    Ok(report)
}
