//! Who is in which room on the other nodes, as they told us through the bus.
//!
//! Each node announces when a person starts or stops being in a room *on that node*, sends a
//! full list now and then (when it starts, or after news may have been lost), and a heartbeat
//! every so often. A node not heard from for the node TTL is taken for dead and everything it
//! said is forgotten, so the people it held leave the lists within a bounded time.
//!
//! This type only keeps the books; the hub decides what members are told, since a person may
//! also be in the room on this node.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use common::{Nickname, RoomName};

/// Identifies a node (random, fresh at every start).
pub type NodeId = String;

/// One node's people per room: what a snapshot carries.
pub type RoomPeople = Vec<(RoomName, Vec<Nickname>)>;

/// A person appearing in or vanishing from a room (as far as the other nodes go).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub room: RoomName,
    pub nickname: Nickname,
    /// True: now present elsewhere (was not). False: no longer present anywhere else.
    pub present: bool,
    /// A guest, not a registered account.
    pub guest: bool,
}

/// The other nodes' people.
#[derive(Debug, Default)]
pub struct Elsewhere {
    /// Room -> nickname key -> the person and the nodes they are in the room on.
    rooms: HashMap<RoomName, HashMap<String, Presence>>,
    /// When each known node was last heard from.
    nodes: HashMap<NodeId, Instant>,
}

#[derive(Debug)]
struct Presence {
    nickname: Nickname,
    nodes: HashSet<NodeId>,
    guest: bool,
}

impl Elsewhere {
    /// `node` was heard from at `now`. True if it was not known (new, or taken for dead
    /// before): ask it for its full list.
    pub fn heard(&mut self, node: &str, now: Instant) -> bool {
        self.nodes.insert(node.to_owned(), now).is_none()
    }

    /// `nickname` (`guest`: without an account) is in `room` on `node`. Returns the change if
    /// nobody elsewhere had them there.
    pub fn arrive(
        &mut self,
        node: &str,
        room: &RoomName,
        nickname: &Nickname,
        guest: bool,
    ) -> Option<Change> {
        let people = self.rooms.entry(room.clone()).or_default();
        let presence = people.entry(nickname.key()).or_insert_with(|| Presence {
            nickname: nickname.clone(),
            nodes: HashSet::new(),
            guest,
        });
        let was_absent = presence.nodes.is_empty();
        presence.nodes.insert(node.to_owned());
        was_absent.then(|| Change {
            room: room.clone(),
            nickname: presence.nickname.clone(),
            present: true,
            guest: presence.guest,
        })
    }

    /// `nickname` left `room` on `node`. Returns the change if no other node has them there.
    pub fn depart(&mut self, node: &str, room: &RoomName, nickname: &Nickname) -> Option<Change> {
        let people = self.rooms.get_mut(room)?;
        let key = nickname.key();
        let presence = people.get_mut(&key)?;
        if !presence.nodes.remove(node) || !presence.nodes.is_empty() {
            return None;
        }
        let gone = people.remove(&key)?;
        Some(Change {
            room: room.clone(),
            nickname: gone.nickname,
            present: false,
            guest: gone.guest,
        })
    }

    /// Replaces everything `node` said with its full list (`guests`: who in it are guests).
    pub fn replace(
        &mut self,
        node: &str,
        snapshot: &RoomPeople,
        guests: &[Nickname],
    ) -> Vec<Change> {
        let guest_keys: HashSet<String> = guests.iter().map(Nickname::key).collect();
        let listed: HashSet<(RoomName, String)> = snapshot
            .iter()
            .flat_map(|(room, people)| people.iter().map(|person| (room.clone(), person.key())))
            .collect();
        let mut changes = self.forget_unlisted(node, &listed);
        for (room, people) in snapshot {
            for nickname in people {
                let guest = guest_keys.contains(&nickname.key());
                changes.extend(self.arrive(node, room, nickname, guest));
            }
        }
        changes
    }

    /// Counts every known node as heard at `now`: this node could not hear anyone for a while
    /// (its own link to the others was down), which says nothing about whether they are alive.
    /// Each gets a full TTL from now to be heard again (a node that resubscribes asks them all
    /// for their lists at once).
    pub fn hear_everyone(&mut self, now: Instant) {
        for heard in self.nodes.values_mut() {
            *heard = now;
        }
    }

    /// Forgets every node not heard from within `ttl` before `now`, with the people it held.
    pub fn expire(&mut self, now: Instant, ttl: Duration) -> (Vec<NodeId>, Vec<Change>) {
        let dead: Vec<NodeId> = self
            .nodes
            .iter()
            .filter(|(_, heard)| now.saturating_duration_since(**heard) > ttl)
            .map(|(node, _)| node.clone())
            .collect();
        let mut changes = Vec::new();
        for node in &dead {
            self.nodes.remove(node);
            changes.extend(self.forget_unlisted(node, &HashSet::new()));
        }
        (dead, changes)
    }

    /// Whether anyone called `nickname` is in `room` on another node.
    pub fn is_present(&self, room: &RoomName, nickname: &Nickname) -> bool {
        self.rooms.get(room).is_some_and(|people| people.contains_key(&nickname.key()))
    }

    /// The people in `room` on the other nodes, each with the key of their name and whether
    /// they are a guest.
    pub fn people(&self, room: &RoomName) -> impl Iterator<Item = (&String, &Nickname, bool)> {
        self.rooms
            .get(room)
            .into_iter()
            .flat_map(|people| people.iter().map(|(key, p)| (key, &p.nickname, p.guest)))
    }

    /// Removes `node` from every (room, person) not in `keep`.
    fn forget_unlisted(&mut self, node: &str, keep: &HashSet<(RoomName, String)>) -> Vec<Change> {
        let mut stale = Vec::new();
        for (room, people) in &self.rooms {
            for (key, presence) in people {
                if presence.nodes.contains(node) && !keep.contains(&(room.clone(), key.clone())) {
                    stale.push((room.clone(), presence.nickname.clone()));
                }
            }
        }
        stale
            .into_iter()
            .filter_map(|(room, nickname)| self.depart(node, &room, &nickname))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nick(s: &str) -> Nickname {
        Nickname::parse(s).expect("valid")
    }

    #[test]
    fn a_person_on_two_nodes_is_one_person_until_both_let_go() {
        let mut elsewhere = Elsewhere::default();
        let lobby = RoomName::lobby();
        assert!(elsewhere.arrive("a", &lobby, &nick("Alice"), false).is_some_and(|c| c.present));
        assert_eq!(elsewhere.arrive("b", &lobby, &nick("alice"), false), None, "the same person");
        assert_eq!(elsewhere.people(&lobby).count(), 1);
        assert_eq!(elsewhere.depart("a", &lobby, &nick("alice")), None, "still on b");
        let gone = elsewhere.depart("b", &lobby, &nick("alice")).expect("gone");
        assert_eq!((gone.nickname.as_str(), gone.present), ("Alice", false));
        assert!(!elsewhere.is_present(&lobby, &nick("alice")));
    }

    #[test]
    fn a_snapshot_replaces_what_the_node_said_before() {
        let mut elsewhere = Elsewhere::default();
        let lobby = RoomName::lobby();
        elsewhere.arrive("a", &lobby, &nick("alice"), false);
        elsewhere.arrive("a", &lobby, &nick("bob"), false);
        let changes = elsewhere.replace(
            "a",
            &vec![(lobby.clone(), vec![nick("bob"), nick("carol")])],
            &[nick("carol")],
        );
        assert_eq!(
            changes,
            vec![
                Change {
                    room: lobby.clone(),
                    nickname: nick("alice"),
                    present: false,
                    guest: false
                },
                Change { room: lobby.clone(), nickname: nick("carol"), present: true, guest: true },
            ]
        );
    }

    #[test]
    fn a_silent_node_is_forgotten_with_its_people_after_the_ttl() {
        let mut elsewhere = Elsewhere::default();
        let lobby = RoomName::lobby();
        let start = Instant::now();
        let ttl = Duration::from_secs(5);
        assert!(elsewhere.heard("a", start), "new node");
        assert!(!elsewhere.heard("a", start), "known now");
        elsewhere.heard("b", start);
        elsewhere.arrive("a", &lobby, &nick("alice"), false);
        elsewhere.arrive("b", &lobby, &nick("bob"), false);
        elsewhere.heard("b", start + ttl);
        assert_eq!(elsewhere.expire(start + ttl, ttl), (vec![], vec![]), "not yet");
        let (dead, changes) = elsewhere.expire(start + ttl + Duration::from_millis(1), ttl);
        assert_eq!(dead, vec!["a".to_owned()]);
        assert_eq!(
            changes,
            vec![Change {
                room: lobby.clone(),
                nickname: nick("alice"),
                present: false,
                guest: false
            }]
        );
        assert!(elsewhere.is_present(&lobby, &nick("bob")));
        assert!(elsewhere.heard("a", start + ttl * 2), "a node back from the dead is new again");
    }

    #[test]
    fn after_this_node_could_not_hear_anyone_every_node_gets_a_fresh_ttl() {
        let mut elsewhere = Elsewhere::default();
        let lobby = RoomName::lobby();
        let start = Instant::now();
        let ttl = Duration::from_secs(5);
        elsewhere.heard("a", start);
        elsewhere.arrive("a", &lobby, &nick("alice"), false);
        // This node's link was down for twice the TTL; it is back now.
        let back = start + ttl * 2;
        elsewhere.hear_everyone(back);
        assert_eq!(elsewhere.expire(back + ttl, ttl), (vec![], vec![]), "a full TTL to answer");
        assert!(elsewhere.is_present(&lobby, &nick("alice")));
        let (dead, _) = elsewhere.expire(back + ttl + Duration::from_millis(1), ttl);
        assert_eq!(dead, vec!["a".to_owned()], "still silent after it: gone");
    }
}
