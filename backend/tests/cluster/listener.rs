//! A member who only listens: joins rooms on one node and records every chat message pushed
//! to it, never asking for history, and every departure it is told of. What it ends up with
//! is what that node delivered live.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{ClientMessage, ErrorReply, PROTOCOL_VERSION, ServerMessage};
use futures_util::{SinkExt, StreamExt};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

/// Per room, the sequence numbers pushed and when, in the order they arrived.
type Seen = Arc<Mutex<BTreeMap<String, Vec<(u64, Instant)>>>>;

pub struct Listener {
    pub nickname: String,
    seen: Seen,
    /// Who it was told left which room (`user_left`), in order.
    departures: Arc<Mutex<Vec<(String, String)>>>,
    task: JoinHandle<()>,
}

impl Listener {
    /// Connects to `node` as `nickname` and joins `rooms`; returns once every join is answered.
    pub async fn join(node: SocketAddr, nickname: &str, rooms: &[&str]) -> Self {
        let (mut socket, _) =
            tokio_tungstenite::connect_async(format!("ws://{node}/ws")).await.expect("connects");
        let mut requests = vec![ClientMessage::Hello {
            request_id: 0,
            protocol: PROTOCOL_VERSION,
            nickname: nickname.into(),
            token: None,
            session: None,
        }];
        for (n, room) in rooms.iter().enumerate() {
            requests.push(ClientMessage::Join { request_id: n as u64 + 1, room: (*room).into() });
        }
        for request in &requests {
            socket.send(Message::text(request.to_json())).await.expect("sent");
        }
        let mut joined = 0;
        while joined < rooms.len() {
            let frame = tokio::time::timeout(Duration::from_secs(5), socket.next())
                .await
                .expect("the node answers")
                .expect("open")
                .expect("readable");
            if let Message::Text(text) = frame {
                match serde_json::from_str(text.as_str()).expect("valid") {
                    ServerMessage::Joined(_) => joined += 1,
                    ServerMessage::Error(ErrorReply { message, .. }) => {
                        panic!("{nickname}: {message}")
                    }
                    _ => {}
                }
            }
        }
        let seen: Seen = Arc::default();
        let departures: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        let (record, record_departures) = (seen.clone(), departures.clone());
        let task = tokio::spawn(async move {
            while let Some(Ok(frame)) = socket.next().await {
                let Message::Text(text) = frame else { continue };
                match serde_json::from_str(text.as_str()) {
                    Ok(ServerMessage::Message(message)) => {
                        let mut seen = record.lock().expect("not poisoned");
                        let arrival = (message.seq, Instant::now());
                        seen.entry(message.room.to_string()).or_default().push(arrival);
                    }
                    Ok(ServerMessage::UserLeft(left)) => {
                        let departure = (left.room.to_string(), left.nickname.to_string());
                        record_departures.lock().expect("not poisoned").push(departure);
                    }
                    _ => {}
                }
            }
        });
        Self { nickname: nickname.to_owned(), seen, departures, task }
    }

    /// Waits (up to `patience`) until `room` has had every message up to `last_seq` pushed,
    /// then returns what arrived, in arrival order.
    pub async fn wait_for(&self, room: &str, last_seq: u64, patience: Duration) -> Vec<u64> {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            let seen = self.seen.lock().expect("not poisoned").get(room).cloned();
            let seen: Vec<u64> = seen.unwrap_or_default().iter().map(|(seq, _)| *seq).collect();
            if seen.last().copied().unwrap_or(0) >= last_seq
                || tokio::time::Instant::now() >= deadline
            {
                return seen;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Listener {
    /// Every (room, nickname) it was told left, in order.
    pub fn departures(&self) -> Vec<(String, String)> {
        self.departures.lock().expect("not poisoned").clone()
    }

    /// How many messages of `room` arrived between `from` and `to`.
    pub fn arrived_between(&self, room: &str, from: Instant, to: Instant) -> usize {
        let seen = self.seen.lock().expect("not poisoned");
        let arrivals = seen.get(room).map(Vec::as_slice).unwrap_or_default();
        arrivals.iter().filter(|(_, at)| (from..to).contains(at)).count()
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.task.abort();
    }
}
