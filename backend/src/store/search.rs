//! Full-text search over the messages a person may read, and indexing the messages stored
//! before search existed.
//!
//! Every message with text has its words (`common::search_text`) in the engine's own index:
//! SQLite's FTS5 (`message_words`), PostgreSQL's `tsvector` with a GIN index. Each indexed
//! message has a `search_id`, handed out in the order messages are sent; results come newest
//! first by it, and a page goes on below the last one's. Storing a message indexes it in the
//! same transaction; an edit replaces its words, a deletion and retention remove them.
//!
//! Who may read what is decided inside the query, not after it: only rooms that are public or
//! of which the reader's account is a member (the rule of `permissions::Action::Enter`, in
//! SQL: [`READABLE_ROOMS`]). So a page is never short because of rooms filtered out later,
//! and no other room's message ever leaves the database.

use common::{ChatMessage, Nickname, RoomName, SearchQuery};
use futures_util::future::BoxFuture;

use super::Store;
use super::error::StoreError;
use super::rows::{MessageRow, into_messages, to_seq};

/// The rooms whose messages the reader (`$3`, an account id, or NULL for a guest) may read:
/// every public room, and the private rooms (direct messages included) they are a member of.
/// Both engines' search queries filter `messages.room` by it (SQLite `IN (...)`, PostgreSQL
/// `= ANY(ARRAY(...))`, see there).
pub const READABLE_ROOMS: &str = "SELECT name FROM rooms WHERE NOT private \
     UNION ALL SELECT room FROM room_members WHERE account_id = $3";

/// Messages indexed per transaction while indexing the backlog.
pub const BACKLOG_BATCH: i64 = 500;

/// What to look for, for whom.
#[derive(Debug, Clone)]
pub struct SearchRequest<'a> {
    pub query: &'a SearchQuery,
    /// The reader's account; `None` for a guest (public rooms only).
    pub reader: Option<i64>,
    /// Only this room.
    pub room: Option<&'a RoomName>,
    /// Only messages by this nickname (any case).
    pub author: Option<&'a Nickname>,
    /// Sent at or after (ms since the Unix epoch).
    pub since: i64,
    /// Sent before (ms since the Unix epoch).
    pub until: i64,
    /// Only results below this position (`i64::MAX` for the first page).
    pub before: i64,
    /// How many rows to read (one more than the page, to tell whether there are more).
    pub limit: i64,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPage {
    /// Newest first, each as it is now.
    pub messages: Vec<ChatMessage>,
    /// Where the next page starts, if there may be more.
    pub next_before: Option<u64>,
}

/// A matching row and its position (`search_id`): the columns of `message_columns!` and
/// `search_id`.
#[derive(Debug, sqlx::FromRow)]
pub struct SearchRow {
    #[sqlx(flatten)]
    pub message: MessageRow,
    pub search_id: i64,
}

/// Search in one engine.
pub trait SearchIndex: std::fmt::Debug + Send + Sync {
    /// Up to `request.limit` matching rows the reader may read, newest first.
    fn search<'a>(
        &'a self,
        request: &'a SearchRequest<'a>,
    ) -> BoxFuture<'a, Result<Vec<SearchRow>, StoreError>>;

    /// Indexes up to [`BACKLOG_BATCH`] messages that have text but no words in the index yet
    /// (stored before search existed, or imported), oldest first; how many it indexed.
    fn index_backlog(&self) -> BoxFuture<'_, Result<u64, StoreError>>;

    /// After the backlog was indexed: lets the engine's planner learn the new words (how
    /// common each is decides how PostgreSQL walks the index).
    fn backlog_indexed(&self) -> BoxFuture<'_, Result<(), StoreError>>;
}

impl Store {
    /// One page of `request`'s results (`request.limit` is the page size).
    pub async fn search(&self, request: &SearchRequest<'_>) -> Result<SearchPage, StoreError> {
        let page_size = request.limit;
        let asked = SearchRequest { limit: page_size + 1, ..request.clone() };
        let mut rows = self.database.search(&asked).await?;
        let more = rows.len() as i64 > page_size;
        rows.truncate(usize::try_from(page_size).unwrap_or(0));
        let next_before = match (more, rows.last()) {
            (true, Some(last)) => Some(to_seq(last.search_id)?),
            _ => None,
        };
        let messages = into_messages(rows.into_iter().map(|row| row.message).collect())?;
        Ok(SearchPage { messages, next_before })
    }

    /// Does a round of the backlog: gives older entries their author's key (for "from", see
    /// [`super::author_keys`]), then indexes a batch of older messages (see
    /// [`SearchIndex::index_backlog`]). How many entries it did; 0 when none is left.
    pub async fn index_backlog(&self) -> Result<u64, StoreError> {
        let keyed = self.fill_author_keys().await?;
        Ok(keyed + self.database.index_backlog().await?)
    }

    /// See [`SearchIndex::backlog_indexed`].
    pub async fn backlog_indexed(&self) -> Result<(), StoreError> {
        self.database.backlog_indexed().await
    }
}

/// The query as FTS5 reads it: each term a quoted phrase of its words, side by side (FTS5
/// takes terms next to each other as "all of them"). Inside quotes nothing is an operator.
pub fn fts5_match(query: &SearchQuery) -> String {
    let phrases: Vec<String> = query
        .terms()
        .iter()
        .map(|words| format!("\"{}\"", words.join(" ").replace('"', "\"\"")))
        .collect();
    phrases.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_stay_inside_quotes() {
        let query = SearchQuery::parse(r#"北京 deploy" NEAR(x) e-mail"#).expect("words");
        assert_eq!(fts5_match(&query), r#""北 京" "deploy" "near x" "e mail""#);
    }
}
