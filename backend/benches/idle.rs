//! What an idle connection costs the server: open N connections (each says hello and joins
//! the lobby), hold them, and read the growth of the server's resident memory from
//! `/proc/<pid>/status`. Run with `cargo bench -p backend --bench idle` (N = 2,000; set
//! `CHAT_IDLE_CONNECTIONS` for another size, within this process's open-file limit).
//!
//! A first step toward the load generator's idle scenario (19,000 connections over several
//! processes and source addresses), which this does not replace.

// A benchmark's report is its output.
#![allow(clippy::print_stdout)]

mod support;

use std::time::Duration;

use support::{BenchServer, member};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: usize =
        std::env::var("CHAT_IDLE_CONNECTIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(2_000);
    let server = BenchServer::start("idle", &["--max-connections-per-address", "1000000"]).await?;
    let addr = server.addr;
    // One connection first, so start-up allocations are not counted against the others.
    let mut held = vec![member(addr, "idle0").await];
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = server.rss_kib();
    for n in 1..=count {
        held.push(member(addr, &format!("idle{n}")).await);
    }
    tokio::time::sleep(Duration::from_secs(2)).await; // let the server settle
    let after = server.rss_kib();
    let per_connection = (after.saturating_sub(before)) as f64 / count as f64;
    println!(
        "{count} idle connections: server RSS {:.1} MiB -> {:.1} MiB, {per_connection:.1} KiB per connection",
        before as f64 / 1024.0,
        after as f64 / 1024.0
    );
    drop(held);
    server.stop().await?;
    Ok(())
}
