//! A room's entries: what a room's sequence holds, one per `seq`.
//!
//! An entry is a post (a message to show) or a change to an earlier post: its edit, its
//! deletion, or a reaction to it. [`Content`] says which, and each variant carries only its
//! own fields, so a new kind of entry (or a new field of a post) is one change here, not a
//! `None` written into every place that builds a message.
//!
//! On the wire an entry stays one flat JSON object (`wire.rs`); how a change alters the post
//! it refers to is decided once, in `changes.rs`, for the store's memory and the page alike.

mod changes;
mod wire;

pub use self::wire::MixedKinds;

use crate::{ClientId, MessageBody, Nickname, Reactions, ReactsTo, ReplyTo, RoomName};

/// One entry of a room's sequence as stored and delivered: a post, or a change to an earlier
/// one. Each takes the room's next `seq`, so resuming and catching up carry changes as they
/// carry posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    /// The room it was posted in.
    pub room: RoomName,
    /// Its position in the room: 1, 2, 3, ... with no gaps. Clients order and de-duplicate by it.
    pub seq: u64,
    /// The server's id for the entry, unique across rooms.
    pub id: String,
    /// The id the sender's client gave it.
    pub client_id: ClientId,
    /// Who wrote it (for a deletion: who deleted the post).
    pub author: Nickname,
    /// When the server accepted it, in milliseconds since the Unix epoch (UTC).
    pub sent_at: i64,
    /// What it is, with the fields of that kind only.
    pub content: Content,
}

/// What an entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// A message to show.
    Post(Post),
    /// A new text for the post `edits` of the same room. Not shown itself: it changes its
    /// target's text. `body` is absent once the post was deleted (its edits' words go with it).
    Edit { edits: u64, body: Option<MessageBody> },
    /// The deletion of the post `deletes` of the same room. Not shown itself: it turns its
    /// target into "message deleted".
    Deletion { deletes: u64 },
    /// An emoji its author put on (or took back from) a post of the same room. Not shown
    /// itself: it changes its target's reactions.
    Reaction(ReactsTo),
}

/// A message to show, as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Post {
    /// What they wrote: plain text, to be shown as text (the latest edit's, if edited).
    /// Absent once the post was deleted: its text is gone from the server too.
    pub body: Option<MessageBody>,
    /// Its latest edit, if it was edited.
    pub edited: Option<Edited>,
    /// The reactions as they are now; absent when nobody ever reacted, and once deleted.
    pub reactions: Option<Reactions>,
    /// On a reply: the post of this room it answers, as that post is now (boxed: most posts
    /// are not replies, and every entry is moved around a lot).
    pub reply_to: Option<Box<ReplyTo>>,
}

/// The latest edit of a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Edited {
    /// The edit's own `seq`: an edit older than the one a client already applied is skipped.
    pub seq: u64,
    /// When it was made (ms since the Unix epoch, UTC).
    pub at: i64,
}

impl Post {
    /// A new post of `body`: not edited, not reacted to, not a reply.
    pub fn new(body: MessageBody) -> Self {
        Self { body: Some(body), ..Self::default() }
    }

    /// Whether it was deleted (its text is gone).
    pub fn is_deleted(&self) -> bool {
        self.body.is_none()
    }
}

impl Content {
    /// A new post of `body`.
    pub fn post(body: MessageBody) -> Self {
        Self::Post(Post::new(body))
    }

    /// The seq of the post this entry changes; `None` for a post.
    pub fn target(&self) -> Option<u64> {
        match self {
            Self::Post(_) => None,
            Self::Edit { edits, .. } => Some(*edits),
            Self::Deletion { deletes } => Some(*deletes),
            Self::Reaction(reaction) => Some(reaction.seq),
        }
    }
}

impl ChatMessage {
    /// Whether it is a change to an earlier post (an edit, a deletion or a reaction), not a
    /// message to show.
    pub fn is_change(&self) -> bool {
        !matches!(self.content, Content::Post(_))
    }

    /// The post, if this entry is one.
    pub fn post(&self) -> Option<&Post> {
        match &self.content {
            Content::Post(post) => Some(post),
            _ => None,
        }
    }

    /// The post, if this entry is one, to change it.
    pub fn post_mut(&mut self) -> Option<&mut Post> {
        match &mut self.content {
            Content::Post(post) => Some(post),
            _ => None,
        }
    }

    /// The text it carries: a post's (as edited), or an edit's new text. `None` for a deleted
    /// post, a deletion and a reaction.
    pub fn body(&self) -> Option<&MessageBody> {
        match &self.content {
            Content::Post(post) => post.body.as_ref(),
            Content::Edit { body, .. } => body.as_ref(),
            Content::Deletion { .. } | Content::Reaction(_) => None,
        }
    }

    /// The text, or "" when there is none (deleted, a deletion or a reaction).
    pub fn text(&self) -> &str {
        self.body().map_or("", MessageBody::as_str)
    }

    /// The post this deletion deletes.
    pub fn deletes(&self) -> Option<u64> {
        match self.content {
            Content::Deletion { deletes } => Some(deletes),
            _ => None,
        }
    }

    /// The post this edit changes.
    pub fn edits(&self) -> Option<u64> {
        match self.content {
            Content::Edit { edits, .. } => Some(edits),
            _ => None,
        }
    }

    /// What this reaction does.
    pub fn reacts(&self) -> Option<&ReactsTo> {
        match &self.content {
            Content::Reaction(reaction) => Some(reaction),
            _ => None,
        }
    }

    /// A post's latest edit.
    pub fn edited(&self) -> Option<Edited> {
        self.post().and_then(|post| post.edited)
    }

    /// A post's reactions.
    pub fn reactions(&self) -> Option<&Reactions> {
        self.post().and_then(|post| post.reactions.as_ref())
    }

    /// A reply's quote of the post it answers.
    pub fn reply_to(&self) -> Option<&ReplyTo> {
        self.post().and_then(|post| post.reply_to.as_deref())
    }

    /// Whether it is a post that still has its text (it may be edited, deleted, answered and
    /// reacted to).
    pub fn is_live_post(&self) -> bool {
        self.post().is_some_and(|post| !post.is_deleted())
    }
}

#[cfg(test)]
mod tests;
