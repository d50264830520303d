//! Changes to messages already in a room: deleting one, editing one, reacting to one. A change is appended to
//! the room's sequence like a message (through the same delivery, so it is stored, numbered
//! and published in order, and its client id makes a retry safe); storing a deletion also
//! erases its target's text (and its edits'), storing an edit replaces it. Who may delete is
//! `common::permissions`' decision: one's own message while one may enter the room, someone
//! else's only for those who moderate them there. Only its author may edit a message, while
//! they may speak in the room (a member, not muted).

use common::permissions::Action;
use common::{ClientId, Emoji, ReactsTo, RequestId, RoomName};

use crate::session::state::{Answer, Session};
use crate::store::{NewContent, NewMessage};

impl Session {
    /// `react`: puts `emoji` on the message `seq` of a joined room, or takes the caller's
    /// back. As one may while one may speak in the room (a member, not muted); whether the
    /// target may carry it (a message with its text, room for another emoji) is the store's
    /// to check, in the append's transaction.
    pub(super) async fn react(
        &mut self,
        request_id: RequestId,
        room: &str,
        seq: u64,
        client_id: ClientId,
        emoji: &str,
        withdraw: bool,
    ) -> Answer {
        self.identified()?;
        let room = RoomName::parse(room)?;
        let emoji = Emoji::parse(emoji)?;
        let author = self.services.hub.speaker(self.id, &room)?;
        self.allowed(Action::Enter, &room).await?;
        let content = NewContent::Reaction(ReactsTo { seq, emoji, withdraw });
        let reaction = NewMessage { room, client_id, author, content };
        self.append(request_id, reaction).await
    }
}
