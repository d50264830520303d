//! A room's own moderation where the connections are: who is muted in it (checked on every
//! send and `typing`, so a mute holds at once on every node) and kicking someone out of it.
//! Who may mute or kick is `common::permissions`' decision; the store keeps the mutes.

use common::{Kicked, Muted, Nickname, RoomName, ServerMessage, Unmuted};
use tungstenite::Utf8Bytes;

use super::Hub;
use super::errors::HubError;
use super::other_nodes::NodeNews;
use super::outcomes::Departure;
use super::session_id::SessionId;
use crate::store::now_millis;

impl Hub {
    /// The nickname `session` writes with in `room`: it must be a member and not muted.
    pub fn speaker(&self, session: SessionId, room_name: &RoomName) -> Result<Nickname, HubError> {
        let mut state = self.lock();
        let room = state.room_mut(room_name)?;
        let member =
            room.members.get(&session).ok_or_else(|| HubError::NotInRoom(room_name.to_string()))?;
        if room.muted.is_empty() {
            return Ok(member.nickname.clone());
        }
        let nickname = member.nickname.clone();
        let key = member.key.clone();
        match muted_until(&mut room.muted, &key) {
            Some(until) => Err(HubError::Muted { room: room_name.to_string(), until }),
            None => Ok(nickname),
        }
    }

    /// Until when the person whose name has the key `nickname_key` is muted in `room_name`.
    pub fn muted_until(&self, room_name: &RoomName, nickname_key: &str) -> Option<i64> {
        let mut state = self.lock();
        let room = state.rooms.get_mut(room_name)?;
        muted_until(&mut room.muted, nickname_key)
    }

    /// A mute read from the store at start-up (nobody is told).
    pub fn load_mute(&self, room_name: &RoomName, nickname_key: String, until: i64) {
        self.lock().rooms.entry(room_name.clone()).or_default().muted.insert(nickname_key, until);
    }

    /// `nickname` was muted in `room` until `until` (ms; `i64::MAX` until lifted) here, or
    /// the mute lifted (`None`): see [`Hub::mute_changed`]; the other nodes are told to do
    /// the same.
    pub fn muted(&self, room: &RoomName, nickname: &Nickname, until: Option<i64>, reason: &str) {
        let nickname_key = nickname.key();
        self.mute_changed(room, &nickname_key, until, reason);
        self.tell(|| NodeNews::Muted {
            room: room.clone(),
            nickname_key,
            until,
            reason: reason.to_owned(),
        });
    }

    /// Records a mute (or its lifting) here, and tells the person's connections in the room.
    pub fn mute_changed(
        &self,
        room_name: &RoomName,
        nickname_key: &str,
        until: Option<i64>,
        reason: &str,
    ) {
        let mut state = self.lock();
        let Some(room) = state.rooms.get_mut(room_name) else { return };
        let news = match until {
            Some(until) => {
                room.muted.insert(nickname_key.to_owned(), until);
                let until = (until != i64::MAX).then_some(until);
                let reason = reason.to_owned();
                ServerMessage::Muted(Muted { room: room_name.clone(), until, reason })
            }
            None => {
                room.muted.remove(nickname_key);
                ServerMessage::Unmuted(Unmuted { room: room_name.clone() })
            }
        };
        let frame = Utf8Bytes::from(news.to_json());
        for member in room.members.values().filter(|member| member.key == nickname_key) {
            member.frame_queue.push(frame.clone());
        }
    }

    /// `nickname` was kicked out of `room` by `by` here: see [`Hub::kick_here`]; the other
    /// nodes are told to do the same.
    pub fn kicked(&self, room: &RoomName, nickname: &Nickname, by: &Nickname, reason: &str) {
        let nickname_key = nickname.key();
        self.kick_here(room, &nickname_key, by, reason);
        self.tell(|| NodeNews::Kicked {
            room: room.clone(),
            nickname_key,
            by: by.clone(),
            reason: reason.to_owned(),
        });
    }

    /// Takes every connection of the person whose name has the key `nickname_key` out of
    /// `room_name` on this node (the members left see them go), each told `kicked`.
    pub fn kick_here(&self, room_name: &RoomName, nickname_key: &str, by: &Nickname, reason: &str) {
        let mut state = self.lock();
        let Some(room) = state.rooms.get(room_name) else { return };
        let sessions: Vec<SessionId> = room
            .members
            .iter()
            .filter(|(_, member)| member.key == nickname_key)
            .map(|(session, _)| *session)
            .collect();
        let news = ServerMessage::Kicked(Kicked {
            room: room_name.clone(),
            by: by.clone(),
            reason: reason.to_owned(),
        });
        let frame = Utf8Bytes::from(news.to_json());
        for session in sessions {
            self.remove_member(&mut state, session, room_name, Departure::Announced);
            if let Some(connection) = state.identified.get_mut(&session) {
                connection.rooms.remove(room_name);
                connection.frame_queue.push(frame.clone());
            }
        }
    }
}

/// Until when `nickname_key` is muted in a room with these mutes (forgetting an ended one).
fn muted_until(
    mutes: &mut std::collections::HashMap<String, i64>,
    nickname_key: &str,
) -> Option<i64> {
    let until = *mutes.get(nickname_key)?;
    if until > now_millis() {
        return Some(until);
    }
    mutes.remove(nickname_key);
    None
}
