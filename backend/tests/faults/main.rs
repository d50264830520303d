//! Fault tests: messages are never lost or doubled when the server is killed or connections
//! are cut at random. Real server processes, real WebSockets, clients that reconnect and
//! resume by themselves ([`resilient_client`]). Each test prints its figures (sent,
//! acknowledged, stored, duplicates, gaps); `cargo test -p backend --test faults --
//! --nocapture` shows them.

#![allow(clippy::print_stdout, reason = "the figures of each run are part of what it proves")]

mod chaos_proxy;
mod resilient_client;
mod server_process;
#[path = "../support/test_database.rs"]
mod test_database;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use backend::store::{Page, Store};
use common::ClientId;

use chaos_proxy::ChaosProxy;
use resilient_client::ResilientClient;
use server_process::{ServerProcess, free_local_addr};
use test_database::TestDatabase;

/// The most a fault test may take before it counts as hung.
const TEST_LIMIT: Duration = Duration::from_secs(240);

/// What the database holds: per room, (seq, client id) in sequence order.
async fn stored(database: &TestDatabase) -> BTreeMap<String, Vec<(u64, String)>> {
    // Read through the server's own store, so the audit works on either engine.
    let store = Store::open(&database.url(), Arc::new(|_| {})).await.expect("the store opens");
    let mut rooms: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
    for (room, last_seq) in store.rooms().await.expect("rooms read") {
        let limit = u32::try_from(last_seq).expect("small") + 1;
        let page = store.history(&room, Page::After(0), limit).await.expect("messages read");
        let messages = page.messages.into_iter().map(|m| (m.seq, m.client_id.as_str().to_owned()));
        rooms.insert(room.to_string(), messages.collect());
    }
    rooms
}

/// Checks every guarantee over the clients' records and the database, prints the figures and
/// returns them: (sent, acknowledged, stored, duplicates, gaps).
async fn audit(
    clients: &[ResilientClient],
    database: &TestDatabase,
) -> (usize, usize, usize, usize, usize) {
    let stored = stored(database).await;
    let mut stored_ids: HashMap<String, usize> = HashMap::new();
    let mut gaps = 0;
    for messages in stored.values() {
        for (index, (seq, client_id)) in messages.iter().enumerate() {
            *stored_ids.entry(client_id.clone()).or_default() += 1;
            if *seq != index as u64 + 1 {
                gaps += 1;
            }
        }
    }
    let stored_count: usize = stored.values().map(Vec::len).sum();
    let duplicates = stored_ids.values().filter(|count| **count > 1).count();
    let sent: usize = clients.iter().map(|client| client.written.len()).sum();

    let mut acknowledged = 0;
    for client in clients {
        let mut seqs_by_id: HashMap<&ClientId, Vec<u64>> = HashMap::new();
        for (client_id, seq) in &client.acks {
            seqs_by_id.entry(client_id).or_default().push(*seq);
        }
        for client_id in &client.written {
            let seqs = seqs_by_id.get(client_id).unwrap_or_else(|| {
                panic!("{} never got an ack for {}", client.nickname, client_id.as_str())
            });
            assert!(
                seqs.windows(2).all(|pair| pair[0] == pair[1]),
                "{}: repeated acks must repeat the first: {seqs:?}",
                client_id.as_str()
            );
            acknowledged += 1;
        }
        for (room, messages) in &stored {
            let view: Vec<(u64, String)> = client.views[room]
                .values()
                .map(|message| (message.seq, message.client_id.as_str().to_owned()))
                .collect();
            assert_eq!(
                &view, messages,
                "{}'s view of {room} is the stored history",
                client.nickname
            );
        }
    }
    let reconnects: u64 = clients.iter().map(|client| client.reconnects).sum();
    let live_gaps: u64 = clients.iter().map(|client| client.live_gaps).sum();
    println!(
        "sent {sent}, acknowledged {acknowledged}, stored {stored_count}, duplicates {duplicates}, \
         gaps {gaps}; reconnects {reconnects}, gaps seen in a live stream {live_gaps}"
    );
    assert_eq!(stored_ids.len(), sent, "every message sent is stored (0 lost)");
    assert_eq!(stored_count, sent, "and nothing else is");
    assert_eq!(duplicates, 0, "no message is stored twice");
    assert_eq!(gaps, 0, "sequence numbers have no gaps");
    (sent, acknowledged, stored_count, duplicates, gaps)
}

/// Brings every client's view up to what the server stored (each connects once more).
async fn catch_everyone_up(clients: &mut [ResilientClient]) {
    let runs = clients.iter_mut().map(ResilientClient::run);
    futures_util::future::join_all(runs).await;
}

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

/// Creates `room` through the protocol.
async fn create_room(server: std::net::SocketAddr, room: &str) {
    use common::{ClientMessage, PROTOCOL_VERSION, ServerMessage};
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("ws://{server}/ws")).await.expect("connects");
    let requests = [
        ClientMessage::Hello {
            request_id: 1,
            protocol: PROTOCOL_VERSION,
            nickname: "room-maker".into(),
            token: None,
        },
        ClientMessage::CreateRoom { request_id: 2, room: room.into() },
    ];
    for request in requests {
        socket.send(Message::text(request.to_json())).await.expect("sent");
    }
    while let Some(Ok(frame)) = socket.next().await {
        if let Message::Text(text) = frame
            && let Ok(ServerMessage::Created { .. }) = serde_json::from_str(text.as_str())
        {
            return;
        }
    }
    panic!("the room was not created");
}
