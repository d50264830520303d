//! Opening a message far back (a search result, a reply's quote, a date): the page loads the
//! history around it, not every page between it and the present. What lies between stays a
//! [`Hole`](crate::model::room_state::Hole) in the timeline, loaded a page at a time as the
//! reader reaches it.

use common::{ClientMessage, HISTORY_PAGE_DEFAULT, RoomName};

use super::ChatState;

/// Messages after the one opened that come with it, so that it shows with what answered it.
const CONTEXT_AFTER: u64 = 10;

impl ChatState {
    /// The `history` request that brings the focused message into the timeline, while the
    /// room on screen is the focus's, joined, and the message is not loaded: the page that
    /// ends just above it when that is near what is loaded, else the page around it.
    pub(super) fn toward_focus(&mut self) -> Option<ClientMessage> {
        let (room, seq) = self.focus.clone()?;
        let state = self.rooms.get(&room)?;
        if room != self.current || !state.joined || state.holds(seq) {
            return None;
        }
        // Empty timeline: the room's latest page is on its way, or the message is not there.
        let above = state.loaded_after(seq)?;
        let before = if above - seq > u64::from(HISTORY_PAGE_DEFAULT) {
            seq + CONTEXT_AFTER + 1
        } else {
            above
        };
        if above > state.oldest_seq()? {
            // Inside a hole: loading there leaves what the room's start is to older pages.
            return (state.filling.is_none()).then(|| self.fill_request(&room, Some(before), None));
        }
        if state.history.loading || state.history.reaches_start {
            return None;
        }
        Some(self.history_request(&room, Some(before)))
    }

    /// The request for the next page of the hole that starts after `after` in the room on
    /// screen (the reader reached it), unless one is on its way: the page at its end when the
    /// reader came from below (`from_below`, scrolling up towards older messages), else the
    /// page at its start (reading on from a message opened far back).
    pub fn fill_hole(&mut self, after: u64, from_below: bool) -> Option<ClientMessage> {
        let room = self.current.clone();
        let state = self.rooms.get(&room)?;
        let hole = state.holes().into_iter().find(|hole| hole.after == after)?;
        if !state.joined || state.filling.is_some() {
            return None;
        }
        let request = if from_below {
            self.fill_request(&room, Some(hole.before), None)
        } else {
            self.fill_request(&room, None, Some(after))
        };
        Some(request)
    }

    fn fill_request(
        &mut self,
        room: &RoomName,
        before_seq: Option<u64>,
        after_seq: Option<u64>,
    ) -> ClientMessage {
        let request = self.page_request(room, before_seq, after_seq, Some(HISTORY_PAGE_DEFAULT));
        if let Some(state) = self.rooms.get_mut(room) {
            state.filling = request.request_id();
        }
        request
    }
}
