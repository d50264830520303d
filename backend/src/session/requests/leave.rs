//! `leave`: stops hearing a room on this connection.

use common::{Left, RequestId, RoomName, ServerMessage};

use crate::session::state::{Answer, Session};

impl Session {
    pub(super) fn leave(&mut self, request_id: RequestId, room: &str) -> Answer {
        self.identified()?;
        let room = RoomName::parse(room)?;
        self.services.hub.leave(self.id, &room)?;
        Ok(Some(ServerMessage::Left(Left { request_id, room })))
    }
}
