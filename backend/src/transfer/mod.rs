//! Moving a chat's rooms and messages out of one store and into another as JSON Lines:
//! `backend export` writes, `backend import FILE` reads (into an empty store).
//!
//! One object per line, in the protocol's shapes: a room (`{"type":"room","name":"lobby"}`,
//! with `"private":true` for an invite-only one), then each entry of its sequence exactly as
//! `history` gives it (`{"type":"message",...}`: messages, edits and deletions, with their
//! sequence numbers, ids, client ids, authors, texts and times). Importing puts every entry
//! back as it was, so a round trip is lossless and clients that held the old store's sequence
//! numbers find the same ones. Accounts, their rooms' memberships and moderation records are
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
    },
    Message(ChatMessage),
}
