//! The connections of an account on this node: marked when they sign in, so news for the
//! account (its private rooms, a ban) reaches each of them.

use super::Hub;
use super::other_nodes::NodeNews;
use super::session_id::SessionId;
use crate::frames::close_codes::CLOSE_BANNED;
use crate::frames::wire::Goodbye;

impl Hub {
    /// `session` speaks for `account` (set after it signed in): news of the account's private
    /// rooms reaches it.
    pub fn signed_in(&self, session: SessionId, account: i64) {
        if let Some(connection) = self.lock().identified.get_mut(&session) {
            connection.account = Some(account);
        }
    }

    /// `account` was banned here: its connections here and on the other nodes are closed.
    pub fn banned(&self, account: i64, reason: &str) {
        self.close_connections_of(account, reason);
        self.tell(|| NodeNews::AccountBanned { account, reason: reason.to_owned() });
    }

    /// Closes every connection of `account` on this node at once (close code 4003 with
    /// `reason`): their sessions stop reading requests and leave their rooms.
    pub fn close_connections_of(&self, account: i64, reason: &str) {
        let goodbye = Goodbye::saying(CLOSE_BANNED, &format!("banned: {reason}"));
        let state = self.lock();
        for connection in state.identified.values().filter(|c| c.account == Some(account)) {
            connection.frame_queue.end(goodbye.clone());
        }
    }
}
