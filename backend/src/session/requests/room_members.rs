//! `room_members`: the accounts that are members of a room, with their parts, connected or
//! not: how a private room's owner sees whom to remove. Whoever has joined the room (and may
//! still enter it: the judge's `Enter`) may ask.

use common::permissions::Action;
use common::{RequestId, RoomMemberList, RoomName, ServerMessage};

use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn room_members(&mut self, request_id: RequestId, room: &str) -> Answer {
        self.identified()?;
        let room = RoomName::parse(room)?;
        self.services.hub.member_nickname(self.id, &room)?;
        self.allowed(Action::Enter, &room).await?;
        let members = self.services.store.room_members(&room).await?;
        Ok(Some(ServerMessage::RoomMemberList(RoomMemberList { request_id, room, members })))
    }
}
