//! A Rust client of the chat protocol (`docs/PROTOCOL.md`), built on the message types in
//! `common`. The one protocol client in Rust: the load generator, the server's tests and any
//! bot use it.
//!
//! - [`Connection`]: one WebSocket, requests answered by request id, nothing hidden (the
//!   socket is public for tests that send raw frames).
//! - [`ResilientClient`]: a person as the page behaves under faults: an outbox of messages
//!   sent with client ids until acknowledged, reconnection with backoff across nodes, the
//!   nickname taken back with its token, and every room caught up by sequence number.

mod connection;
mod error;
mod resilient;

pub use connection::{ConnectOptions, Connection, Socket, is_answer};
pub use error::ClientError;
pub use resilient::ResilientClient;
