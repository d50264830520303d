//! A connection's request handling without a socket, for the fuzzer (`fuzz/`): the same
//! decoding, validation, hub, store and delivery calls as a real session.

use std::net::IpAddr;
use std::sync::Arc;

use super::rate_limit::RateSettings;
use super::services::Services;
use super::state::Session;
use crate::frames::frame_queue::{FrameQueue, FrameQueueReceiver};
use crate::frames::wire::Outbound;
use crate::hub::Departure;

/// One connection's reader state and the frames it queued.
#[derive(Debug)]
pub struct FrameHandler {
    session: Session,
    receiver: FrameQueueReceiver,
}

impl FrameHandler {
    /// A fresh connection to `services`, with generous flood limits (the fuzzer looks for
    /// panics, not for rate limiting).
    pub fn new(services: &Services) -> Self {
        let (frame_queue, receiver) = FrameQueue::new(1 << 20);
        let rates = RateSettings {
            messages_per_second: 1_000_000,
            message_burst: 1_000_000,
            requests_per_second: 1_000_000,
            request_burst: 1_000_000,
        };
        let id = services.hub.next_session_id();
        Self {
            session: Session::new(
                id,
                IpAddr::from([127, 0, 0, 1]),
                Arc::new(services.clone()),
                frame_queue,
                rates,
            ),
            receiver,
        }
    }

    /// Handles one text frame; returns every frame queued for this connection since the last
    /// call.
    pub async fn handle(&mut self, text: &str) -> Vec<String> {
        self.session.handle_text(text).await;
        let mut items = Vec::new();
        self.receiver.try_recv_many(&mut items, usize::MAX);
        let mut queued = Vec::new();
        for item in items {
            match item {
                Outbound::Text(text) => queued.push(text.as_str().to_owned()),
                Outbound::Texts(texts) => {
                    queued.extend(texts.texts().iter().map(|text| text.as_str().to_owned()));
                }
                Outbound::Ping | Outbound::Close(_) | Outbound::Raw(_) => {}
            }
        }
        queued
    }

    /// Ends the connection the way a closed socket does.
    pub fn disconnect(self) {
        let Session { id, services, .. } = self.session;
        services.nicknames.disconnect(id, Departure::Announced);
    }
}
