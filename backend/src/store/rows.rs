//! Rows as the engines read and write them, and the messages they stand for: the conversions
//! both engines share, so neither has its own idea of what a stored message is.

use std::time::{SystemTime, UNIX_EPOCH};

use common::{ChatMessage, ClientId, Content, Edited, MessageBody, Nickname, Post, RoomName};

use super::error::StoreError;
use super::model::{Appended, NewMessage};

/// A `messages` row as the database returns it (the columns of [`message_columns`], by
/// name). An empty body is a message whose text was deleted (or an edit of one), a deletion
/// or a reaction.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub room: String,
    pub seq: i64,
    pub id: String,
    pub client_id: String,
    pub author: String,
    pub body: String,
    pub sent_at: i64,
    pub deletes: Option<i64>,
    pub edits: Option<i64>,
    pub edited_seq: Option<i64>,
    pub edited_at: Option<i64>,
    /// On a reaction: what it does, as the JSON of [`ReactsTo`] (read and written only here).
    pub reacts: Option<String>,
    /// On a message people reacted to: the JSON of its [`Reactions`].
    pub reactions: Option<String>,
    /// On a reply: the seq of the message of the room it answers (its quote is made from
    /// that message as it is when read: [`super::Store`]).
    pub reply_to: Option<i64>,
}

/// The columns of a [`MessageRow`], for `SELECT`s (as text, so `concat!` can build whole
/// statements from it).
macro_rules! message_columns {
    () => {
        "room, seq, id, client_id, author, body, sent_at, deletes, edits, edited_seq, edited_at, \
         reacts, reactions, reply_to"
    };
}
pub(crate) use message_columns;

/// The row that stores `message` as it is (the inverse of [`into_messages`], for imports).
pub fn into_row(message: &ChatMessage) -> MessageRow {
    let mut row = MessageRow {
        room: message.room.to_string(),
        seq: to_sql_seq(message.seq),
        id: message.id.clone(),
        client_id: message.client_id.as_str().to_owned(),
        author: message.author.to_string(),
        body: message.text().to_owned(),
        sent_at: message.sent_at,
        deletes: None,
        edits: None,
        edited_seq: None,
        edited_at: None,
        reacts: None,
        reactions: None,
        reply_to: None,
    };
    match &message.content {
        Content::Post(post) => {
            row.edited_seq = post.edited.map(|edited| to_sql_seq(edited.seq));
            row.edited_at = post.edited.map(|edited| edited.at);
            row.reactions = post.reactions.as_ref().map(to_json);
            row.reply_to = post.reply_to.as_ref().map(|quote| to_sql_seq(quote.seq));
        }
        Content::Edit { edits, .. } => row.edits = Some(to_sql_seq(*edits)),
        Content::Deletion { deletes } => row.deletes = Some(to_sql_seq(*deletes)),
        Content::Reaction(reaction) => row.reacts = Some(to_json(reaction)),
    }
    row
}

/// A value of the protocol as the JSON a column keeps. These plain structs always serialize.
pub fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The answer to a send whose client id the room already holds: the original, if this is a
/// retry of it (same author, same body). Anything else reusing the id is a client bug;
/// answering with someone else's acknowledgement would make its message vanish silently.
pub fn repeat_of(original: MessageRow, message: &NewMessage) -> Result<Appended, StoreError> {
    let (deletes, edits, reacts, reply_to) = message.content.kind_columns();
    let same_reply = original.reply_to == reply_to.map(to_sql_seq);
    let original = into_message(original)?;
    let (original_deletes, original_edits, original_reacts) = match &original.content {
        Content::Post(_) => (None, None, None),
        Content::Edit { edits, .. } => (None, Some(*edits), None),
        Content::Deletion { deletes } => (Some(*deletes), None, None),
        Content::Reaction(reaction) => (None, None, Some(reaction)),
    };
    // A message deleted since keeps no text to compare: the same author and kind will do.
    let body = message.content.body();
    let erased_since = original.body().is_none() && body.is_some();
    let same_content = original.body() == body || erased_since;
    let same = original.author == message.author
        && same_content
        && original_deletes == deletes
        && original_edits == edits
        && original_reacts == reacts
        && same_reply;
    if !same {
        return Err(StoreError::ClientIdReused(message.client_id.as_str().to_owned()));
    }
    Ok(Appended::Repeat(original))
}

/// `message` as it is stored with sequence number `seq`: with the server's id and time.
pub fn stamp(message: &NewMessage, seq: i64) -> Result<ChatMessage, StoreError> {
    Ok(ChatMessage {
        room: message.room.clone(),
        seq: to_seq(seq)?,
        id: new_message_id(),
        client_id: message.client_id.clone(),
        author: message.author.clone(),
        sent_at: unix_millis_now(),
        content: message.content.stored(),
    })
}

/// The server's id for a new message: a UUID v7, so ids sort by time.
pub fn new_message_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn into_messages(rows: Vec<MessageRow>) -> Result<Vec<ChatMessage>, StoreError> {
    rows.into_iter().map(into_message).collect()
}

/// Rows were validated on the way in; re-validating on the way out keeps a damaged database
/// from putting invalid values on the wire.
pub fn into_message(row: MessageRow) -> Result<ChatMessage, StoreError> {
    let MessageRow {
        room,
        seq,
        id,
        client_id,
        author,
        body,
        sent_at,
        deletes,
        edits,
        edited_seq,
        edited_at,
        reacts,
        reactions,
        reply_to: _, // Quoted by the store, which reads the original.
    } = row;
    let corrupt = |what: &str| StoreError::Corrupt(format!("{what} in room {room:?} seq {seq}"));
    let body = match body.as_str() {
        "" => None,
        text => Some(MessageBody::parse(text).map_err(|_| corrupt("body"))?),
    };
    let content = match (deletes, edits, reacts) {
        (None, None, None) => Content::Post(Post {
            body,
            edited: match (edited_seq, edited_at) {
                (Some(seq), Some(at)) => Some(Edited { seq: to_seq(seq)?, at }),
                _ => None,
            },
            reactions: reactions
                .map(|json| serde_json::from_str(&json).map_err(|_| corrupt("reactions")))
                .transpose()?,
            reply_to: None,
        }),
        (None, Some(edits), None) => Content::Edit { edits: to_seq(edits)?, body },
        (Some(deletes), None, None) => Content::Deletion { deletes: to_seq(deletes)? },
        (None, None, Some(json)) => {
            Content::Reaction(serde_json::from_str(&json).map_err(|_| corrupt("reaction"))?)
        }
        _ => return Err(corrupt("an entry of more than one kind")),
    };
    Ok(ChatMessage {
        room: RoomName::parse(&room).map_err(|_| corrupt("room name"))?,
        seq: to_seq(seq)?,
        id,
        client_id: ClientId::parse(&client_id).map_err(|_| corrupt("client id"))?,
        author: Nickname::parse(&author).map_err(|_| corrupt("author"))?,
        sent_at,
        content,
    })
}

pub fn parse_room(name: String) -> Result<RoomName, StoreError> {
    RoomName::parse(&name).map_err(|_| StoreError::Corrupt(format!("room name {name:?}")))
}

/// A sequence number as SQL stores it; beyond `i64::MAX` means "beyond every message".
pub fn to_sql_seq(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

pub fn to_seq(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("negative seq {value}")))
}

pub fn unix_millis_now() -> i64 {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}
