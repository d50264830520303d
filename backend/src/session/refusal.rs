//! A request the server turns down: what each layer's error becomes for the client (a stable
//! code and a sentence), and the `error` frame that carries it.

use std::time::Duration;

use common::{
    EmojiError, ErrorCode, ErrorReply, MessageBodyError, NicknameError, RoomNameError,
    SearchQueryError, ServerMessage,
};
use tracing::{debug, warn};

use crate::accounts::AccountError;
use crate::hub::HubError;
use crate::store::StoreError;
use common::permissions::Forbidden;

/// A request turned down: the code and the sentence the client receives.
#[derive(Debug)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: String,
    /// For `rate_limited`: when the request would be accepted.
    pub retry_after: Option<Duration>,
}

impl Refusal {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), retry_after: None }
    }

    pub fn rate_limited(retry_after: Duration) -> Self {
        let message = format!(
            "you are sending too fast; try again in {:.1} s",
            retry_after.as_secs_f64().max(0.1)
        );
        Self { code: ErrorCode::RateLimited, message, retry_after: Some(retry_after) }
    }

    /// `rate_limited` with its own sentence.
    pub fn rate_limited_with(retry_after: Duration, message: String) -> Self {
        Self { code: ErrorCode::RateLimited, message, retry_after: Some(retry_after) }
    }

    /// The `error` frame for the request `request_id` (if it had one).
    pub fn into_error(self, request_id: Option<common::RequestId>) -> ServerMessage {
        let Self { code, message, retry_after } = self;
        debug!(?code, %message, "refused");
        // Rounded up, so a client that waits exactly this long is not refused again.
        let retry_after_ms = retry_after
            .map(|wait| u64::try_from(wait.as_nanos().div_ceil(1_000_000)).unwrap_or(u64::MAX));
        ServerMessage::Error(ErrorReply { request_id, code, message, retry_after_ms })
    }
}

impl From<HubError> for Refusal {
    fn from(error: HubError) -> Self {
        Self::new(error.code(), error.to_string())
    }
}

impl From<StoreError> for Refusal {
    fn from(error: StoreError) -> Self {
        match &error {
            StoreError::UnknownRoom(room) => HubError::UnknownRoom(room.clone()).into(),
            StoreError::RoomExists(_) => Self::new(ErrorCode::RoomExists, error.to_string()),
            StoreError::UnknownMessage { .. } => {
                Self::new(ErrorCode::UnknownMessage, error.to_string())
            }
            StoreError::TooManyReactions(_) => {
                Self::new(ErrorCode::TooManyReactions, error.to_string())
            }
            StoreError::ClientIdReused(_) => Self::new(
                ErrorCode::ClientIdReused,
                format!("{error}; give every new message a fresh client_id"),
            ),
            _ => {
                warn!(%error, "store failed");
                Self::new(
                    ErrorCode::Unavailable,
                    "the server could not store or read messages right now; try again",
                )
            }
        }
    }
}

impl From<AccountError> for Refusal {
    fn from(error: AccountError) -> Self {
        let code = match &error {
            AccountError::InvalidCredentials => ErrorCode::InvalidCredentials,
            AccountError::InvalidPassword(_) => ErrorCode::InvalidPassword,
            AccountError::InvalidSession => ErrorCode::InvalidSession,
            AccountError::NameRegistered(_) => ErrorCode::NameRegistered,
            AccountError::RegistrationClosed => ErrorCode::RegistrationClosed,
            AccountError::InviteRequired | AccountError::InvalidInvite => ErrorCode::InvalidInvite,
            AccountError::SignInRequired => ErrorCode::SignInRequired,
            AccountError::Banned { .. } => ErrorCode::Banned,
            AccountError::TooManyAttempts(wait) => {
                return Self::rate_limited_with(*wait, error.to_string());
            }
            AccountError::Store(_) | AccountError::Hashing(_) => {
                warn!(%error, "account request failed");
                return Self::new(
                    ErrorCode::Unavailable,
                    "the server could not check the account right now; try again",
                );
            }
        };
        Self::new(code, error.to_string())
    }
}

/// The refusal for a connection the judge let through as an account that has none: the judge
/// allows such actions to accounts only, so this answers what cannot happen without a panic.
pub fn sign_in_first() -> Refusal {
    Refusal::new(ErrorCode::SignInRequired, "sign in first")
}

impl From<Forbidden> for Refusal {
    fn from(forbidden: Forbidden) -> Self {
        Self::new(ErrorCode::Forbidden, forbidden.to_string())
    }
}

impl From<NicknameError> for Refusal {
    fn from(error: NicknameError) -> Self {
        Self::new(ErrorCode::InvalidNickname, error.to_string())
    }
}

impl From<RoomNameError> for Refusal {
    fn from(error: RoomNameError) -> Self {
        Self::new(ErrorCode::InvalidRoomName, error.to_string())
    }
}

impl From<MessageBodyError> for Refusal {
    fn from(error: MessageBodyError) -> Self {
        Self::new(ErrorCode::InvalidBody, error.to_string())
    }
}

impl From<EmojiError> for Refusal {
    fn from(error: EmojiError) -> Self {
        Self::new(ErrorCode::InvalidEmoji, error.to_string())
    }
}

impl From<SearchQueryError> for Refusal {
    fn from(error: SearchQueryError) -> Self {
        Self::new(ErrorCode::InvalidSearch, error.to_string())
    }
}
