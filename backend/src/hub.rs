//! Who is connected as whom, and who is in which room, on this node.
//!
//! The hub is the one place that changes room membership and assigns sequence numbers, so
//! every member of a room sees the same events in the same order: the sequence number is taken
//! and the event is pushed to every member's outbox inside one critical section.
//!
//! Each event is encoded to JSON once and the same bytes are shared with every recipient.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use common::{ChatMessage, ErrorCode, Nickname, RoomName, RoomSummary, ServerMessage};
use tungstenite::Utf8Bytes;

use crate::broadcast_writer::BroadcastWriter;
use crate::bus::{Bus, BusEvent};
use crate::cluster_names::ClusterNames;
use crate::elsewhere::{Change, Elsewhere, NodeId, RoomPeople};
use crate::nicknames::{Nicknames, ownership_key};
use crate::outbox::{Outbox, SharedTexts};
use crate::recent_messages::{RecentMessages, RecentPage};
use crate::store::Page;

/// What became of a published message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// Delivered to the room's members now (with any that were waiting for it).
    Delivered,
    /// Delivered before (it came again, through another path).
    AlreadyDelivered,
    /// Messages wait behind a hole that starts after sequence number `after`; unless the
    /// missing ones arrive soon, they must be read from the store.
    Waiting { after: u64 },
}

/// What became of a batch of published messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedBatch {
    /// One outcome per message, in the batch's order.
    pub published: Vec<Published>,
    /// Frames pushed to members' outboxes here (each new message times its room's members).
    pub deliveries: usize,
}

/// Whether the rooms a connection leaves are told about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// The usual case: members see `user_left`.
    Announced,
    /// The whole server is shutting down and every member is about to be told so; a
    /// `user_left` for each of them to each of them would be noise (and N² frames).
    Silent,
}

/// Identifies one connection on this node.
pub type SessionId = u64;

/// A refusal from the hub; each maps to a protocol error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HubError {
    #[error("the nickname {0:?} is already in use; pick another")]
    NicknameTaken(String),
    #[error(
        "the nickname {nickname:?} belongs to someone who was disconnected a moment ago and is kept for them for {seconds} s more; pick another"
    )]
    NicknameHeld { nickname: String, seconds: u64 },
    #[error("there is no room named {0:?}")]
    UnknownRoom(String),
    #[error("already in room {0:?}")]
    AlreadyInRoom(String),
    #[error("not in room {0:?}; join it first")]
    NotInRoom(String),
}

impl HubError {
    /// The stable code sent to the client.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NicknameTaken(_) | Self::NicknameHeld { .. } => ErrorCode::NicknameTaken,
            Self::UnknownRoom(_) => ErrorCode::UnknownRoom,
            Self::AlreadyInRoom(_) => ErrorCode::AlreadyInRoom,
            Self::NotInRoom(_) => ErrorCode::NotInRoom,
        }
    }
}

/// What a joiner learns about the room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinedRoom {
    pub members: Vec<Nickname>,
    pub last_seq: u64,
}

/// A cheap, cloneable handle to this node's rooms and nicknames.
#[derive(Debug, Clone)]
pub struct Hub {
    state: Arc<Mutex<HubState>>,
    next_session_id: Arc<AtomicU64>,
    /// Where what happens here goes for the other nodes (nowhere on a single node).
    bus: Bus,
    /// Nickname reservations across nodes (none on a single node).
    cluster_names: ClusterNames,
    /// Writes broadcasts to members' sockets, off the async runtime.
    broadcast_writer: BroadcastWriter,
}

/// The most message text all rooms together keep in memory for their latest pages
/// ([`RecentMessages`]): 512 rooms' worth of its 32 KiB each, and a few thousand rooms of
/// short messages. Beyond it, the rooms that published longest ago forget theirs.
const RECENT_BYTES_BUDGET: usize = 16 << 20;

#[derive(Debug)]
struct HubState {
    nicknames: Nicknames,
    /// Every connection that said `hello`.
    identified: HashMap<SessionId, Identified>,
    rooms: HashMap<RoomName, Room>,
    /// Who is in which room on the other nodes.
    elsewhere: Elsewhere,
    /// What every room's [`RecentMessages`] weigh together.
    recent_bytes: usize,
    /// The most they may weigh ([`RECENT_BYTES_BUDGET`]; smaller in tests).
    recent_budget: usize,
}

/// A connection that said `hello`.
#[derive(Debug)]
struct Identified {
    /// Where news about rooms goes.
    outbox: Outbox,
    /// The key of the nickname it holds, to release it on disconnect.
    nickname_key: String,
    /// The rooms it is in, so a disconnect visits only those.
    rooms: HashSet<RoomName>,
}

#[derive(Debug, Default)]
struct Room {
    /// Ordered by session id so iteration (and so delivery order across members) is stable.
    members: BTreeMap<SessionId, Member>,
    /// The people among the members (by nickname key), with how many connections each has
    /// here: whether someone is here is a lookup, not a scan, however many joined.
    people_here: HashMap<String, (Nickname, usize)>,
    /// The sequence number of the latest message published to members; 0 before the first.
    /// Every message up to it has been published, in order.
    last_seq: u64,
    /// Messages that arrived ahead of their turn (from other nodes, whose news can overtake
    /// each other), held until the ones before them arrive or are read from the store.
    waiting: BTreeMap<u64, ChatMessage>,
    /// The latest published messages, to answer the latest page without the store.
    recent: RecentMessages,
}

#[derive(Debug)]
struct Member {
    nickname: Nickname,
    /// `nickname.key()`, computed once at join rather than per event.
    key: String,
    outbox: Outbox,
}

impl Hub {
    /// A hub with no rooms (add them with [`Hub::add_room`]). A nickname stays with a person
    /// for `nickname_grace` after their last connection closes.
    pub fn new(nickname_grace: Duration) -> Self {
        Self::clustered(nickname_grace, Bus::local(), ClusterNames::local(), Duration::ZERO)
    }

    /// A hub that tells the other nodes, through `bus`, what happens on this one, and keeps
    /// nicknames unique across them through `cluster_names`. A big room's broadcasts are
    /// written at most once per `write_gather` (see [`BroadcastWriter`]).
    pub fn clustered(
        nickname_grace: Duration,
        bus: Bus,
        cluster_names: ClusterNames,
        write_gather: Duration,
    ) -> Self {
        let state = HubState {
            nicknames: Nicknames::new(nickname_grace),
            identified: HashMap::new(),
            rooms: HashMap::new(),
            elsewhere: Elsewhere::default(),
            recent_bytes: 0,
            recent_budget: RECENT_BYTES_BUDGET,
        };
        Self {
            state: Arc::new(Mutex::new(state)),
            next_session_id: Arc::new(AtomicU64::new(1)),
            bus,
            cluster_names,
            broadcast_writer: BroadcastWriter::start(write_gather),
        }
    }

    /// Makes `room` known, with the sequence number of its latest stored message.
    pub fn add_room(&self, room: RoomName, last_seq: u64) {
        self.lock().rooms.entry(room).or_default().last_seq = last_seq;
    }

    /// Makes a room known and tells every identified connection (unless it was known already:
    /// news of a room can come both from another node and from the store).
    pub fn announce_room(&self, room: RoomName) {
        self.lock().known_room(&room);
    }

    /// A room was just created on this node: announces it here and to the other nodes.
    pub fn room_created(&self, room: RoomName) {
        self.announce_room(room.clone());
        self.bus.send(BusEvent::RoomAdded { room });
    }

    /// Every room with its latest published sequence number, sorted by name.
    pub fn rooms(&self) -> Vec<RoomSummary> {
        let state = self.lock();
        let mut rooms: Vec<RoomSummary> = state
            .rooms
            .iter()
            .map(|(name, room)| RoomSummary { name: name.clone(), last_seq: room.last_seq })
            .collect();
        rooms.sort_by(|a, b| a.name.cmp(&b.name));
        rooms
    }

    /// The cluster's nickname reservations (to claim a name there before [`Hub::claim_nickname`]).
    pub fn cluster_names(&self) -> &ClusterNames {
        &self.cluster_names
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

    /// Gives `nickname` to `session` (see [`Nicknames::claim`]). Returns the nickname as the
    /// person holds it (the first connection's spelling) and the token. From then on the
    /// connection hears about new rooms through `outbox`.
    pub fn claim_nickname(
        &self,
        session: SessionId,
        nickname: &Nickname,
        token: Option<&str>,
        outbox: &Outbox,
    ) -> Result<(Nickname, String), HubError> {
        let mut state = self.lock();
        let claimed = state.nicknames.claim(session, nickname, token, Instant::now())?;
        let connection = Identified {
            outbox: outbox.clone(),
            nickname_key: ownership_key(nickname),
            rooms: HashSet::new(),
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
        outbox: &Outbox,
    ) -> Result<JoinedRoom, HubError> {
        let mut state = self.lock();
        let HubState { rooms, elsewhere, identified, .. } = &mut *state;
        let room =
            rooms.get_mut(room_name).ok_or_else(|| HubError::UnknownRoom(room_name.to_string()))?;
        if room.members.contains_key(&session) {
            return Err(HubError::AlreadyInRoom(room_name.to_string()));
        }
        // Another tab of someone already here, or on another node, changes nothing for the
        // others.
        if !room.is_here(nickname) && !elsewhere.is_present(room_name, nickname) {
            let news =
                ServerMessage::UserJoined { room: room_name.clone(), nickname: nickname.clone() };
            broadcast(room, &news);
        }
        if room.add_member(session, nickname, outbox) && self.bus.is_clustered() {
            // Sent under the lock, so the other nodes hear arrivals and departures in the
            // order they happened.
            let present = BusEvent::Presence {
                room: room_name.clone(),
                nickname: nickname.clone(),
                present: true,
            };
            self.bus.send(present);
        }
        if let Some(connection) = identified.get_mut(&session) {
            connection.rooms.insert(room_name.clone());
        }
        let mut members: Vec<Nickname> =
            room.people_here.values().map(|(nickname, _)| nickname.clone()).collect();
        members.extend(elsewhere.people(room_name).cloned());
        members.sort_by_key(Nickname::key);
        members.dedup_by_key(|nickname| nickname.key());
        Ok(JoinedRoom { members, last_seq: room.last_seq })
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
    /// its turn waits for those before it. Messages come from this node's store writer, in
    /// order, and from other nodes through the bus, in any order and possibly twice.
    pub fn publish(&self, message: &ChatMessage) -> Published {
        self.publish_all(std::slice::from_ref(message)).published[0]
    }

    /// [`Hub::publish`] for a batch (what the store writer stored in one transaction), under
    /// one lock: each member of a room gets that room's new messages as one item in its
    /// outbox, so one write carries them all. The writing is done by the broadcast writer
    /// thread, after the lock is released, straight to each idle member's socket: no writer
    /// task wakes up for it.
    pub fn publish_all(&self, messages: &[ChatMessage]) -> PublishedBatch {
        let mut state = self.lock();
        let mut outcomes = Vec::with_capacity(messages.len());
        // Usually one room; a batch spans a few at most, so a list beats a map.
        let mut frames_by_room: Vec<(RoomName, Vec<Utf8Bytes>)> = Vec::new();
        for message in messages {
            let room = state.known_room(&message.room);
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
            let frames = SharedTexts::new(frames);
            unwritten.extend(
                room.members
                    .values()
                    .filter_map(|member| member.outbox.push_all_unwritten(frames.clone())),
            );
        }
        // The order each member gets things in was fixed above, under the lock; the writes
        // (the slow part) need not hold it.
        drop(state);
        self.broadcast_writer.write(unwritten);
        PublishedBatch { published: outcomes, deliveries }
    }

    /// Publishes messages this node's store writer just stored: here, and to the other nodes.
    pub fn publish_stored(&self, messages: &[ChatMessage]) -> PublishedBatch {
        let published = self.publish_all(messages);
        if self.bus.is_clustered() {
            for message in messages {
                self.bus.send(BusEvent::Message { message: message.clone() });
            }
        }
        published
    }

    /// For a room with messages waiting behind a hole: the sequence number after which to
    /// read from the store to fill it. `None` when nothing waits (the hole filled itself).
    pub fn hole_in(&self, room_name: &RoomName) -> Option<u64> {
        let state = self.lock();
        let room = state.rooms.get(room_name)?;
        room.waiting.first_key_value().map(|_| room.last_seq)
    }

    /// A page of `room_name`'s history, if this node has all of it in memory (see
    /// [`RecentMessages`]); `None` means: ask the store.
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
            let event =
                ServerMessage::Typing { room: room_name.clone(), nickname: nickname.clone() };
            let frame = Utf8Bytes::from(event.to_json());
            for (member, entry) in &room.members {
                if *member != session {
                    entry.outbox.push(frame.clone());
                }
            }
            nickname
        };
        self.bus.send(BusEvent::Typing { room: room_name.clone(), nickname });
        Ok(())
    }

    /// Someone on another node is typing in `room`: tells the members here (except that
    /// person's own connections).
    pub fn typing_elsewhere(&self, room_name: &RoomName, nickname: &Nickname) {
        let state = self.lock();
        let Some(room) = state.rooms.get(room_name) else { return };
        let event = ServerMessage::Typing { room: room_name.clone(), nickname: nickname.clone() };
        let frame = Utf8Bytes::from(event.to_json());
        let key = nickname.key();
        for entry in room.members.values() {
            if entry.key != key {
                entry.outbox.push(frame.clone());
            }
        }
    }

    /// Forgets `session`: leaves every room it was in and lets go of its nickname (which
    /// stays the person's for the grace period if this was their last connection). With
    /// [`Departure::Announced`] the remaining members are told (`user_left`).
    pub fn disconnect(&self, session: SessionId, departure: Departure) {
        let mut state = self.lock();
        let Some(connection) = state.identified.remove(&session) else { return };
        if let Some(token) =
            state.nicknames.release(session, &connection.nickname_key, Instant::now())
        {
            self.cluster_names.released(connection.nickname_key.clone(), token);
        }
        for room_name in &connection.rooms {
            self.remove_member(&mut state, session, room_name, departure);
        }
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
        if self.bus.is_clustered() {
            let absent = BusEvent::Presence {
                room: room_name.clone(),
                nickname: nickname.clone(),
                present: false,
            };
            self.bus.send(absent);
        }
        if !elsewhere.is_present(room_name, &nickname) {
            broadcast(room, &ServerMessage::UserLeft { room: room_name.clone(), nickname });
        }
    }

    /// Another node says `nickname` is (or no longer is) in `room_name` there.
    pub fn presence_elsewhere(
        &self,
        node: &str,
        room_name: &RoomName,
        nickname: &Nickname,
        present: bool,
    ) {
        let mut state = self.lock();
        let change = if present {
            state.elsewhere.arrive(node, room_name, nickname)
        } else {
            state.elsewhere.depart(node, room_name, nickname)
        };
        state.announce(change);
    }

    /// Another node's full list of who is in which room there, replacing what it said before.
    pub fn snapshot_elsewhere(&self, node: &str, snapshot: &RoomPeople) {
        let mut state = self.lock();
        let changes = state.elsewhere.replace(node, snapshot);
        for change in changes {
            state.announce(Some(change));
        }
    }

    /// Another node was heard from. True if it was not known: ask for its full list.
    pub fn node_heard(&self, node: &str) -> bool {
        self.lock().elsewhere.heard(node, Instant::now())
    }

    /// Forgets every other node not heard from within `ttl`, with its people (who leave the
    /// lists here unless they are here too). Returns the nodes forgotten.
    pub fn expire_nodes(&self, ttl: Duration) -> Vec<NodeId> {
        let mut state = self.lock();
        let (dead, changes) = state.elsewhere.expire(Instant::now(), ttl);
        for change in changes {
            state.announce(Some(change));
        }
        dead
    }

    /// Who is in which room on this node: the list the other nodes ask for.
    pub fn people_here(&self) -> RoomPeople {
        let state = self.lock();
        state
            .rooms
            .iter()
            .filter(|(_, room)| !room.people_here.is_empty())
            .map(|(name, room)| {
                (name.clone(), room.people_here.values().map(|(n, _)| n.clone()).collect())
            })
            .collect()
    }

    /// A std mutex is right here: every critical section is short, does no IO and never
    /// crosses an `.await`. Poisoning would mean a panic mid-update; the maps stay
    /// structurally valid, so carry on rather than take the whole server down.
    fn lock(&self) -> MutexGuard<'_, HubState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Room {
    /// Takes `message` in sequence order: if it is the next one, it (and any that waited for
    /// it) is encoded onto `frames` for the members; if it is ahead of its turn, it waits.
    fn accept(&mut self, message: &ChatMessage, frames: &mut Vec<Utf8Bytes>) -> Published {
        if message.seq <= self.last_seq {
            return Published::AlreadyDelivered;
        }
        if message.seq > self.last_seq + 1 {
            self.waiting.insert(message.seq, message.clone());
            return Published::Waiting { after: self.last_seq };
        }
        self.take(message.clone(), frames);
        while let Some(next) = self.waiting.remove(&(self.last_seq + 1)) {
            self.take(next, frames);
        }
        // Anything still waiting is behind a new hole: it needs the same care.
        match self.waiting.first_key_value() {
            Some(_) => Published::Waiting { after: self.last_seq },
            None => Published::Delivered,
        }
    }

    /// Makes `message`, the next in sequence, the latest published one.
    fn take(&mut self, message: ChatMessage, frames: &mut Vec<Utf8Bytes>) {
        self.last_seq = message.seq;
        self.recent.push(message.clone());
        frames.push(Utf8Bytes::from(ServerMessage::Message(message).to_json()));
    }

    /// Adds `session` as `nickname`. True if the person was not here before (on this node).
    fn add_member(&mut self, session: SessionId, nickname: &Nickname, outbox: &Outbox) -> bool {
        let key = nickname.key();
        let member =
            Member { nickname: nickname.clone(), key: key.clone(), outbox: outbox.clone() };
        self.members.insert(session, member);
        let (_, connections) = self.people_here.entry(key).or_insert_with(|| (nickname.clone(), 0));
        *connections += 1;
        *connections == 1
    }

    /// Removes `session`. Returns the person's nickname if that was their last connection
    /// here.
    fn remove_member(&mut self, session: SessionId) -> Option<Nickname> {
        let member = self.members.remove(&session)?;
        let key = member.key;
        let (_, connections) = self.people_here.get_mut(&key)?;
        *connections -= 1;
        if *connections > 0 {
            return None;
        }
        self.people_here.remove(&key).map(|(nickname, _)| nickname)
    }

    /// The nickname `session` speaks with here, if it is a member (`room_name` is for the
    /// error).
    fn nickname_of(&self, session: SessionId, room_name: &RoomName) -> Result<Nickname, HubError> {
        self.members
            .get(&session)
            .map(|member| member.nickname.clone())
            .ok_or_else(|| HubError::NotInRoom(room_name.to_string()))
    }

    /// Whether any connection of the person called `nickname` is in the room on this node.
    fn is_here(&self, nickname: &Nickname) -> bool {
        self.people_here.contains_key(&nickname.key())
    }
}

impl HubState {
    /// Tells the members of a room that someone on another node came or went, unless that
    /// person is in the room here too (then nothing changed for them).
    fn announce(&mut self, change: Option<Change>) {
        let Some(Change { room: room_name, nickname, present }) = change else { return };
        let Some(room) = self.rooms.get_mut(&room_name) else { return };
        if room.is_here(&nickname) {
            return;
        }
        let news = if present {
            ServerMessage::UserJoined { room: room_name, nickname }
        } else {
            ServerMessage::UserLeft { room: room_name, nickname }
        };
        broadcast(room, &news);
    }

    /// The room called `name`, made known (and announced to every identified connection) if
    /// it was not.
    fn known_room(&mut self, name: &RoomName) -> &mut Room {
        if !self.rooms.contains_key(name) {
            let news =
                ServerMessage::RoomAdded { room: RoomSummary { name: name.clone(), last_seq: 0 } };
            let frame = Utf8Bytes::from(news.to_json());
            for connection in self.identified.values() {
                connection.outbox.push(frame.clone());
            }
        }
        self.rooms.entry(name.clone()).or_default()
    }

    /// Forgets the latest messages of the rooms that published longest ago until the rest
    /// weigh at most three quarters of the budget (so this runs once per quarter of it, not
    /// once per message). Their pages come from the store until they publish again.
    fn forget_oldest_recent(&mut self) {
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

    fn room_mut(&mut self, name: &RoomName) -> Result<&mut Room, HubError> {
        self.rooms.get_mut(name).ok_or_else(|| HubError::UnknownRoom(name.to_string()))
    }
}

/// Encodes `message` once and pushes the same bytes to every member of `room`.
fn broadcast(room: &Room, message: &ServerMessage) {
    let frame = Utf8Bytes::from(message.to_json());
    for member in room.members.values() {
        member.outbox.push(frame.clone());
    }
}

#[cfg(test)]
mod tests {
    use common::{ClientId, MessageBody};

    use super::*;
    use crate::outbox::{Outbound, OutboxReceiver};

    fn nick(s: &str) -> Nickname {
        Nickname::parse(s).expect("valid")
    }

    fn hub_with_lobby() -> Hub {
        let hub = Hub::new(Duration::ZERO);
        hub.add_room(RoomName::lobby(), 0);
        hub
    }

    fn stored(seq: u64, author: &str) -> ChatMessage {
        ChatMessage {
            room: RoomName::lobby(),
            seq,
            id: format!("m{seq}"),
            client_id: ClientId::parse(&format!("c{seq}")).expect("valid"),
            author: nick(author),
            body: MessageBody::parse("hi").expect("valid"),
            sent_at: 0,
        }
    }

    fn drain(receiver: &mut OutboxReceiver) -> Vec<ServerMessage> {
        let mut out = Vec::new();
        let mut items = Vec::new();
        receiver.try_recv_many(&mut items, usize::MAX);
        for item in items {
            let texts = match item {
                Outbound::Text(text) => vec![text],
                Outbound::Texts(texts) => texts.texts().to_vec(),
                Outbound::Ping | Outbound::Close(_) | Outbound::Raw(_) => break,
            };
            for text in texts {
                out.push(serde_json::from_str(text.as_str()).expect("valid json"));
            }
        }
        out
    }

    #[test]
    fn a_nickname_is_released_when_its_last_connection_goes() {
        let hub = hub_with_lobby();
        let (outbox, _receiver) = Outbox::new(1 << 16);
        let (_, token) = hub.claim_nickname(1, &nick("Alice"), None, &outbox).expect("free");
        hub.claim_nickname(2, &nick("alice"), Some(&token), &outbox).expect("same person");
        hub.disconnect(1, Departure::Announced);
        assert!(hub.claim_nickname(3, &nick("alice"), None, &outbox).is_err(), "one tab left");
        hub.disconnect(2, Departure::Announced);
        assert!(hub.claim_nickname(3, &nick("alice"), None, &outbox).is_ok(), "no grace here");
    }

    #[test]
    fn disconnecting_leaves_every_room_and_tells_the_others() {
        let hub = hub_with_lobby();
        let lobby = RoomName::lobby();
        let (alice_box, _alice_rx) = Outbox::new(1 << 16);
        let (bob_box, mut bob_rx) = Outbox::new(1 << 16);
        hub.claim_nickname(1, &nick("alice"), None, &alice_box).expect("free");
        hub.claim_nickname(2, &nick("bob"), None, &bob_box).expect("free");
        hub.join(1, &nick("alice"), &lobby, &alice_box).expect("join");
        hub.join(2, &nick("bob"), &lobby, &bob_box).expect("join");
        hub.disconnect(1, Departure::Announced);
        assert_eq!(
            drain(&mut bob_rx),
            vec![ServerMessage::UserLeft { room: lobby.clone(), nickname: nick("alice") }]
        );
        assert_eq!(hub.join(3, &nick("carol"), &lobby, &bob_box).expect("join").members.len(), 2);
    }

    #[test]
    fn published_messages_reach_every_member_and_move_the_join_point() {
        let hub = hub_with_lobby();
        let lobby = RoomName::lobby();
        let (alice_box, mut alice_rx) = Outbox::new(1 << 16);
        let (bob_box, mut bob_rx) = Outbox::new(1 << 16);
        assert_eq!(hub.join(1, &nick("alice"), &lobby, &alice_box).expect("join").last_seq, 0);
        for seq in 1..=3 {
            hub.publish(&stored(seq, "alice"));
        }
        let joined = hub.join(2, &nick("bob"), &lobby, &bob_box).expect("join");
        assert_eq!(joined.last_seq, 3, "bob fetches 1..=3 from the store, the rest arrive live");
        hub.publish(&stored(4, "alice"));
        let seqs = |messages: Vec<ServerMessage>| -> Vec<u64> {
            messages
                .into_iter()
                .filter_map(|m| match m {
                    ServerMessage::Message(chat) => Some(chat.seq),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(seqs(drain(&mut alice_rx)), vec![1, 2, 3, 4]);
        assert_eq!(seqs(drain(&mut bob_rx)), vec![4]);
    }

    #[test]
    fn beyond_the_budget_the_rooms_that_published_longest_ago_forget_their_latest_messages() {
        let hub = hub_with_lobby();
        let rust = RoomName::parse("rust").expect("valid");
        hub.add_room(rust.clone(), 0);
        let in_room =
            |room: &RoomName, seq: u64| ChatMessage { room: room.clone(), ..stored(seq, "alice") };
        let latest = |room: &RoomName| hub.recent_page(room, Page::Before(None), 50);
        for seq in 1..=10 {
            hub.publish(&in_room(&RoomName::lobby(), seq));
        }
        let lobby_bytes = hub.lock().recent_bytes;
        assert!(lobby_bytes > 0);
        // Room for the lobby's ten and about five more.
        hub.lock().recent_budget = lobby_bytes * 3 / 2;
        for seq in 1..=5 {
            hub.publish(&in_room(&rust, seq));
        }
        assert!(latest(&RoomName::lobby()).is_some(), "within the budget, both are kept");
        assert!(latest(&rust).is_some());
        hub.publish(&in_room(&rust, 6));
        assert!(
            latest(&RoomName::lobby()).is_none(),
            "the room that published longest ago forgets"
        );
        let kept = latest(&rust).expect("the busy room keeps its latest").into_history_page();
        assert_eq!(kept.messages.len(), 6);
        let state = hub.lock();
        assert!(state.recent_bytes <= state.recent_budget / 4 * 3);
        assert_eq!(state.recent_bytes, state.rooms[&rust].recent.bytes(), "the total stays exact");
    }

    #[test]
    fn a_stored_batch_reaches_each_member_as_one_item_in_order() {
        let hub = hub_with_lobby();
        let lobby = RoomName::lobby();
        let (alice_box, mut alice_rx) = Outbox::new(1 << 16);
        hub.join(1, &nick("alice"), &lobby, &alice_box).expect("join");
        let batch: Vec<ChatMessage> = (1..=3).map(|seq| stored(seq, "bob")).collect();
        let outcome = hub.publish_all(&batch);
        assert_eq!(outcome.published, vec![Published::Delivered; 3]);
        assert_eq!(outcome.deliveries, 3, "three messages to one member");
        let mut items = Vec::new();
        alice_rx.try_recv_many(&mut items, usize::MAX);
        assert_eq!(items.len(), 1, "one item for the whole batch");
        match items.pop() {
            Some(Outbound::Texts(texts)) => {
                let seqs: Vec<u64> = texts
                    .texts()
                    .iter()
                    .map(|text| match serde_json::from_str(text.as_str()).expect("valid json") {
                        ServerMessage::Message(chat) => chat.seq,
                        other => panic!("not a message: {other:?}"),
                    })
                    .collect();
                assert_eq!(seqs, vec![1, 2, 3]);
            }
            other => panic!("expected one item with the batch, got {other:?}"),
        }
        assert_eq!(hub.publish_all(&batch).published, vec![Published::AlreadyDelivered; 3]);
    }

    #[test]
    fn messages_from_other_nodes_are_delivered_in_sequence_order_and_once() {
        let hub = hub_with_lobby();
        let lobby = RoomName::lobby();
        let (alice_box, mut alice_rx) = Outbox::new(1 << 16);
        hub.join(1, &nick("alice"), &lobby, &alice_box).expect("join");
        assert_eq!(hub.publish(&stored(2, "bob")), Published::Waiting { after: 0 });
        assert_eq!(hub.publish(&stored(4, "bob")), Published::Waiting { after: 0 });
        assert_eq!(hub.hole_in(&lobby), Some(0));
        assert!(drain(&mut alice_rx).is_empty(), "nothing jumps the queue");
        assert_eq!(hub.publish(&stored(1, "bob")), Published::Waiting { after: 2 });
        assert_eq!(hub.publish(&stored(2, "bob")), Published::AlreadyDelivered);
        assert_eq!(hub.publish(&stored(3, "bob")), Published::Delivered);
        assert_eq!(hub.hole_in(&lobby), None);
        assert_eq!(hub.delivered_up_to(&lobby), Some(4));
        let seqs: Vec<u64> = drain(&mut alice_rx)
            .into_iter()
            .filter_map(|m| match m {
                ServerMessage::Message(chat) => Some(chat.seq),
                _ => None,
            })
            .collect();
        assert_eq!(seqs, vec![1, 2, 3, 4]);
    }

    #[test]
    fn a_message_for_a_room_created_elsewhere_makes_the_room_known() {
        let hub = hub_with_lobby();
        let (outbox, mut receiver) = Outbox::new(1 << 16);
        hub.claim_nickname(1, &nick("alice"), None, &outbox).expect("free");
        let mut message = stored(1, "bob");
        message.room = RoomName::parse("elsewhere").expect("valid");
        assert_eq!(hub.publish(&message), Published::Delivered);
        hub.announce_room(message.room.clone());
        let news = drain(&mut receiver);
        assert_eq!(news.len(), 1, "announced once: {news:?}");
        assert!(matches!(&news[0], ServerMessage::RoomAdded { room } if room.name == message.room));
    }

    #[test]
    fn posting_requires_membership() {
        let hub = hub_with_lobby();
        assert_eq!(
            hub.member_nickname(1, &RoomName::lobby()),
            Err(HubError::NotInRoom("lobby".into()))
        );
    }
}
