//! Answering a message of the room on screen: the page remembers which one until the reply is
//! sent (or the user changes their mind, or the room), and a quote opens its original. Jumping
//! to a date opens a message the same way, once the server says which.

use common::{ClientMessage, DateFound, ReplyTo, RoomName};

use super::ChatState;
use crate::model::room_state::TimelineEntry;

impl ChatState {
    /// The user starts answering the message `seq` of the room on screen (one that has its
    /// text): the next message they send is a reply to it.
    pub fn start_reply(&mut self, seq: u64) {
        let Some(room) = self.rooms.get(&self.current) else { return };
        self.replying = room.timeline.iter().find_map(|entry| match entry {
            TimelineEntry::Message(message) if message.seq == seq && message.is_live_post() => {
                Some(ReplyTo::of(message))
            }
            _ => None,
        });
    }

    /// The user no longer answers a message.
    pub fn cancel_reply(&mut self) {
        self.replying = None;
    }

    /// Brings the original a quote in the room on screen refers to into view (loading older
    /// history until it is there), as a search result is opened.
    pub fn open_quote(&mut self, seq: u64) -> Vec<ClientMessage> {
        let room: RoomName = self.current.clone();
        self.open_result(room, seq)
    }

    /// The request finding where the room on screen reaches the date `at` (ms since the
    /// epoch: the start of the day the user picked, in their time zone).
    pub fn find_date_request(&mut self, at: i64) -> ClientMessage {
        let (request_id, room) = (self.request_id(), self.current.to_string());
        ClientMessage::FindDate { request_id, room, at }
    }

    /// The server found where a room reaches the date asked for: open it there (if it is still
    /// on screen), or say that nothing was written since.
    pub(super) fn date_found(&mut self, found: DateFound) -> Vec<ClientMessage> {
        if found.room != self.current {
            return Vec::new();
        }
        match found.seq {
            Some(seq) => self.open_result(found.room, seq),
            None => {
                self.error = Some(crate::model::problem::Problem::NothingSinceDate);
                Vec::new()
            }
        }
    }
}
