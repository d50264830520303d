//! The connections of an account on this node: marked when they sign in, so news for the
//! account (its private rooms, a ban) reaches each of them; and guests' connections, marked
//! with their address, so a ban of a guest's name finds where it came from.

use std::net::IpAddr;
use std::time::Instant;

use common::{Role, RoleChanged, ServerMessage};
use tungstenite::Utf8Bytes;
use tungstenite::protocol::frame::coding::CloseCode;

use super::Hub;
use super::other_nodes::GuestBanNews;
use super::other_nodes::NodeNews;
use super::session_id::SessionId;
use crate::frames::close_codes::{CLOSE_BANNED, CLOSE_SIGNED_OUT};
use crate::frames::wire::Goodbye;

impl Hub {
    /// `session` speaks for `account` (set after it signed in): news of the account's private
    /// rooms reaches it.
    pub fn signed_in(&self, session: SessionId, account: i64, session_tag: u64) {
        if let Some(connection) = self.lock().identified.get_mut(&session) {
            connection.account = Some(account);
            connection.session_tag = Some(session_tag);
        }
    }

    /// Every session of `account` but the one tagged `keep` ended: their connections here and
    /// on the other nodes are closed (4004).
    pub fn sessions_ended(&self, account: i64, keep: u64) {
        self.close_other_sessions(account, keep);
        self.tell(|| NodeNews::SessionsEnded { account, keep });
    }

    /// Closes the connections of `account` on this node that belong to another session than
    /// `keep`.
    pub fn close_other_sessions(&self, account: i64, keep: u64) {
        let goodbye = Goodbye::new(CLOSE_SIGNED_OUT, "signed out from another browser");
        let state = self.lock();
        let others = state
            .identified
            .values()
            .filter(|c| c.account == Some(account) && c.session_tag != Some(keep));
        for connection in others {
            connection.frame_queue.end(goodbye.clone());
        }
    }

    /// The session tagged `tag` of `account` was signed out (by the connection `except`,
    /// which closes itself): its other connections here and on the other nodes are closed
    /// (4004).
    pub fn session_ended(&self, account: i64, tag: u64, except: SessionId) {
        self.close_session(account, tag, Some(except));
        self.tell(|| NodeNews::SessionEnded { account, tag });
    }

    /// Closes the connections of `account` on this node that belong to the session `tag`
    /// (but `except`).
    pub fn close_session(&self, account: i64, tag: u64, except: Option<SessionId>) {
        let goodbye = Goodbye::new(CLOSE_SIGNED_OUT, "signed out in another tab");
        let state = self.lock();
        let same_session = state.identified.iter().filter(|(session, c)| {
            c.account == Some(account) && c.session_tag == Some(tag) && Some(**session) != except
        });
        for (_, connection) in same_session {
            connection.frame_queue.end(goodbye.clone());
        }
    }

    /// `session` is a guest's, connected from `address`.
    pub fn guest_from(&self, session: SessionId, address: IpAddr) {
        if let Some(connection) = self.lock().identified.get_mut(&session) {
            connection.guest_address = Some(address);
        }
    }

    /// The guest name with the key `nickname_key` was banned here by `banned_by`: its
    /// connections here are closed (4003) and the other nodes are told to close theirs.
    /// Returns the addresses they came from.
    pub fn guest_banned(&self, nickname_key: &str, ban: &GuestBanNews) -> Vec<IpAddr> {
        let addresses = self.close_guest(nickname_key, &ban.reason);
        self.tell(|| NodeNews::GuestBanned {
            nickname_key: nickname_key.to_owned(),
            ban: ban.clone(),
        });
        addresses
    }

    /// Closes the guest connections here whose name has the key `nickname_key` (4003 with
    /// `reason`); returns the addresses they came from.
    pub fn close_guest(&self, nickname_key: &str, reason: &str) -> Vec<IpAddr> {
        let goodbye = Goodbye::saying(CLOSE_BANNED, &format!("banned: {reason}"));
        let state = self.lock();
        let mut addresses = Vec::new();
        let banned = state
            .identified
            .values()
            .filter(|c| c.account.is_none() && c.nickname_key == nickname_key);
        for connection in banned {
            connection.frame_queue.end(goodbye.clone());
            if let Some(address) = connection.guest_address
                && !addresses.contains(&address)
            {
                addresses.push(address);
            }
        }
        addresses
    }

    /// Closes the guest connections here whose name was reserved in the cluster before
    /// `before` (1013, try again later): their reservations may lapse before this node can
    /// renew them, and then someone on another node could take the name while they still hold
    /// it. Accounts keep their connections: the store, not Redis, keeps their names theirs.
    /// Returns how many were closed.
    pub fn end_guests_reserved_before(&self, before: Instant) -> usize {
        self.guests_reserved_before(
            before,
            Some(&Goodbye::new(
                CloseCode::Again.into(),
                "cannot confirm your nickname with the other nodes; reconnect",
            )),
        )
    }

    /// How many guest connections here (not already closing) had their names reserved before
    /// `before`.
    pub fn count_guests_reserved_before(&self, before: Instant) -> usize {
        self.guests_reserved_before(before, None)
    }

    /// Counts the guest connections reserved before `before`, closing them with `goodbye` if
    /// given.
    fn guests_reserved_before(&self, before: Instant, goodbye: Option<&Goodbye>) -> usize {
        let state = self.lock();
        // Those already closing are counted (and told) once.
        let unconfirmed = state.identified.values().filter(|c| {
            c.account.is_none() && c.reserved_at < before && !c.frame_queue.is_ending()
        });
        let mut count = 0;
        for connection in unconfirmed {
            if let Some(goodbye) = goodbye {
                connection.frame_queue.end(goodbye.clone());
            }
            count += 1;
        }
        count
    }

    /// An admin gave `account` the server role `role` here: its connections here and on the
    /// other nodes hear of it (`role_changed`).
    pub fn role_changed(&self, account: i64, role: Role) {
        self.tell_role(account, role);
        self.tell(|| NodeNews::RoleChanged { account, role });
    }

    /// Tells `account`'s connections on this node that its server role is now `role`.
    pub fn tell_role(&self, account: i64, role: Role) {
        let frame = Utf8Bytes::from(ServerMessage::RoleChanged(RoleChanged { role }).to_json());
        let state = self.lock();
        for connection in state.identified.values().filter(|c| c.account == Some(account)) {
            connection.frame_queue.push(frame.clone());
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
