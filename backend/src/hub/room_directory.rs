//! The rooms as this node's connections see them: which exist, which are private, who is told
//! of a new one, and who is taken out of a private one when removed. The decisions are
//! `common::permissions`'; these carry them out where the connections are.

use common::{Nickname, RoomAdded, RoomName, RoomRemoved, RoomSummary, ServerMessage};
use tungstenite::Utf8Bytes;

use super::Hub;
use super::other_nodes::NodeNews;
use super::outcomes::Departure;
use super::session_id::SessionId;

impl Hub {
    /// Makes `room` known, with the sequence number of its latest stored message.
    pub fn add_room(&self, room: RoomName, last_seq: u64, private: bool) {
        let mut state = self.lock();
        let known = state.rooms.entry(room).or_default();
        known.last_seq = last_seq;
        known.private = private;
        known.announced = true;
    }

    /// Makes a room known and, if public, tells every identified connection (unless it was
    /// known already: news of a room can come both from another node and from the store).
    pub fn announce_room(&self, room: RoomName, private: bool) {
        self.lock().known_room(&room, private);
    }

    /// A public room was just created on this node: announces it here and to the other nodes.
    pub fn room_created(&self, room: RoomName) {
        self.announce_room(room.clone(), false);
        self.tell(|| NodeNews::RoomAdded { room, private: false });
    }

    /// How many rooms this node knows (for the metrics).
    pub fn room_count(&self) -> usize {
        self.lock().rooms.len()
    }

    /// The rooms `session` may see, each with its latest published sequence number, sorted by
    /// name: every public room, and the private ones in `private_rooms` (the asker's, from
    /// the store, each with the other person of a direct-message room).
    pub fn rooms(&self, private_rooms: &[(RoomName, Option<Nickname>)]) -> Vec<RoomSummary> {
        let state = self.lock();
        let mut rooms: Vec<RoomSummary> = state
            .rooms
            .iter()
            .filter_map(|(name, room)| {
                let dm_with = match private_rooms.iter().find(|(mine, _)| mine == name) {
                    Some((_, dm_with)) => dm_with.clone(),
                    None if room.private => return None,
                    None => None,
                };
                let (name, last_seq, private) = (name.clone(), room.last_seq, room.private);
                Some(RoomSummary { name, last_seq, private, dm_with })
            })
            .collect();
        rooms.sort_by(|a, b| a.name.cmp(&b.name));
        rooms
    }

    /// A private room was just created on this node by `owner`: known here and on the other
    /// nodes, and listed to the owner's connections.
    pub fn private_room_created(&self, room: RoomName, owner: i64) {
        self.announce_room(room.clone(), true);
        self.tell(|| NodeNews::RoomAdded { room: room.clone(), private: true });
        self.invited(&room, owner, None);
    }

    /// The direct-message room of `a` and `b` was just created on this node: known here and
    /// on the other nodes, and listed to both people's connections, each with the other's name.
    pub fn direct_messages_created(&self, room: RoomName, a: (i64, Nickname), b: (i64, Nickname)) {
        self.announce_room(room.clone(), true);
        self.tell(|| NodeNews::RoomAdded { room: room.clone(), private: true });
        self.invited(&room, a.0, Some(b.1.clone()));
        self.invited(&room, b.0, Some(a.1));
    }

    /// `account` was made a member of `room` here (`dm_with`: the other person of a direct-
    /// message room): its connections here hear of the room; the other nodes are told to do
    /// the same.
    pub fn invited(&self, room: &RoomName, account: i64, dm_with: Option<Nickname>) {
        self.member_added(room, account, dm_with.clone());
        self.tell(|| NodeNews::MemberAdded { room: room.clone(), account, dm_with });
    }

    /// `account` was removed from `room` here: see [`Hub::member_removed`]; the other nodes
    /// are told to do the same.
    pub fn removed(&self, room: &RoomName, account: i64) {
        self.member_removed(room, account);
        self.tell(|| NodeNews::MemberRemoved { room: room.clone(), account });
    }

    /// Tells `account`'s connections on this node that they may see `room`.
    pub fn member_added(&self, room: &RoomName, account: i64, dm_with: Option<Nickname>) {
        let state = self.lock();
        let Some(known) = state.rooms.get(room) else { return };
        let (name, last_seq) = (room.clone(), known.last_seq);
        let summary = RoomSummary { name, last_seq, private: true, dm_with };
        let frame =
            Utf8Bytes::from(ServerMessage::RoomAdded(RoomAdded { room: summary }).to_json());
        for connection in state.identified.values().filter(|c| c.account == Some(account)) {
            connection.frame_queue.push(frame.clone());
        }
    }

    /// Takes `account`'s connections on this node out of `room` (the members left see them
    /// go) and tells them it is gone from their list: from now on nothing of the room
    /// reaches them.
    pub fn member_removed(&self, room: &RoomName, account: i64) {
        let mut state = self.lock();
        let frame = Utf8Bytes::from(
            ServerMessage::RoomRemoved(RoomRemoved { room: room.clone() }).to_json(),
        );
        let sessions: Vec<SessionId> = state
            .identified
            .iter()
            .filter(|(_, connection)| connection.account == Some(account))
            .map(|(session, _)| *session)
            .collect();
        for session in sessions {
            self.remove_member(&mut state, session, room, Departure::Announced);
            if let Some(connection) = state.identified.get_mut(&session) {
                connection.rooms.remove(room);
                connection.frame_queue.push(frame.clone());
            }
        }
    }

    /// Whether `room` is private (`None` if there is no such room here).
    pub fn is_private(&self, room: &RoomName) -> Option<bool> {
        self.lock().rooms.get(room).map(|known| known.private)
    }
}
