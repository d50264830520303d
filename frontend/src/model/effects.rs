//! What must happen outside the state after it took in a server message: the state decides,
//! the controller only carries it out (sends the frames, saves, notifies, sets the timer).

use common::{ChatMessage, ClientMessage};

use crate::model::identity::Identity;

/// The outside world's part of one server message, returned by
/// [`crate::model::chat_state::ChatState::apply`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effects {
    /// Frames to send now, in order (joins after a welcome, catch-up pages after a gap).
    pub frames: Vec<ClientMessage>,
    /// The server confirmed who the user is: save it for other tabs and reloads (and the
    /// connection is healthy again, so reconnecting starts from a short wait).
    pub save_identity: Option<Identity>,
    /// The saved identity no longer works (its account session ended): forget it.
    pub forget_identity: bool,
    /// The server ended this browser's account session: forget everything and start over.
    pub signed_out: bool,
    /// A chat message that just arrived, for notifications.
    pub arrived: Option<ChatMessage>,
    /// A send was refused for a passing reason: try the outbox again after this many
    /// milliseconds.
    pub resend_after_ms: Option<u64>,
}
