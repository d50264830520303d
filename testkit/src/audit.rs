//! The audit after a fault test: every guarantee checked over the clients' records and the
//! database (shared by the test binaries).

#![allow(clippy::print_stdout, reason = "the figures of each run are part of what it proves")]

use std::collections::{BTreeMap, HashMap};

use backend::store::{Page, Store};
use common::ClientId;

use crate::test_database::TestDatabase;
use client::ResilientClient;

/// What the database holds: per room, (seq, client id) in sequence order.
pub async fn stored(database: &TestDatabase) -> BTreeMap<String, Vec<(u64, String)>> {
    // Read through the server's own store, so the audit works on either engine.
    let store = Store::open(&database.url()).await.expect("the store opens");
    let mut rooms: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
    for listing in store.rooms().await.expect("rooms read") {
        let limit = u32::try_from(listing.last_seq).expect("small") + 1;
        let page =
            store.history(&listing.name, Page::After(0), limit).await.expect("messages read");
        let messages = page.messages.into_iter().map(|m| (m.seq, m.client_id.as_str().to_owned()));
        rooms.insert(listing.name.to_string(), messages.collect());
    }
    rooms
}

/// Checks every guarantee over the clients' records and the database, prints the figures and
/// returns them: (sent, acknowledged, stored, duplicates, gaps).
pub async fn audit(
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
    assert_eq!(live_gaps, 0, "live messages arrive in sequence order, with no holes");
    (sent, acknowledged, stored_count, duplicates, gaps)
}

/// Brings every client's view up to what the server stored (each connects once more).
pub async fn catch_everyone_up(clients: &mut [ResilientClient]) {
    let runs = clients.iter_mut().map(ResilientClient::run);
    futures_util::future::join_all(runs).await;
}
