//! How a room's members hear who comes and goes: by name in a listed room, as a count in a
//! counted one.
//!
//! Naming every arrival to every member costs members × arrivals: a join storm of 5,000 into
//! one room was 25 million `user_joined` frames, and each `joined` answer carried every name.
//! So a room with more than `listed_max` people (`common::LISTED_MEMBERS_MAX` by default) is
//! counted: its members are told the count (`member_count`), at most once per
//! `common::MEMBER_COUNT_INTERVAL_MS` however many came and went meanwhile, and read the list a
//! page at a time (`members`). It is listed again (`member_list`, everyone at once) when half
//! as many are left, so that a room hovering around the limit does not flip at every arrival.
//!
//! `Room::people` counts the people in the room on every node, each once: it changes exactly
//! where a listed room's members would hear `user_joined` or `user_left`.

use std::ops::Bound;

use common::{MemberCount, MemberList, Nickname, RoomName, ServerMessage, UserJoined, UserLeft};

use super::elsewhere::Elsewhere;
use super::room::{Room, broadcast};
use crate::frames::broadcast_writer::BroadcastWriter;

/// One page of a room's people, in the order of their names' keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeoplePage {
    pub members: Vec<Nickname>,
    /// Those of `members` who are guests.
    pub guests: Vec<Nickname>,
    /// The last of `members` when there may be more after it.
    pub next_after: Option<Nickname>,
}

impl Room {
    /// Someone who was in the room on no node is now in it.
    pub(super) fn arrived(
        &mut self,
        room_name: &RoomName,
        nickname: Nickname,
        guest: bool,
        listed_max: usize,
        writer: &BroadcastWriter,
    ) {
        self.people += 1;
        if self.counted {
            self.count_changed = true;
        } else if self.people > listed_max {
            self.counted = true;
            self.tell_count(room_name, writer);
        } else {
            let news = UserJoined { room: room_name.clone(), nickname, guest };
            broadcast(self, &ServerMessage::UserJoined(news), writer);
        }
    }

    /// Someone is no longer in the room on any node.
    pub(super) fn departed(
        &mut self,
        room_name: &RoomName,
        nickname: Nickname,
        writer: &BroadcastWriter,
    ) {
        self.people = self.people.saturating_sub(1);
        if self.counted {
            self.count_changed = true;
        } else {
            let news = UserLeft { room: room_name.clone(), nickname };
            broadcast(self, &ServerMessage::UserLeft(news), writer);
        }
    }

    /// Tells the members the count if it changed since they last heard it, or everyone's name
    /// if few enough are left to list them again.
    pub(super) fn flush_count(
        &mut self,
        room_name: &RoomName,
        elsewhere: &Elsewhere,
        listed_max: usize,
        writer: &BroadcastWriter,
    ) {
        if !self.counted || !self.count_changed {
            return;
        }
        if self.people <= listed_max / 2 {
            self.counted = false;
            self.count_changed = false;
            let (members, guests) = self.everyone(room_name, elsewhere);
            let news = MemberList { room: room_name.clone(), members, guests };
            broadcast(self, &ServerMessage::MemberList(news), writer);
            return;
        }
        self.tell_count(room_name, writer);
    }

    fn tell_count(&mut self, room_name: &RoomName, writer: &BroadcastWriter) {
        self.count_changed = false;
        let news = MemberCount { room: room_name.clone(), count: self.people as u64 };
        broadcast(self, &ServerMessage::MemberCount(news), writer);
    }

    /// Everyone in the room, here and on the other nodes, each once, listed
    /// case-insensitively (for `joined` and `member_list`); and those of them who are guests.
    pub(super) fn everyone(
        &self,
        room_name: &RoomName,
        elsewhere: &Elsewhere,
    ) -> (Vec<Nickname>, Vec<Nickname>) {
        let page = self.people_after(room_name, elsewhere, None, usize::MAX);
        let (mut members, mut guests) = (page.members, page.guests);
        members.sort_by_cached_key(|nickname| nickname.as_str().to_lowercase());
        guests.sort_by_cached_key(|nickname| nickname.as_str().to_lowercase());
        (members, guests)
    }

    /// Up to `limit` people of the room whose names' keys come after `after` (here and on the
    /// other nodes, each once), in key order.
    pub(super) fn people_after(
        &self,
        room_name: &RoomName,
        elsewhere: &Elsewhere,
        after: Option<&str>,
        limit: usize,
    ) -> PeoplePage {
        let after_key = |key: &String| after.is_none_or(|after| key.as_str() > after);
        // Those here are kept in key order: the page is a range of them. Those only on other
        // nodes are not, and are few unless the cluster is: they are sorted here.
        let from = after.map_or(Bound::Unbounded, |after| Bound::Excluded(after.to_owned()));
        let here = self
            .people_here
            .range((from, Bound::Unbounded))
            .map(|(key, person)| (key, &person.nickname, person.guest));
        let mut there: Vec<_> = elsewhere
            .people(room_name)
            .filter(|(key, _, _)| after_key(key) && !self.people_here.contains_key(*key))
            .collect();
        there.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut page = PeoplePage { members: Vec::new(), guests: Vec::new(), next_after: None };
        let mut merged = merge_by_key(here, there.into_iter());
        for (_, nickname, guest) in merged.by_ref().take(limit) {
            if guest {
                page.guests.push(nickname.clone());
            }
            page.members.push(nickname.clone());
        }
        if merged.next().is_some() {
            page.next_after = page.members.last().cloned();
        }
        page
    }
}

type Person<'a> = (&'a String, &'a Nickname, bool);

/// The people of two lists sorted by key, in key order (no key is in both).
fn merge_by_key<'a>(
    left: impl Iterator<Item = Person<'a>>,
    right: impl Iterator<Item = Person<'a>>,
) -> impl Iterator<Item = Person<'a>> {
    let (mut left, mut right) = (left.peekable(), right.peekable());
    std::iter::from_fn(move || match (left.peek(), right.peek()) {
        (Some(l), Some(r)) if r.0 < l.0 => right.next(),
        (Some(_), _) => left.next(),
        (None, _) => right.next(),
    })
}
