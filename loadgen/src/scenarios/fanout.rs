//! fanout: one room of N members, M messages a second coming in (from a few of the members),
//! every message delivered to all N. Measures deliveries per second, delivery latency, lost
//! deliveries, and the server's CPU time per delivery; with several rates, the highest that
//! keeps p99 under 100 ms with nothing lost. Setting the room up is also the join storm: N
//! clients connecting and joining one room at once.

use std::time::Duration;

use clap::Args;
use serde_json::json;

use super::{Setting, create_rooms, delivery_figures, member_plans, run_workers_counting};
use crate::report::{Figure, Report};

#[derive(Debug, Clone, Args)]
pub struct Fanout {
    /// Members of the room.
    #[arg(long, default_value_t = 1_000)]
    pub members: usize,
    /// Messages per second into the room; several (comma-separated) run one after another,
    /// each on a fresh server.
    #[arg(long, value_delimiter = ',', default_value = "250")]
    pub rates: Vec<f64>,
    /// Members that send (the rate is split between them).
    #[arg(long, default_value_t = 10)]
    pub senders: usize,
    /// Seconds of sending per rate.
    #[arg(long, default_value_t = 10)]
    pub duration_s: u64,
}

pub async fn run(setting: &Setting, fanout: &Fanout) -> anyhow::Result<Vec<Report>> {
    let mut reports = Vec::new();
    let mut best: Option<f64> = None;
    for &rate in &fanout.rates {
        let mut report = Report::new(
            "fanout",
            json!({
                "members": fanout.members, "rate": rate, "senders": fanout.senders,
                "duration_s": fanout.duration_s, "workers": setting.workers,
            }),
        );
        let server = setting.start_server().await?;
        create_rooms(server.addr, &setting.run, &["fanout0".to_owned()]).await?;
        let run_for = Duration::from_secs(fanout.duration_s);
        let plans = member_plans(
            setting,
            server.addr,
            fanout.members,
            fanout.members,
            "fanout",
            fanout.senders,
            rate,
            run_for,
        );
        let label = format!("fanout {rate}/s");
        let count = Some((setting.run.as_str(), "fanout0"));
        let outcome = run_workers_counting(&label, &server, &plans, run_for, count).await?;
        report.add(
            Figure::new("members connected", outcome.connected() as f64, "members")
                .at_least(fanout.members as f64),
        );
        report.add(
            Figure::new(
                "join storm: all connected and joined after",
                outcome.setup.as_secs_f64() * 1000.0,
                "ms",
            )
            .at_most(2_000.0),
        );
        let listed = outcome.listed.unwrap_or(0);
        report.add(
            Figure::new("members in the presence list", listed as f64, "members")
                .at_least(fanout.members as f64),
        );
        let (per_second, p99, lost) =
            delivery_figures(&mut report, &outcome, run_for, fanout.members);
        if let Some(figure) = report.figures.iter_mut().find(|f| f.name == "deliveries per second")
        {
            *figure = figure.clone().at_least(250_000.0);
        }
        if let Some(figure) = report.figures.iter_mut().find(|f| f.name == "delivery latency p99") {
            *figure = figure.clone().at_most(100.0);
        }
        if let Some(figure) =
            report.figures.iter_mut().find(|f| f.name == "server CPU per delivery")
        {
            *figure = figure.clone().at_most(1.25);
        }
        if p99 < 100.0 && lost == 0 && outcome.sum(|r| r.dropped) == 0 {
            best = Some(best.map_or(rate, |b: f64| b.max(rate)));
        }
        report.notes.push(format!("{per_second:.0} deliveries/s at {rate} messages/s in"));
        if let Some(error) = outcome.first_error() {
            report.notes.push(format!("first error: {error}"));
        }
        server.stop().await;
        reports.push(report);
    }
    if let Some(last) = reports.last_mut() {
        let value = best.unwrap_or(0.0);
        last.add(Figure::new(
            "highest rate tried with p99 < 100 ms and nothing lost",
            value,
            "messages/s",
        ));
    }
    Ok(reports)
}
