//! Changes to messages already in a room: deleting one, editing one, reacting to one. A change is appended to
//! the room's sequence like a message (through the same delivery, so it is stored, numbered
//! and published in order, and its client id makes a retry safe); storing a deletion also
//! erases its target's text (and its edits'), storing an edit replaces it. Who may delete is
//! `common::permissions`' decision: one's own message while one may enter the room, someone
//! else's only for those who moderate them there. Only its author may edit a message, while
//! they may speak in the room (a member, not muted).

use common::permissions::Action;
use common::{ClientId, RequestId, RoomName};
use tracing::info;

use crate::session::state::{Answer, Session};
use crate::store::{AuditAction, NewContent, NewMessage};

impl Session {
    /// `delete_message`: deletes the message `seq` of a joined room.
    pub(super) async fn delete_message(
        &mut self,
        request_id: RequestId,
        room: &str,
        seq: u64,
        client_id: ClientId,
    ) -> Answer {
        let me = self.identified()?.clone();
        let room = RoomName::parse(room)?;
        let author = self.services.hub.member_nickname(self.id, &room)?;
        let target = self.message_to_change(&room, seq).await?;
        let own = target.author.key() == me.key();
        if own {
            self.allowed(Action::Enter, &room).await?;
        } else {
            let actor = self.moderator().await?;
            let standing = self.standing_of(&room, &target.author).await?;
            self.allowed(Action::ModerateRoom { target: standing }, &room).await?;
            let entry = AuditAction {
                actor: &actor,
                action: "delete",
                target: &target.author,
                room: Some(&room),
                reason: "",
            };
            self.services.store.audit(&entry).await?;
        }
        info!(room = %room, seq, by = %me, own, "deleting a message");
        let content = NewContent::Deletion { deletes: seq };
        let deletion = NewMessage { room, client_id, author, content };
        self.append(request_id, deletion).await
    }
}
