//! The people of a counted room (more than `common::LISTED_MEMBERS_MAX`): the server says how
//! many are in it instead of naming each arrival and departure, and the page reads their
//! names a page at a time, the first when it joins, the next when the reader asks for more.
//! When few enough are left, the server lists everyone again (`member_list`).

use common::{ClientMessage, MEMBER_PAGE_DEFAULT, MemberPage, Nickname, RoomName};

use super::ChatState;
use crate::model::case_fold::same_name;
use crate::model::room_state::{MemberPages, RoomState};

impl ChatState {
    /// `room` was joined with `member_count` (set when it is counted): the request for its
    /// first page of people, if it is.
    pub(super) fn counted(
        &mut self,
        room: &RoomName,
        member_count: Option<u64>,
    ) -> Option<ClientMessage> {
        let state = self.rooms.entry(room.clone()).or_default();
        state.member_count = member_count;
        state.member_pages = MemberPages::default();
        member_count?;
        Some(self.members_request(room, None))
    }

    /// The request for the next page of the people of the room on screen, if it is counted,
    /// has more and none is on its way.
    pub fn more_members(&mut self) -> Option<ClientMessage> {
        let room = self.current.clone();
        let state = self.rooms.get(&room)?;
        let can_ask = state.joined && state.member_pages.asked.is_none();
        let after = state.member_pages.next_after.clone().filter(|_| can_ask)?;
        Some(self.members_request(&room, Some(after)))
    }

    pub(super) fn member_page(&mut self, page: MemberPage) {
        let Some(state) = self.rooms.get_mut(&page.room) else { return };
        if state.member_pages.asked != Some(page.request_id) {
            return; // Asked before a reconnect, or the room was listed meanwhile.
        }
        state.member_pages = MemberPages { next_after: page.next_after, asked: None };
        for guest in page.guests {
            if !state.guests.iter().any(|known| same_name(known, &guest)) {
                state.guests.push(guest);
            }
        }
        for member in page.members {
            state.add_member(member);
        }
    }

    fn members_request(&mut self, room: &RoomName, after: Option<Nickname>) -> ClientMessage {
        let request_id = self.request_id();
        if let Some(state) = self.rooms.get_mut(room) {
            state.member_pages.asked = Some(request_id);
        }
        ClientMessage::Members {
            request_id,
            room: room.to_string(),
            after: after.map(|name| name.as_str().to_owned()),
            limit: Some(u64::from(MEMBER_PAGE_DEFAULT)),
        }
    }
}

impl RoomState {
    /// The room is counted, with `count` people in it: the names held stay as they were (a
    /// snapshot, no longer followed).
    pub fn count_members(&mut self, count: u64) {
        self.member_count = Some(count);
    }

    /// The room is listed again: everyone in it now.
    pub fn list_members(&mut self, members: Vec<Nickname>, guests: Vec<Nickname>) {
        self.member_count = None;
        self.member_pages = MemberPages::default();
        self.members = members;
        self.guests = guests;
    }

    /// Whether more of a counted room's people can be read.
    pub fn more_members(&self) -> bool {
        self.member_count.is_some() && self.member_pages.next_after.is_some()
    }
}
