//! What the server counts for its operators, served in the Prometheus text format at
//! `GET /metrics` on a listen address of its own (`crate::transport::metrics_endpoint`):
//! [`names`] lists every metric.
//!
//! Recording goes through the `metrics` crate's macros at the places things happen; they cost
//! an atomic add or two, and nothing at all until a recorder is installed, which happens only
//! when the endpoint is on. Figures that are states rather than events (rooms, process memory,
//! open files) are read when scraped ([`process`]).

pub mod names;
pub mod process;
