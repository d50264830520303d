//! The chat server.
//!
//! How a chat message travels through the modules:
//!
//! ```text
//! browser --ws--> upgrade  (checks origin and per-address limit, answers the `handshake`)
//!                   -> session  (decodes frames into `common` types, validates, answers)
//!                        -> store  (SQLite or PostgreSQL; one writer task per node stores
//!                                   batches of messages, each with the room's next sequence
//!                                   number, in one transaction; then publishes them in order)
//!                             -> hub  (rooms, nicknames, members; delivers each room's messages
//!                                      in sequence order; encodes each event once and pushes
//!                                      the same bytes to each member's outbox)
//!                                  -> outbox  (queue per connection, bounded by bytes; full =
//!                                              evicted)
//!                                       -> session writer (`frame_writer`: all that waits, one
//!                                          writev; a broadcast to a connection whose writer
//!                                          is idle is written from the outbox directly)
//!                                          -> browser
//!                             -> bus  (several nodes: Redis pub/sub to the other nodes' hubs;
//!                                      `catch_up` reads from the store whatever it missed)
//! ```
//!
//! `startup` builds the router and owns the listener, `config` reads the settings,
//! `telemetry` sets up logs, `shutdown` turns SIGINT/SIGTERM into a cancellation that every
//! session obeys.

pub mod broadcast_writer;
pub mod bus;
pub mod catch_up;
pub mod cluster_names;
pub mod config;
pub mod connection_limit;
pub mod elsewhere;
pub mod frame_writer;
pub mod handshake;
pub mod hub;
pub mod nicknames;
pub mod origin;
pub mod outbox;
pub mod rate_limit;
pub mod read_side;
pub mod recent_messages;
pub mod redis_link;
pub mod security_headers;
pub mod serve;
pub mod session;
pub mod shutdown;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod upgrade;

pub use config::Settings;
pub use startup::Application;
