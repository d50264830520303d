//! Who the user is to the server: a nickname and the token that proves it is theirs.

use common::Nickname;

/// Who this browser signed in as last: presenting the token again lets another tab (or this
/// page after a reload) use the same nickname while the first connection still holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub nickname: Nickname,
    pub token: String,
}
