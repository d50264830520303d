//! Presence across nodes: who is in which room on the other nodes ([`super::elsewhere`]), and
//! what the members here are told when someone comes or goes there.

use std::time::{Duration, Instant};

use common::{Nickname, RoomName};

use super::elsewhere::{Change, NodeId, RoomPeople};
use super::state::HubState;
use crate::frames::broadcast_writer::BroadcastWriter;

impl HubState {
    /// Another node says `nickname` is (or no longer is) in `room_name` there.
    pub(super) fn presence_elsewhere(
        &mut self,
        writer: &BroadcastWriter,
        node: &str,
        room_name: &RoomName,
        nickname: &Nickname,
        present: bool,
        guest: bool,
    ) {
        let change = if present {
            self.elsewhere.arrive(node, room_name, nickname, guest)
        } else {
            self.elsewhere.depart(node, room_name, nickname)
        };
        self.announce(change, writer);
    }

    /// Another node's full list of who is in which room there, replacing what it said before.
    pub(super) fn snapshot_elsewhere(
        &mut self,
        writer: &BroadcastWriter,
        node: &str,
        snapshot: &RoomPeople,
        guests: &[Nickname],
    ) {
        for change in self.elsewhere.replace(node, snapshot, guests) {
            self.announce(Some(change), writer);
        }
    }

    /// Forgets every other node not heard from within `ttl`, with its people. Returns the
    /// nodes forgotten.
    pub(super) fn expire_nodes(&mut self, writer: &BroadcastWriter, ttl: Duration) -> Vec<NodeId> {
        let (dead, changes) = self.elsewhere.expire(Instant::now(), ttl);
        for change in changes {
            self.announce(Some(change), writer);
        }
        dead
    }

    /// Who is in which room on this node, and which of them are guests: the lists the other
    /// nodes ask for.
    pub(super) fn people_here(&self) -> (RoomPeople, Vec<Nickname>) {
        let mut guests = Vec::new();
        let mut seen_guests = std::collections::HashSet::new();
        let people = self
            .rooms
            .iter()
            .filter(|(_, room)| !room.people_here.is_empty())
            .map(|(name, room)| {
                for (key, person) in &room.people_here {
                    if person.guest && seen_guests.insert(key) {
                        guests.push(person.nickname.clone());
                    }
                }
                let people = room.people_here.values().map(|p| p.nickname.clone()).collect();
                (name.clone(), people)
            })
            .collect();
        (people, guests)
    }

    /// Tells the members of a room that someone on another node came or went, unless that
    /// person is in the room here too (then nothing changed for them).
    fn announce(&mut self, change: Option<Change>, writer: &BroadcastWriter) {
        let Some(Change { room: room_name, nickname, present, guest }) = change else { return };
        let Some(room) = self.rooms.get_mut(&room_name) else { return };
        if room.is_here(&nickname) {
            return;
        }
        if present {
            room.arrived(&room_name, nickname, guest, self.listed_max, writer);
        } else {
            room.departed(&room_name, nickname, writer);
        }
    }
}
