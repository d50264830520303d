//! The message a change (an edit, a deletion) is about, as the session reads it to decide who
//! may make the change: it must be a message of the room, not a change itself. Whether it
//! still has its text is the store's to check, in the append's transaction (so a retry of the
//! change is answered there even if the message was deleted since).

use common::{ChatMessage, ErrorCode, RoomName};

use super::refusal::Refusal;
use super::state::Session;

impl Session {
    /// The message `seq` of `room`, or `unknown_message`.
    pub(super) async fn message_to_change(
        &self,
        room: &RoomName,
        seq: u64,
    ) -> Result<ChatMessage, Refusal> {
        let unknown = || {
            Refusal::new(ErrorCode::UnknownMessage, format!("{room} has no message numbered {seq}"))
        };
        let target = self.services.store.message_at(room, seq).await?.ok_or_else(unknown)?;
        if target.is_change() {
            return Err(unknown());
        }
        Ok(target)
    }
}
