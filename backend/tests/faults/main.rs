//! Tests on the real server process: messages are never lost or doubled when the server is
//! killed or connections are cut at random, a backup taken under load holds every
//! acknowledged message, the logs say what happened without any secret (`logs`), and a real
//! Prometheus scrapes what the chat did (`metrics`). Real server processes, real WebSockets, clients that reconnect and
//! resume by themselves ([`client::ResilientClient`]). Each test prints its figures (sent,
//! acknowledged, stored, duplicates, gaps); `cargo test -p backend --test faults --
//! --nocapture` shows them.

#![allow(clippy::print_stdout, reason = "the figures of each run are part of what it proves")]

use testkit::audit;
use testkit::chaos_proxy;
use testkit::server_process;
use testkit::test_database;
use testkit::ws_client;

mod logs;
mod metrics;

use std::time::Duration;

use audit::{audit, catch_everyone_up};
use chaos_proxy::ChaosProxy;
use client::ResilientClient;
use server_process::{ServerProcess, create_room, free_local_addr};
use test_database::TestDatabase;

/// The most a fault test may take before it counts as hung.
const TEST_LIMIT: Duration = Duration::from_secs(240);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cutting_connections_at_random_loses_and_doubles_nothing() {
    let database = TestDatabase::new();
    let server = ServerProcess::start(free_local_addr(), &database).await;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |since| since.as_nanos() as u64);
    println!("chaos seed {seed}");
    let proxy = ChaosProxy::start(server.addr, 500..3_000, seed).await;

    // Five clients, 2,000 messages in all, alternating between two rooms.
    create_room(server.addr, "rust").await;
    let mut clients: Vec<ResilientClient> = (0..5)
        .map(|n| {
            let mut client =
                ResilientClient::new(&format!("user{n}"), proxy.addr, &["lobby", "rust"]);
            for i in 0..400 {
                let room = if i % 2 == 0 { "lobby" } else { "rust" };
                client.write(room, format!("message {i} from user{n}"));
            }
            client
        })
        .collect();
    let all = async {
        catch_everyone_up(&mut clients).await;
        catch_everyone_up(&mut clients).await;
    };
    tokio::time::timeout(TEST_LIMIT, all).await.expect("the clients finish");
    let cuts = proxy.cuts.load(std::sync::atomic::Ordering::Relaxed);
    println!("the proxy cut {cuts} connections");
    assert!(cuts > 0, "the test must actually cut connections");
    let (sent, ..) = audit(&clients, &database).await;
    assert_eq!(sent, 2_000);
    server.kill().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_server_mid_stream_loses_and_doubles_nothing() {
    let database = TestDatabase::new();
    let addr = free_local_addr();
    let server = ServerProcess::start(addr, &database).await;

    let mut clients: Vec<ResilientClient> = (0..2)
        .map(|n| {
            let mut client = ResilientClient::new(&format!("writer{n}"), addr, &["lobby"]);
            client.send_interval = Duration::from_millis(3);
            for i in 0..600 {
                client.write("lobby", format!("message {i} from writer{n}"));
            }
            client
        })
        .collect();

    let crash = async {
        tokio::time::sleep(Duration::from_millis(800)).await;
        server.kill().await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        // Same port, same database: the clients find it again by themselves.
        ServerProcess::start(addr, &database).await
    };
    let (_, restarted) = tokio::time::timeout(TEST_LIMIT, async {
        tokio::join!(catch_everyone_up(&mut clients), crash)
    })
    .await
    .expect("the clients finish");
    let reconnected = clients.iter().all(|client| client.reconnects > 0);
    tokio::time::timeout(TEST_LIMIT, catch_everyone_up(&mut clients)).await.expect("caught up");
    assert!(reconnected, "every client lost its connection and came back by itself");
    let (sent, acknowledged, ..) = audit(&clients, &database).await;
    assert_eq!((sent, acknowledged), (1_200, 1_200));
    restarted.kill().await;
}

/// A backup taken with `backend backup` while a writer keeps writing holds every message
/// acknowledged before the backup began, with gap-free sequence numbers, and opens as a store
/// of its own (the restore: the copy in the store's place).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_write_load_holds_every_message_acknowledged_before_it() {
    use client::{ConnectOptions, Connection};
    use common::ClientId;

    let database = TestDatabase::new();
    let server = ServerProcess::start(free_local_addr(), &database).await;
    let within = Duration::from_secs(10);
    let writer = async {
        let options = ConnectOptions { within, ..ConnectOptions::default() };
        let mut connection = Connection::open(server.addr, &options).await.expect("connects");
        connection.hello("writer", None, within).await.expect("welcome");
        connection.join("lobby", within).await.expect("joined");
        connection
    };
    let mut connection = writer.await;
    let backup = std::env::temp_dir().join(format!("chat-backup-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&backup);

    let mut acked_before_backup = 0_u64;
    let mut backing_up = None;
    for n in 0..600_u32 {
        let client_id = ClientId::parse(&format!("backup-test-{n}")).expect("valid");
        let ack = connection.say("lobby", client_id, &format!("message {n}"), within).await;
        let ack = ack.expect("acknowledged");
        if n == 200 {
            // Every message up to this ack is committed; the backup starts now, and the
            // writer goes on while it runs.
            acked_before_backup = ack.seq;
            let command = tokio::process::Command::new(env!("CARGO_BIN_EXE_backend"))
                .args(["--database-url", &database.url(), "backup"])
                .arg(&backup)
                .output();
            backing_up = Some(tokio::spawn(command));
        }
    }
    let output = backing_up.expect("started").await.expect("ran").expect("the command runs");
    let said = String::from_utf8_lossy(&output.stdout);
    println!("{said}{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "backup failed");
    assert!(said.starts_with("backed up to "), "{said}");

    let copy = backend::store::Store::open(&format!("sqlite://{}", backup.display()))
        .await
        .expect("the copy opens as a store");
    let lobby = common::RoomName::lobby();
    let page = copy.history(&lobby, backend::store::Page::After(0), 1_000).await.expect("read");
    let seqs: Vec<u64> = page.messages.iter().map(|message| message.seq).collect();
    println!(
        "acknowledged before the backup: {acked_before_backup}; in the backup: {}",
        seqs.len()
    );
    assert!(seqs.len() as u64 >= acked_before_backup, "every acknowledged message is in it");
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "gap-free");

    // A backup never overwrites a file: the second one is refused, saying why.
    let again = tokio::process::Command::new(env!("CARGO_BIN_EXE_backend"))
        .args(["--database-url", &database.url(), "backup"])
        .arg(&backup)
        .output()
        .await
        .expect("the command runs");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    let _ = std::fs::remove_file(&backup);
}
