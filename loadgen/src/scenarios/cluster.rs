//! cluster: several nodes sharing PostgreSQL and Redis, many connections held across them in
//! rooms of their own, and one room whose members are on every node getting a steady stream of
//! messages. Measures each node's memory, and the cross-node deliveries: how many, how fast,
//! and whether any were lost.

use std::time::Duration;

use anyhow::bail;
use clap::Args;
use serde_json::json;

use super::{Setting, create_rooms, delivery_figures, member_plan, psql, run_workers_on};
use crate::report::{Figure, Report};
use crate::server::Server;

/// Connections one worker process holds at most (the open-file cap is 20,000).
const PER_WORKER: usize = 15_000;

#[derive(Debug, Clone, Args)]
pub struct Cluster {
    /// Server processes (nodes).
    #[arg(long, default_value_t = 5)]
    pub nodes: usize,
    /// Connections held in all, besides the broadcast room's members, in rooms of
    /// `room_size`, spread over the nodes.
    #[arg(long, default_value_t = 90_000)]
    pub connections: usize,
    #[arg(long, default_value_t = 50)]
    pub room_size: usize,
    /// Members of the room that spans every node (spread evenly over the nodes).
    #[arg(long, default_value_t = 1_000)]
    pub broadcast_members: usize,
    /// Messages a second into that room (from one member, on the first node).
    #[arg(long, default_value_t = 1.0)]
    pub rate: f64,
    #[arg(long, default_value_t = 20)]
    pub duration_s: u64,
    /// PostgreSQL server (a database is created for the run and dropped after).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432")]
    pub postgres: String,
    #[arg(long, default_value = "redis://127.0.0.1:6379")]
    pub redis: String,
}

pub async fn run(setting: &Setting, cluster: &Cluster) -> anyhow::Result<Report> {
    let mut report = Report::new(
        "cluster",
        json!({
            "nodes": cluster.nodes, "connections": cluster.connections, "room_size": cluster.room_size,
            "broadcast_members": cluster.broadcast_members, "rate": cluster.rate,
            "duration_s": cluster.duration_s,
        }),
    );
    let database = format!("chat_loadgen_{}", std::process::id());
    psql(&cluster.postgres, &format!("CREATE DATABASE {database}"))?;
    let outcome = measure(setting, cluster, &database, &mut report).await;
    let dropped =
        psql(&cluster.postgres, &format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"));
    outcome?;
    dropped?;
    Ok(report)
}

async fn measure(
    setting: &Setting,
    cluster: &Cluster,
    database: &str,
    report: &mut Report,
) -> anyhow::Result<()> {
    let nodes = cluster.nodes.max(1);
    let flags = [
        "--database-url".to_owned(),
        format!("{}/{database}", cluster.postgres),
        "--redis-url".to_owned(),
        cluster.redis.clone(),
        "--redis-prefix".to_owned(),
        database.to_owned(),
    ];
    let mut servers = Vec::new();
    for _ in 0..nodes {
        servers.push(Server::start(&setting.server_bin, &flags).await?);
    }
    let rss_before: Vec<u64> =
        servers.iter().map(Server::rss_kib).collect::<anyhow::Result<_>>()?;
    let mut rooms: Vec<String> =
        (0..cluster.connections.div_ceil(cluster.room_size)).map(|n| format!("held{n}")).collect();
    rooms.push("across0".to_owned());
    create_rooms(servers[0].addr, &setting.run, &rooms).await?;
    // Let every node hear of the new rooms before members join them.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let run_for = Duration::from_secs(cluster.duration_s);
    let mut plans = Vec::new();
    // A whole number of workers per node, so every node holds the same share (one node
    // getting two workers' worth would pass its own open-file cap).
    let held_workers = cluster.connections.div_ceil(PER_WORKER).div_ceil(nodes) * nodes;
    for w in 0..held_workers {
        let first = cluster.connections * w / held_workers;
        let count = cluster.connections * (w + 1) / held_workers - first;
        let rooms = (cluster.room_size, "held", 0, 0.0);
        let server = servers[w % nodes].addr;
        plans.push(member_plan(setting, server, w, (first, count), rooms, run_for));
    }
    // The broadcast room: one plan per node, members 0..across all in room `across0` (with a
    // run tag of their own, so their nicknames differ from the held members'); member 0, on
    // the first node, sends.
    let across = cluster.broadcast_members;
    for (n, server) in servers.iter().enumerate() {
        let first = across * n / nodes;
        let count = across * (n + 1) / nodes - first;
        let rooms = (across, "across", 1, cluster.rate);
        let members = (first, count);
        let mut plan = member_plan(setting, server.addr, held_workers + n, members, rooms, run_for);
        plan.run = format!("{}b", setting.run);
        plans.push(plan);
    }
    let outcome = run_workers_on("cluster", &servers, &plans, run_for, None).await?;
    let expected = cluster.connections + across;
    report.add(
        Figure::new("connections held", outcome.connected() as f64, "connections")
            .at_least(expected as f64),
    );
    report.add(Figure::new(
        "connections refused or failed",
        outcome.failed() as f64,
        "connections",
    ));
    report.add(Figure::new("time to connect and join all", outcome.setup.as_secs_f64(), "s"));
    for (n, (after, before)) in outcome.rss_after_setup_per_node.iter().zip(&rss_before).enumerate()
    {
        report.add(Figure::new(
            &format!("node {n}: RSS holding them"),
            *after as f64 / 1024.0,
            "MiB",
        ));
        report.add(Figure::new(
            &format!("node {n}: RSS growth"),
            after.saturating_sub(*before) as f64 / 1024.0,
            "MiB",
        ));
    }
    for (n, cpu) in outcome.cpu_per_node.iter().enumerate() {
        report.add(Figure::new(
            &format!("node {n}: CPU during the run"),
            cpu / run_for.as_secs_f64() * 100.0,
            "% of a core",
        ));
    }
    // Only the broadcast room's members receive stamped messages.
    let broadcast = &outcome.results[held_workers..];
    let acked: u64 = broadcast.iter().map(|r| r.acked).sum();
    if acked == 0 {
        bail!("no message into the cross-node room was acknowledged");
    }
    // A member of the room whose sign-in was refused (counted above) never joined it, so it
    // was never owed a delivery: a refusal, reported as one, not deliveries lost.
    let never_joined: u64 = outcome.ready[held_workers..].iter().map(|ready| ready.failed).sum();
    report.add(Figure::new("room members refused at sign-in", never_joined as f64, "members"));
    let joined = across.saturating_sub(usize::try_from(never_joined).unwrap_or(across));
    delivery_figures(report, &outcome, run_for, joined);
    if let Some(error) = outcome.first_error() {
        report.notes.push(format!("first error: {error}"));
    }
    for server in servers {
        server.stop().await;
    }
    // The nodes' nickname reservations would expire within a minute; leave nothing behind.
    let _ = std::process::Command::new("redis-cli")
        .args(["-u", &cluster.redis, "EVAL"])
        .arg("for _, key in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', key) end")
        .args(["0", &format!("{database}:*")])
        .output();
    Ok(())
}
