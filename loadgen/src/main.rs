//! The chat's load generator. Each scenario starts the release server itself (so it can read
//! the server's memory and CPU time from `/proc`), drives it from worker processes, and prints
//! a table of figures (with the bars of the benchmarks issue) and writes them, with the
//! machine and commit, to a JSON file. See `docs/BENCHMARKS.md`.

mod browser;
mod connect;
mod latency;
mod report;
mod scenarios;
mod server;
mod stamp;
mod wire_meter;
mod worker;
mod workers;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use report::Report;
use scenarios::Setting;

#[derive(Debug, Parser)]
#[command(name = "loadgen", about = "Load scenarios for the chat server, with figures")]
struct Cli {
    /// The server binary each scenario starts.
    #[arg(long, default_value = "target/release/backend", global = true)]
    server_bin: PathBuf,
    /// Worker processes the connections are spread over (each binds its own 127.0.0.x).
    #[arg(long, default_value_t = 4, global = true)]
    workers: usize,
    /// Use the server already listening at this address (for instance one running under a
    /// profiler) instead of starting one; give its process id with `--attach-pid`.
    #[arg(long, global = true, requires = "attach_pid")]
    attach: Option<std::net::SocketAddr>,
    #[arg(long, global = true)]
    attach_pid: Option<u32>,
    /// Where the JSON report goes.
    #[arg(long, default_value = "target/loadgen/report.json", global = true)]
    out: PathBuf,
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Debug, Subcommand)]
enum Scenario {
    /// Hold many idle connections: server memory per connection, socket memory, idle CPU.
    Idle(scenarios::idle::Idle),
    /// One big room: deliveries per second, latency, losses, CPU per delivery, join storm.
    Fanout(scenarios::fanout::Fanout),
    /// Many small rooms at a steady rate.
    Rooms(scenarios::rooms::Rooms),
    /// Connect-join-send-leave-disconnect cycles per second beside a steady load.
    Churn(scenarios::churn::Churn),
    /// Several nodes on PostgreSQL and Redis: connections held across them, and one room
    /// spanning every node.
    Cluster(scenarios::cluster::Cluster),
    /// Latency of loading the latest 50 messages, idle and under fanout.
    History(scenarios::history::History),
    /// A storm of password sign-ins during the fanout: their latency, and the room's p99 with
    /// and without them.
    SignIns(scenarios::sign_ins::SignIns),
    /// The release page in headless Chromium: bytes received on a cold and a repeat visit,
    /// and when it is painted and usable on emulated slow networks.
    Page(scenarios::page::Page),
    /// Search latency on a big imported store (English and Chinese words), and how long
    /// indexing it at start-up takes.
    Search(scenarios::search::Search),
    /// (internal) run as a worker process of another loadgen.
    #[command(hide = true)]
    Worker,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let setting = Setting {
        server_bin: cli.server_bin.clone(),
        workers: cli.workers,
        run: format!("lg{}", std::process::id() % 100_000),
        attach: cli.attach.zip(cli.attach_pid),
    };
    let reports: Vec<Report> = match &cli.scenario {
        Scenario::Worker => return worker::worker_main().await,
        Scenario::Idle(idle) => vec![scenarios::idle::run(&setting, idle).await?],
        Scenario::Fanout(fanout) => scenarios::fanout::run(&setting, fanout).await?,
        Scenario::Rooms(rooms) => vec![scenarios::rooms::run(&setting, rooms).await?],
        Scenario::Churn(churn) => vec![scenarios::churn::run(&setting, churn).await?],
        Scenario::Cluster(cluster) => vec![scenarios::cluster::run(&setting, cluster).await?],
        Scenario::History(history) => vec![scenarios::history::run(&setting, history).await?],
        Scenario::SignIns(storm) => vec![scenarios::sign_ins::run(&setting, storm).await?],
        Scenario::Page(page) => vec![scenarios::page::run(&setting, page).await?],
        Scenario::Search(search) => vec![scenarios::search::run(&setting, search).await?],
    };
    for report in &reports {
        eprint!("{}", report.table());
    }
    Report::write_all(&reports, &cli.out)?;
    eprintln!("\nfigures written to {}", cli.out.display());
    Ok(())
}
