//! The chat page: a Leptos client-side app compiled to WASM.
//!
//! - [`model`]: what the page knows (who I am, who is here, the timeline, the unsent
//!   messages), updated by plain functions that return their effects; no DOM, unit-tested
//!   natively.
//! - [`connection`]: one WebSocket (gloo-net) carrying `common` messages both ways.
//! - [`controller`]: ties the two together for the components (login, send, reconnect),
//!   carrying out the model's effects.
//! - [`components`]: one component per file; they read signals and call the controller.
//!
//! `main.rs` only mounts [`components::App`].

pub mod avatar;
pub mod browser;
pub mod client_id;
pub mod components;
pub mod controller;
pub mod i18n;
pub mod lang;
pub mod mention;
pub mod model;
pub mod time_format;

#[cfg(test)]
mod test_support;
