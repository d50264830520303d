//! Three stores on one PostgreSQL database stand for three nodes writing to the same rooms at
//! once. Each room's sequence must come out gap-free, each message stored once however many
//! nodes it was retried on, and each node must publish its own messages in sequence order.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};

use backend::delivery::Delivery;
use backend::delivery::gathering::Gathering;
use backend::store::{Appended, NewContent, NewMessage, Page, Store};
use common::{ChatMessage, ClientId, MessageBody, Nickname, RoomName};

use crate::test_database::TestDatabase;

const NODES: usize = 3;
const WRITERS_PER_NODE: usize = 4;
const MESSAGES_PER_WRITER: usize = 60;

/// What one node's writer task published, in order.
type Published = Arc<Mutex<Vec<ChatMessage>>>;

/// A node: its store and its delivery, which records what it publishes.
async fn open_node(url: &str) -> (Node, Published) {
    let published: Published = Arc::default();
    let recorder = published.clone();
    let store = Store::open(url).await.expect("the store opens");
    let publish = Arc::new(move |messages: &[ChatMessage]| {
        recorder.lock().expect("not poisoned").extend_from_slice(messages);
        0
    });
    let broadcasts = Gathering::NONE.broadcast_writer();
    let delivery = Delivery::start(store.clone(), publish, Gathering::NONE, broadcasts);
    (Node { store, delivery }, published)
}

#[derive(Clone)]
struct Node {
    store: Store,
    delivery: Delivery,
}

fn message(room: &RoomName, writer: &str, n: usize) -> NewMessage {
    NewMessage {
        room: room.clone(),
        client_id: ClientId::parse(&format!("{writer}-{n}")).expect("valid"),
        author: Nickname::parse(writer).expect("valid"),
        content: NewContent::Post {
            body: MessageBody::parse(&format!("{writer} says {n}")).expect("valid"),
            reply_to: None,
        },
    }
}

#[tokio::test]
async fn writers_on_several_nodes_keep_each_room_gap_free_and_store_retries_once() {
    let database = TestDatabase::postgres();
    let mut nodes = Vec::new();
    for _ in 0..NODES {
        nodes.push(open_node(&database.url()).await);
    }
    let rooms = [RoomName::lobby(), RoomName::parse("second").expect("valid")];
    nodes[0].0.store.create_room(&rooms[1], None).await.expect("created");

    // Every writer sends its messages to both rooms, alternating, through its own node; every
    // fifth message is also sent again at once through the next node, as a client whose
    // connection broke would after reconnecting elsewhere.
    let mut writers = Vec::new();
    for node in 0..NODES {
        for writer in 0..WRITERS_PER_NODE {
            let here = nodes[node].0.clone();
            let elsewhere = nodes[(node + 1) % NODES].0.clone();
            let rooms = rooms.clone();
            writers.push(tokio::spawn(async move {
                let name = format!("n{node}w{writer}");
                for n in 0..MESSAGES_PER_WRITER {
                    let new = message(&rooms[n % 2], &name, n);
                    if n % 5 == 0 {
                        let (first, again) = tokio::join!(
                            here.delivery.append(new.clone()),
                            elsewhere.delivery.append(new)
                        );
                        let (first, again) = (first.expect("stored"), again.expect("stored"));
                        assert_eq!(first.message(), again.message(), "one message, one seq");
                        let news = [&first, &again]
                            .iter()
                            .filter(|outcome| matches!(outcome, Appended::New(_)))
                            .count();
                        assert_eq!(news, 1, "exactly one of the two sends stored it");
                    } else {
                        here.delivery.append(new).await.expect("stored");
                    }
                }
            }));
        }
    }
    for writer in writers {
        writer.await.expect("the writer finished");
    }

    let total = NODES * WRITERS_PER_NODE * MESSAGES_PER_WRITER;
    let mut stored = 0;
    for room in &rooms {
        let page = nodes[2].0.store.history(room, Page::After(0), 10_000).await.expect("read");
        let seqs: Vec<u64> = page.messages.iter().map(|m| m.seq).collect();
        let expected: Vec<u64> = (1..=seqs.len() as u64).collect();
        assert_eq!(seqs, expected, "room {room}: gap-free from 1");
        let client_ids: HashSet<&str> =
            page.messages.iter().map(|m| m.client_id.as_str()).collect();
        assert_eq!(client_ids.len(), seqs.len(), "room {room}: each message once");
        assert_eq!(nodes[1].0.store.last_seq(room).await.expect("read"), seqs.len() as u64);
        stored += seqs.len();
    }
    assert_eq!(stored, total, "every message stored, none twice");

    // Each node published what it stored, in each room in ascending order, and together the
    // nodes published every message exactly once.
    let mut everything: BTreeMap<(String, u64), usize> = BTreeMap::new();
    for (_, published) in &nodes {
        let published = published.lock().expect("not poisoned");
        for room in &rooms {
            let seqs: Vec<u64> =
                published.iter().filter(|m| &m.room == room).map(|m| m.seq).collect();
            assert!(seqs.windows(2).all(|w| w[0] < w[1]), "room {room}: in order per node");
        }
        for message in published.iter() {
            *everything.entry((message.room.to_string(), message.seq)).or_default() += 1;
        }
    }
    assert_eq!(everything.len(), total);
    assert!(everything.values().all(|&times| times == 1), "published once, by one node");
}
