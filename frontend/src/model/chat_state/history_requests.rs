//! The `history` requests the page makes: older pages as the reader scrolls up, the catch-up
//! after a gap, and the one builder they share.

use common::{ClientMessage, RoomName};

use super::{ChatState, Phase};

impl ChatState {
    /// The request for the page of messages before the oldest one shown in the current room,
    /// unless one is on its way already or the timeline reaches the start of the room.
    pub fn older_history(&mut self) -> Option<ClientMessage> {
        let room = self.current.clone();
        let state = self.rooms.get(&room)?;
        if self.phase != Phase::SignedIn
            || !state.joined
            || state.history.loading
            || state.history.reaches_start
        {
            return None;
        }
        let oldest = state.oldest_seq();
        Some(self.history_request(&room, oldest))
    }

    pub(super) fn history_request(
        &mut self,
        room: &RoomName,
        before_seq: Option<u64>,
    ) -> ClientMessage {
        if let Some(state) = self.rooms.get_mut(room) {
            state.history.loading = true;
        }
        self.page_request(room, before_seq, None, None)
    }

    /// A `history` request for `room` with a fresh id: the caller notes it where the answer
    /// is awaited (older pages, the catch-up, a hole).
    pub(super) fn page_request(
        &mut self,
        room: &RoomName,
        before_seq: Option<u64>,
        after_seq: Option<u64>,
        limit: Option<u32>,
    ) -> ClientMessage {
        ClientMessage::History {
            request_id: self.request_id(),
            room: room.to_string(),
            before_seq,
            after_seq,
            limit: limit.map(u64::from),
        }
    }

    /// The request for the messages of `room` after `after_seq`.
    pub(super) fn catch_up_request(&mut self, room: &RoomName, after_seq: u64) -> ClientMessage {
        let request =
            self.page_request(room, None, Some(after_seq), Some(common::HISTORY_PAGE_MAX));
        if let Some(state) = self.rooms.get_mut(room) {
            state.catch_up = request.request_id();
        }
        request
    }
}
