//! `members`: a joined room's people, a page at a time, for rooms too big to list them all in
//! `joined` (see `crate::hub`'s headcount). Whoever is in the room may ask.

use common::{
    ErrorCode, MEMBER_PAGE_DEFAULT, MEMBER_PAGE_MAX, MemberPage, Nickname, RequestId, RoomName,
    ServerMessage,
};

use crate::session::refusal::Refusal;
use crate::session::state::{Answer, Session};

impl Session {
    /// Up to `limit` people of a joined room after the name `after`.
    pub(super) fn members(
        &mut self,
        request_id: RequestId,
        room: &str,
        after: Option<&str>,
        limit: Option<u64>,
    ) -> Answer {
        self.identified()?;
        let room = RoomName::parse(room)?;
        let after = after
            .map(|after| {
                Nickname::parse(after).map_err(|_| {
                    Refusal::new(
                        ErrorCode::InvalidMessage,
                        "`after` must be a name of the last page",
                    )
                })
            })
            .transpose()?;
        let limit =
            limit.unwrap_or(u64::from(MEMBER_PAGE_DEFAULT)).clamp(1, u64::from(MEMBER_PAGE_MAX));
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let page = self.services.hub.people_page(self.id, &room, after.as_ref(), limit)?;
        Ok(Some(ServerMessage::MemberPage(MemberPage {
            request_id,
            room,
            members: page.members,
            guests: page.guests,
            next_after: page.next_after,
        })))
    }
}
