//! Who is connected as whom, and who is in which room, on this node; and delivery to them.
//!
//! The hub is the one place that changes room membership on this node and the one place that
//! puts a room's stored messages in front of its members, strictly in sequence order (the
//! store assigns the numbers; see [`room`]). Every member of a room sees the same events in
//! the same order: an event is pushed to every member's frame queue inside one critical section.
//! Each event is encoded to JSON once and the same bytes are shared with every recipient.
//!
//! The rooms live in [`room`], the state behind the lock in [`state`], presence on the other
//! nodes in [`presence`] and [`elsewhere`], nickname ownership on this node in
//! [`nickname_book`]. What the other nodes must hear goes out through [`OtherNodes`], a port
//! the cluster layer above implements.

mod account_connections;
mod elsewhere;
mod errors;
mod from_other_nodes;
mod headcount;
mod nickname_book;
mod other_nodes;
mod outcomes;
mod presence;
mod recent_messages;
mod room;
mod room_directory;
mod room_moderation;
mod session_id;
mod state;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use common::{ChatMessage, Nickname, RoomName, ServerMessage, Typing};
use tungstenite::Utf8Bytes;

use self::elsewhere::Elsewhere;
pub use self::elsewhere::{NodeId, RoomPeople};
pub use self::errors::HubError;
pub use self::headcount::PeoplePage;
use self::nickname_book::NicknameBook;
pub use self::nickname_book::proposed_token;
pub use self::other_nodes::{GuestBanNews, NodeNews, OtherNodes};
pub use self::outcomes::{Departure, JoinedRoom, Published, PublishedBatch, ReleasedName};
pub use self::recent_messages::RecentPage;
pub use self::session_id::SessionId;
use self::state::{HubState, Identified, RECENT_BYTES_BUDGET};
use crate::frames::broadcast_writer::BroadcastWriter;
use crate::frames::frame_queue::FrameQueue;
use crate::frames::wire::SharedTexts;
use crate::store::Page;

/// A cheap, cloneable handle to this node's rooms and nicknames.
#[derive(Debug, Clone)]
pub struct Hub {
    state: Arc<Mutex<HubState>>,
    next_session_id: Arc<AtomicU64>,
    /// Where what happens here goes for the other nodes (`None` on a single node).
    other_nodes: Option<Arc<dyn OtherNodes>>,
    /// Writes broadcasts to members' sockets, off the async runtime.
    broadcast_writer: BroadcastWriter,
}

impl Hub {
    /// A hub of a single node with no rooms (add them with [`Hub::add_room`]), whose
    /// broadcasts are written at once. A nickname stays with a person for `nickname_grace`
    /// after their last connection closes.
    pub fn new(nickname_grace: Duration) -> Self {
        Self::with(
            nickname_grace,
            None,
            BroadcastWriter::start(Duration::ZERO, usize::MAX, f64::INFINITY),
        )
    }

    /// A hub that tells `other_nodes` (if any) what happens on this one, and has its
    /// broadcasts written by `broadcast_writer`.
    pub fn with(
        nickname_grace: Duration,
        other_nodes: Option<Arc<dyn OtherNodes>>,
        broadcast_writer: BroadcastWriter,
    ) -> Self {
        let state = HubState {
            nicknames: NicknameBook::new(nickname_grace),
            identified: HashMap::new(),
            rooms: HashMap::new(),
            elsewhere: Elsewhere::default(),
            recent_bytes: 0,
            recent_budget: RECENT_BYTES_BUDGET,
            listed_max: common::LISTED_MEMBERS_MAX,
        };
        Self {
            state: Arc::new(Mutex::new(state)),
            next_session_id: Arc::new(AtomicU64::new(1)),
            other_nodes,
            broadcast_writer,
        }
    }

    /// Counts, instead of listing, the people of rooms with more than `listed_max` of them
    /// (see [`headcount`]; `common::LISTED_MEMBERS_MAX` unless changed).
    pub fn listing_up_to(self, listed_max: usize) -> Self {
        self.lock().listed_max = listed_max;
        self
    }

    /// Every name held here by a connected person: (ownership key, token), for refreshing
    /// their reservations.
    pub fn names_held(&self) -> Vec<(String, String)> {
        self.lock().nicknames.held()
    }

    /// A fresh id for a new connection.
    pub fn next_session_id(&self) -> SessionId {
        self.next_session_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Gives `nickname` to `session` on this node (see [`NicknameBook::claim`]; the cluster's
    /// reservation, if any, comes first: `crate::cluster::nicknames`). Returns the nickname as
    /// the person holds it (the first connection's spelling) and the token. From then on the
    /// connection hears about new rooms through `frame_queue`.
    pub fn claim_nickname(
        &self,
        session: SessionId,
        nickname: &Nickname,
        token: Option<&str>,
        frame_queue: &FrameQueue,
    ) -> Result<(Nickname, String), HubError> {
        let mut state = self.lock();
        let now = Instant::now();
        let claimed = state.nicknames.claim(session, nickname, token, now)?;
        let connection = Identified {
            reserved_at: now,
            frame_queue: frame_queue.clone(),
            nickname_key: nickname.key(),
            rooms: HashSet::new(),
            account: None,
            session_tag: None,
            guest_address: None,
        };
        state.identified.insert(session, connection);
        Ok(claimed)
    }

    /// Adds `session` to `room` and tells the other members. Returns everyone in the room now
    /// (the joiner included, sorted case-insensitively) and the room's latest published
    /// sequence number: every later message will reach the joiner live.
    pub fn join(
        &self,
        session: SessionId,
        nickname: &Nickname,
        room_name: &RoomName,
        frame_queue: &FrameQueue,
    ) -> Result<JoinedRoom, HubError> {
        let mut state = self.lock();
        let HubState { rooms, elsewhere, identified, listed_max, .. } = &mut *state;
        let room =
            rooms.get_mut(room_name).ok_or_else(|| HubError::UnknownRoom(room_name.to_string()))?;
        if room.members.contains_key(&session) {
            return Err(HubError::AlreadyInRoom(room_name.to_string()));
        }
        // Another tab of someone already here, or on another node, changes nothing for the
        // others.
        let guest = identified.get(&session).is_none_or(|connection| connection.account.is_none());
        if !room.is_here(nickname) && !elsewhere.is_present(room_name, nickname) {
            room.arrived(room_name, nickname.clone(), guest, *listed_max, &self.broadcast_writer);
        }
        if room.add_member(session, nickname, frame_queue, guest) {
            // Told under the lock, so the other nodes hear arrivals and departures in the
            // order they happened.
            self.tell(|| NodeNews::Presence {
                room: room_name.clone(),
                nickname: nickname.clone(),
                present: true,
                guest,
            });
        }
        if let Some(connection) = identified.get_mut(&session) {
            connection.rooms.insert(room_name.clone());
        }
        // A counted room's joiner hears the count; the names, if wanted, a page at a time.
        let last_seq = room.last_seq;
        if room.counted {
            let count = Some(room.people as u64);
            return Ok(JoinedRoom {
                members: vec![],
                guests: vec![],
                last_seq,
                member_count: count,
            });
        }
        let (members, guests) = room.everyone(room_name, elsewhere);
        Ok(JoinedRoom { members, guests, last_seq, member_count: None })
    }

    /// Up to `limit` people of `room` (which `session` is in) after the name `after`, in the
    /// order of their names' keys.
    pub fn people_page(
        &self,
        session: SessionId,
        room_name: &RoomName,
        after: Option<&Nickname>,
        limit: usize,
    ) -> Result<PeoplePage, HubError> {
        let mut state = self.lock();
        let HubState { rooms, elsewhere, .. } = &mut *state;
        let room =
            rooms.get_mut(room_name).ok_or_else(|| HubError::UnknownRoom(room_name.to_string()))?;
        room.nickname_of(session, room_name)?;
        let after = after.map(Nickname::key);
        Ok(room.people_after(room_name, elsewhere, after.as_deref(), limit))
    }

    /// Tells the members of every counted room whose count changed since the last time (see
    /// [`headcount`]): called every `common::MEMBER_COUNT_INTERVAL_MS`.
    pub fn tell_member_counts(&self) {
        let mut state = self.lock();
        let HubState { rooms, elsewhere, listed_max, .. } = &mut *state;
        for (name, room) in rooms.iter_mut().filter(|(_, room)| room.count_changed) {
            room.flush_count(name, elsewhere, *listed_max, &self.broadcast_writer);
        }
    }

    /// Removes `session` from `room` and tells the remaining members.
    pub fn leave(&self, session: SessionId, room_name: &RoomName) -> Result<(), HubError> {
        let mut state = self.lock();
        if !state.room_mut(room_name)?.members.contains_key(&session) {
            return Err(HubError::NotInRoom(room_name.to_string()));
        }
        self.remove_member(&mut state, session, room_name, Departure::Announced);
        if let Some(connection) = state.identified.get_mut(&session) {
            connection.rooms.remove(room_name);
        }
        Ok(())
    }

    /// The nickname `session` speaks with in `room`, if it is a member.
    pub fn member_nickname(
        &self,
        session: SessionId,
        room_name: &RoomName,
    ) -> Result<Nickname, HubError> {
        let mut state = self.lock();
        state.room_mut(room_name)?.nickname_of(session, room_name)
    }

    /// Delivers a stored message to every member of its room (the sender included), in
    /// sequence order: a message already delivered is ignored, and one that arrives ahead of
    /// its turn waits for those before it. Messages come from this node's delivery, in
    /// order, and from other nodes through the bus, in any order and possibly twice.
    pub fn publish(&self, message: &ChatMessage) -> Published {
        self.publish_all(std::slice::from_ref(message)).published[0]
    }

    /// [`Hub::publish`] for a batch (what the delivery stored in one transaction), under one
    /// lock: each member of a room gets that room's new messages as one item in its frame queue,
    /// so one write carries them all. The writing is done by the broadcast writer thread,
    /// after the lock is released, straight to each idle member's socket: no writer task
    /// wakes up for it.
    pub fn publish_all(&self, messages: &[ChatMessage]) -> PublishedBatch {
        let mut state = self.lock();
        let mut outcomes = Vec::with_capacity(messages.len());
        // Usually one room; a batch spans a few at most, so a list beats a map.
        let mut frames_by_room: Vec<(RoomName, Vec<Utf8Bytes>)> = Vec::new();
        for message in messages {
            // Not announced from here: a room first heard of by a message may be private (its
            // creation's news, or the store's listing, says which).
            let room = state.rooms.entry(message.room.clone()).or_default();
            let at = match frames_by_room.iter().position(|(name, _)| *name == message.room) {
                Some(at) => at,
                None => {
                    frames_by_room.push((message.room.clone(), Vec::new()));
                    frames_by_room.len() - 1
                }
            };
            let kept_before = room.recent.bytes();
            outcomes.push(room.accept(message, &mut frames_by_room[at].1));
            let kept_after = room.recent.bytes();
            state.recent_bytes = (state.recent_bytes + kept_after).saturating_sub(kept_before);
        }
        if state.recent_bytes > state.recent_budget {
            state.forget_oldest_recent();
        }
        let mut deliveries = 0;
        let mut unwritten = Vec::new();
        for (name, frames) in frames_by_room {
            let Some(room) = state.rooms.get(&name).filter(|_| !frames.is_empty()) else {
                continue;
            };
            deliveries += frames.len() * room.members.len();
            self.broadcast_writer.note_broadcast(room.members.len(), frames.len());
            let frames = SharedTexts::new(frames);
            unwritten.extend(
                room.members
                    .values()
                    .filter_map(|member| member.frame_queue.push_all_unwritten(frames.clone())),
            );
        }
        // The order each member gets things in was fixed above, under the lock; the writes
        // (the slow part) need not hold it.
        drop(state);
        self.broadcast_writer.write(unwritten);
        PublishedBatch { published: outcomes, deliveries }
    }

    /// For a room with messages waiting behind a hole: the sequence number after which to
    /// read from the store to fill it. `None` when nothing waits (the hole filled itself).
    pub fn hole_in(&self, room_name: &RoomName) -> Option<u64> {
        let state = self.lock();
        let room = state.rooms.get(room_name)?;
        room.waiting.first_key_value().map(|_| room.last_seq)
    }

    /// Forgets, in every room's latest messages kept in memory, those at the start sent before
    /// `cutoff` (milliseconds since the epoch): retention removed them from the store.
    pub fn forget_sent_before(&self, cutoff: i64) {
        let mut state = self.lock();
        let mut kept = 0;
        for room in state.rooms.values_mut() {
            room.recent.forget_sent_before(cutoff);
            kept += room.recent.bytes();
        }
        state.recent_bytes = kept;
    }

    /// A page of `room_name`'s history, if this node has all of it in memory (see
    /// [`recent_messages`]); `None` means: ask the store.
    pub fn recent_page(&self, room_name: &RoomName, page: Page, limit: u32) -> Option<RecentPage> {
        let state = self.lock();
        let room = state.rooms.get(room_name)?;
        match page {
            Page::Before(before) => room.recent.page_before(before, limit, room.last_seq),
            Page::After(after) => room.recent.page_after(after, limit, room.last_seq),
        }
    }

    /// The sequence number up to which `room_name`'s messages have been delivered here.
    pub fn delivered_up_to(&self, room_name: &RoomName) -> Option<u64> {
        self.lock().rooms.get(room_name).map(|room| room.last_seq)
    }

    /// Tells the other members of `room` (here and on the other nodes) that `session`'s user
    /// is typing.
    pub fn typing(&self, session: SessionId, room_name: &RoomName) -> Result<(), HubError> {
        let nickname = {
            let mut state = self.lock();
            let room = state.room_mut(room_name)?;
            let nickname = room.nickname_of(session, room_name)?;
            if !room.typing_may_be_told(Instant::now()) {
                // Nor to the other nodes: each limits its own members' in the same way.
                return Ok(());
            }
            let event = ServerMessage::Typing(Typing {
                room: room_name.clone(),
                nickname: nickname.clone(),
            });
            let frame = Utf8Bytes::from(event.to_json());
            for (member, entry) in &room.members {
                if *member != session {
                    entry.frame_queue.push(frame.clone());
                }
            }
            nickname
        };
        self.tell(|| NodeNews::Typing { room: room_name.clone(), nickname });
        Ok(())
    }

    /// Forgets `session`: leaves every room it was in and lets go of its nickname (which
    /// stays the person's for the grace period if this was their last connection, unless they
    /// signed out). With
    /// [`Departure::Announced`] the remaining members are told (`user_left`). Returns the
    /// name, if this was its holder's last connection here (the cluster must hear of it).
    pub fn disconnect(&self, session: SessionId, departure: Departure) -> Option<ReleasedName> {
        let mut state = self.lock();
        let connection = state.identified.remove(&session)?;
        let at_once = departure == Departure::SignedOut;
        let released = state
            .nicknames
            .release(session, &connection.nickname_key, Instant::now(), at_once)
            .map(|token| ReleasedName { key: connection.nickname_key.clone(), token, at_once });
        for room_name in &connection.rooms {
            self.remove_member(&mut state, session, room_name, departure);
        }
        released
    }

    /// Takes `session` out of `room_name`. If that was the person's last connection here, the
    /// other nodes are told, and so are the members here, unless the person is still in the
    /// room on another node (or the departure is silent).
    fn remove_member(
        &self,
        state: &mut HubState,
        session: SessionId,
        room_name: &RoomName,
        departure: Departure,
    ) {
        let HubState { rooms, elsewhere, .. } = state;
        let Some(room) = rooms.get_mut(room_name) else { return };
        let Some(nickname) = room.remove_member(session) else { return };
        if departure == Departure::Silent {
            // The node is going away: the others forget its people when its heartbeats stop,
            // by which time most have reconnected elsewhere.
            return;
        }
        self.tell(|| NodeNews::Presence {
            room: room_name.clone(),
            nickname: nickname.clone(),
            present: false,
            guest: false,
        });
        if !elsewhere.is_present(room_name, &nickname) {
            room.departed(room_name, nickname, &self.broadcast_writer);
        }
    }

    /// Hands the news to the other nodes, if there are any (made only then: on a single
    /// node nothing is built for nobody).
    fn tell(&self, news: impl FnOnce() -> NodeNews) {
        if let Some(other_nodes) = &self.other_nodes {
            other_nodes.tell(news());
        }
    }

    /// A std mutex is right here: every critical section is short, does no IO and never
    /// crosses an `.await`. Poisoning would mean a panic mid-update; the maps stay
    /// structurally valid, so carry on rather than take the whole server down.
    fn lock(&self) -> MutexGuard<'_, HubState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests;
