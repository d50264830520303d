//! What went wrong, as a value: the page shows it in the reader's language (see
//! [`crate::i18n::Phrases::problem`]), so the state keeps the reason, not a sentence.

use std::fmt;

use common::{
    ErrorCode, MessageBodyError, Nickname, NicknameError, PasswordError, RoomName, RoomNameError,
};
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The nickname typed is not valid.
    Nickname(NicknameError),
    /// The new password typed is not valid.
    Password(PasswordError),
    /// The message typed is not valid.
    Body(MessageBodyError),
    /// The room name typed is not valid.
    RoomName(RoomNameError),
    /// A link or the address named a room the server does not have.
    NoSuchRoom(RoomName),
    /// This browser's session was ended from another browser.
    SignedOutElsewhere,
    /// The account was banned; the server's reason.
    Banned(String),
    /// The user was removed from this private room.
    RemovedFrom(RoomName),
    /// A moderator took the user out of this room (they may join it again).
    KickedFrom { room: RoomName, by: Nickname, reason: String },
    /// The address's fragment is not a room name at all.
    BadRoomLink,
    /// Something was written before signing in.
    SignInFirst,
    /// A jump to a date after the room's latest message: nothing to show from then on.
    NothingSinceDate,
    /// The server refused a request.
    Refused(ServerRefusal),
}

/// The server's refusal of a request. Its `message` is English; the code is what a page
/// translates, and the message is shown for codes without a translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerRefusal {
    pub code: ErrorCode,
    pub message: String,
}

impl<'de> Deserialize<'de> for ServerRefusal {
    /// Also reads the plain reason an earlier version of the page saved with a refused
    /// message in its outbox, so an upgrade loses none of them. Read by hand: serde's
    /// `untagged` would buffer the value through its generic `Content` first, 3.3 KB of the
    /// page's gzipped WASM.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SavedRefusal)
    }
}

/// A refusal as saved: `{"code": ..., "message": ...}`, or (before codes were saved) the
/// message alone.
struct SavedRefusal;

impl<'de> Visitor<'de> for SavedRefusal {
    type Value = ServerRefusal;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a refusal: its code and message, or its message alone")
    }

    fn visit_str<E: de::Error>(self, message: &str) -> Result<ServerRefusal, E> {
        Ok(ServerRefusal { code: ErrorCode::Unknown, message: message.to_owned() })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ServerRefusal, A::Error> {
        #[derive(Deserialize)]
        struct Fields {
            code: ErrorCode,
            message: String,
        }
        let Fields { code, message } = Fields::deserialize(MapAccessDeserializer::new(map))?;
        Ok(ServerRefusal { code, message })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_saved_by_an_earlier_version_still_reads() {
        let before: ServerRefusal = serde_json::from_str("\"too long\"").expect("reads");
        assert_eq!(before, ServerRefusal { code: ErrorCode::Unknown, message: "too long".into() });
        let now = ServerRefusal { code: ErrorCode::InvalidBody, message: "too long".into() };
        let json = serde_json::to_string(&now).expect("writes");
        assert_eq!(serde_json::from_str::<ServerRefusal>(&json).expect("reads"), now);
        for broken in ["5", "null", r#"{"code":"invalid_body"}"#, r#"["too long"]"#] {
            assert!(serde_json::from_str::<ServerRefusal>(broken).is_err(), "{broken}");
        }
    }
}
