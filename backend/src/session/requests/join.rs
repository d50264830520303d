//! `join`: enters a room this person may enter (the judge decides), and answers with its
//! people, its latest seq and this person's part in it.

use common::permissions::Action;
use common::{Joined, RequestId, RoomName, ServerMessage};
use tracing::info;

use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn join(&mut self, request_id: RequestId, room: &str) -> Answer {
        let nickname = self.identified()?.clone();
        let room = RoomName::parse(room)?;
        let facts = self.allowed(Action::Enter, &room).await?;
        // Someone's part in a public room (owner, moderator) is read only now, for the page
        // to offer its moderation.
        let role = match (facts.private, self.account_id()) {
            (false, Some(account)) => self.services.store.room_role(&room, account).await?,
            _ => facts.role_in_room,
        };
        let joined = self.services.hub.join(self.id, &nickname, &room, &self.frame_queue)?;
        let muted_until = self.services.hub.muted_until(&room, &nickname.key());
        info!(nickname = %nickname, room = %room, "joined");
        Ok(Some(ServerMessage::Joined(Joined {
            request_id,
            room,
            members: joined.members,
            guests: joined.guests,
            last_seq: joined.last_seq,
            role,
            muted_until,
            member_count: joined.member_count,
        })))
    }
}
