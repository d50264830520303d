//! Changes to messages already in a room: deleting one, editing one, reacting to one. A change is appended to
//! the room's sequence like a message (through the same delivery, so it is stored, numbered
//! and published in order, and its client id makes a retry safe); storing a deletion also
//! erases its target's text (and its edits'), storing an edit replaces it. Who may delete is
//! `common::permissions`' decision: one's own message while one may enter the room, someone
//! else's only for those who moderate them there. Only its author may edit a message, while
//! they may speak in the room (a member, not muted).

use common::permissions::{self, Action};
use common::{ClientId, MessageBody, RequestId, RoomName};
use tracing::info;

use crate::session::state::{Answer, Session};
use crate::store::{NewContent, NewMessage};

impl Session {
    /// `edit_message`: replaces the text of the caller's own message `seq` of a joined room.
    pub(super) async fn edit_message(
        &mut self,
        request_id: RequestId,
        room: &str,
        seq: u64,
        client_id: ClientId,
        body: &str,
    ) -> Answer {
        let me = self.identified()?.clone();
        let room = RoomName::parse(room)?;
        let body = MessageBody::parse(body)?;
        let author = self.services.hub.speaker(self.id, &room)?;
        let target = self.message_to_change(&room, seq).await?;
        let own = target.author.key() == me.key();
        permissions::check(&self.actor(), Action::EditMessage { own }, None)?;
        self.allowed(Action::Enter, &room).await?;
        info!(room = %room, seq, by = %me, "editing a message");
        let content = NewContent::Edit { edits: seq, body };
        let edit = NewMessage { room, client_id, author, content };
        self.append(request_id, edit).await
    }
}
