//! The words of a message for full-text search, and of a search query, by one rule for both
//! store engines and for the page's highlighting.
//!
//! Both engines split text at spaces and punctuation, which finds nothing in Chinese or
//! Japanese: they are written without spaces. So the text is cut into words here, before any
//! engine sees it: a run of letters and digits is a word, and each Han, kana or other ideograph
//! is a word of its own. The store indexes those words joined by single spaces (lowercased), so
//! SQLite's `unicode61` tokenizer and PostgreSQL's `simple` configuration see only plain words
//! and agree. A query term becomes a phrase of its words: `北京` must match `北` then `京`, side
//! by side, and `e-mail` matches `e` then `mail`.

use std::ops::Range;

/// The longest query, in characters.
pub const SEARCH_QUERY_MAX_CHARS: usize = 200;
/// The most terms (space-separated parts with words in them) in one query.
pub const SEARCH_TERMS_MAX: usize = 8;
/// Results in one page when the client does not say.
pub const SEARCH_PAGE_DEFAULT: u32 = 20;
/// The most results in one page.
pub const SEARCH_PAGE_MAX: u32 = 50;

/// A query's terms: each is the words that must appear side by side, in order. At least one
/// term, each with at least one word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    terms: Vec<Vec<String>>,
}

/// Why a query cannot be searched for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchQueryError {
    #[error("the search has no words to look for")]
    NoWords,
    #[error("a search is at most {SEARCH_QUERY_MAX_CHARS} characters")]
    TooLong,
    #[error("a search has at most {SEARCH_TERMS_MAX} words")]
    TooManyTerms,
}

impl SearchQuery {
    /// Reads a query as the user typed it: every character is text (quotes, `*`, `%`, `-` or
    /// SQL have no meaning of their own; punctuation separates words).
    pub fn parse(query: &str) -> Result<Self, SearchQueryError> {
        if query.chars().count() > SEARCH_QUERY_MAX_CHARS {
            return Err(SearchQueryError::TooLong);
        }
        let terms: Vec<Vec<String>> =
            query.split_whitespace().map(words_of).filter(|words| !words.is_empty()).collect();
        if terms.is_empty() {
            return Err(SearchQueryError::NoWords);
        }
        if terms.len() > SEARCH_TERMS_MAX {
            return Err(SearchQueryError::TooManyTerms);
        }
        Ok(Self { terms })
    }

    /// Each term's words, in order.
    pub fn terms(&self) -> &[Vec<String>] {
        &self.terms
    }
}

/// What the store indexes for `text`: its words, lowercased, joined by single spaces.
pub fn search_text(text: &str) -> String {
    words_of(text).join(" ")
}

/// The words of `text`, lowercased: runs of letters and digits, each ideograph on its own.
pub fn words_of(text: &str) -> Vec<String> {
    word_spans(text).into_iter().map(|span| text[span].to_lowercase()).collect()
}

/// Each two consecutive `words` that are both a character of a language written without
/// spaces, joined: the words of "北京大学" give "北京", "京大", "大学". PostgreSQL indexes
/// these beside the words, so a Chinese word is found through how rare the pair is rather
/// than by checking the positions of every message holding both of its (common) characters.
pub fn character_pairs(words: &[String]) -> Vec<String> {
    let single = |word: &String| {
        let mut chars = word.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if is_written_without_spaces(c))
    };
    words
        .windows(2)
        .filter(|pair| single(&pair[0]) && single(&pair[1]))
        .map(|pair| format!("{}{}", pair[0], pair[1]))
        .collect()
}

/// Where the words of `text` are (byte ranges, in order), as [`words_of`] cuts them: for
/// marking the words a search found in a message.
pub fn word_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start = None;
    for (at, character) in text.char_indices() {
        if is_written_without_spaces(character) {
            if let Some(from) = start.take() {
                spans.push(from..at);
            }
            spans.push(at..at + character.len_utf8());
        } else if character.is_alphanumeric() {
            start.get_or_insert(at);
        } else if let Some(from) = start.take() {
            spans.push(from..at);
        }
    }
    if let Some(from) = start {
        spans.push(from..text.len());
    }
    spans
}

/// Han ideographs, kana and the like: scripts written without spaces between words, where
/// each character is taken as a word. (Hangul is written with spaces and stays in words.)
fn is_written_without_spaces(character: char) -> bool {
    matches!(character as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK Unified Ideographs Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x3134F  // CJK Unified Ideographs Extensions B to G
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_words_split_at_punctuation_and_are_lowercased() {
        assert_eq!(
            search_text("Deploy on FRIDAY, e-mail ada@example.com!"),
            "deploy on friday e mail ada example com"
        );
    }

    #[test]
    fn ideographs_are_words_of_their_own() {
        assert_eq!(search_text("我们在北京开会"), "我 们 在 北 京 开 会");
        assert_eq!(search_text("meet in 北京tomorrow"), "meet in 北 京 tomorrow");
        assert_eq!(search_text("カタカナ"), "カ タ カ ナ");
        assert_eq!(search_text("한국어 문장"), "한국어 문장");
    }

    #[test]
    fn a_query_is_terms_of_words_and_operators_are_text() {
        let query =
            SearchQuery::parse(r#"北京 "deploy" NEAR(a b) * % ' OR 1=1 --"#).expect("words");
        let terms: Vec<String> = query.terms().iter().map(|term| term.join(" ")).collect();
        assert_eq!(terms, ["北 京", "deploy", "near a", "b", "or", "1 1"]);
    }

    #[test]
    fn a_query_without_words_or_too_long_is_refused() {
        assert_eq!(SearchQuery::parse("  *** %% "), Err(SearchQueryError::NoWords));
        assert_eq!(SearchQuery::parse(""), Err(SearchQueryError::NoWords));
        assert_eq!(SearchQuery::parse(&"a".repeat(10_000)), Err(SearchQueryError::TooLong));
        assert_eq!(SearchQuery::parse("a b c d e f g h i"), Err(SearchQueryError::TooManyTerms));
        assert!(SearchQuery::parse(&"a".repeat(SEARCH_QUERY_MAX_CHARS)).is_ok());
    }

    #[test]
    fn pairs_are_of_consecutive_characters_written_without_spaces() {
        // Consecutive words, whatever lies between them (a phrase matches them so too).
        let words = words_of("北京大学 in Tokyo 东京, と 北-京");
        let pairs = ["北京", "京大", "大学", "东京", "京と", "と北", "北京"];
        assert_eq!(character_pairs(&words), pairs);
        assert!(character_pairs(&words_of("deploy on friday")).is_empty());
    }
}
