//! `invite`: makes an account a member of a private room.

use common::{Invited, RequestId, ServerMessage};
use tracing::info;

use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn invite(
        &mut self,
        request_id: RequestId,
        room: &str,
        username: &str,
    ) -> Answer {
        let (room, account) = self.managed(room, username).await?;
        self.services.store.add_room_member(&room, account.id).await?;
        self.services.hub.invited(&room, account.id, None);
        self.record("invite", &account.username, &room).await?;
        info!(room = %room, invited = %account.username, "invited");
        Ok(Some(ServerMessage::Invited(Invited { request_id, room, username: account.username })))
    }
}
