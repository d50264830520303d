//! An entry on the wire: one flat JSON object, as it has been since the first client.
//!
//! The fields of every kind sit side by side (`body`, `deletes`, `edits`, `edited`, `reacts`,
//! `reactions`, `reply_to`), each written only when its kind has it, in this order. Encoding
//! borrows the entry; decoding reads the flat object and then checks it is exactly one kind,
//! so a frame that mixes kinds is an error rather than a guess.

use serde::{Deserialize, Serialize, Serializer};

use super::{ChatMessage, Content, Edited, Post};
use crate::{ClientId, MessageBody, Nickname, Reactions, ReactsTo, ReplyTo, RoomName};

/// The flat object, borrowed from an entry to encode it.
#[derive(Serialize)]
struct WireRef<'a> {
    room: &'a RoomName,
    seq: u64,
    id: &'a str,
    client_id: &'a ClientId,
    author: &'a Nickname,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a MessageBody>,
    sent_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    deletes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    edits: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    edited: Option<Edited>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reacts: Option<&'a ReactsTo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reactions: Option<&'a Reactions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_to: Option<&'a ReplyTo>,
}

impl Serialize for ChatMessage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut wire = WireRef {
            room: &self.room,
            seq: self.seq,
            id: &self.id,
            client_id: &self.client_id,
            author: &self.author,
            body: None,
            sent_at: self.sent_at,
            deletes: None,
            edits: None,
            edited: None,
            reacts: None,
            reactions: None,
            reply_to: None,
        };
        match &self.content {
            Content::Post(post) => {
                wire.body = post.body.as_ref();
                wire.edited = post.edited;
                wire.reactions = post.reactions.as_ref();
                wire.reply_to = post.reply_to.as_deref();
            }
            Content::Edit { edits, body } => {
                (wire.edits, wire.body) = (Some(*edits), body.as_ref())
            }
            Content::Deletion { deletes } => wire.deletes = Some(*deletes),
            Content::Reaction(reaction) => wire.reacts = Some(reaction),
        }
        wire.serialize(serializer)
    }
}

/// The flat object as read, before it is checked to be one kind.
#[derive(Deserialize)]
struct Wire {
    room: RoomName,
    seq: u64,
    id: String,
    client_id: ClientId,
    author: Nickname,
    #[serde(default)]
    body: Option<MessageBody>,
    sent_at: i64,
    #[serde(default)]
    deletes: Option<u64>,
    #[serde(default)]
    edits: Option<u64>,
    #[serde(default)]
    edited: Option<Edited>,
    #[serde(default)]
    reacts: Option<ReactsTo>,
    #[serde(default)]
    reactions: Option<Reactions>,
    #[serde(default)]
    reply_to: Option<Box<ReplyTo>>,
}

/// A `message` whose fields belong to more than one kind of entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "a message is one of a post, an edit (edits), a deletion (deletes) or a reaction (reacts), with only that kind's fields"
)]
pub struct MixedKinds;

impl TryFrom<Wire> for ChatMessage {
    type Error = MixedKinds;

    fn try_from(wire: Wire) -> Result<Self, MixedKinds> {
        let post_only =
            wire.edited.is_some() || wire.reactions.is_some() || wire.reply_to.is_some();
        let content = match (wire.deletes, wire.edits, wire.reacts) {
            (None, None, None) => Content::Post(Post {
                body: wire.body,
                edited: wire.edited,
                reactions: wire.reactions,
                reply_to: wire.reply_to,
            }),
            (None, Some(edits), None) if !post_only => Content::Edit { edits, body: wire.body },
            (Some(deletes), None, None) if !post_only && wire.body.is_none() => {
                Content::Deletion { deletes }
            }
            (None, None, Some(reaction)) if !post_only && wire.body.is_none() => {
                Content::Reaction(reaction)
            }
            _ => return Err(MixedKinds),
        };
        Ok(Self {
            room: wire.room,
            seq: wire.seq,
            id: wire.id,
            client_id: wire.client_id,
            author: wire.author,
            sent_at: wire.sent_at,
            content,
        })
    }
}

impl<'de> Deserialize<'de> for ChatMessage {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = Wire::deserialize(deserializer)?;
        Self::try_from(wire).map_err(serde::de::Error::custom)
    }
}
