//! Moving a chat's rooms and messages out of one store and into another as JSON Lines:
//! `backend export` writes, `backend import FILE` reads (into an empty store).
//!
//! One object per line, in the protocol's shapes: a room (`{"type":"room","name":"lobby"}`,
//! with `"private":true` for an invite-only one), then each entry of its sequence exactly as
//! `history` gives it (`{"type":"message",...}`: messages, edits and deletions, with their
//! sequence numbers, ids, client ids, authors, texts and times). Importing puts every entry
//! back as it was, so a round trip is lossless and clients that held the old store's sequence
//! numbers find the same ones. A room whose oldest entries retention removed says where its
//! kept ones start (`"first_seq":41`; 1 when left out), and keeps that start after the import.
//! Accounts, their rooms' memberships and moderation records are
//! not part of it (a backup copies everything: `backend backup`).

pub mod export;
pub mod import;

use common::{ChatMessage, RoomName};
use serde::{Deserialize, Serialize};

/// One line of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Line {
    Room {
        name: RoomName,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        private: bool,
        /// The first entry kept (retention removed those before it).
        #[serde(default = "first", skip_serializing_if = "is_first")]
        first_seq: u64,
    },
    /// Boxed: a message is far larger than a room line.
    Message(Box<ChatMessage>),
}

/// A room's sequence starts at 1 until retention removes its first entries.
fn first() -> u64 {
    1
}

fn is_first(seq: &u64) -> bool {
    *seq == 1
}
