//! Why an account request was turned down.

use std::time::Duration;

use common::PasswordError;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Unknown username or wrong password: one answer for both, so sign-ins cannot find out
    /// which names have accounts.
    #[error("the username or the password is wrong")]
    InvalidCredentials,
    #[error(transparent)]
    InvalidPassword(#[from] PasswordError),
    #[error("this session has ended (signed out or expired); sign in again")]
    InvalidSession,
    #[error("{0:?} belongs to a registered account; sign in to use it")]
    NameRegistered(String),
    #[error("this server does not take new accounts")]
    RegistrationClosed,
    #[error("this server takes new accounts by invitation: ask an admin for an invite link")]
    InviteRequired,
    #[error("this invite link is unknown, expired, used up or revoked; ask for a new one")]
    InvalidInvite,
    #[error("this server is for registered accounts only; sign in or register")]
    SignInRequired,
    /// Too many sign-in attempts from this address or for this account.
    #[error("too many sign-in attempts; try again in {:.0} s", .0.as_secs_f64().ceil())]
    TooManyAttempts(Duration),
    /// The account is banned.
    #[error("this account is banned{}: {reason}", until.map(|until| format!(" until {until} (ms since the epoch)")).unwrap_or_default())]
    Banned { reason: String, until: Option<i64> },
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AccountError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NameRegistered(name) => Self::NameRegistered(name),
            other => Self::Store(other),
        }
    }
}
