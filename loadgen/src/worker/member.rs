//! A worker's member of a room: reads everything the room gets and records the delivery
//! latency of stamped messages; a sender also sends at its interval.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use common::{ClientId, ClientMessage};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::watch;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use client::{Connection, is_answer};

use super::{Job, Plan, SAMPLE_BATCH, Shared, Window};
use crate::stamp::{now_ns, sent_at_ns, stamped_body};

/// One member: reads everything its room gets (recording the delivery latency of stamped
/// messages), from the moment it joined; from `go`, sends stamped messages at its interval if
/// it is one of the room's senders.
pub(super) struct Member {
    index: usize,
    room: String,
    interval: Option<Duration>,
    padding: usize,
}

impl Member {
    /// The member `index` of a members plan (`None` for other jobs).
    pub(super) fn for_plan(plan: &Plan, index: usize, room: String) -> Option<Self> {
        let Job::Members { room_size, senders_per_room, rate_per_room, body_padding, .. } =
            &plan.job
        else {
            return None;
        };
        let sends = index % room_size < *senders_per_room && *rate_per_room > 0.0;
        let interval =
            sends.then(|| Duration::from_secs_f64(*senders_per_room as f64 / rate_per_room));
        Some(Self { index, room, interval, padding: *body_padding })
    }

    pub(super) async fn run(
        self,
        client: Connection,
        shared: Arc<Shared>,
        mut go: watch::Receiver<Option<Window>>,
    ) {
        let (mut sink, mut stream) = client.socket.split();
        let mut samples = Vec::with_capacity(SAMPLE_BATCH);
        let period = self.interval.unwrap_or(Duration::from_secs(3_600));
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut window: Option<Window> = None;
        let far = Instant::now() + Duration::from_secs(365 * 24 * 3_600);
        let mut sent = 0_u64;
        loop {
            let sending = window.is_some_and(|w| Instant::now() < w.stop_sending);
            tokio::select! {
                frame = stream.next() => match frame {
                    Some(Ok(Message::Text(text))) => {
                        if let Some(sent_at) = sent_at_ns(text.as_str()) {
                            shared.received.fetch_add(1, Ordering::Relaxed);
                            let latency = now_ns().saturating_sub(sent_at);
                            samples.push(Duration::from_nanos(u64::try_from(latency).unwrap_or(u64::MAX)));
                            if samples.len() == SAMPLE_BATCH {
                                shared.record(&mut samples);
                            }
                        } else if is_answer(text.as_str()) && text.as_str().contains("\"type\":\"ack\"") {
                            shared.acked.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => {
                        shared.dropped.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                },
                changed = go.changed(), if window.is_none() => {
                    if changed.is_err() {
                        break;
                    }
                    window = *go.borrow();
                    // Senders start spread over their interval, so a room's sends do not
                    // come in bursts.
                    let offset = period.mul_f64((self.index % 97) as f64 / 97.0);
                    tick = tokio::time::interval_at(Instant::now() + offset, period);
                    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                }
                _ = tick.tick(), if self.interval.is_some() && sending => {
                    sent += 1;
                    let send = ClientMessage::Send {
                        request_id: sent,
                        room: self.room.clone(),
                        client_id: ClientId::parse(&format!("{}-{sent}", self.index)).expect("a short id is valid"),
                        body: stamped_body(now_ns(), self.padding),
                        reply_to: None,
                    };
                    if sink.send(Message::text(send.to_json())).await.is_err() {
                        shared.dropped.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                    shared.sent.fetch_add(1, Ordering::Relaxed);
                }
                () = tokio::time::sleep_until(window.map_or(far, |w| w.stop)) => break,
            }
        }
        shared.record(&mut samples);
        let _ = sink.close().await;
    }
}
