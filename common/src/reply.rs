//! Replies: a message can answer an earlier message of its room, and shows a quote of it.
//!
//! The quote is always of the original as it is now (edited text, or nothing once deleted):
//! the server builds it whenever it hands out the reply, never storing a copy of the text that
//! a deletion would leave behind.

use serde::{Deserialize, Serialize};

use crate::{ChatMessage, Nickname};

/// How much of the original a quote carries, in characters.
pub const REPLY_EXCERPT_CHARS: usize = 140;

/// The message a reply answers, as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTo {
    /// The original's `seq` in the same room.
    pub seq: u64,
    pub author: Nickname,
    /// The start of its text (at most [`REPLY_EXCERPT_CHARS`] characters); absent once the
    /// original was deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    /// The original was edited since it was answered, or before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub edited: bool,
}

impl ReplyTo {
    /// The quote of `original` as it is now.
    pub fn of(original: &ChatMessage) -> Self {
        Self {
            seq: original.seq,
            author: original.author.clone(),
            excerpt: original.body().map(|body| excerpt(body.as_str())),
            edited: original.post().is_some_and(|post| post.edited.is_some()),
        }
    }
}

/// The first [`REPLY_EXCERPT_CHARS`] characters of `text`, with "…" when there was more.
pub fn excerpt(text: &str) -> String {
    match text.char_indices().nth(REPLY_EXCERPT_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_cut_at_a_character_not_a_byte() {
        assert_eq!(excerpt("short"), "short");
        let long = "北".repeat(REPLY_EXCERPT_CHARS + 5);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), REPLY_EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt(&"x".repeat(REPLY_EXCERPT_CHARS)), "x".repeat(REPLY_EXCERPT_CHARS));
    }
}
