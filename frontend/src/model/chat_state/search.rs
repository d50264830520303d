//! Searching from the page, and opening a result: the room is put on screen with the history
//! around the message found (`far_back.rs`), where the message list brings it into view.

use common::{ClientMessage, RoomName};

use super::ChatState;
use crate::model::search::{Search, SearchScope};

impl ChatState {
    /// Starts a search for `raw`, narrowed by `scope` (the room on screen, an author, a first
    /// day), replacing any earlier one; `None` when there is nothing to look for.
    pub fn search_request(&mut self, raw: &str, scope: &SearchScope) -> Option<ClientMessage> {
        let query = raw.trim();
        if query.is_empty() {
            self.search = None;
            return None;
        }
        let room = scope.this_room_only.then(|| self.current.clone());
        let author = Some(scope.author.trim()).filter(|name| !name.is_empty()).map(str::to_owned);
        let request_id = self.request_id();
        let search = Search::new(query.to_owned(), room).narrowed(author, scope.since);
        self.search.insert(search).next_page(request_id)
    }

    /// The next page of the search's results, if there may be more.
    pub fn more_results(&mut self) -> Option<ClientMessage> {
        let request_id = self.request_id();
        self.search.as_mut()?.next_page(request_id)
    }

    pub fn close_search(&mut self) {
        self.search = None;
    }

    /// Opens the message `seq` of `room` (a search result): the room goes on screen, and the
    /// history around the message is fetched.
    pub fn open_result(&mut self, room: RoomName, seq: u64) -> Vec<ClientMessage> {
        self.focus = Some((room.clone(), seq));
        let mut frames = self.show(room);
        frames.extend(self.toward_focus());
        frames
    }
}
