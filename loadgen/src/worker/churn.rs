//! A worker's churn loop: connect, sign in, join, send, leave, over and over.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use common::{ClientId, ClientMessage};
use tokio::time::Instant;

use anyhow::bail;

use super::{Plan, SAMPLE_BATCH, Shared};
use crate::connect::{SETUP_WAIT, connect};

/// One churn loop.
pub(super) struct Churn {
    pub(super) plan: Plan,
    pub(super) room: String,
    pub(super) number: usize,
    pub(super) stop_sending: Instant,
}

impl Churn {
    pub(super) async fn run(self, shared: Arc<Shared>) {
        let mut cycle = 0_u64;
        let mut samples = Vec::with_capacity(SAMPLE_BATCH);
        while Instant::now() < self.stop_sending {
            cycle += 1;
            let started = Instant::now();
            match self.cycle(cycle).await {
                Ok(()) => {
                    shared.cycles.fetch_add(1, Ordering::Relaxed);
                    samples.push(started.elapsed());
                    if samples.len() == SAMPLE_BATCH {
                        shared.record(&mut samples);
                    }
                }
                Err(error) => shared.error(&error),
            }
        }
        shared.record(&mut samples);
    }

    async fn cycle(&self, cycle: u64) -> anyhow::Result<()> {
        let mut client = connect(self.plan.server, self.plan.bind).await?;
        // Nicknames are at most 32 characters: run tag, loop and cycle stay well within.
        client
            .hello(&format!("{}c{}-{cycle}", self.plan.run, self.number), None, SETUP_WAIT)
            .await?;
        client.join(&self.room, SETUP_WAIT).await?;
        let send = ClientMessage::Send {
            request_id: client.request_id(),
            room: self.room.clone(),
            client_id: ClientId::parse(&format!("{}-{}-{cycle}", self.plan.run, self.number))
                .map_err(anyhow::Error::msg)?,
            body: format!("cycle {cycle}"),
            reply_to: None,
        };
        match client.request(&send, SETUP_WAIT).await? {
            common::ServerMessage::Ack(_) => {}
            other => bail!("send refused: {other:?}"),
        }
        let leave =
            ClientMessage::Leave { request_id: client.request_id(), room: self.room.clone() };
        client.request(&leave, SETUP_WAIT).await?;
        client.socket.close(None).await?;
        Ok(())
    }
}
