//! A search in the page: what was asked, the results so far (newest first), and whether a
//! page of them is on its way. The server decides what matches and who may read it; the page
//! only pages on and marks the words found.

use common::{ChatMessage, ClientMessage, RequestId, RoomName, SearchResults, word_spans};

use crate::model::case_fold::lowercase;
use crate::model::problem::ServerRefusal;

/// What narrows a search, as the user set it in the panel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchScope {
    /// Only the room on screen.
    pub this_room_only: bool,
    /// Only this person's messages (blank: anyone's).
    pub author: String,
    /// Only messages sent at or after this time (ms since the epoch).
    pub since: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// The query as typed.
    pub query: String,
    /// Only this room's messages, if the user said so.
    pub room: Option<RoomName>,
    /// Only this person's messages (a nickname as typed; the server compares names), if given.
    pub author: Option<String>,
    /// Only messages sent at or after this time (ms since the epoch), if given.
    pub since: Option<i64>,
    pub results: Vec<ChatMessage>,
    /// Where the next page starts, if there may be more.
    pub next_before: Option<u64>,
    /// The request whose page is on its way.
    pub waiting_for: Option<RequestId>,
    /// Every page has arrived: the results are all there are.
    pub complete: bool,
    /// The server refused the search (the query is not searchable, say).
    pub refused: Option<ServerRefusal>,
}

impl Search {
    pub fn new(query: String, room: Option<RoomName>) -> Self {
        Self { query, room, ..Self::default() }
    }

    /// Narrowed to one author's messages and to those sent since a time.
    pub fn narrowed(self, author: Option<String>, since: Option<i64>) -> Self {
        Self { author, since, ..self }
    }

    /// The request for the next page (the first one when nothing came yet), as `request_id`.
    pub fn next_page(&mut self, request_id: RequestId) -> Option<ClientMessage> {
        if self.waiting_for.is_some() || self.complete || self.refused.is_some() {
            return None;
        }
        self.waiting_for = Some(request_id);
        Some(ClientMessage::Search {
            request_id,
            query: self.query.clone(),
            room: self.room.as_ref().map(ToString::to_string),
            author: self.author.clone(),
            since: self.since,
            until: None,
            before: self.next_before,
            limit: None,
        })
    }

    /// Takes in a page; false if it answers another request (an earlier search's).
    pub fn take(&mut self, page: SearchResults) -> bool {
        if self.waiting_for != Some(page.request_id) {
            return false;
        }
        self.waiting_for = None;
        self.results.extend(page.messages);
        self.next_before = page.next_before;
        self.complete = page.next_before.is_none();
        true
    }

    /// The server refused request `request_id`; false if it was not this search's.
    pub fn refuse(&mut self, request_id: RequestId, refusal: ServerRefusal) -> bool {
        if self.waiting_for != Some(request_id) {
            return false;
        }
        self.waiting_for = None;
        self.refused = Some(refusal);
        true
    }

    /// The connection dropped: the page on its way will not come; asking again may.
    pub fn connection_lost(&mut self) {
        self.waiting_for = None;
    }

    /// The words to mark in the results, cut as the server cut them to match (lowercased
    /// with the browser's case tables: Rust's would add their size to the page).
    pub fn words(&self) -> Vec<String> {
        word_spans(&self.query).into_iter().map(|span| lowercase(&self.query[span])).collect()
    }
}

/// `text` in pieces, each marked if it is one of `words` (cut and compared as the server
/// does), so the page can show what was found highlighted.
pub fn marked_pieces(text: &str, words: &[String]) -> Vec<(String, bool)> {
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut push = |piece: &str, marked: bool| match pieces.last_mut() {
        Some((last, last_marked)) if *last_marked == marked => last.push_str(piece),
        _ if piece.is_empty() => {}
        _ => pieces.push((piece.to_owned(), marked)),
    };
    let mut done = 0;
    for span in word_spans(text) {
        push(&text[done..span.start], false);
        let word = &text[span.clone()];
        push(word, words.contains(&lowercase(word)));
        done = span.end;
    }
    push(&text[done..], false);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(request_id: RequestId, seqs: &[u64], next_before: Option<u64>) -> SearchResults {
        let messages = seqs
            .iter()
            .map(|&seq| ChatMessage {
                room: RoomName::lobby(),
                seq,
                id: format!("m{seq}"),
                client_id: common::ClientId::parse(&format!("c{seq}")).expect("valid"),
                author: common::Nickname::parse("ann").expect("valid"),
                sent_at: 0,
                content: common::Content::post(
                    common::MessageBody::parse("deploy").expect("valid"),
                ),
            })
            .collect();
        SearchResults { request_id, messages, next_before }
    }

    #[test]
    fn pages_follow_one_another_until_the_last_and_stale_answers_are_ignored() {
        let mut search = Search::new("deploy".into(), None);
        let first = search.next_page(1).expect("a first page");
        assert!(matches!(first, ClientMessage::Search { before: None, .. }));
        assert_eq!(search.next_page(2), None, "one page at a time");
        assert!(!search.take(page(9, &[1], None)), "another search's answer");
        assert!(search.take(page(1, &[9, 8], Some(8))));
        let second = search.next_page(3).expect("more");
        assert!(matches!(second, ClientMessage::Search { before: Some(8), .. }));
        assert!(search.take(page(3, &[2], None)));
        assert!(search.complete);
        assert_eq!(search.next_page(4), None);
        let seqs: Vec<u64> = search.results.iter().map(|m| m.seq).collect();
        assert_eq!(seqs, [9, 8, 2]);
    }

    #[test]
    fn the_words_found_are_marked_as_the_server_matched_them() {
        let words = Search::new("Deploy 北京".into(), None).words();
        let marked: Vec<(String, bool)> =
            marked_pieces("We DEPLOY to 北京, not deployment!", &words);
        let expected = [
            ("We ", false),
            ("DEPLOY", true),
            (" to ", false),
            ("北京", true),
            (", not deployment!", false),
        ];
        let expected: Vec<(String, bool)> =
            expected.iter().map(|(text, marked)| ((*text).to_owned(), *marked)).collect();
        assert_eq!(marked, expected);
    }
}
