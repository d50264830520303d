//! Values the unit tests of this crate build again and again.

use common::{ChatMessage, ClientId, Content, MessageBody, Nickname, RoomName};

pub fn nick(name: &str) -> Nickname {
    Nickname::parse(name).expect("valid nickname")
}

pub fn room(name: &str) -> RoomName {
    RoomName::parse(name).expect("valid room name")
}

/// Message `seq` of `room_name`, by `author`, saying "hi", sent at `sent_at`.
pub fn message(room_name: &str, seq: u64, author: &str, sent_at: i64) -> ChatMessage {
    ChatMessage {
        room: room(room_name),
        seq,
        id: format!("m{seq}"),
        client_id: ClientId::parse(&format!("c{seq}")).expect("valid client id"),
        author: nick(author),
        sent_at,
        content: Content::post(MessageBody::parse("hi").expect("valid body")),
    }
}
