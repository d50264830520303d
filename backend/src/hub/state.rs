//! The hub's state behind its one lock: who said `hello`, the rooms, the other nodes' people,
//! and what the rooms' latest messages weigh together.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use common::{RoomAdded, RoomName, RoomSummary, ServerMessage};
use tungstenite::Utf8Bytes;

use super::elsewhere::Elsewhere;
use super::errors::HubError;
use super::nickname_book::NicknameBook;
use super::room::Room;
use super::session_id::SessionId;
use crate::frames::frame_queue::FrameQueue;

/// The most message text all rooms together keep in memory for their latest pages
/// ([`RecentMessages`](super::recent_messages::RecentMessages)): 512 rooms' worth of its
/// 32 KiB each, and a few thousand rooms of short messages. Beyond it, the rooms that
/// published longest ago forget theirs.
pub(super) const RECENT_BYTES_BUDGET: usize = 16 << 20;

#[derive(Debug)]
pub(super) struct HubState {
    pub(super) nicknames: NicknameBook,
    /// Every connection that said `hello`.
    pub(super) identified: HashMap<SessionId, Identified>,
    pub(super) rooms: HashMap<RoomName, Room>,
    /// Who is in which room on the other nodes.
    pub(super) elsewhere: Elsewhere,
    /// What every room's latest messages weigh together.
    pub(super) recent_bytes: usize,
    /// The most they may weigh ([`RECENT_BYTES_BUDGET`]; smaller in tests).
    pub(super) recent_budget: usize,
    /// Rooms with more people than this are counted, not listed (see `headcount.rs`).
    pub(super) listed_max: usize,
}

/// A connection that said `hello`.
#[derive(Debug)]
pub(super) struct Identified {
    /// Where news about rooms goes.
    pub(super) frame_queue: FrameQueue,
    /// The key of the nickname it holds, to release it on disconnect.
    pub(super) nickname_key: String,
    /// The rooms it is in, so a disconnect visits only those.
    pub(super) rooms: HashSet<RoomName>,
    /// The account it signed in to, if any: news of its private rooms goes to it.
    pub(super) account: Option<i64>,
    /// Which of the account's sessions (browsers) it belongs to (`accounts::session_tag`).
    pub(super) session_tag: Option<u64>,
    /// When its name was reserved in the cluster (just before it was given here): with several
    /// nodes, the reservation lasts at least the hold from then even if no refresh reaches Redis
    /// (`crate::cluster::cluster_names`).
    pub(super) reserved_at: Instant,
    /// Where a guest connects from (to ban the address with the name); `None` for accounts.
    pub(super) guest_address: Option<std::net::IpAddr>,
}

impl HubState {
    /// Makes the room called `name` known (and, if public, announced to every identified
    /// connection) if it was not. A private room is announced to its members only, by whoever
    /// makes them members.
    pub(super) fn known_room(&mut self, name: &RoomName, private: bool) {
        let room = self.rooms.entry(name.clone()).or_default();
        room.private |= private;
        if room.announced {
            return;
        }
        room.announced = true;
        if room.private {
            return;
        }
        let news = ServerMessage::RoomAdded(RoomAdded {
            room: RoomSummary {
                name: name.clone(),
                last_seq: room.last_seq,
                private: false,
                dm_with: None,
            },
        });
        let frame = Utf8Bytes::from(news.to_json());
        for connection in self.identified.values() {
            connection.frame_queue.push(frame.clone());
        }
    }

    /// Forgets the latest messages of the rooms that published longest ago until the rest
    /// weigh at most three quarters of the budget (so this runs once per quarter of it, not
    /// once per message). Their pages come from the store until they publish again.
    pub(super) fn forget_oldest_recent(&mut self) {
        let mut by_age: Vec<(Instant, RoomName)> = self
            .rooms
            .iter()
            .filter_map(|(name, room)| Some((room.recent.newest_at()?, name.clone())))
            .collect();
        by_age.sort_unstable_by_key(|(newest_at, _)| *newest_at);
        let target = self.recent_budget / 4 * 3;
        for (_, name) in by_age {
            if self.recent_bytes <= target {
                break;
            }
            if let Some(room) = self.rooms.get_mut(&name) {
                self.recent_bytes = self.recent_bytes.saturating_sub(room.recent.bytes());
                room.recent.forget();
            }
        }
    }

    pub(super) fn room_mut(&mut self, name: &RoomName) -> Result<&mut Room, HubError> {
        self.rooms.get_mut(name).ok_or_else(|| HubError::UnknownRoom(name.to_string()))
    }
}
