//! `history`: a page from the hub's recent messages if it has them all, else the store.

use common::permissions::Action;
use common::{
    ErrorCode, HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX, History, RequestId, RoomName, ServerMessage,
};

use crate::metrics::names;
use crate::session::refusal::Refusal;
use crate::session::state::{Answer, Session};
use crate::store::Page;

impl Session {
    pub(super) async fn history(
        &mut self,
        request_id: RequestId,
        room: &str,
        before_seq: Option<u64>,
        after_seq: Option<u64>,
        limit: Option<u64>,
    ) -> Answer {
        self.identified()?;
        let page = match (before_seq, after_seq) {
            (before, None) => Page::Before(before),
            (None, Some(after)) => Page::After(after),
            (Some(_), Some(_)) => {
                return Err(Refusal::new(
                    ErrorCode::InvalidMessage,
                    "give before_seq or after_seq, not both",
                ));
            }
        };
        let started = std::time::Instant::now();
        let room = RoomName::parse(room)?;
        self.services.hub.member_nickname(self.id, &room)?;
        self.allowed(Action::Enter, &room).await?;
        // Any number asks for at most a full page (as PROTOCOL.md says), however large.
        let limit = limit.map_or(HISTORY_PAGE_DEFAULT, |asked| {
            let clamped = asked.clamp(1, u64::from(HISTORY_PAGE_MAX));
            u32::try_from(clamped).unwrap_or(HISTORY_PAGE_MAX)
        });
        let page = match self.services.hub.recent_page(&room, page, limit) {
            Some(recent) => recent.into_history_page(),
            None => self.services.store.history(&room, page, limit).await?,
        };
        metrics::histogram!(names::HISTORY).record(started.elapsed().as_secs_f64());
        Ok(Some(ServerMessage::History(History {
            request_id,
            room,
            messages: page.messages,
            reaches_start: page.reaches_start,
            reaches_end: page.reaches_end,
            // Only where it tells something: the page reaches back to a start that is not 1.
            first_seq: page.first_seq.filter(|first| page.reaches_start && *first > 1),
        })))
    }
}
