//! `search`: messages of every room this person may read that have the query's words. Which
//! rooms those are is decided in the store's query (`store::search`), by the rule of
//! `permissions::Action::Enter`; there is nothing to join first.

use std::time::Instant;

use common::{
    Nickname, RequestId, RoomName, SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX, SearchQuery,
    SearchResults, ServerMessage,
};

use crate::metrics::names;
use crate::session::state::{Answer, Session};
use crate::store::SearchRequest;

/// What a `search` asks, as it came.
pub struct SearchAsked {
    pub query: String,
    pub room: Option<String>,
    pub author: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub before: Option<u64>,
    pub limit: Option<u64>,
}

impl Session {
    pub(super) async fn search(&mut self, request_id: RequestId, asked: SearchAsked) -> Answer {
        self.identified()?;
        let started = Instant::now();
        let query = SearchQuery::parse(&asked.query)?;
        let room = asked.room.as_deref().map(RoomName::parse).transpose()?;
        let author = asked.author.as_deref().map(Nickname::parse).transpose()?;
        // Any number asks for at most a full page, however large.
        let limit = asked.limit.map_or(SEARCH_PAGE_DEFAULT, |limit| {
            u32::try_from(limit.clamp(1, u64::from(SEARCH_PAGE_MAX))).unwrap_or(SEARCH_PAGE_MAX)
        });
        let request = SearchRequest {
            query: &query,
            reader: self.account_id(),
            room: room.as_ref(),
            author: author.as_ref(),
            since: asked.since.unwrap_or(i64::MIN),
            until: asked.until.unwrap_or(i64::MAX),
            before: asked
                .before
                .map_or(i64::MAX, |before| i64::try_from(before).unwrap_or(i64::MAX)),
            limit: i64::from(limit),
        };
        let page = self.services.store.search(&request).await?;
        metrics::histogram!(names::SEARCH).record(started.elapsed().as_secs_f64());
        Ok(Some(ServerMessage::SearchResults(SearchResults {
            request_id,
            messages: page.messages,
            next_before: page.next_before,
        })))
    }
}
