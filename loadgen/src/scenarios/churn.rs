//! churn: connect, sign in, join, send, leave, disconnect, over and over, from many loops at
//! once, while other rooms carry a steady load. Measures full cycles per second.

use std::time::Duration;

use clap::Args;
use serde_json::json;

use super::{Setting, create_rooms, member_plans, run_workers};
use crate::latency::Latency;
use crate::report::{Figure, Report};
use crate::worker::{Job, Plan};
use crate::workers::worker_address;

#[derive(Debug, Clone, Args)]
pub struct Churn {
    /// Loops running cycles at once (spread over the workers).
    #[arg(long, default_value_t = 64)]
    pub loops: usize,
    /// The steady load beside it: rooms of 10 members, one message a second each.
    #[arg(long, default_value_t = 100)]
    pub background_rooms: usize,
    #[arg(long, default_value_t = 10)]
    pub duration_s: u64,
}

pub async fn run(setting: &Setting, churn: &Churn) -> anyhow::Result<Report> {
    let mut report = Report::new(
        "churn",
        json!({
            "loops": churn.loops, "background_rooms": churn.background_rooms,
            "duration_s": churn.duration_s, "workers": setting.workers,
        }),
    );
    let server = setting.start_server().await?;
    let mut rooms: Vec<String> =
        (0..churn.background_rooms).map(|n| format!("steady{n}")).collect();
    rooms.push("churn".to_owned());
    create_rooms(server.addr, &setting.run, &rooms).await?;
    let run_for = Duration::from_secs(churn.duration_s);
    let mut plans = member_plans(
        setting,
        server.addr,
        churn.background_rooms * 10,
        10,
        "steady",
        1,
        1.0,
        run_for,
    );
    let background = plans.len();
    let workers = setting.workers.max(1);
    for n in 0..workers {
        let loops = churn.loops * (n + 1) / workers - churn.loops * n / workers;
        plans.push(Plan {
            server: server.addr,
            // Churn opens a new port per cycle: its own addresses, away from the members'.
            bind: Some(worker_address(workers + n)),
            run: format!("{}c{n}", setting.run),
            job: Job::Churn { loops, room: "churn".to_owned() },
            duration_ms: run_for.as_millis() as u64,
            drain_ms: 0,
        });
    }
    let outcome = run_workers("churn", &server, &plans, run_for).await?;
    let (steady, cycling) = outcome.results.split_at(background);
    let cycles: u64 = cycling.iter().map(|r| r.cycles).sum();
    let errors: u64 = cycling.iter().map(|r| r.errors).sum();
    let mut cycle_time = Latency::default();
    for result in cycling {
        cycle_time.add_counts(&result.latency);
    }
    let mut steady_latency = Latency::default();
    for result in steady {
        steady_latency.add_counts(&result.latency);
    }
    let cycle_summary = cycle_time.summary();
    report.add(
        Figure::new("full cycles per second", cycles as f64 / run_for.as_secs_f64(), "/s")
            .at_least(2_000.0),
    );
    report.add(Figure::new("cycle time p50", cycle_summary.p50_ms, "ms"));
    report.add(Figure::new("cycle time p99", cycle_summary.p99_ms, "ms"));
    report.add(Figure::new("failed cycles", errors as f64, "cycles"));
    report.add(Figure::new(
        "steady load: delivery latency p99",
        steady_latency.summary().p99_ms,
        "ms",
    ));
    report.add(
        Figure::new(
            "steady load: connections dropped",
            steady.iter().map(|r| r.dropped).sum::<u64>() as f64,
            "connections",
        )
        .at_most(0.0),
    );
    report.add(Figure::new("server CPU time", outcome.server_cpu_seconds, "s"));
    if let Some(error) = outcome.first_error() {
        report.notes.push(format!("first error: {error}"));
    }
    server.stop().await;
    Ok(report)
}
