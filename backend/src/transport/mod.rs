//! HTTP and the WebSocket handshake: the listener ([`serve`]), the routes ([`router`]), the
//! checks before a connection becomes a session ([`origin`], [`connection_limit`],
//! [`handshake`], in [`upgrade`]), the health checks and the security headers. The top layer:
//! it hands each accepted connection to a session.

pub mod app_state;
pub mod connection_limit;
pub mod handshake;
pub mod health;
pub mod metrics_endpoint;
pub mod origin;
pub mod page_files;
pub mod readiness_log;
pub mod router;
pub mod security_headers;
pub mod serve;
pub mod upgrade;
