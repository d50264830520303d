//! Reacting to a message of the room on screen: the page toggles, so whether the request adds
//! the emoji or withdraws it follows from what the user has put on the message already.

use common::{ClientId, ClientMessage, Emoji};

use super::ChatState;
use crate::model::case_fold::same_name;
use crate::model::room_state::TimelineEntry;

impl ChatState {
    /// The request toggling the user's `emoji` on the message `seq` of the room on screen:
    /// withdrawing it if they have put it there, adding it otherwise. `None` if `raw` is not
    /// one emoji, or the user is not signed in.
    pub fn react_request(
        &mut self,
        seq: u64,
        raw: &str,
        client_id: ClientId,
    ) -> Option<ClientMessage> {
        let emoji = Emoji::parse(raw.trim()).ok()?;
        let me = self.me.clone()?;
        let room = self.rooms.get(&self.current)?;
        let withdraw = room.timeline.iter().any(|entry| match entry {
            TimelineEntry::Message(message) if message.seq == seq => message
                .post()
                .and_then(|post| post.reactions.as_ref())
                .is_some_and(|reactions| reactions.has(&emoji, |name| same_name(name, &me))),
            _ => false,
        });
        let (request_id, room) = (self.request_id(), self.current.to_string());
        let emoji = emoji.as_str().to_owned();
        Some(ClientMessage::React { request_id, room, seq, client_id, emoji, withdraw })
    }
}
