//! Messages the user wrote that the server has not acknowledged yet, and edits of their
//! messages (an edit is written, queued, ordered and retried like a message).
//!
//! Every message goes through the outbox, connected or not: it is shown at once (pending),
//! sent when its room is joined, and leaves the outbox when the server acknowledges it (or
//! when it comes back through the room's history after a lost acknowledgement). The
//! controller mirrors the outbox into IndexedDB, so what was written offline survives a reload.
//!
//! Order: within a room, one message is in flight at a time and the next goes only after the
//! previous was acknowledged, so messages are stored in the order they were written even when
//! one is refused for going too fast and retried. Retrying is safe: a message keeps its
//! `client_id`, and the server answers a repeat with the original acknowledgement.

use common::{
    ClientId, ClientMessage, ErrorCode, MessageBody, Nickname, ReplyTo, RequestId, RoomName,
};
use serde::{Deserialize, Serialize};

use crate::model::case_fold::same_name;
use crate::model::problem::ServerRefusal;

/// How long to wait before sending again after the server said it could not store (ms).
pub const UNAVAILABLE_RETRY_MS: u64 = 2_000;

/// One message waiting for its acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    pub client_id: ClientId,
    pub room: RoomName,
    /// Who wrote it: it is sent only while the page speaks as them.
    pub author: Nickname,
    pub body: MessageBody,
    /// For an edit: the `seq` of the user's message whose text `body` replaces.
    #[serde(default)]
    pub edits: Option<u64>,
    /// For a reply: the message it answers, quoted as the page showed it.
    #[serde(default)]
    pub reply_to: Option<ReplyTo>,
    /// When the user sent it (ms since the epoch); orders the outbox after a reload.
    pub written_at: i64,
    /// Why the server refused it, for good: shown with a retry button.
    #[serde(default)]
    pub failed: Option<ServerRefusal>,
    /// The request carrying it on the current connection. Not saved: after a reload or a
    /// reconnect it is sent again.
    #[serde(skip)]
    pub in_flight: Option<RequestId>,
}

impl Outgoing {
    /// Whether it is still to be delivered (not refused for good).
    pub fn is_unsent(&self) -> bool {
        self.failed.is_none()
    }
}

/// What a refusal means for the message it refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The refused request was not a send from the outbox.
    NotASend,
    /// A passing condition: the message waits and is sent again after this many ms.
    RetryAfter(u64),
    /// The server will not take it as it is: it is marked failed.
    Failed,
}

/// The messages waiting for acknowledgement, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outbox {
    entries: Vec<Outgoing>,
}

impl Outbox {
    pub fn entries(&self) -> &[Outgoing] {
        &self.entries
    }

    /// The messages for `room`, oldest first.
    pub fn in_room(&self, room: &RoomName) -> Vec<Outgoing> {
        self.entries.iter().filter(|entry| entry.room == *room).cloned().collect()
    }

    /// Messages still to be delivered (failed ones excluded).
    pub fn unsent(&self) -> usize {
        self.entries.iter().filter(|entry| entry.is_unsent()).count()
    }

    /// Adds a message the user just wrote.
    pub fn add(&mut self, entry: Outgoing) {
        if !self.contains(&entry.client_id) {
            self.entries.push(entry);
        }
    }

    /// Adds messages saved by an earlier page (a reload), keeping the order they were written.
    pub fn restore(&mut self, saved: Vec<Outgoing>) {
        for entry in saved {
            if self.contains(&entry.client_id) {
                continue;
            }
            // Put in place rather than sorted afterwards: a second compiled copy of the
            // standard library's sort costs the page 2.6 KB for a list of a few messages.
            let at = self.entries.partition_point(|before| before.written_at <= entry.written_at);
            self.entries.insert(at, entry);
        }
    }

    /// The sends to make now: in each room where `can_send` says the page may post and nothing
    /// is in flight, the oldest unsent message written by `me`. `next_request_id` numbers them.
    pub fn next_sends(
        &mut self,
        me: &Nickname,
        can_send: impl Fn(&RoomName) -> bool,
        mut next_request_id: impl FnMut() -> RequestId,
    ) -> Vec<ClientMessage> {
        let mut busy: Vec<RoomName> = self
            .entries
            .iter()
            .filter(|entry| entry.in_flight.is_some())
            .map(|entry| entry.room.clone())
            .collect();
        let mut sends = Vec::new();
        for entry in &mut self.entries {
            let ready = entry.is_unsent() && same_name(&entry.author, me);
            if !ready || busy.contains(&entry.room) || !can_send(&entry.room) {
                continue;
            }
            let request_id = next_request_id();
            entry.in_flight = Some(request_id);
            busy.push(entry.room.clone());
            let (room, client_id, body) =
                (entry.room.to_string(), entry.client_id.clone(), entry.body.to_string());
            sends.push(match entry.edits {
                Some(seq) => ClientMessage::EditMessage { request_id, room, seq, client_id, body },
                None => {
                    let reply_to = entry.reply_to.as_ref().map(|quote| quote.seq);
                    ClientMessage::Send { request_id, room, client_id, body, reply_to }
                }
            });
        }
        sends
    }

    /// The message with `client_id` reached the server: it leaves the outbox.
    pub fn delivered(&mut self, client_id: &ClientId) -> Option<Outgoing> {
        let position = self.entries.iter().position(|entry| entry.client_id == *client_id)?;
        Some(self.entries.remove(position))
    }

    /// The server refused request `request_id` with `code` (and `message` for the user).
    pub fn refused(
        &mut self,
        request_id: RequestId,
        code: ErrorCode,
        message: &str,
        retry_after_ms: Option<u64>,
    ) -> Refused {
        let Some(entry) = self.entries.iter_mut().find(|entry| entry.in_flight == Some(request_id))
        else {
            return Refused::NotASend;
        };
        entry.in_flight = None;
        match code {
            ErrorCode::RateLimited => Refused::RetryAfter(retry_after_ms.unwrap_or(1_000)),
            ErrorCode::Unavailable => Refused::RetryAfter(UNAVAILABLE_RETRY_MS),
            // Sent before the connection was identified or the room joined again: it goes
            // once they are.
            ErrorCode::NotIdentified => Refused::RetryAfter(0),
            _ => {
                entry.failed = Some(ServerRefusal { code, message: message.to_owned() });
                Refused::Failed
            }
        }
    }

    /// The connection dropped: nothing is in flight any more; everything unsent goes again.
    pub fn connection_lost(&mut self) {
        for entry in &mut self.entries {
            entry.in_flight = None;
        }
    }

    /// The user asked to try a failed message again.
    pub fn retry(&mut self, client_id: &ClientId) {
        if let Some(entry) = self.entries.iter_mut().find(|entry| entry.client_id == *client_id) {
            entry.failed = None;
        }
    }

    /// The user gave up on a message.
    pub fn discard(&mut self, client_id: &ClientId) {
        self.entries.retain(|entry| entry.client_id != *client_id);
    }

    fn contains(&self, client_id: &ClientId) -> bool {
        self.entries.iter().any(|entry| entry.client_id == *client_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{nick, room};

    fn written(id: &str, room_name: &str, at: i64) -> Outgoing {
        Outgoing {
            client_id: ClientId::parse(id).expect("valid"),
            room: room(room_name),
            author: nick("alice"),
            body: MessageBody::parse(id).expect("valid"),
            edits: None,
            reply_to: None,
            written_at: at,
            failed: None,
            in_flight: None,
        }
    }

    fn sent_ids(sends: &[ClientMessage]) -> Vec<String> {
        sends
            .iter()
            .map(|send| match send {
                ClientMessage::Send { client_id, .. } => client_id.as_str().to_owned(),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    fn counter() -> impl FnMut() -> RequestId {
        let mut n = 0;
        move || {
            n += 1;
            n
        }
    }

    #[test]
    fn one_message_per_room_is_in_flight_and_the_next_goes_after_its_ack() {
        let mut outbox = Outbox::default();
        outbox.add(written("a1", "lobby", 1));
        outbox.add(written("a2", "lobby", 2));
        outbox.add(written("b1", "rust", 3));
        let mut ids = counter();
        let first = outbox.next_sends(&nick("alice"), |_| true, &mut ids);
        assert_eq!(sent_ids(&first), vec!["a1", "b1"]);
        assert!(outbox.next_sends(&nick("alice"), |_| true, &mut ids).is_empty(), "waiting");
        outbox.delivered(&ClientId::parse("a1").expect("valid"));
        assert_eq!(sent_ids(&outbox.next_sends(&nick("alice"), |_| true, &mut ids)), vec!["a2"]);
    }

    #[test]
    fn an_edit_goes_as_an_edit_in_its_turn_after_the_messages_before_it() {
        let mut outbox = Outbox::default();
        outbox.add(written("a1", "lobby", 1));
        outbox.add(Outgoing { edits: Some(4), ..written("e1", "lobby", 2) });
        let mut ids = counter();
        let first = outbox.next_sends(&nick("alice"), |_| true, &mut ids);
        assert!(matches!(first.as_slice(), [ClientMessage::Send { .. }]));
        outbox.delivered(&ClientId::parse("a1").expect("valid"));
        let second = outbox.next_sends(&nick("alice"), |_| true, &mut ids);
        match second.as_slice() {
            [ClientMessage::EditMessage { seq: 4, client_id, body, .. }] => {
                assert_eq!((client_id.as_str(), body.as_str()), ("e1", "e1"));
            }
            other => panic!("expected the edit: {other:?}"),
        }
    }

    #[test]
    fn nothing_goes_to_a_room_that_is_not_joined_or_as_someone_else() {
        let mut outbox = Outbox::default();
        outbox.add(written("a1", "lobby", 1));
        let mut ids = counter();
        assert!(outbox.next_sends(&nick("alice"), |_| false, &mut ids).is_empty());
        assert!(outbox.next_sends(&nick("bob"), |_| true, &mut ids).is_empty());
        assert_eq!(outbox.unsent(), 1);
    }

    #[test]
    fn a_lost_connection_sends_the_same_message_again_with_the_same_id() {
        let mut outbox = Outbox::default();
        outbox.add(written("a1", "lobby", 1));
        let mut ids = counter();
        let before = outbox.next_sends(&nick("alice"), |_| true, &mut ids);
        outbox.connection_lost();
        let after = outbox.next_sends(&nick("alice"), |_| true, &mut ids);
        assert_eq!(sent_ids(&before), sent_ids(&after));
    }

    #[test]
    fn going_too_fast_waits_and_a_bad_message_fails_without_blocking_the_next() {
        let mut outbox = Outbox::default();
        outbox.add(written("a1", "lobby", 1));
        outbox.add(written("a2", "lobby", 2));
        let mut ids = counter();
        outbox.next_sends(&nick("alice"), |_| true, &mut ids);
        assert_eq!(
            outbox.refused(1, ErrorCode::RateLimited, "slow down", Some(300)),
            Refused::RetryAfter(300)
        );
        assert_eq!(sent_ids(&outbox.next_sends(&nick("alice"), |_| true, &mut ids)), vec!["a1"]);
        assert_eq!(outbox.refused(2, ErrorCode::InvalidBody, "too long", None), Refused::Failed);
        assert_eq!(
            outbox.entries()[0].failed.as_ref().map(|r| r.message.as_str()),
            Some("too long")
        );
        assert_eq!(outbox.unsent(), 1);
        assert_eq!(sent_ids(&outbox.next_sends(&nick("alice"), |_| true, &mut ids)), vec!["a2"]);
        assert_eq!(outbox.refused(99, ErrorCode::NotInRoom, "x", None), Refused::NotASend);

        let a1 = ClientId::parse("a1").expect("valid");
        outbox.retry(&a1);
        assert_eq!(outbox.unsent(), 2);
        outbox.discard(&a1);
        assert_eq!(outbox.entries().len(), 1);
    }

    #[test]
    fn a_reload_restores_the_order_messages_were_written_in() {
        let mut outbox = Outbox::default();
        outbox.add(written("new", "lobby", 5));
        outbox.restore(vec![written("old2", "lobby", 2), written("old1", "lobby", 1)]);
        outbox.restore(vec![written("old1", "lobby", 1)]);
        let order: Vec<&str> = outbox.entries().iter().map(|e| e.client_id.as_str()).collect();
        assert_eq!(order, vec!["old1", "old2", "new"]);
    }

    #[test]
    fn saved_form_leaves_out_the_request_in_flight() {
        let mut entry = written("a1", "lobby", 1);
        entry.in_flight = Some(4);
        let json = serde_json::to_string(&entry).expect("serializes");
        let back: Outgoing = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back.in_flight, None);
        assert_eq!(back.client_id, entry.client_id);
    }
}
