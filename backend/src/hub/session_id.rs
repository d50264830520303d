//! How the hub tells connections apart.

/// Identifies one connection on this node (see [`super::Hub::next_session_id`]).
pub type SessionId = u64;
