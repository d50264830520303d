//! What went wrong, as a value: the page shows it in the reader's language (see
//! [`crate::i18n::Phrases::problem`]), so the state keeps the reason, not a sentence.

use common::{ErrorCode, MessageBodyError, NicknameError, RoomName, RoomNameError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The nickname typed is not valid.
    Nickname(NicknameError),
    /// The message typed is not valid.
    Body(MessageBodyError),
    /// The room name typed is not valid.
    RoomName(RoomNameError),
    /// A link or the address named a room the server does not have.
    NoSuchRoom(RoomName),
    /// The address's fragment is not a room name at all.
    BadRoomLink,
    /// Something was written before signing in.
    SignInFirst,
    /// The server refused a request.
    Refused(Refusal),
}

/// The server's refusal of a request. Its `message` is English; the code is what a page
/// translates, and the message is shown for codes without a translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: String,
}

impl<'de> Deserialize<'de> for Refusal {
    /// Also reads the plain reason an earlier version of the page saved with a refused
    /// message in its outbox, so an upgrade loses none of them.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Fields {
            code: ErrorCode,
            message: String,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Saved {
            Now(Fields),
            Before(String),
        }
        Ok(match Saved::deserialize(deserializer)? {
            Saved::Now(Fields { code, message }) => Refusal { code, message },
            Saved::Before(message) => Refusal { code: ErrorCode::Unknown, message },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_saved_by_an_earlier_version_still_reads() {
        let before: Refusal = serde_json::from_str("\"too long\"").expect("reads");
        assert_eq!(before, Refusal { code: ErrorCode::Unknown, message: "too long".into() });
        let now = Refusal { code: ErrorCode::InvalidBody, message: "too long".into() };
        let json = serde_json::to_string(&now).expect("writes");
        assert_eq!(serde_json::from_str::<Refusal>(&json).expect("reads"), now);
    }
}
