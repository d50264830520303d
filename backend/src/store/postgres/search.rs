//! Search in PostgreSQL: each message's words as a `tsvector` in `messages.words` with a GIN
//! index, numbered by `search_id` from the sequence `message_search_ids` (migration 0013).
//! Several nodes share the sequence, so ids follow the order messages are stored in, across
//! nodes. The backlog (messages stored before search existed, or imported) is indexed oldest
//! first, with rows locked and skipped by other nodes doing the same; messages sent while that
//! runs (once, after the upgrade) sort before the older ones indexed after them. A message
//! indexed before its words changed form (migration 0016: character pairs) keeps its id and
//! is indexed again the same way.

use std::collections::BTreeMap;

use common::{Nickname, SearchQuery, character_pairs, words_of};
use futures_util::future::BoxFuture;
use sqlx::{Postgres, Transaction};

use super::PostgresDatabase;
use crate::store::NewContent;
use crate::store::error::StoreError;
use crate::store::rows::message_columns;
use crate::store::search::{BACKLOG_BATCH, READABLE_ROOMS, SearchIndex, SearchRequest, SearchRow};

/// The words to store with a new entry: a message's, not a change's.
pub fn words_to_index(content: &NewContent) -> Option<String> {
    match content {
        NewContent::Post { body, .. } => Some(index_text(body.as_str())),
        NewContent::Edit { .. } | NewContent::Deletion { .. } | NewContent::Reaction(_) => None,
    }
}

/// The longest lexeme PostgreSQL takes, in bytes.
const LEXEME_MAX_BYTES: usize = 2046;

/// What PostgreSQL indexes of `text`, as `tsvector` text: each word at its position (1, 2,
/// ...), and each pair of consecutive characters of languages written without spaces
/// ([`character_pairs`]) at the position of its first. A query asks for a Chinese word by its
/// pairs ([`tsquery_term`]): "北京" is one lexeme, as rare as the word, which the planner can
/// estimate, instead of a phrase of two common characters checked message by message.
pub fn index_text(text: &str) -> String {
    let words = words_of(text);
    let mut positions: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, word) in words.iter().enumerate() {
        positions.entry(word.clone()).or_default().push(index + 1);
        if let Some(pair) = pair_at(&words, index) {
            positions.entry(pair).or_default().push(index + 1);
        }
    }
    let lexemes: Vec<String> = positions
        .into_iter()
        // A longer word is refused by PostgreSQL (`to_tsvector` skipped it too).
        .filter(|(lexeme, _)| lexeme.len() <= LEXEME_MAX_BYTES)
        .map(|(lexeme, at)| {
            // PostgreSQL keeps at most 256 positions of a lexeme, each at most 16,383.
            let at: Vec<String> =
                at.iter().take(256).map(|position| position.min(&16_383).to_string()).collect();
            format!("{}:{}", quoted(&lexeme), at.join(","))
        })
        .collect();
    lexemes.join(" ")
}

/// The query as PostgreSQL's `to_tsquery` reads it: each term a phrase ([`tsquery_term`]),
/// the terms joined by `&`. Every word is quoted: no character of a query is an operator.
pub fn tsquery(query: &SearchQuery) -> String {
    let terms: Vec<String> = query.terms().iter().map(|words| tsquery_term(words)).collect();
    terms.join(" & ")
}

/// One term of a query (its words side by side) as PostgreSQL's `to_tsquery` reads it: a
/// phrase of its lexemes, each run of characters written without spaces as its pairs (at the
/// positions [`index_text`] gives them), the distance between lexemes (`<N>`) as in the text.
pub fn tsquery_term(words: &[String]) -> String {
    // (lexeme, position of its first word in the term)
    let mut lexemes: Vec<(String, usize)> = Vec::new();
    for (index, word) in words.iter().enumerate() {
        let ends_a_run = index > 0 && pair_at(words, index - 1).is_some();
        match pair_at(words, index) {
            Some(pair) => lexemes.push((pair, index)),
            None if ends_a_run => {} // Its pair with the character before holds it.
            None => lexemes.push((word.clone(), index)),
        }
    }
    let mut phrase = String::new();
    let mut last = None;
    for (lexeme, at) in lexemes {
        if let Some(last) = last {
            phrase.push_str(&format!(" <{}> ", at - last));
        }
        phrase.push_str(&quoted(&lexeme));
        last = Some(at);
    }
    format!("({phrase})")
}

/// The pair of the words `index` and `index + 1`, if both are characters written without
/// spaces.
fn pair_at(words: &[String], index: usize) -> Option<String> {
    words.get(index..index + 2).and_then(|two| character_pairs(two).pop())
}

/// A lexeme in quotes, as `tsvector` and `tsquery` text read it (words are letters and digits
/// only, but a quote or a backslash would be escaped all the same).
fn quoted(lexeme: &str) -> String {
    format!("'{}'", lexeme.replace('\\', "\\\\").replace('\'', "''"))
}

/// After a deletion erased (`text` `None`) or an edit replaced the text of `room`'s message
/// `seq`: its words are the new text's, or none. An edited message the backlog has not indexed
/// yet stays for the backlog, which indexes it as it is then.
pub async fn set_words(
    transaction: &mut Transaction<'_, Postgres>,
    room: &str,
    seq: i64,
    text: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE messages SET words = $3::tsvector \
         WHERE room = $1 AND seq = $2 AND search_id IS NOT NULL",
    )
    .bind(room)
    .bind(seq)
    .bind(text.map(index_text))
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

impl SearchIndex for PostgresDatabase {
    fn search<'a>(
        &'a self,
        request: &'a SearchRequest<'a>,
    ) -> BoxFuture<'a, Result<Vec<SearchRow>, StoreError>> {
        Box::pin(async move {
            let sql = format!(
                "SELECT {columns}, m.search_id \
                 FROM messages AS m \
                 WHERE m.words @@ to_tsquery('simple', $1) AND m.search_id < $2 \
                   AND m.room = ANY(ARRAY({READABLE_ROOMS})) \
                   AND ($4::text IS NULL OR m.room = $4) \
                   AND ($5::text IS NULL OR m.author_key = $5) \
                   AND m.sent_at >= $6 AND m.sent_at < $7 \
                 ORDER BY m.search_id DESC LIMIT $8",
                columns = message_columns!()
            );
            // Not kept prepared: a generic plan cannot know how common the words are, and the
            // best walk differs (a common word: newest first along `search_id`, stopping early;
            // a rare one: the GIN index, then sorting the few matches). The readable rooms as
            // an array computed once: as `IN (subquery)` the planner joined room by room and
            // read each room's part of the primary key (a rare word: 128 ms, now 1.3 ms).
            let rows: Vec<SearchRow> = sqlx::query_as(&sql)
                .persistent(false)
                .bind(tsquery(request.query))
                .bind(request.before)
                .bind(request.reader)
                .bind(request.room.map(|room| room.as_str()))
                .bind(request.author.map(Nickname::key))
                .bind(request.since)
                .bind(request.until)
                .bind(request.limit)
                .fetch_all(&self.pool)
                .await?;
            Ok(rows)
        })
    }

    fn index_backlog(&self) -> BoxFuture<'_, Result<u64, StoreError>> {
        Box::pin(async move {
            let mut transaction = self.pool.begin().await?;
            let batch: Vec<(String, i64, String)> = sqlx::query_as(
                "SELECT room, seq, body FROM messages \
                 WHERE words IS NULL AND body <> '' AND deletes IS NULL AND edits IS NULL \
                 ORDER BY sent_at LIMIT $1 FOR UPDATE SKIP LOCKED",
            )
            .bind(BACKLOG_BATCH)
            .fetch_all(&mut *transaction)
            .await?;
            if batch.is_empty() {
                return Ok(0);
            }
            let ids: Vec<i64> = sqlx::query_scalar(
                "SELECT nextval('message_search_ids') FROM generate_series(1, $1)",
            )
            .bind(batch.len() as i64)
            .fetch_all(&mut *transaction)
            .await?;
            let mut ids = ids;
            ids.sort_unstable();
            let rooms: Vec<&str> = batch.iter().map(|(room, _, _)| room.as_str()).collect();
            let seqs: Vec<i64> = batch.iter().map(|(_, seq, _)| *seq).collect();
            let words: Vec<String> = batch.iter().map(|(_, _, body)| index_text(body)).collect();
            sqlx::query(
                "UPDATE messages SET words = batch.words::tsvector, \
                        search_id = COALESCE(messages.search_id, batch.search_id) \
                 FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[]) \
                      AS batch (room, seq, words, search_id) \
                 WHERE messages.room = batch.room AND messages.seq = batch.seq",
            )
            .bind(&rooms)
            .bind(&seqs)
            .bind(&words)
            .bind(&ids)
            .execute(&mut *transaction)
            .await?;
            transaction.commit().await?;
            Ok(batch.len() as u64)
        })
    }

    fn backlog_indexed(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            // Until autovacuum gets to it, the planner would take every word for a rare one
            // and read all of a common word's matches (270 ms instead of 4, measured).
            sqlx::query("ANALYZE messages").execute(&self.pool).await?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_stay_inside_quotes_and_chinese_words_are_their_pairs() {
        let query =
            SearchQuery::parse(r#"北京 deploy" NEAR(x) e-mail 北京大学 a北京b 京"#).expect("words");
        assert_eq!(
            tsquery(&query),
            "('北京') & ('deploy') & ('near' <1> 'x') & ('e' <1> 'mail') \
             & ('北京' <1> '京大' <1> '大学') & ('a' <1> '北京' <2> 'b') & ('京')"
        );
    }

    #[test]
    fn a_word_too_long_for_postgresql_is_left_out() {
        let long = "a".repeat(LEXEME_MAX_BYTES + 1);
        assert_eq!(index_text(&format!("{long} b")), "'b':2");
    }

    #[test]
    fn pairs_sit_at_the_position_of_their_first_character() {
        assert_eq!(
            index_text("Meet 北京 at 北京大学, it's"),
            "'at':4 'it':9 'meet':1 's':10 '京':3,6 '京大':6 '北':2,5 '北京':2,5 '大':7 '大学':7 \
             '学':8"
        );
    }
}
