//! The offline copy: each room's latest messages as the page last held them, kept in the
//! browser (`crate::browser::room_cache`) so that a reload while the server cannot be reached still
//! shows the rooms and what was said in them, marked as offline, instead of an empty chat.
//!
//! Only what the page held without a gap is kept (up to the room's synced point), so that
//! after the reconnect the room catches up from exactly there, deletions included: the copy
//! never shows a message the server has taken back once the page is connected again.

use common::{ChatMessage, Nickname, RoomName};
use serde::{Deserialize, Serialize};

use super::case_fold::same_name;
use super::chat_state::ChatState;
use super::room_state::{HistoryStatus, RoomState, TimelineEntry};

/// Messages kept per room (a screen and a half).
pub const KEPT_MESSAGES: usize = 50;

/// One room as saved: whose copy it is, what the room list needs, and its latest messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedRoom {
    /// The person this copy belongs to (another person signing in on this browser never sees
    /// it).
    pub owner: Nickname,
    pub name: RoomName,
    pub last_seq: u64,
    pub last_read: u64,
    pub private: bool,
    pub dm_with: Option<Nickname>,
    /// The messages end here, with no gap before it back to the first kept one.
    pub synced_to: u64,
    /// The first kept message is the room's first.
    pub reaches_start: bool,
    /// The server no longer keeps the messages before the first one here.
    #[serde(default)]
    pub older_removed: bool,
    pub messages: Vec<ChatMessage>,
}

/// What changes a room's copy, cheap to compare on every change of the state.
pub type CopyVersion = (RoomName, u64, usize);

impl ChatState {
    /// For each room the page holds messages of: what would change its copy (its synced
    /// point and how many of its messages are deleted).
    pub fn copy_versions(&self) -> Vec<CopyVersion> {
        self.rooms
            .iter()
            .filter_map(|(name, room)| {
                let synced = room.synced_to?;
                let erased = room.messages().filter(|message| message.body().is_none()).count();
                Some((name.clone(), synced, erased))
            })
            .collect()
    }

    /// The copy of each room the page holds messages of (none before a welcome).
    pub fn offline_copies(&self) -> Vec<SavedRoom> {
        let Some(owner) = &self.me else { return Vec::new() };
        self.rooms.iter().filter_map(|(name, room)| room.offline_copy(owner, name)).collect()
    }

    /// Shows the saved copies of `owner`'s rooms, until the server speaks: rooms it already
    /// told about (or copies of someone else's) are left alone.
    pub fn restore_offline(&mut self, rooms: Vec<SavedRoom>) {
        let Some(me) = &self.me else { return };
        for saved in rooms {
            if !same_name(&saved.owner, me) {
                continue;
            }
            let room = self.rooms.entry(saved.name).or_default();
            if room.joined || room.synced_to.is_some() {
                continue; // The server got there first.
            }
            room.last_seq = room.last_seq.max(saved.last_seq);
            room.last_read = room.last_read.max(saved.last_read);
            room.private = saved.private;
            room.dm_with = saved.dm_with;
            room.synced_to = Some(saved.synced_to);
            room.history = HistoryStatus {
                loading: false,
                reaches_start: saved.reaches_start,
                older_removed: saved.older_removed,
            };
            room.timeline = saved.messages.into_iter().map(TimelineEntry::Message).collect();
        }
    }
}

impl RoomState {
    fn messages(&self) -> impl Iterator<Item = &ChatMessage> {
        self.timeline.iter().filter_map(|entry| match entry {
            TimelineEntry::Message(message) => Some(message),
            TimelineEntry::Notice { .. } => None,
        })
    }

    /// This room's copy for `owner`, if the page holds its messages up to a synced point.
    fn offline_copy(&self, owner: &Nickname, name: &RoomName) -> Option<SavedRoom> {
        let synced_to = self.synced_to?;
        // Only the stretch after the last hole: a copy has no hole of its own to fill.
        let last_hole = self.holes().last().map(|hole| hole.after);
        let after_holes = |seq: u64| last_hole.is_none_or(|after| seq > after);
        let held: Vec<&ChatMessage> = self
            .messages()
            .filter(|message| message.seq <= synced_to && after_holes(message.seq))
            .collect();
        let kept = &held[held.len().saturating_sub(KEPT_MESSAGES)..];
        let reaches_start = self.history.reaches_start && last_hole.is_none();
        Some(SavedRoom {
            owner: owner.clone(),
            name: name.clone(),
            last_seq: self.last_seq,
            last_read: self.last_read,
            private: self.private,
            dm_with: self.dm_with.clone(),
            synced_to,
            reaches_start: reaches_start && kept.len() == held.len(),
            older_removed: self.history.older_removed,
            messages: kept.iter().map(|message| (*message).clone()).collect(),
        })
    }
}
