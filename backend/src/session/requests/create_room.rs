//! `create_room`: a public room for anyone who said hello; a private one for an account,
//! which becomes its owner.

use common::permissions::{self, Action};
use common::{Created, ErrorCode, RequestId, RoomName, ServerMessage};
use tracing::info;

use crate::session::refusal::{Refusal, sign_in_first};
use crate::session::room_access::DM_PREFIX;
use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn create_room(
        &mut self,
        request_id: RequestId,
        room: &str,
        private: bool,
    ) -> Answer {
        let nickname = self.identified()?.clone();
        let room = RoomName::parse(room)?;
        if room.as_str().starts_with(DM_PREFIX) {
            return Err(Refusal::new(
                ErrorCode::InvalidRoomName,
                format!("room names starting with {DM_PREFIX:?} are kept for direct messages"),
            ));
        }
        if private {
            let actor = self.actor();
            permissions::check(&actor, Action::CreatePrivateRoom, None)?;
            // The judge let only an account through.
            let owner = self.account_id().ok_or_else(sign_in_first)?;
            self.services.store.create_private_room(&room, owner).await?;
            self.services.hub.private_room_created(room.clone(), owner);
        } else {
            self.services.store.create_room(&room, self.account_id()).await?;
            self.services.hub.room_created(room.clone());
        }
        info!(nickname = %nickname, room = %room, private, "created a room");
        Ok(Some(ServerMessage::Created(Created { request_id, room })))
    }
}
