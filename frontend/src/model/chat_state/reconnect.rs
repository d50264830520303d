//! A connection's comings and goings as the page's state sees them: the rooms to join again
//! after `welcome` (from before a reconnect or an earlier visit), and what a dropped
//! connection or an ended sign-in makes the page forget.

use common::{ClientMessage, RoomName};

use super::{ChatState, Phase};
use crate::model::problem::Problem;

impl ChatState {
    /// Rooms the user was in on an earlier visit (see [`ChatState::followed_rooms`]), to be
    /// rejoined after `welcome`.
    pub fn remember_rooms(&mut self, rooms: Vec<(RoomName, u64)>) {
        self.remembered = rooms;
    }

    /// Every room the user is in, with the last sequence number read there: what a later
    /// visit needs to rejoin them and count what is new.
    pub fn followed_rooms(&self) -> Vec<(RoomName, u64)> {
        self.rooms
            .iter()
            .filter(|(_, room)| room.followed)
            .map(|(name, room)| (name.clone(), room.last_read))
            .collect()
    }

    /// After `welcome`: join every room the user was in before a reconnect or on an earlier
    /// visit, and the room on screen (the lobby, if the URL named a room that does not exist).
    pub(super) fn rejoin(&mut self) -> Vec<ClientMessage> {
        for (name, last_read) in std::mem::take(&mut self.remembered) {
            // A remembered room that no longer exists is forgotten.
            if let Some(room) = self.rooms.get_mut(&name) {
                room.followed = true;
                room.last_read = room.last_read.max(last_read);
            }
        }
        if !self.rooms.contains_key(&self.current) {
            self.error = Some(Problem::NoSuchRoom(self.current.clone()));
            self.current = RoomName::lobby();
        }
        if let Some(state) = self.rooms.get_mut(&self.current) {
            state.enter();
            state.followed = true;
        }
        let followed: Vec<RoomName> = self
            .rooms
            .iter()
            .filter(|(_, state)| state.followed && !state.joined)
            .map(|(name, _)| name.clone())
            .collect();
        followed
            .into_iter()
            .map(|room| ClientMessage::Join {
                request_id: self.request_id(),
                room: room.to_string(),
            })
            .collect()
    }

    /// The connection dropped at `now_ms`: nobody is known to be present any more (but whoever
    /// was may be back without having left), and the rooms must be joined again on the next
    /// connection.
    pub fn disconnected(&mut self, now_ms: i64) {
        for state in self.rooms.values_mut() {
            state.joined = false;
            state.connection_lost(now_ms);
            // The answers to pending history requests will never come.
            state.history.loading = false;
            state.catch_up = None;
            state.filling = None;
            state.member_pages.asked = None;
        }
        self.outbox.connection_lost();
        if let Some(search) = &mut self.search {
            search.connection_lost();
        }
        // A sign-in cut short is tried again on the next connection (the page reconnects by
        // itself); without a name to try, back to the form.
        if self.phase == Phase::Identifying && self.me.is_none() && self.asked_for.is_none() {
            self.phase = Phase::SignedOut;
        }
    }

    /// The server ended this browser's sign-in along with the connection (a ban, a sign-out
    /// from another browser): back to the sign-in form with `why`; the identity is gone.
    pub fn sign_in_ended(&mut self, why: Problem) {
        self.disconnected(0); // a session that ended has nobody to wait for
        self.phase = Phase::SignedOut;
        self.me = None;
        self.asked_for = None;
        self.identity = None;
        self.error = Some(why);
    }
}
