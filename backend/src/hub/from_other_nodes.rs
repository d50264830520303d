//! What the hub hears from the other nodes through the bus (`crate::cluster::bus` calls
//! these): someone typing there, who is in which room there, which nodes are alive; and what
//! this node's own lists are, for them.

use std::time::{Duration, Instant};

use common::{Nickname, RoomName, ServerMessage, Typing};
use tungstenite::Utf8Bytes;

use super::Hub;
use super::elsewhere::{NodeId, RoomPeople};

impl Hub {
    /// Someone on another node is typing in `room`: tells the members here (except that
    /// person's own connections).
    pub fn typing_elsewhere(&self, room_name: &RoomName, nickname: &Nickname) {
        let mut state = self.lock();
        let Some(room) = state.rooms.get_mut(room_name) else { return };
        if !room.typing_may_be_told(Instant::now()) {
            return;
        }
        let event =
            ServerMessage::Typing(Typing { room: room_name.clone(), nickname: nickname.clone() });
        let frame = Utf8Bytes::from(event.to_json());
        let key = nickname.key();
        for entry in room.members.values() {
            if entry.key != key {
                entry.frame_queue.push(frame.clone());
            }
        }
    }

    /// Another node says `nickname` (`guest`: without an account) is (or no longer is) in
    /// `room_name` there.
    pub fn presence_elsewhere(
        &self,
        node: &str,
        room_name: &RoomName,
        nickname: &Nickname,
        present: bool,
        guest: bool,
    ) {
        self.lock().presence_elsewhere(
            &self.broadcast_writer,
            node,
            room_name,
            nickname,
            present,
            guest,
        );
    }

    /// Another node's full list of who is in which room there (and which of them are
    /// guests), replacing what it said before.
    pub fn snapshot_elsewhere(&self, node: &str, snapshot: &RoomPeople, guests: &[Nickname]) {
        self.lock().snapshot_elsewhere(&self.broadcast_writer, node, snapshot, guests);
    }

    /// Another node was heard from. True if it was not known: ask for its full list.
    pub fn node_heard(&self, node: &str) -> bool {
        self.lock().elsewhere.heard(node, Instant::now())
    }

    /// Gives every other node a fresh TTL (see [`Elsewhere::hear_everyone`]): after this node's
    /// own link to them was down, their silence proves nothing.
    pub fn hear_every_node(&self) {
        self.lock().elsewhere.hear_everyone(Instant::now());
    }

    /// Forgets every other node not heard from within `ttl`, with its people (who leave the
    /// lists here unless they are here too). Returns the nodes forgotten.
    pub fn expire_nodes(&self, ttl: Duration) -> Vec<NodeId> {
        self.lock().expire_nodes(&self.broadcast_writer, ttl)
    }

    /// Who is in which room on this node, and which of them are guests: the lists the other
    /// nodes ask for.
    pub fn people_here(&self) -> (RoomPeople, Vec<Nickname>) {
        self.lock().people_here()
    }
}
