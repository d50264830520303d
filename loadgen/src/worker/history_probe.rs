//! A worker's history probe: asks for a room's latest messages, one request at a time.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use common::ClientMessage;
use tokio::time::Instant;

use client::Connection;

use super::Shared;
use crate::connect::SETUP_WAIT;

/// Asks for a room's latest messages, one request at a time.
pub(super) struct HistoryProbe {
    pub(super) room: String,
    pub(super) limit: u32,
    pub(super) pause: Duration,
    pub(super) stop_sending: Instant,
}

impl HistoryProbe {
    pub(super) async fn run(self, mut client: Connection, shared: Arc<Shared>) {
        let mut samples = Vec::new();
        while Instant::now() < self.stop_sending {
            let request = ClientMessage::History {
                request_id: client.request_id(),
                room: self.room.clone(),
                before_seq: None,
                after_seq: None,
                limit: Some(u64::from(self.limit)),
            };
            let started = Instant::now();
            match client.request(&request, SETUP_WAIT).await {
                Ok(common::ServerMessage::History(_)) => {
                    samples.push(started.elapsed());
                    shared.cycles.fetch_add(1, Ordering::Relaxed);
                }
                Ok(other) => shared.error(&anyhow::anyhow!("history refused: {other:?}")),
                Err(error) => {
                    shared.error(&error.into());
                    shared.dropped.fetch_add(1, Ordering::Relaxed);
                    break;
                }
            }
            tokio::time::sleep(self.pause).await;
        }
        shared.record(&mut samples);
    }
}
