//! An emoji, validated: what a reaction is made of.
//!
//! Checked by hand rather than against a list of every emoji (the `emojis` crate's table would
//! cost the page tens of kilobytes): one emoji is a short sequence of pictographs, each
//! possibly followed by a presentation selector, a skin tone or tag characters, joined by zero
//! width joiners (a family, a profession), or a pair of regional indicators (a flag), or a
//! keycap (`1️⃣`). A newer emoji is accepted as long as its characters are in the pictograph
//! blocks; letters, digits alone, punctuation, control and spacing characters never are.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One emoji (possibly a sequence of several characters that shows as one).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Emoji(String);

/// Why a reaction's emoji was refused. The message is meant for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a reaction must be one emoji")]
pub struct EmojiError;

impl Emoji {
    /// The most characters (Unicode scalar values) an emoji may have: the longest in use, a
    /// family of four or a subdivision flag, has 7; a little room for newer ones.
    pub const MAX_CHARS: usize = 12;

    /// Validates `raw` as one emoji.
    pub fn parse(raw: &str) -> Result<Self, EmojiError> {
        if raw.chars().count() > Self::MAX_CHARS || !is_one_emoji(raw) {
            return Err(EmojiError);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const ZERO_WIDTH_JOINER: char = '\u{200D}';
const KEYCAP: char = '\u{20E3}';

/// Whether `text` is one emoji: elements joined by zero width joiners, each element a
/// pictograph with its modifiers, a flag (two regional indicators) or a keycap.
fn is_one_emoji(text: &str) -> bool {
    !text.is_empty() && text.split(ZERO_WIDTH_JOINER).all(is_element)
}

/// One element of an emoji sequence (what lies between joiners).
fn is_element(element: &str) -> bool {
    let mut chars = element.chars().peekable();
    let Some(first) = chars.next() else {
        return false; // A joiner at either end, or two in a row.
    };
    if is_regional_indicator(first) {
        // A flag is exactly two of them.
        return chars.next().is_some_and(is_regional_indicator) && chars.next().is_none();
    }
    if matches!(first, '0'..='9' | '#' | '*') {
        // A keycap: the key, an optional presentation selector, the enclosing keycap.
        chars.next_if_eq(&'\u{FE0F}');
        return chars.next() == Some(KEYCAP) && chars.next().is_none();
    }
    if !is_pictograph(first) {
        return false;
    }
    chars.next_if(|&c| c == '\u{FE0F}' || c == '\u{FE0E}');
    chars.next_if(|&c| is_skin_tone(c));
    // A subdivision flag (England): tag characters, ended by the cancel tag.
    if chars.peek().is_some_and(|&c| is_tag(c)) {
        let tags: Vec<char> = chars.by_ref().collect();
        return tags.last() == Some(&'\u{E007F}') && tags.iter().all(|&c| is_tag(c));
    }
    chars.next().is_none()
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

fn is_skin_tone(c: char) -> bool {
    ('\u{1F3FB}'..='\u{1F3FF}').contains(&c)
}

fn is_tag(c: char) -> bool {
    ('\u{E0020}'..='\u{E007F}').contains(&c)
}

/// The blocks of Unicode's `Extended_Pictographic` characters (the symbols shown as emoji),
/// with the handful outside them that emoji use (©, ®, ‼, ™, arrows, ...).
fn is_pictograph(c: char) -> bool {
    matches!(
        c,
        '\u{00A9}'
            | '\u{00AE}'
            | '\u{203C}'
            | '\u{2049}'
            | '\u{2122}'
            | '\u{2139}'
            | '\u{2194}'..='\u{2199}'
            | '\u{21A9}'..='\u{21AA}'
            | '\u{231A}'..='\u{231B}'
            | '\u{2328}'
            | '\u{23CF}'
            | '\u{23E9}'..='\u{23F3}'
            | '\u{23F8}'..='\u{23FA}'
            | '\u{24C2}'
            | '\u{25AA}'..='\u{25AB}'
            | '\u{25B6}'
            | '\u{25C0}'
            | '\u{25FB}'..='\u{25FE}'
            | '\u{2600}'..='\u{27BF}'
            | '\u{2934}'..='\u{2935}'
            | '\u{2B05}'..='\u{2B07}'
            | '\u{2B1B}'..='\u{2B1C}'
            | '\u{2B50}'
            | '\u{2B55}'
            | '\u{3030}'
            | '\u{303D}'
            | '\u{3297}'
            | '\u{3299}'
            | '\u{1F000}'..='\u{1F1E5}'
            | '\u{1F200}'..='\u{1F3FA}'
            | '\u{1F400}'..='\u{1FAFF}'
            | '\u{1FC00}'..='\u{1FFFD}'
    )
}

impl fmt::Display for Emoji {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Emoji {
    type Error = EmojiError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Emoji> for String {
    fn from(emoji: Emoji) -> Self {
        emoji.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_and_sequenced_emoji_are_accepted() {
        for emoji in [
            "👍",
            "❤️",
            "❤",
            "🎉",
            "😂",
            "👍🏽",
            "👨‍👩‍👧‍👦",
            "🧑🏿‍💻",
            "🏳️‍🌈",
            "🇫🇷",
            "🇨🇳",
            "1️⃣",
            "#️⃣",
            "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}",
            "™️",
            "🫠",
        ] {
            assert!(Emoji::parse(emoji).is_ok(), "{emoji:?} should be an emoji");
        }
    }

    #[test]
    fn text_and_broken_sequences_are_refused() {
        for raw in [
            "",
            " ",
            "a",
            "1",
            "ok",
            "👍👍",
            "👍 ",
            " 👍",
            "\u{200D}👍",
            "👍\u{200D}",
            "👍\u{200D}\u{200D}👍",
            "🇫",
            "🇫🇷🇨",
            "\u{FE0F}",
            "🏽",
            "<script>",
            "👍\n",
            "\u{202E}👍",
            "好",
            "👨‍👩‍👧‍👦‍👨‍👩‍👧",
        ] {
            assert_eq!(Emoji::parse(raw), Err(EmojiError), "{raw:?} should be refused");
        }
    }

    #[test]
    fn the_wire_form_is_the_text_and_is_checked_when_read() {
        let emoji = Emoji::parse("🎉").expect("valid");
        assert_eq!(serde_json::to_string(&emoji).expect("encodes"), "\"🎉\"");
        assert!(serde_json::from_str::<Emoji>("\"x\"").is_err());
    }
}
