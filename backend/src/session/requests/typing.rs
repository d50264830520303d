//! `typing`: tells a room's people this person is typing; no answer, throttled per room, and
//! silent while muted.

use common::RoomName;

use crate::hub::HubError;
use crate::session::state::{Answer, Session};

impl Session {
    pub(super) fn typing(&mut self, room: &str) -> Answer {
        self.identified()?;
        let room = RoomName::parse(room)?;
        if self.typing_throttle.allow(&room) {
            match self.services.hub.speaker(self.id, &room) {
                // Typing while muted goes nowhere, without an error for each keystroke.
                Err(HubError::Muted { .. }) => return Ok(None),
                Err(error) => return Err(error.into()),
                Ok(_) => self.services.hub.typing(self.id, &room)?,
            }
        }
        Ok(None)
    }
}
