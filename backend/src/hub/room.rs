//! One room on this node: its members, who they are, and its messages in sequence order.
//!
//! Messages are taken strictly in sequence: the next one is published at once (with any that
//! were waiting for it), one that arrives ahead of its turn (from another node, whose news can
//! overtake each other) waits for those before it.

use std::collections::{BTreeMap, HashMap};

use common::{ChatMessage, Nickname, RoomName, ServerMessage};
use tungstenite::Utf8Bytes;

use super::errors::HubError;
use super::outcomes::Published;
use super::recent_messages::RecentMessages;
use super::session_id::SessionId;
use crate::frames::broadcast_writer::BroadcastWriter;
use crate::frames::frame_queue::{FrameQueue, Unwritten};
use crate::frames::wire::SharedTexts;

#[derive(Debug, Default)]
pub(super) struct Room {
    /// Ordered by session id so iteration (and so delivery order across members) is stable.
    pub(super) members: BTreeMap<SessionId, Member>,
    /// The people among the members (by nickname key), with how many connections each has
    /// here: whether someone is here is a lookup, not a scan, however many joined; in key
    /// order, so that a page of them is a range (`headcount.rs`).
    pub(super) people_here: BTreeMap<String, PersonHere>,
    /// How many people are in the room, here and on the other nodes, each once.
    pub(super) people: usize,
    /// Too many people to name each arrival and departure to every member: they hear the
    /// count instead (`headcount.rs`).
    pub(super) counted: bool,
    /// A counted room's count changed since its members were last told it.
    pub(super) count_changed: bool,
    /// When this node last relayed a `typing` to the room's members (counted rooms only: see
    /// [`Room::typing_may_be_told`]).
    pub(super) typing_told_at: Option<std::time::Instant>,
    /// The sequence number of the latest message published to members; 0 before the first.
    /// Every message up to it has been published, in order.
    pub(super) last_seq: u64,
    /// Messages that arrived ahead of their turn (from other nodes, whose news can overtake
    /// each other), held until the ones before them arrive or are read from the store.
    pub(super) waiting: BTreeMap<u64, ChatMessage>,
    /// The latest published messages, to answer the latest page without the store.
    pub(super) recent: RecentMessages,
    /// Invite-only: announced and listed to its members only (see `common::permissions`).
    pub(super) private: bool,
    /// Who may not write here (by nickname key), until when (ms since the epoch). Ended mutes
    /// are dropped when next looked at.
    pub(super) muted: HashMap<String, i64>,
    /// Whether its kind is known and, if public, it was announced. A room first heard of
    /// through a message (from another node, before the news of its creation) is not: it
    /// might be private.
    pub(super) announced: bool,
}

/// Someone in the room on this node.
#[derive(Debug)]
pub(super) struct PersonHere {
    pub(super) nickname: Nickname,
    pub(super) connections: usize,
    /// A guest, not a registered account.
    pub(super) guest: bool,
}

#[derive(Debug)]
pub(super) struct Member {
    pub(super) nickname: Nickname,
    /// `nickname.key()`, computed once at join rather than per event.
    pub(super) key: String,
    pub(super) frame_queue: FrameQueue,
}

impl Room {
    /// Takes `message` in sequence order: if it is the next one, it (and any that waited for
    /// it) is encoded onto `frames` for the members; if it is ahead of its turn, it waits.
    pub(super) fn accept(
        &mut self,
        message: &ChatMessage,
        frames: &mut Vec<Utf8Bytes>,
    ) -> Published {
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
    pub(super) fn take(&mut self, message: ChatMessage, frames: &mut Vec<Utf8Bytes>) {
        self.last_seq = message.seq;
        self.recent.push(message.clone());
        frames.push(Utf8Bytes::from(ServerMessage::Message(message).to_json()));
    }

    /// Adds `session` as `nickname` (`guest`: without an account). True if the person was not
    /// here before (on this node).
    pub(super) fn add_member(
        &mut self,
        session: SessionId,
        nickname: &Nickname,
        frame_queue: &FrameQueue,
        guest: bool,
    ) -> bool {
        let key = nickname.key();
        let member = Member {
            nickname: nickname.clone(),
            key: key.clone(),
            frame_queue: frame_queue.clone(),
        };
        self.members.insert(session, member);
        let person = self.people_here.entry(key).or_insert_with(|| PersonHere {
            nickname: nickname.clone(),
            connections: 0,
            guest,
        });
        person.connections += 1;
        person.connections == 1
    }

    /// Removes `session`. Returns the person's nickname if that was their last connection
    /// here.
    pub(super) fn remove_member(&mut self, session: SessionId) -> Option<Nickname> {
        let member = self.members.remove(&session)?;
        let key = member.key;
        let person = self.people_here.get_mut(&key)?;
        person.connections -= 1;
        if person.connections > 0 {
            return None;
        }
        self.people_here.remove(&key).map(|person| person.nickname)
    }

    /// The nickname `session` speaks with here, if it is a member (`room_name` is for the
    /// error).
    pub(super) fn nickname_of(
        &self,
        session: SessionId,
        room_name: &RoomName,
    ) -> Result<Nickname, HubError> {
        self.members
            .get(&session)
            .map(|member| member.nickname.clone())
            .ok_or_else(|| HubError::NotInRoom(room_name.to_string()))
    }

    /// Whether any connection of the person called `nickname` is in the room on this node.
    pub(super) fn is_here(&self, nickname: &Nickname) -> bool {
        self.people_here.contains_key(&nickname.key())
    }
}

/// Encodes `message` once and pushes the same bytes to every member of `room`. In a big room
/// they are written by `writer` as a message's broadcast is: presence there is news for
/// every member at every join and leave, so in a storm of joins it gathers like a busy room's
/// messages (one write per member per window, by the writer thread) instead of waking each
/// member's writer task per arrival (a join storm of 3,000 spent most of its time in those
/// wake-ups and one write each: N squared of them). A small room's members' own writers write
/// at once, as before (through the one writer thread, connect-join-leave churn in small rooms
/// lost a quarter of its rate).
pub(super) fn broadcast(room: &Room, message: &ServerMessage, writer: &BroadcastWriter) {
    let frame = Utf8Bytes::from(message.to_json());
    if !writer.is_big(room.members.len()) {
        for member in room.members.values() {
            member.frame_queue.push(frame.clone());
        }
        return;
    }
    let frames = SharedTexts::new(vec![frame]);
    let unwritten: Vec<Unwritten> = room
        .members
        .values()
        .filter_map(|member| member.frame_queue.push_all_unwritten(frames.clone()))
        .collect();
    writer.write_presence(room.members.len(), unwritten);
}

impl Room {
    /// Whether a `typing` may go to this room's members now. In a listed room, always (each
    /// connection is throttled on its own). In a counted room, at most one every
    /// `common::TYPING_MIN_INTERVAL_MS`, whoever types: naming every typist to every member
    /// costs typists × members, as arrivals did before rooms were counted; one name every two
    /// seconds still says that people are writing.
    pub(super) fn typing_may_be_told(&mut self, now: std::time::Instant) -> bool {
        if !self.counted {
            return true;
        }
        let interval = std::time::Duration::from_millis(common::TYPING_MIN_INTERVAL_MS);
        if self.typing_told_at.is_some_and(|told| now.duration_since(told) < interval) {
            return false;
        }
        self.typing_told_at = Some(now);
        true
    }
}
