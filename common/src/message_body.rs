//! The text of a chat message, validated.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text_rules::is_forbidden_in_body;

/// A message body: not blank, at most [`MessageBody::MAX_CHARS`] characters, line feeds and
/// tabs allowed, other control characters and bidirectional overrides refused.
///
/// The text is kept exactly as sent (no trimming): leading spaces can matter in code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MessageBody(String);

/// Why a message body was refused. The message is meant for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageBodyError {
    #[error("a message cannot be empty")]
    Empty,
    #[error("a message can have at most {max} characters", max = MessageBody::MAX_CHARS)]
    TooLong,
    #[error("a message cannot contain control characters")]
    ForbiddenCharacter,
}

impl MessageBody {
    /// The longest message, in characters (Unicode scalar values).
    pub const MAX_CHARS: usize = 4_000;

    /// Validates `raw`.
    pub fn parse(raw: &str) -> Result<Self, MessageBodyError> {
        if raw.trim().is_empty() {
            return Err(MessageBodyError::Empty);
        }
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(MessageBodyError::TooLong);
        }
        if raw.chars().any(is_forbidden_in_body) {
            return Err(MessageBodyError::ForbiddenCharacter);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MessageBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for MessageBody {
    type Error = MessageBodyError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<MessageBody> for String {
    fn from(body: MessageBody) -> Self {
        body.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_text_exactly_including_newlines_and_indentation() {
        let body = MessageBody::parse("  fn main() {\n\tprintln!()\n}").expect("valid");
        assert_eq!(body.as_str(), "  fn main() {\n\tprintln!()\n}");
    }

    #[test]
    fn refuses_blank_messages() {
        assert_eq!(MessageBody::parse(""), Err(MessageBodyError::Empty));
        assert_eq!(MessageBody::parse(" \n\t "), Err(MessageBodyError::Empty));
    }

    #[test]
    fn enforces_the_character_limit() {
        assert!(MessageBody::parse(&"字".repeat(MessageBody::MAX_CHARS)).is_ok());
        assert_eq!(
            MessageBody::parse(&"a".repeat(MessageBody::MAX_CHARS + 1)),
            Err(MessageBodyError::TooLong)
        );
    }

    #[test]
    fn refuses_control_characters_other_than_newline_and_tab() {
        assert_eq!(MessageBody::parse("a\u{0}b"), Err(MessageBodyError::ForbiddenCharacter));
        assert_eq!(MessageBody::parse("a\rb"), Err(MessageBodyError::ForbiddenCharacter));
        assert_eq!(MessageBody::parse("\u{202E}abc"), Err(MessageBodyError::ForbiddenCharacter));
    }

    #[test]
    fn html_is_ordinary_text() {
        let raw = "<img src=x onerror=alert(1)>";
        assert_eq!(MessageBody::parse(raw).expect("valid").as_str(), raw);
    }
}
