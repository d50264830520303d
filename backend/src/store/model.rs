//! What the store takes and gives: a message to store, the outcome of storing it, and pages of
//! a room's history.

use common::{ChatMessage, ClientId, Content, MessageBody, Nickname, ReactsTo, RoomName};

/// An entry to append to a room: who writes what, before the store numbers it.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub room: RoomName,
    pub client_id: ClientId,
    pub author: Nickname,
    pub content: NewContent,
}

/// What a new entry is (the kinds of [`common::Content`], as a client asks for them). Storing a
/// change also changes its target in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewContent {
    /// A message; a reply names the seq of the message of the room it answers.
    Post { body: MessageBody, reply_to: Option<u64> },
    /// A new text for the message `edits` (storing it replaces the target's text).
    Edit { edits: u64, body: MessageBody },
    /// The deletion of the message `deletes` (storing it erases the target's text and its
    /// edits').
    Deletion { deletes: u64 },
    /// A reaction to a message (storing it changes the target's reactions).
    Reaction(ReactsTo),
}

impl NewContent {
    /// The text it carries (a post's or an edit's).
    pub fn body(&self) -> Option<&MessageBody> {
        match self {
            Self::Post { body, .. } | Self::Edit { body, .. } => Some(body),
            Self::Deletion { .. } | Self::Reaction(_) => None,
        }
    }

    /// The columns that say what kind of entry a row is: `(deletes, edits, reacts, reply_to)`.
    pub fn kind_columns(&self) -> (Option<u64>, Option<u64>, Option<&ReactsTo>, Option<u64>) {
        match self {
            Self::Post { reply_to, .. } => (None, None, None, *reply_to),
            Self::Edit { edits, .. } => (None, Some(*edits), None, None),
            Self::Deletion { deletes } => (Some(*deletes), None, None, None),
            Self::Reaction(reaction) => (None, None, Some(reaction), None),
        }
    }

    /// The entry as it is delivered once stored (a reply's quote is the store's to add).
    pub fn stored(&self) -> Content {
        match self {
            Self::Post { body, .. } => Content::post(body.clone()),
            Self::Edit { edits, body } => Content::Edit { edits: *edits, body: Some(body.clone()) },
            Self::Deletion { deletes } => Content::Deletion { deletes: *deletes },
            Self::Reaction(reaction) => Content::Reaction(reaction.clone()),
        }
    }
}

/// Puts an entry back as it was exported (`backend import`): every column given.
pub const IMPORT_ENTRY: &str = "INSERT INTO messages \
     (room, seq, id, client_id, author, body, sent_at, deletes, edits, edited_seq, edited_at, \
      reacts, reactions, reply_to, author_key) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

/// Moves a room's latest sequence number up to an imported entry's (`$1` the room, `$2` seq).
pub const IMPORT_LAST_SEQ: &str =
    "UPDATE rooms SET last_seq = $2 WHERE name = $1 AND last_seq < $2";

/// The outcome of an append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Appended {
    /// Stored now, with a new sequence number, and published.
    New(ChatMessage),
    /// The room already held a message with this client id: this is the original, unchanged
    /// and not published again.
    Repeat(ChatMessage),
}

impl Appended {
    pub fn message(&self) -> &ChatMessage {
        match self {
            Self::New(message) | Self::Repeat(message) => message,
        }
    }
}

/// Which page of a room's history to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The latest messages with a sequence number below this one (the room's latest when
    /// `None`): scrolling back.
    Before(Option<u64>),
    /// The earliest messages with a sequence number above this one: catching up.
    After(u64),
}

/// A page of a room's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryPage {
    /// In ascending sequence order.
    pub messages: Vec<ChatMessage>,
    /// True when nothing is stored before the page (or the room is empty).
    pub reaches_start: bool,
    /// True when nothing was stored after the page when it was read.
    pub reaches_end: bool,
    /// The sequence number of the room's first kept entry (1 unless retention removed older
    /// ones), when the page was read from the store; `None` from the hub's memory.
    pub first_seq: Option<u64>,
}
