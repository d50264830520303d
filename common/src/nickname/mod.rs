//! A user's display name, validated.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text_rules::is_forbidden_in_name;

#[cfg(feature = "confusables")]
mod identity;

/// A nickname: 1 to [`Nickname::MAX_CHARS`] characters after trimming surrounding whitespace,
/// with no control, zero-width or bidirectional-override characters.
///
/// Uniqueness ignores case and look-alike characters: the server compares `Nickname::key`
/// (in `identity.rs`, behind the `confusables` feature), not the text. The text keeps the case
/// the user chose, for display.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nickname(String);

/// Why a nickname was refused. The message is meant for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NicknameError {
    #[error("a nickname cannot be empty")]
    Empty,
    #[error("a nickname can have at most {max} characters", max = Nickname::MAX_CHARS)]
    TooLong,
    #[error("a nickname cannot contain control or invisible characters")]
    ForbiddenCharacter,
}

impl Nickname {
    /// The longest nickname, in characters (Unicode scalar values).
    pub const MAX_CHARS: usize = 32;

    /// Validates `raw`, trimming surrounding whitespace first.
    pub fn parse(raw: &str) -> Result<Self, NicknameError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(NicknameError::Empty);
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(NicknameError::TooLong);
        }
        if text.chars().any(is_forbidden_in_name) {
            return Err(NicknameError::ForbiddenCharacter);
        }
        Ok(Self(text.to_owned()))
    }

    /// The nickname as the user typed it (trimmed).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Nickname {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Nickname {
    type Error = NicknameError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Nickname> for String {
    fn from(nickname: Nickname) -> Self {
        nickname.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_trims_an_ordinary_name() {
        let nickname = Nickname::parse("  Alice ").expect("valid");
        assert_eq!(nickname.as_str(), "Alice");
    }

    #[test]
    fn accepts_non_latin_and_emoji_names() {
        assert!(Nickname::parse("小明").is_ok());
        assert!(Nickname::parse("🦀 crab").is_ok());
    }

    #[test]
    fn refuses_empty_and_blank_names() {
        assert_eq!(Nickname::parse(""), Err(NicknameError::Empty));
        assert_eq!(Nickname::parse(" \t "), Err(NicknameError::Empty));
    }

    #[test]
    fn counts_characters_not_bytes_for_the_length_limit() {
        let longest = "é".repeat(Nickname::MAX_CHARS);
        assert!(Nickname::parse(&longest).is_ok());
        let too_long = "a".repeat(Nickname::MAX_CHARS + 1);
        assert_eq!(Nickname::parse(&too_long), Err(NicknameError::TooLong));
    }

    #[test]
    fn refuses_control_zero_width_and_bidi_characters() {
        for raw in ["al\nice", "al\u{7}ice", "ali\u{200B}ce", "\u{202E}ecila", "a\u{FEFF}b"] {
            assert_eq!(Nickname::parse(raw), Err(NicknameError::ForbiddenCharacter), "{raw:?}");
        }
    }

    #[test]
    fn deserializing_validates() {
        let ok: Nickname = serde_json::from_str("\"bob\"").expect("valid");
        assert_eq!(ok.as_str(), "bob");
        assert!(serde_json::from_str::<Nickname>("\"\"").is_err());
    }
}
