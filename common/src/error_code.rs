//! The stable error codes the server answers with.

use serde::{Deserialize, Serialize};

/// A machine-readable reason for an `error` message. The wire form (snake_case) is stable:
/// clients may branch on it. Each code is listed with its meaning in `docs/PROTOCOL.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The frame was not valid JSON.
    MalformedJson,
    /// The JSON had a `type` this server does not know.
    UnknownType,
    /// The `type` was known but a field was missing or of the wrong kind.
    InvalidMessage,
    /// A binary frame arrived; the protocol uses text frames only.
    TextFramesOnly,
    /// The client speaks another protocol version: reload the page.
    UnsupportedProtocol,
    /// A message other than `hello` arrived before `hello` succeeded.
    NotIdentified,
    /// A second `hello` on a connection that already has a nickname.
    AlreadyIdentified,
    /// The nickname is empty, too long or has forbidden characters.
    InvalidNickname,
    /// Someone connected already uses this nickname (compared case-insensitively).
    NicknameTaken,
    /// The room name is not a valid room name.
    InvalidRoomName,
    /// No room has this name.
    UnknownRoom,
    /// `create_room` for a name that is taken.
    RoomExists,
    /// The connection is not a member of the room it addressed.
    NotInRoom,
    /// The connection is already a member of the room it asked to join.
    AlreadyInRoom,
    /// The message body is empty, too long or has forbidden characters.
    InvalidBody,
    /// The `client_id` of a `send` was already used in this room for a different message
    /// (another author or another text). A retry of the same message is not an error: it gets
    /// the original `ack`.
    ClientIdReused,
    /// The connection sends faster than allowed; the request was not carried out. The error's
    /// `retry_after_ms` says when it would be. The connection stays open.
    RateLimited,
    /// `sign_in` with a username and password that do not match an account (the same answer
    /// whether the username is unknown or the password wrong).
    InvalidCredentials,
    /// A new password is too short, too long or among the most common ones.
    InvalidPassword,
    /// The `session` of a `hello` is unknown, expired or signed out: sign in again.
    InvalidSession,
    /// The nickname belongs to a registered account: sign in to use it.
    NameRegistered,
    /// This server does not take new accounts (`--registration closed`).
    RegistrationClosed,
    /// This server admits registered accounts only (`--guests off`): sign in or register.
    SignInRequired,
    /// The request is not allowed for this person in this room (a private room they are not a
    /// member of, managing members without being the owner or a moderator, a guest making a
    /// private room). Never says more than that about a private room.
    Forbidden,
    /// This account is banned: `sign_in` and `hello` with its session are refused; the
    /// message says why and until when.
    Banned,
    /// The sender is muted in this room: it may read but not write until the time the message
    /// gives.
    Muted,
    /// No message with this `seq` in this room (or it is itself a deletion).
    UnknownMessage,
    /// `register` on a server that takes new accounts by invitation, without an invite or with
    /// one that is unknown, expired, used up or revoked.
    InvalidInvite,
    /// No account has this username.
    UnknownAccount,
    /// A `search` whose query has no words, is too long or has too many terms.
    InvalidSearch,
    /// A `react` whose `emoji` is not one emoji.
    InvalidEmoji,
    /// A `react` that would put more than 20 different emoji on one message.
    TooManyReactions,
    /// The server could not complete the request (its store failed); nothing was changed.
    /// Try again later.
    Unavailable,
    /// A code this build does not know (sent by a newer server); treat it as a generic error.
    #[serde(other)]
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_on_the_wire() {
        let json = serde_json::to_string(&ErrorCode::NicknameTaken).expect("serializes");
        assert_eq!(json, "\"nickname_taken\"");
    }

    #[test]
    fn an_unknown_code_from_a_newer_server_still_decodes() {
        let code: ErrorCode = serde_json::from_str("\"quota_exceeded\"").expect("decodes");
        assert_eq!(code, ErrorCode::Unknown);
    }
}
