//! Filling holes from the store.
//!
//! A node hears of other nodes' messages through the bus, and that news can come out of order
//! or not at all (the bus was down). The hub holds early messages back until the ones before
//! them arrive ([`crate::hub::Published::Waiting`]); if they do not arrive within
//! [`HOLE_WAIT`], this task reads them from the store, which holds every message before any
//! is published. After the bus comes back it also reads every room's messages this node has
//! not delivered, and learns rooms created meanwhile.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use common::RoomName;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};

use crate::hub::Hub;
use crate::store::{Page, Store};

/// How long a hole may stay open before the store is asked: news through the bus usually
/// arrives within a millisecond or two, so this is rarely reached.
pub const HOLE_WAIT: Duration = Duration::from_millis(50);
/// Messages read per store request.
const PAGE: u32 = 500;
/// Pages read for one room per request, so one busy room cannot keep the task to itself.
const MAX_PAGES: usize = 20;

/// A cheap, cloneable handle for asking the catch-up task to read from the store.
#[derive(Debug, Clone, Default)]
pub struct CatchUp {
    wanted: Arc<Mutex<Wanted>>,
    wake: Arc<Notify>,
}

#[derive(Debug, Default)]
struct Wanted {
    rooms: HashSet<RoomName>,
    everything: bool,
}

impl CatchUp {
    /// Asks for `room`'s undelivered messages to be read from the store soon (once, however
    /// many times it is asked before the task gets to it).
    pub fn room(&self, room: &RoomName) {
        let mut wanted = self.lock();
        if !wanted.rooms.contains(room) {
            wanted.rooms.insert(room.clone());
            self.wake.notify_one();
        }
    }

    /// Asks for every room (and every room created meanwhile) to be brought up to date.
    pub fn everything(&self) {
        self.lock().everything = true;
        self.wake.notify_one();
    }

    /// Runs the task until `shutdown`.
    pub async fn run(self, hub: Hub, store: Store, shutdown: CancellationToken) {
        loop {
            tokio::select! {
                () = self.wake.notified() => {}
                () = shutdown.cancelled() => return,
            }
            tokio::time::sleep(HOLE_WAIT).await;
            let Wanted { rooms, everything } = std::mem::take(&mut *self.lock());
            let rooms = if everything {
                match known_rooms(&hub, &store).await {
                    Ok(all) => all,
                    Err(()) => {
                        // Try again shortly; the store may be back by then.
                        self.everything();
                        rooms.into_iter().collect()
                    }
                }
            } else {
                rooms.into_iter().collect()
            };
            let mut delivered = 0;
            for room in &rooms {
                match deliver_from_store(&hub, &store, room).await {
                    Ok(count) => delivered += count,
                    Err(count) => {
                        delivered += count;
                        self.room(room);
                    }
                }
            }
            // One line for a whole catch-up after the bus was away; a hole filled in one
            // room is routine (a message overtook another on the bus).
            if everything {
                info!(rooms = rooms.len(), messages = delivered, "caught up from the store");
            } else if delivered > 0 {
                debug!(rooms = rooms.len(), messages = delivered, "filled holes from the store");
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Wanted> {
        self.wanted.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Every room in the store, each made known to the hub (and so announced if new).
async fn known_rooms(hub: &Hub, store: &Store) -> Result<Vec<RoomName>, ()> {
    match store.rooms().await {
        Ok(rooms) => Ok(rooms
            .into_iter()
            .map(|listing| {
                hub.announce_room(listing.name.clone(), listing.private);
                listing.name
            })
            .collect()),
        Err(error) => {
            warn!(%error, "catching up: cannot list the rooms");
            Err(())
        }
    }
}

/// Publishes `room`'s stored messages after the last one delivered here; returns how many.
/// `Err` (with how many it did publish) when the store failed or the room is still behind
/// after [`MAX_PAGES`] (so it should be asked again).
async fn deliver_from_store(hub: &Hub, store: &Store, room: &RoomName) -> Result<usize, usize> {
    let mut delivered = 0;
    for _ in 0..MAX_PAGES {
        let Some(after) = hub.delivered_up_to(room) else { return Ok(delivered) };
        let page = match store.history(room, Page::After(after), PAGE).await {
            Ok(page) => page,
            Err(error) => {
                warn!(%error, %room, "catching up: cannot read the room's messages");
                tokio::time::sleep(HOLE_WAIT).await;
                return Err(delivered);
            }
        };
        if !page.messages.is_empty() {
            debug!(%room, after, count = page.messages.len(), "delivering missed messages from the store");
        }
        delivered += page.messages.len();
        hub.publish_all(&page.messages);
        if page.reaches_end {
            return Ok(delivered);
        }
    }
    Err(delivered)
}
