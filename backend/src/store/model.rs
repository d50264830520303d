//! What the store takes and gives: a message to store, the outcome of storing it, and pages of
//! a room's history.

use common::{ChatMessage, ClientId, MessageBody, Nickname, RoomName};

/// A message to store.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub room: RoomName,
    pub client_id: ClientId,
    pub author: Nickname,
    pub body: MessageBody,
}

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
}
