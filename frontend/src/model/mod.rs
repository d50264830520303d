//! What the page knows and the rules that change it, in plain Rust with no DOM: the chat's
//! state ([`chat_state`]) and each room's ([`room_state`]), the unsent messages
//! ([`outbox`]), problems to show ([`problem`]), reconnect timing ([`backoff`]), the
//! timeline's rows ([`timeline_rows`]), and what must happen outside ([`effects`]). Unit
//! tests drive all of it natively; the controller and the components above read it and carry
//! its effects out. Comparing and sorting names ([`case_fold`], [`collation`]) asks the
//! browser for Unicode rules in the page and falls back to Rust's in native tests.

pub mod backoff;
pub mod case_fold;
pub mod chat_state;
pub mod collation;
pub mod effects;
pub mod identity;
pub mod mention_suggestions;
pub mod offline_copy;
pub mod outbox;
pub mod problem;
pub mod room_state;
pub mod search;
pub mod timeline_rows;
