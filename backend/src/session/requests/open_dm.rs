//! `open_dm`: the direct-message room with another account, made the first time.

use common::permissions::{self, Action};
use common::{DmOpened, RequestId, ServerMessage};
use tracing::info;

use crate::session::refusal::sign_in_first;
use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn open_dm(&mut self, request_id: RequestId, username: &str) -> Answer {
        self.identified()?;
        let actor = self.actor();
        permissions::check(&actor, Action::OpenDirectMessages { with_self: false }, None)?;
        // The judge let only an account through.
        let me = self.signed_in.as_ref().map(|signed_in| signed_in.account.clone());
        let me = me.ok_or_else(sign_in_first)?;
        let other = self.account_named(username).await?;
        let with_self = other.id == me.id;
        permissions::check(&actor, Action::OpenDirectMessages { with_self }, None)?;
        let (room, created) = self.services.store.direct_message_room(me.id, other.id).await?;
        if created {
            let people = ((me.id, me.username.clone()), (other.id, other.username.clone()));
            self.services.hub.direct_messages_created(room.clone(), people.0, people.1);
            info!(room = %room, "opened direct messages");
        } else {
            // The name is kept for direct messages, so this never refuses; but if it did, no
            // one may be let into someone else's room by it.
            let mine = self.services.store.room_role(&room, me.id).await?.is_some();
            permissions::check(&actor, Action::ReadDirectMessages { mine }, None)?;
        }
        Ok(Some(ServerMessage::DmOpened(DmOpened { request_id, room, with: other.username })))
    }
}
