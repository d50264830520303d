//! Who the user is to the server: a nickname, the token that proves it is theirs, and for an
//! account the session token that signs in again without the password.

use common::{Nickname, Secret};

/// Who this browser signed in as last: presenting the token again lets another tab (or this
/// page after a reload) use the same nickname while the first connection still holds it; an
/// account's `session` signs it in again from this browser for as long as it lasts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub nickname: Nickname,
    pub token: String,
    pub session: Option<Secret>,
}
