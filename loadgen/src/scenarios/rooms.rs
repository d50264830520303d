//! rooms: many small rooms at a steady rate (for example 2,000 rooms of 10, each getting one
//! message a second: 20,000 deliveries a second). Same figures as fanout.

use std::time::Duration;

use clap::Args;
use serde_json::json;

use super::{Setting, create_rooms, delivery_figures, member_plans, run_workers};
use crate::report::{Figure, Report};

#[derive(Debug, Clone, Args)]
pub struct Rooms {
    /// 1,990, not 2,000: 2,000 rooms of 10 would be 20,000 sockets in one server process, the
    /// open-file cap here (`ulimit -Hn`), and the server needs some files of its own.
    #[arg(long, default_value_t = 1_990)]
    pub rooms: usize,
    #[arg(long, default_value_t = 10)]
    pub room_size: usize,
    /// Messages per second into each room (from its first member).
    #[arg(long, default_value_t = 1.0)]
    pub rate_per_room: f64,
    #[arg(long, default_value_t = 10)]
    pub duration_s: u64,
}

pub async fn run(setting: &Setting, rooms: &Rooms) -> anyhow::Result<Report> {
    let mut report = Report::new(
        "rooms",
        json!({
            "rooms": rooms.rooms, "room_size": rooms.room_size, "rate_per_room": rooms.rate_per_room,
            "duration_s": rooms.duration_s, "workers": setting.workers,
        }),
    );
    let server = setting.start_server().await?;
    let names: Vec<String> = (0..rooms.rooms).map(|n| format!("small{n}")).collect();
    create_rooms(server.addr, &setting.run, &names).await?;
    let run_for = Duration::from_secs(rooms.duration_s);
    let total = rooms.rooms * rooms.room_size;
    let plans = member_plans(
        setting,
        server.addr,
        total,
        rooms.room_size,
        "small",
        1,
        rooms.rate_per_room,
        run_for,
    );
    let outcome = run_workers("rooms", &server, &plans, run_for).await?;
    report.add(
        Figure::new("members connected", outcome.connected() as f64, "members")
            .at_least(total as f64),
    );
    report.add(Figure::new("time to connect and join all", outcome.setup.as_secs_f64(), "s"));
    delivery_figures(&mut report, &outcome, run_for, rooms.room_size);
    if let Some(figure) = report.figures.iter_mut().find(|f| f.name == "delivery latency p99") {
        *figure = figure.clone().at_most(20.0);
    }
    if let Some(error) = outcome.first_error() {
        report.notes.push(format!("first error: {error}"));
    }
    server.stop().await;
    Ok(report)
}
