//! The chat server, in layers: each folder a layer, and an import only ever points down.
//!
//! ```text
//! startup      wires the layers together; config, telemetry, shutdown beside it
//!   cli        the command-line tools run instead of serving: user, backup, export/import
//!   jobs       background tasks over the store and the hub: retention, the search backlog
//!   transport  HTTP, the WebSocket handshake (origin, per-address limit), routes, health
//!     session  one connection: lifecycle, identity, one function per request, its writer
//!       accounts   registered names, passwords (Argon2id), session tokens, sign-in limits
//!       delivery   append -> commit -> publish in seq order -> ack; all gathering policy
//!         cluster  several nodes: the Redis bus, catch-up from the store, nickname claims
//!           hub    rooms and their order, members, presence, typing, nickname book
//!             frames   what is written to a socket: wire format, frame queue, frame writer
//!             store    SQLite or PostgreSQL: persists and reads, nothing else
//! (who may see or do what is `common::permissions`: one pure function, the page's too)
//! ```
//!
//! One message's journey: the browser's `send` arrives in its `session`, which hands it to the
//! `delivery`; the delivery's committer stores a batch of appends in one transaction in the
//! `store` (each message gets its room's next sequence number there), then publishes the new
//! messages in sequence order to the `hub`, which encodes each once and pushes the same bytes
//! into every member's frame queue (`frames`), and, with several nodes, to the `cluster`'s bus;
//! only then does the sender get its `ack`. Another node's hub receives the message from the
//! bus and delivers it to its own members in the same order, reading from the store whatever
//! the bus lost. docs/ARCHITECTURE.md draws the same picture with the reasons behind it.

pub mod accounts;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod delivery;
pub mod frames;
pub mod hub;
pub mod jobs;
pub mod metrics;
pub mod session;
pub mod shutdown;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod transport;

pub use config::Settings;
pub use startup::Application;
