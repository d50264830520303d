//! How long loading the latest 50 messages takes, in a room of 1,000,000 messages against a
//! room of 100. Run with `cargo bench -p backend --bench history` (a few minutes: most of it is
//! filling the database). Prints the query plan and latency percentiles.
//!
//! The rooms are filled with one `INSERT ... SELECT` each, straight into SQLite (going through
//! the writer task would only measure inserts); the reads go through the real `Store`.

// A benchmark's report is its output.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use backend::store::{Page, Store};
use common::RoomName;
use hdrhistogram::Histogram;
use sqlx::Connection;
use sqlx::sqlite::SqliteConnection;

const BIG: u64 = 1_000_000;
const SMALL: u64 = 100;
const ROUNDS: usize = 2_000;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::temp_dir().join(format!("chat-history-bench-{}.db", std::process::id()));
    let url = format!("sqlite://{}", path.display());
    let store = Store::open(&url).await?;

    let mut connection = SqliteConnection::connect(&url).await?;
    for (room, count) in [("big", BIG), ("small", SMALL)] {
        let started = Instant::now();
        fill_room(&mut connection, room, count).await?;
        println!("filled {room:>5} with {count:>9} messages in {:.1?}", started.elapsed());
    }
    let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "EXPLAIN QUERY PLAN SELECT room, seq, id, client_id, author, body, sent_at FROM messages \
         WHERE room = 'big' AND seq < 9223372036854775807 ORDER BY seq DESC LIMIT 50",
    )
    .fetch_all(&mut connection)
    .await?;
    println!("\nquery plan for the latest page:");
    for (_, _, _, detail) in plan {
        println!("  {detail}");
    }

    println!("\nlatest 50 messages, {ROUNDS} loads each (microseconds):");
    println!(
        "{:>8} {:>10} {:>8} {:>8} {:>8} {:>8}",
        "room", "messages", "p50", "p90", "p99", "max"
    );
    for (room, count) in [("small", SMALL), ("big", BIG), ("small", SMALL), ("big", BIG)] {
        let room = RoomName::parse(room)?;
        let mut latencies = Histogram::<u64>::new(3)?;
        for _ in 0..ROUNDS {
            let started = Instant::now();
            let page = store.history(&room, Page::Before(None), 50).await?;
            latencies.record(started.elapsed().as_micros() as u64)?;
            assert_eq!(page.messages.len(), 50);
            assert_eq!(page.messages[49].seq, count);
        }
        println!(
            "{:>8} {:>10} {:>8} {:>8} {:>8} {:>8}",
            room.as_str(),
            count,
            latencies.value_at_quantile(0.5),
            latencies.value_at_quantile(0.9),
            latencies.value_at_quantile(0.99),
            latencies.max()
        );
    }
    connection.close().await?;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(())
}

async fn fill_room(
    connection: &mut SqliteConnection,
    room: &str,
    count: u64,
) -> Result<(), sqlx::Error> {
    let count = count as i64;
    let mut transaction = connection.begin().await?;
    sqlx::query("INSERT INTO rooms (name, created_at, last_seq) VALUES (?1, 0, ?2)")
        .bind(room)
        .bind(count)
        .execute(&mut *transaction)
        .await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2) \
         INSERT INTO messages (room, seq, id, client_id, author, body, sent_at) \
         SELECT ?1, i, ?1 || '-' || i, 'c-' || i, 'bench', 'message number ' || i, \
                1700000000000 + i FROM n",
    )
    .bind(room)
    .bind(count)
    .execute(&mut *transaction)
    .await?;
    transaction.commit().await
}
