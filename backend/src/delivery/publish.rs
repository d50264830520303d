//! Where the committer's new messages go: this node's members (through the hub, in sequence
//! order) and the other nodes (through the bus). A message of another node's in between that
//! has not reached this one yet leaves a hole; the catch-up fills it from the store.

use std::sync::Arc;

use super::Publish;
use crate::cluster::bus::Bus;
use crate::cluster::bus_event::BusEvent;
use crate::cluster::catch_up::CatchUp;
use crate::hub::{Hub, Published};

/// Publishes each batch the committer stored to `hub`'s members and, with several nodes, to
/// the other nodes through `bus`. Returns how many deliveries the batch made here.
pub fn to_members_and_nodes(hub: Hub, bus: Bus, catch_up: CatchUp) -> Publish {
    Arc::new(move |messages| {
        let batch = hub.publish_all(messages);
        for (message, outcome) in messages.iter().zip(&batch.published) {
            // Another node's message in between has not reached this one yet.
            if let Published::Waiting { .. } = outcome {
                catch_up.room(&message.room);
            }
        }
        if bus.is_clustered() {
            for message in messages {
                bus.send(BusEvent::Message { message: message.clone() });
            }
        }
        batch.deliveries
    })
}
