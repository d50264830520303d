//! sign-ins: a storm of password sign-ins in the middle of the fanout load. The same fanout
//! (one room of N members, M messages a second) runs twice on fresh servers of the same build:
//! once quiet, once with S accounts signing in with their passwords at the same moment, a
//! third of the way into the sending. Measures the sign-ins' latency and what they cost the
//! room: its delivery p99 with the storm against without (the bar: at most 20 % higher).
//! Argon2id is meant to be slow; it must be slow off the threads that deliver messages.

use std::time::Duration;

use clap::Args;
use client::ConnectOptions;
use serde_json::json;
use tokio::time::Instant;

use super::{Setting, create_rooms, delivery_figures, member_plans, run_workers_signalling};
use crate::connect::SETUP_WAIT;
use crate::latency::Latency;
use crate::report::{Figure, Report};
use crate::server::Server;

const PASSWORD: &str = "loadgen passphrase, long enough";

#[derive(Debug, Clone, Args)]
pub struct SignIns {
    /// Members of the room.
    #[arg(long, default_value_t = 1_000)]
    pub members: usize,
    /// Messages per second into the room.
    #[arg(long, default_value_t = 250.0)]
    pub rate: f64,
    /// Members that send (the rate is split between them).
    #[arg(long, default_value_t = 10)]
    pub senders: usize,
    /// Seconds of sending.
    #[arg(long, default_value_t = 10)]
    pub duration_s: u64,
    /// Accounts signing in at once.
    #[arg(long, default_value_t = 200)]
    pub sign_ins: usize,
}

pub async fn run(setting: &Setting, storm: &SignIns) -> anyhow::Result<Report> {
    let mut report = Report::new(
        "sign-ins",
        json!({
            "members": storm.members, "rate": storm.rate, "senders": storm.senders,
            "duration_s": storm.duration_s, "sign_ins": storm.sign_ins, "workers": setting.workers,
        }),
    );
    let quiet = quiet_run(setting, storm).await?;
    let (stormy, sign_ins) = stormy_run(setting, storm).await?;
    let p99 = |report: &Report| {
        report.figures.iter().find(|f| f.name == "delivery latency p99").map_or(0.0, |f| f.value)
    };
    let (quiet_p99, stormy_p99) = (p99(&quiet), p99(&stormy));
    report.add(Figure::new("fanout p99 without sign-ins", quiet_p99, "ms"));
    report.add(
        Figure::new("fanout p99 during the sign-in storm", stormy_p99, "ms")
            .at_most(quiet_p99 * 1.2),
    );
    let summary = sign_ins.summary();
    report.add(
        Figure::new("sign-ins completed", summary.count as f64, "sign-ins")
            .at_least(storm.sign_ins as f64),
    );
    report.add(Figure::new("sign-in latency p50", summary.p50_ms, "ms"));
    report.add(Figure::new("sign-in latency p99", summary.p99_ms, "ms"));
    report.add(Figure::new("sign-in latency max", summary.max_ms, "ms"));
    for (name, run) in [("without", &quiet), ("during", &stormy)] {
        for figure in &run.figures {
            if ["lost deliveries", "server CPU per delivery", "delivery latency p50"]
                .contains(&figure.name.as_str())
            {
                report.add(Figure::new(
                    &format!("{} ({name} sign-ins)", figure.name),
                    figure.value,
                    &figure.unit,
                ));
            }
        }
    }
    Ok(report)
}

/// The server, with sign-in limits out of the way (the storm comes from one address).
async fn server(setting: &Setting) -> anyhow::Result<Server> {
    let unlimited = ["--sign-ins-per-address-per-minute", "1000000"].map(str::to_owned);
    Server::start(&setting.server_bin, &unlimited).await
}

/// The fanout alone.
async fn quiet_run(setting: &Setting, storm: &SignIns) -> anyhow::Result<Report> {
    let server = server(setting).await?;
    let (went, _nobody_waits) = tokio::sync::oneshot::channel();
    let report = measure(setting, storm, &server, went).await;
    server.stop().await;
    report
}

/// The fanout with the storm a third of the way into the sending.
async fn stormy_run(setting: &Setting, storm: &SignIns) -> anyhow::Result<(Report, Latency)> {
    let server = server(setting).await?;
    let names: Vec<String> =
        (0..storm.sign_ins).map(|n| format!("{}-acct{n}", setting.run)).collect();
    register_all(&server, &names).await?;
    let (went, sending) = tokio::sync::oneshot::channel();
    let addr = server.addr;
    let third = Duration::from_secs(storm.duration_s) / 3;
    let storming = tokio::spawn(async move {
        if sending.await.is_err() {
            return Ok(Latency::default());
        }
        tokio::time::sleep(third).await;
        sign_in_all(addr, names).await
    });
    let report = measure(setting, storm, &server, went).await;
    server.stop().await;
    let latency = storming.await??;
    Ok((report?, latency))
}

async fn measure(
    setting: &Setting,
    storm: &SignIns,
    server: &Server,
    went: tokio::sync::oneshot::Sender<()>,
) -> anyhow::Result<Report> {
    let mut report = Report::new("fanout", json!({}));
    create_rooms(server.addr, &setting.run, &["fanout0".to_owned()]).await?;
    let run_for = Duration::from_secs(storm.duration_s);
    let plans = member_plans(
        setting,
        server.addr,
        storm.members,
        storm.members,
        "fanout",
        storm.senders,
        storm.rate,
        run_for,
    );
    let label = format!("fanout {}/s", storm.rate);
    let outcome = run_workers_signalling(&label, server, &plans, run_for, None, went).await?;
    delivery_figures(&mut report, &outcome, run_for, storm.members);
    Ok(report)
}

/// Registers every account (each registration hashes once), a few at a time.
async fn register_all(server: &Server, names: &[String]) -> anyhow::Result<()> {
    for batch in names.chunks(16) {
        let registrations = batch.iter().map(|name| async move {
            let mut connection =
                client::Connection::open(server.addr, &ConnectOptions::default()).await?;
            connection.register(name, PASSWORD, SETUP_WAIT).await?;
            anyhow::Ok(())
        });
        for registered in futures_util::future::join_all(registrations).await {
            registered?;
        }
    }
    Ok(())
}

/// Signs every account in at once, each on a new connection; the time from the `sign_in`
/// going out to its `welcome`.
async fn sign_in_all(server: std::net::SocketAddr, names: Vec<String>) -> anyhow::Result<Latency> {
    let mut connections = Vec::with_capacity(names.len());
    for _ in &names {
        connections.push(client::Connection::open(server, &ConnectOptions::default()).await?);
    }
    let sign_ins = connections.into_iter().zip(names).map(|(mut connection, name)| async move {
        let started = Instant::now();
        connection.sign_in(&name, PASSWORD, SETUP_WAIT).await?;
        anyhow::Ok(started.elapsed())
    });
    let mut latency = Latency::default();
    for took in futures_util::future::join_all(sign_ins).await {
        latency.record(took?);
    }
    Ok(latency)
}
