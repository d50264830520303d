//! Structured logs through `tracing`, filtered by `RUST_LOG` (default: `info`): lines of text
//! for people, or one JSON object per line for log collectors (`--log-format json`).
//!
//! What is logged at `info`: each connection opening and closing (with its session id and
//! address), each sign-in, each room joined or created, each moderation action, and failures.
//! Never a message's text, a password or a token: events name people and rooms, and secrets
//! are kept in types that do not print them (`common::Secret`).

use clap::ValueEnum;
use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// `2026-12-03T19:22:50.573Z  INFO session{id=7 peer=…}: joined nickname=alice room=lobby`
    Text,
    /// `{"timestamp":"…","level":"INFO","message":"joined","nickname":"alice","room":"lobby",
    /// "span":{"id":7,"peer":"…","name":"session"}}`
    Json,
}

/// Installs the global log subscriber. Call once, from the binary.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    match format {
        LogFormat::Text => logs.init(),
        // The event's fields at the top level, with the connection's span (its id and address)
        // beside them.
        LogFormat::Json => logs.json().flatten_event(true).with_span_list(false).init(),
    }
}
