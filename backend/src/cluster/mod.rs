//! Several nodes, one chat: what this node tells the others and hears from them through Redis
//! ([`bus`], over [`redis_link`]), filling holes in what it heard from the store
//! ([`catch_up`]), and keeping nicknames unique across nodes ([`cluster_names`], used by the
//! one nickname service, [`nicknames`]). On a single node all of it is a no-op.
//!
//! Above the hub: it hands the hub what the other nodes say, and implements the hub's
//! [`crate::hub::OtherNodes`] port for what the hub says.

pub mod backoff;
pub mod bus;
pub mod bus_event;
pub mod catch_up;
pub mod cluster_names;
pub mod nicknames;
pub mod pulse;
pub mod redis_link;
