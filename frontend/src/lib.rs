//! The chat page: a Leptos client-side app compiled to WASM.
//!
//! - [`chat_state`]: what the page knows (who I am, who is here, the timeline), updated by
//!   plain functions from server messages; no DOM, unit-tested natively.
//! - [`connection`]: one WebSocket (gloo-net) carrying `common` messages both ways.
//! - [`controller`]: ties the two together for the components (login, send, reconnect).
//! - [`components`]: one component per file; they read signals and call the controller.
//!
//! `main.rs` only mounts [`components::App`].

pub mod avatar;
pub mod backoff;
pub mod case_fold;
pub mod chat_state;
pub mod client_id;
pub mod collation;
pub mod components;
pub mod connection;
pub mod controller;
pub mod effects;
pub mod i18n;
pub mod identity;
pub mod lang;
pub mod local_store;
pub mod mention;
pub mod notifications;
pub mod outbox;
pub mod outbox_store;
pub mod preferences;
pub mod problem;
pub mod room_state;
pub mod route;
pub mod time_format;
pub mod timeline_rows;

#[cfg(test)]
mod test_support;
