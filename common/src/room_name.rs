//! The name of a room, validated.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A room name: 1 to [`RoomName::MAX_CHARS`] characters from `a-z`, `0-9`, `-` and `_`,
/// starting with a letter or digit. Room names appear in URLs (`#/r/<room>`), so they are kept
/// to characters that need no escaping and have one spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RoomName(String);

/// Why a room name was refused. The message is meant for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoomNameError {
    #[error("a room name cannot be empty")]
    Empty,
    #[error("a room name can have at most {max} characters", max = RoomName::MAX_CHARS)]
    TooLong,
    #[error(
        "a room name may only use a-z, 0-9, '-' and '_', and must start with a letter or digit"
    )]
    InvalidCharacter,
}

impl RoomName {
    /// The longest room name, in characters.
    pub const MAX_CHARS: usize = 32;

    /// Validates `raw` exactly as given (no case folding: `Lobby` is refused, not rewritten).
    pub fn parse(raw: &str) -> Result<Self, RoomNameError> {
        if raw.is_empty() {
            return Err(RoomNameError::Empty);
        }
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(RoomNameError::TooLong);
        }
        let allowed =
            |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
        let starts_well = raw.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
        if !starts_well || !raw.chars().all(allowed) {
            return Err(RoomNameError::InvalidCharacter);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The room every server has from the start.
    pub fn lobby() -> Self {
        Self(crate::LOBBY.to_owned())
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RoomName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RoomName {
    type Error = RoomNameError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<RoomName> for String {
    fn from(room: RoomName) -> Self {
        room.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lobby_is_a_valid_name() {
        assert_eq!(RoomName::parse(crate::LOBBY), Ok(RoomName::lobby()));
    }

    #[test]
    fn accepts_lowercase_digits_dash_underscore() {
        assert!(RoomName::parse("rust-2024_dev").is_ok());
        assert!(RoomName::parse("1st").is_ok());
    }

    #[test]
    fn refuses_bad_names() {
        assert_eq!(RoomName::parse(""), Err(RoomNameError::Empty));
        assert_eq!(RoomName::parse(&"a".repeat(33)), Err(RoomNameError::TooLong));
        for raw in ["Lobby", "-x", "a b", "a/b", "é", "../x"] {
            assert_eq!(RoomName::parse(raw), Err(RoomNameError::InvalidCharacter), "{raw:?}");
        }
    }
}
