//! history: how long loading a room's latest 50 messages takes, with the server idle and then
//! under the fanout load (a room of N members getting M messages a second).

use std::time::Duration;

use clap::Args;
use common::{ClientId, ClientMessage, ServerMessage};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use super::{Setting, create_rooms, member_plans, run_workers};
use crate::connect::{SETUP_WAIT, connect};
use crate::latency::Latency;
use crate::report::{Figure, Report};
use crate::worker::{Job, Plan};

#[derive(Debug, Clone, Args)]
pub struct History {
    /// Messages stored in the room before reading.
    #[arg(long, default_value_t = 1_000)]
    pub messages: usize,
    /// The fanout load for the second phase: members, and messages a second.
    #[arg(long, default_value_t = 1_000)]
    pub fanout_members: usize,
    #[arg(long, default_value_t = 250.0)]
    pub fanout_rate: f64,
    /// Seconds per phase.
    #[arg(long, default_value_t = 10)]
    pub duration_s: u64,
}

pub async fn run(setting: &Setting, history: &History) -> anyhow::Result<Report> {
    let mut report = Report::new(
        "history",
        json!({
            "messages": history.messages, "fanout_members": history.fanout_members,
            "fanout_rate": history.fanout_rate, "duration_s": history.duration_s, "workers": setting.workers,
        }),
    );
    let server = setting.start_server().await?;
    create_rooms(server.addr, &setting.run, &["archive".to_owned(), "fanout0".to_owned()]).await?;
    fill(server.addr, &setting.run, "archive", history.messages).await?;
    let run_for = Duration::from_secs(history.duration_s);
    let probe = Plan {
        server: server.addr,
        bind: None,
        run: format!("{}h", setting.run),
        job: Job::History { room: "archive".to_owned(), limit: 50, pause_ms: 5 },
        duration_ms: run_for.as_millis() as u64,
        drain_ms: 0,
    };

    let idle = run_workers("history, idle", &server, std::slice::from_ref(&probe), run_for).await?;
    let mut plans = member_plans(
        setting,
        server.addr,
        history.fanout_members,
        history.fanout_members,
        "fanout",
        10,
        history.fanout_rate,
        run_for,
    );
    let probe_index = plans.len();
    plans.push(Plan { run: format!("{}g", setting.run), ..probe });
    let loaded = run_workers("history, under fanout", &server, &plans, run_for).await?;

    let mut under_load = Latency::default();
    under_load.add_counts(&loaded.results[probe_index].latency);
    let mut fanout = Latency::default();
    for result in &loaded.results[..probe_index] {
        fanout.add_counts(&result.latency);
    }
    for (phase, latency) in [("idle", idle.latency.clone()), ("under fanout", under_load)] {
        let summary = latency.summary();
        report.add(Figure::new(&format!("{phase}: reads"), summary.count as f64, "reads"));
        report.add(Figure::new(&format!("{phase}: latest 50, p50"), summary.p50_ms, "ms"));
        report.add(
            Figure::new(&format!("{phase}: latest 50, p99"), summary.p99_ms, "ms").at_most(5.0),
        );
    }
    let deliveries: u64 = loaded.results[..probe_index].iter().map(|r| r.received).sum();
    report.add(Figure::new(
        "fanout deliveries per second meanwhile",
        deliveries as f64 / run_for.as_secs_f64(),
        "/s",
    ));
    report.add(Figure::new("fanout delivery latency p99 meanwhile", fanout.summary().p99_ms, "ms"));
    if let Some(error) = idle.first_error().or_else(|| loaded.first_error()) {
        report.notes.push(format!("first error: {error}"));
    }
    server.stop().await;
    Ok(report)
}

/// Stores `count` messages in `room`, pipelined over one connection.
async fn fill(
    server: std::net::SocketAddr,
    run: &str,
    room: &str,
    count: usize,
) -> anyhow::Result<()> {
    let mut client = connect(server, None).await?;
    client.hello(&format!("{run}-filler"), None, SETUP_WAIT).await?;
    client.join(room, SETUP_WAIT).await?;
    for n in 0..count {
        let send = ClientMessage::Send {
            request_id: client.request_id(),
            room: room.to_owned(),
            client_id: ClientId::parse(&format!("fill-{n}")).map_err(anyhow::Error::msg)?,
            body: format!("message {n} of the archive, long enough to look like a real one"),
            reply_to: None,
        };
        client.socket.send(Message::text(send.to_json())).await?;
    }
    let mut acked = 0;
    while acked < count {
        let frame = tokio::time::timeout(Duration::from_secs(60), client.socket.next())
            .await?
            .ok_or_else(|| anyhow::anyhow!("closed while filling"))??;
        let Message::Text(text) = frame else { continue };
        if let ServerMessage::Ack(_) = serde_json::from_str(text.as_str())? {
            acked += 1;
        }
    }
    Ok(())
}
