//! What hostile clients cost everyone else: delivery latency between ordinary members of a room
//! on their own, next to a flooding client, and next to members that never read; and the
//! server's memory while those never-reading members are connected.
//!
//! Run with `cargo bench -p backend --bench abuse` (about a minute). The server is the release
//! binary with its default limits, as a child process on this machine; the clients are
//! tokio-tungstenite connections in this process, on the same clock.

// A benchmark's report is its output.
#![allow(clippy::print_stdout)]

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{ClientId, ClientMessage, ServerMessage};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use tokio_tungstenite::tungstenite::Message;

use support::{BenchServer, Socket, member};

type Sink = SplitSink<Socket, Message>;

/// Ordinary senders, each at a pace inside the default flood limit (5 messages a second).
const SENDERS: usize = 10;
const SEND_INTERVAL: Duration = Duration::from_millis(250);
/// How long each scenario measures.
const PHASE: Duration = Duration::from_secs(10);
/// Members that never read, in the last scenario.
const STALLED: usize = 50;
/// The body of every measured message (large, so never-reading members fill up quickly).
const BODY_CHARS: usize = 2_000;

/// When each measured message was sent, by client id.
type SentAt = Arc<Mutex<HashMap<String, Instant>>>;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = BenchServer::start("abuse", &[]).await?;
    let addr = server.addr;

    let sent_at: SentAt = Arc::default();
    let (_observer_sink, observer) = member(addr, "observer").await.split();
    let latencies = Arc::new(Mutex::new(Histogram::<u64>::new(3)?));
    tokio::spawn(observe(observer, Arc::clone(&sent_at), Arc::clone(&latencies)));
    let mut senders = Vec::new();
    for n in 0..SENDERS {
        let (sink, stream) = member(addr, &format!("sender{n}")).await.split();
        tokio::spawn(drain(stream));
        senders.push(tokio::spawn(send_steadily(sink, n, Arc::clone(&sent_at))));
    }

    println!(
        "{:<34} {:>8} {:>9} {:>9} {:>9} {:>12}",
        "scenario", "messages", "p50 ms", "p99 ms", "max ms", "server RSS"
    );
    report("ordinary members only", &latencies, &server).await;

    let (flood_sink, flood_stream) = member(addr, "flooder").await.split();
    tokio::spawn(drain(flood_stream));
    let flooder = tokio::spawn(flood(flood_sink));
    latencies.lock().expect("not poisoned").reset(); // measure from here
    report("+ one client flooding", &latencies, &server).await;
    flooder.abort();

    let rss_before = server.rss_kib();
    let mut stalled = Vec::new();
    for n in 0..STALLED {
        stalled.push(member(addr, &format!("stalled{n}")).await);
    }
    // Measure the steady state, not the 50 arrivals (each announced to the whole room).
    latencies.lock().expect("not poisoned").reset();
    report(&format!("+ {STALLED} members that never read"), &latencies, &server).await;
    let growth = server.rss_kib().saturating_sub(rss_before);
    println!(
        "server memory grew {:.1} MiB with {STALLED} members that never read ({:.0} KiB each); \
         each connection's frame queue holds at most 256 frames",
        growth as f64 / 1024.0,
        growth as f64 / STALLED as f64
    );
    drop(stalled);
    for sender in senders {
        sender.abort();
    }
    server.stop().await?;
    Ok(())
}

/// Waits one phase, then prints the latencies measured during it and starts afresh.
async fn report(scenario: &str, latencies: &Mutex<Histogram<u64>>, server: &BenchServer) {
    tokio::time::sleep(PHASE).await;
    let mut histogram = latencies.lock().expect("not poisoned");
    let ms = |quantile: f64| histogram.value_at_quantile(quantile) as f64 / 1000.0;
    println!(
        "{scenario:<34} {:>8} {:>9.2} {:>9.2} {:>9.2} {:>9.1} MiB",
        histogram.len(),
        ms(0.5),
        ms(0.99),
        histogram.max() as f64 / 1000.0,
        server.rss_kib() as f64 / 1024.0
    );
    histogram.reset();
}

/// Sends a message every [`SEND_INTERVAL`], noting when.
async fn send_steadily(mut sink: Sink, sender: usize, sent_at: SentAt) {
    let body = "m".repeat(BODY_CHARS);
    let mut tick = tokio::time::interval(SEND_INTERVAL);
    for n in 0u64.. {
        tick.tick().await;
        let client_id = format!("s{sender}-{n}");
        sent_at.lock().expect("not poisoned").insert(client_id.clone(), Instant::now());
        let send = ClientMessage::Send {
            request_id: n + 10,
            room: "lobby".into(),
            client_id: ClientId::parse(&client_id).expect("valid"),
            body: body.clone(),
            reply_to: None,
        };
        if sink.send(Message::text(send.to_json())).await.is_err() {
            return;
        }
    }
}

/// Sends messages and typing events as fast as the connection takes them.
async fn flood(mut sink: Sink) {
    for n in 0u64.. {
        let send = ClientMessage::Send {
            request_id: n,
            room: "lobby".into(),
            client_id: ClientId::parse(&format!("flood-{n}")).expect("valid"),
            body: "spam".into(),
            reply_to: None,
        };
        let typing = ClientMessage::Typing { room: "lobby".into() };
        for message in [send, typing] {
            if sink.send(Message::text(message.to_json())).await.is_err() {
                return;
            }
        }
    }
}

/// Records the delivery latency of every measured message the observer receives.
async fn observe(
    mut stream: SplitStream<Socket>,
    sent_at: SentAt,
    latencies: Arc<Mutex<Histogram<u64>>>,
) {
    while let Some(Ok(frame)) = stream.next().await {
        let Message::Text(text) = frame else { continue };
        let Ok(ServerMessage::Message(message)) = serde_json::from_str(text.as_str()) else {
            continue;
        };
        let sent = sent_at.lock().expect("not poisoned").remove(message.client_id.as_str());
        if let Some(sent) = sent {
            let micros = u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX);
            let _ = latencies.lock().expect("not poisoned").record(micros);
        }
    }
}

/// Reads and discards everything (so a sender is never evicted for not reading).
async fn drain(mut stream: SplitStream<Socket>) {
    while let Some(Ok(_)) = stream.next().await {}
}
