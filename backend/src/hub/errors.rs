//! What the hub refuses, each with the protocol's stable error code.

use common::ErrorCode;

/// A refusal from the hub; each maps to a protocol error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HubError {
    #[error("the nickname {0:?} is already in use; pick another")]
    NicknameTaken(String),
    #[error(
        "the nickname {nickname:?} belongs to someone who was disconnected a moment ago and is kept for them for {seconds} s more; pick another"
    )]
    NicknameHeld { nickname: String, seconds: u64 },
    #[error("there is no room named {0:?}")]
    UnknownRoom(String),
    #[error("already in room {0:?}")]
    AlreadyInRoom(String),
    #[error("not in room {0:?}; join it first")]
    NotInRoom(String),
    #[error("you are muted in {room:?}: you can read but not write {}", for_how_long(*.until))]
    Muted { room: String, until: i64 },
}

/// "until the mute is lifted", or "for N more minutes".
fn for_how_long(until: i64) -> String {
    if until == i64::MAX {
        return "until the mute is lifted".to_owned();
    }
    let left_ms = until.saturating_sub(crate::store::now_millis()).max(0);
    let minutes = (left_ms + 59_999) / 60_000;
    format!("for {minutes} more minute{}", if minutes == 1 { "" } else { "s" })
}

impl HubError {
    /// The stable code sent to the client.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NicknameTaken(_) | Self::NicknameHeld { .. } => ErrorCode::NicknameTaken,
            Self::UnknownRoom(_) => ErrorCode::UnknownRoom,
            Self::AlreadyInRoom(_) => ErrorCode::AlreadyInRoom,
            Self::NotInRoom(_) => ErrorCode::NotInRoom,
            Self::Muted { .. } => ErrorCode::Muted,
        }
    }
}
