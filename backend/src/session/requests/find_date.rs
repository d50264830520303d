//! `find_date`: where a room's history reaches a date, for jumping to it. Read from the store
//! (its index of when entries were sent); whoever may read the room's history may ask.

use common::permissions::Action;
use common::{DateFound, RequestId, RoomName, ServerMessage};

use crate::session::state::{Answer, Session};

impl Session {
    /// The seq of the first message of a joined room sent at or after `at` (ms).
    pub(super) async fn find_date(&mut self, request_id: RequestId, room: &str, at: i64) -> Answer {
        self.identified()?;
        let room = RoomName::parse(room)?;
        self.services.hub.member_nickname(self.id, &room)?;
        self.allowed(Action::Enter, &room).await?;
        let seq = self.services.store.first_message_since(&room, at).await?;
        Ok(Some(ServerMessage::DateFound(DateFound { request_id, room, seq })))
    }
}
