//! The close codes this server ends a connection with beyond the standard ones (private-use
//! codes: the standard ones do not say these things). Documented in docs/PROTOCOL.md.

/// A connection that stopped answering: nothing came for the idle timeout, not even a pong.
pub const CLOSE_IDLE: u16 = 4000;

/// A connection that fell too far behind reading what it was sent: its frame queue filled up. It
/// can reconnect and resume by sequence number.
pub const CLOSE_TOO_SLOW: u16 = 4001;

/// A connection whose account was banned: the close frame's reason says why. Do not reconnect.
pub const CLOSE_BANNED: u16 = 4003;

/// A connection of a session that ended from another browser (`sign_out_elsewhere`, or a
/// password change): sign in again.
pub const CLOSE_SIGNED_OUT: u16 = 4004;
