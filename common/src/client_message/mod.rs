//! What a client sends to the server.

pub mod decode;

use serde::{Deserialize, Serialize};

use crate::RoomRole;
use crate::secret::Secret;

/// A number the client picks for a request; the server's answer (or error) echoes it so the
/// client can match answers to requests. The server does not interpret it.
pub type RequestId = u64;

/// The client-generated id of one chat message (a UUID or ULID, for example): 1 to 64 visible
/// ASCII characters. The client keeps it across retries so a repeated send can be recognised.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClientId(String);

impl ClientId {
    /// The longest client id, in bytes.
    pub const MAX_LEN: usize = 64;

    /// Validates `raw`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let visible_ascii = raw.bytes().all(|b| b.is_ascii_graphic());
        if raw.is_empty() || raw.len() > Self::MAX_LEN || !visible_ascii {
            return Err(format!(
                "client_id must be 1 to {} visible ASCII characters",
                Self::MAX_LEN
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ClientId {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<ClientId> for String {
    fn from(id: ClientId) -> Self {
        id.0
    }
}

/// A message from client to server: one JSON text frame, `{"type": "...", ...}`.
///
/// Nickname, room and body arrive as plain strings and are validated by the server into
/// [`crate::Nickname`], [`crate::RoomName`] and [`crate::MessageBody`], so that each kind of bad
/// value gets its own error code (`invalid_nickname`, ...) instead of one generic decode error.
/// Unknown fields are ignored, so a newer client can add optional fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// The first message on a connection: the protocol version and the nickname to use.
    /// Answered by `welcome`, or by an error (`unsupported_protocol`, `invalid_nickname`,
    /// `nickname_taken`, `name_registered`, ...) after which the client may try another
    /// `hello`. `token`, from an earlier `welcome`, lets a second connection (another tab)
    /// speak as the same guest. `session`, from the `welcome` of a `register` or `sign_in`,
    /// signs in to that account again without the password (`nickname` is then the account's
    /// username); an expired or revoked one is refused with `invalid_session`.
    Hello {
        request_id: RequestId,
        protocol: u32,
        nickname: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session: Option<Secret>,
    },
    /// Instead of `hello`: creates an account with this username (the rules of a nickname)
    /// and password, and signs the connection in with it. Answered by `welcome` carrying the
    /// new `session`, or by an error (`registration_closed`, `invalid_nickname`,
    /// `invalid_password`, `name_registered`, `nickname_taken`, `invalid_invite`, ...). On a
    /// server that takes new accounts by invitation (`--registration invite`), `invite` is the
    /// code of an invite link; it is used up by a successful registration only.
    Register {
        request_id: RequestId,
        protocol: u32,
        username: String,
        password: Secret,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        invite: Option<Secret>,
    },
    /// Instead of `hello`: signs the connection in to an existing account. Answered by
    /// `welcome` carrying a new `session`, or by `invalid_credentials` (the same for an
    /// unknown username as for a wrong password) or `rate_limited`.
    SignIn { request_id: RequestId, protocol: u32, username: String, password: Secret },
    /// Ends this browser's session (the one this connection signed in with): its token stops
    /// working everywhere. Answered by `signed_out`; the connection is then closed.
    SignOut { request_id: RequestId },
    /// Create a room (it starts empty; join it to talk). Answered by `created`; every connection
    /// that said `hello` then receives `room_added`. With `private`, the room is invite-only:
    /// only a registered account may make one, it becomes its owner and only member, and only
    /// its members ever see it.
    CreateRoom {
        request_id: RequestId,
        room: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        private: bool,
    },
    /// Make the account `username` a member of the private room `room` (its owner or a room
    /// moderator may). Answered by `invited`; the new member's connections receive
    /// `room_added`.
    Invite { request_id: RequestId, room: String, username: String },
    /// Take the account `username` out of the private room `room` (its owner or a room
    /// moderator may; not the owner). Answered by `member_removed`; the removed person's
    /// connections leave the room and receive `room_removed`, on every node.
    RemoveMember { request_id: RequestId, room: String, username: String },
    /// List the accounts that are members of a room (a private room's members; a public
    /// room's owner and moderators), each with their part, whether connected or not: whoever
    /// has joined the room may ask. Answered by `room_member_list`.
    RoomMembers { request_id: RequestId, room: String },
    /// List this account's sign-in sessions (every browser signed in). Answered by `sessions`.
    Sessions { request_id: RequestId },
    /// End every other session of this account (other browsers are signed out and their
    /// connections closed with 4004); this one stays. Answered by `signed_out_elsewhere`.
    SignOutElsewhere { request_id: RequestId },
    /// Change this account's password (the current one is asked again); every other session
    /// ends as with `sign_out_elsewhere`. Answered by `password_changed`, or
    /// `invalid_credentials` (wrong current password) or `invalid_password`.
    ChangePassword { request_id: RequestId, current: Secret, new: Secret },
    /// Open the direct-message room with the account `username` (both must be accounts): a
    /// private room of the two, created the first time. Answered by `dm_opened`; both people's
    /// connections receive `room_added` for it (with `dm_with`) when it is new.
    OpenDm { request_id: RequestId, username: String },
    /// Ban the account `username` from the whole server (a server moderator may ban members;
    /// an admin, members and moderators), for `minutes` or, without it, until lifted. Its
    /// sessions end and its connections on every node are closed (code 4003, with the
    /// reason); signing in is refused with `banned`. Answered by `ban_recorded`; written to the
    /// audit log.
    Ban {
        request_id: RequestId,
        username: String,
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        minutes: Option<u32>,
    },
    /// Lift the ban of the account `username`. Answered by `ban_lifted`.
    Unban { request_id: RequestId, username: String },
    /// Ban a guest (server moderators and admins): the name `nickname` (every spelling) and
    /// the addresses its connections come from, for `minutes` or until lifted. Its
    /// connections on every node are closed (4003, with the reason); a guest `hello` with the
    /// name or from those addresses is refused with `banned`. Answered by `ban_recorded`.
    BanGuest {
        request_id: RequestId,
        nickname: String,
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        minutes: Option<u32>,
    },
    /// Lift the ban of the guest name `nickname` and its addresses. Answered by `ban_lifted`.
    UnbanGuest { request_id: RequestId, nickname: String },
    /// Read the audit log (admins only): the latest entries before the entry `before_id` (the
    /// latest when absent), newest first. Answered by `audit_log`.
    AuditLog {
        request_id: RequestId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before_id: Option<u64>,
    },
    /// Make the account `username` a moderator of `room` (`role: "moderator"`), or take that
    /// back (`"member"`). Only the room's owner may (and an admin, in a public room); in a
    /// private room the account must be a member. Answered by `room_role_set`.
    SetRoomRole { request_id: RequestId, room: String, username: String, role: RoomRole },
    /// Take every connection of `nickname` out of `room` at once, on every node (they receive
    /// `kicked`; they may join again). A room's owner and moderators may (in public rooms also
    /// server moderators and admins), only against someone who ranks below them. Answered by
    /// `kick_done`.
    Kick {
        request_id: RequestId,
        room: String,
        nickname: String,
        #[serde(default)]
        reason: String,
    },
    /// Keep `nickname` from writing and typing in `room` for `minutes` (until lifted when
    /// absent); they can still read. The same people may as for `kick`. Answered by
    /// `mute_recorded`; the muted person's connections in the room receive `muted`.
    Mute {
        request_id: RequestId,
        room: String,
        nickname: String,
        #[serde(default)]
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        minutes: Option<u32>,
    },
    /// Lift a mute. Answered by `mute_lifted`; the person's connections receive `unmuted`.
    Unmute { request_id: RequestId, room: String, nickname: String },
    /// Create an invite link (admins): good for `max_uses` registrations (any number when
    /// absent) within `hours` (a week when absent; at most a year). Answered by
    /// `invite_created`, which alone carries the code.
    CreateInvite {
        request_id: RequestId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_uses: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hours: Option<u32>,
    },
    /// List the invite links (admins), newest first. Answered by `invite_list`.
    Invites { request_id: RequestId },
    /// Revoke an invite link (admins): it registers nobody from now on. Answered by
    /// `invite_revoked`.
    RevokeInvite { request_id: RequestId, id: u64 },
    /// The admin view's people (admins): every account with its role, last activity and ban,
    /// and the guests' bans in force. Answered by `people`.
    People { request_id: RequestId },
    /// Give the account `username` the server role `role` (`member`, `moderator` or `admin`;
    /// admins, not on themselves). It counts at once: its connections on every node receive
    /// `role_changed`. Answered by `role_set`.
    SetRole { request_id: RequestId, username: String, role: crate::Role },
    /// Enter a room. Answered by `joined` with the people in it.
    Join { request_id: RequestId, room: String },
    /// Leave a room. Answered by `left`.
    Leave { request_id: RequestId, room: String },
    /// Post a message to a room the client has joined. Answered by `ack`; every member of the
    /// room, the sender included, then receives it as a `message`.
    Send {
        request_id: RequestId,
        room: String,
        client_id: ClientId,
        body: String,
        /// Answers the message of the room with this `seq` (a reply shows a quote of it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_to: Option<u64>,
    },
    /// Delete the message `seq` of a joined room: one's own, or (a room's owner and moderators,
    /// and server staff in public rooms) someone else's who ranks below. The deletion is stored
    /// as the room's next entry (a `message` with `deletes`, `client_id` making a retry safe)
    /// and the text is removed from the store. Answered by `ack` (with the deletion's `seq`).
    DeleteMessage { request_id: RequestId, room: String, seq: u64, client_id: ClientId },
    /// Replace the text of one's own message `seq` in a joined room with `body` (the same
    /// rules as `send`). The edit is stored as the room's next entry (a `message` with `edits`
    /// and the new `body`, `client_id` making a retry safe) and the message's text is replaced
    /// in the store. Answered by `ack` (with the edit's `seq`).
    EditMessage { request_id: RequestId, room: String, seq: u64, client_id: ClientId, body: String },
    /// Put `emoji` (one emoji) on the message `seq` of a joined room, or take one's own back
    /// (`withdraw`), as one may while one may speak there. Stored as the room's next entry (a
    /// `message` with `reacts`, `client_id` making a retry safe); the target's `reactions` change
    /// in the store. Adding one already there, or withdrawing one that is not, changes nothing
    /// but is still an entry. Answered by `ack` (with the entry's `seq`).
    React {
        request_id: RequestId,
        room: String,
        seq: u64,
        client_id: ClientId,
        emoji: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        withdraw: bool,
    },
    /// Where a joined room's history reaches a date: the first message (not a change) sent at
    /// or after `at` (milliseconds since the Unix epoch). Answered by `date_found`.
    FindDate { request_id: RequestId, room: String, at: i64 },
    /// The people in a joined room, a page at a time, in the order of their names' keys (case
    /// and look-alike letters folded): up to `limit` (default [`MEMBER_PAGE_DEFAULT`], at most
    /// [`MEMBER_PAGE_MAX`]) after the name `after` (the last of the previous page; the first
    /// page without it). How a room too big to list everyone in `joined` is listed; works in
    /// any room. Answered by `member_page`.
    Members {
        request_id: RequestId,
        room: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<u64>,
    },
    /// The user is typing in a joined room. No answer; the other members receive `typing`.
    /// Send it at most every [`crate::TYPING_SEND_INTERVAL_MS`] while the user types; the
    /// server drops events that come faster.
    Typing { room: String },
    /// Ask for a page of a joined room's history: up to `limit` messages (default
    /// [`HISTORY_PAGE_DEFAULT`], at most [`HISTORY_PAGE_MAX`]; any other non-negative integer
    /// is clamped to 1..=[`HISTORY_PAGE_MAX`], however large).
    /// With `after_seq`, the earliest messages after that sequence number (how a client that
    /// reconnects, or sees a gap, catches up); otherwise the latest messages below `before_seq`
    /// (the room's latest when absent). Giving both is an `invalid_message`. Answered by
    /// `history`.
    History {
        request_id: RequestId,
        room: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before_seq: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after_seq: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<u64>,
    },
    /// Are you there? Answered by `pong`. A browser cannot see WebSocket-level pings, so the
    /// page sends this when it has heard nothing for a while, to notice a dead connection.
    /// Allowed before `hello`.
    Ping { request_id: RequestId },
    /// Search the messages of every room this person may read (public rooms, and their private
    /// rooms and direct messages) for `query`'s words, newest first. Optional filters: one
    /// `room`, one `author` (a nickname, any case), and `since`/`until` (ms since the Unix
    /// epoch: sent at or after `since`, before `until`). `before` pages on: the `next_before`
    /// of the previous answer. Up to `limit` results (default
    /// [`crate::SEARCH_PAGE_DEFAULT`], at most [`crate::SEARCH_PAGE_MAX`]). Answered by
    /// `search_results`.
    Search {
        request_id: RequestId,
        query: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        author: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        since: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<u64>,
    },
}

/// People in a member page when the client does not say.
pub const MEMBER_PAGE_DEFAULT: u32 = 100;
/// The most people in one member page.
pub const MEMBER_PAGE_MAX: u32 = 500;

/// Messages in a history page when the client does not say.
pub const HISTORY_PAGE_DEFAULT: u32 = 50;
/// The most messages in one history page.
pub const HISTORY_PAGE_MAX: u32 = 100;

impl ClientMessage {
    /// Every `type` a client may send, for telling an unknown type from a malformed message.
    pub const TYPES: [&'static str; 38] = [
        "hello",
        "register",
        "sign_in",
        "sign_out",
        "sessions",
        "sign_out_elsewhere",
        "change_password",
        "create_room",
        "invite",
        "remove_member",
        "room_members",
        "open_dm",
        "ban",
        "unban",
        "ban_guest",
        "unban_guest",
        "audit_log",
        "set_room_role",
        "kick",
        "mute",
        "unmute",
        "create_invite",
        "invites",
        "revoke_invite",
        "people",
        "set_role",
        "join",
        "leave",
        "send",
        "delete_message",
        "edit_message",
        "react",
        "find_date",
        "members",
        "history",
        "typing",
        "ping",
        "search",
    ];

    /// Whether it appends an entry to a room (a post or a change to one): the server answers
    /// it once stored, and counts it against the message rate limit.
    pub fn appends(&self) -> bool {
        matches!(
            self,
            Self::Send { .. }
                | Self::EditMessage { .. }
                | Self::DeleteMessage { .. }
                | Self::React { .. }
        )
    }

    /// The request id this message carries (`typing` needs no answer and has none).
    pub fn request_id(&self) -> Option<RequestId> {
        match self {
            Self::Hello { request_id, .. }
            | Self::Register { request_id, .. }
            | Self::SignIn { request_id, .. }
            | Self::SignOut { request_id }
            | Self::Sessions { request_id }
            | Self::SignOutElsewhere { request_id }
            | Self::ChangePassword { request_id, .. }
            | Self::CreateRoom { request_id, .. }
            | Self::Invite { request_id, .. }
            | Self::RemoveMember { request_id, .. }
            | Self::RoomMembers { request_id, .. }
            | Self::OpenDm { request_id, .. }
            | Self::Ban { request_id, .. }
            | Self::Unban { request_id, .. }
            | Self::BanGuest { request_id, .. }
            | Self::UnbanGuest { request_id, .. }
            | Self::AuditLog { request_id, .. }
            | Self::SetRoomRole { request_id, .. }
            | Self::CreateInvite { request_id, .. }
            | Self::People { request_id }
            | Self::SetRole { request_id, .. }
            | Self::Invites { request_id }
            | Self::RevokeInvite { request_id, .. }
            | Self::Kick { request_id, .. }
            | Self::Mute { request_id, .. }
            | Self::Unmute { request_id, .. }
            | Self::Join { request_id, .. }
            | Self::Leave { request_id, .. }
            | Self::Send { request_id, .. }
            | Self::DeleteMessage { request_id, .. }
            | Self::EditMessage { request_id, .. }
            | Self::React { request_id, .. }
            | Self::FindDate { request_id, .. }
            | Self::Members { request_id, .. }
            | Self::History { request_id, .. }
            | Self::Ping { request_id }
            | Self::Search { request_id, .. } => Some(*request_id),
            Self::Typing { .. } => None,
        }
    }

    /// Encodes the message as the JSON text of one frame.
    pub fn to_json(&self) -> String {
        // Serializing these plain structs cannot fail: every field is a string or a number.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(message: &ClientMessage) {
        let json = message.to_json();
        let value: serde_json::Value = serde_json::from_str(&json).expect("json");
        let kind = value["type"].as_str().expect("a type");
        assert!(ClientMessage::TYPES.contains(&kind), "{kind} is missing from TYPES");
        let back: ClientMessage = serde_json::from_str(&json).expect("decodes");
        assert_eq!(&back, message, "{json}");
    }

    #[test]
    fn every_variant_round_trips() {
        round_trip(&ClientMessage::Hello {
            request_id: 1,
            protocol: crate::PROTOCOL_VERSION,
            nickname: "alice".into(),
            token: None,
            session: None,
        });
        round_trip(&ClientMessage::Hello {
            request_id: 1,
            protocol: crate::PROTOCOL_VERSION,
            nickname: "alice".into(),
            token: Some("secret".into()),
            session: Some(Secret::new("session-token")),
        });
        round_trip(&ClientMessage::Register {
            request_id: 1,
            protocol: crate::PROTOCOL_VERSION,
            username: "alice".into(),
            password: Secret::new("correct horse"),
            invite: None,
        });
        round_trip(&ClientMessage::Register {
            request_id: 1,
            protocol: crate::PROTOCOL_VERSION,
            username: "alice".into(),
            password: Secret::new("correct horse"),
            invite: Some(Secret::new("invite-code")),
        });
        round_trip(&ClientMessage::CreateInvite { request_id: 2, max_uses: Some(1), hours: None });
        round_trip(&ClientMessage::Invites { request_id: 2 });
        round_trip(&ClientMessage::People { request_id: 2 });
        round_trip(&ClientMessage::SetRole {
            request_id: 2,
            username: "bob".into(),
            role: crate::Role::Moderator,
        });
        round_trip(&ClientMessage::RevokeInvite { request_id: 2, id: 7 });
        round_trip(&ClientMessage::SignIn {
            request_id: 1,
            protocol: crate::PROTOCOL_VERSION,
            username: "alice".into(),
            password: Secret::new("correct horse"),
        });
        round_trip(&ClientMessage::SignOut { request_id: 9 });
        round_trip(&ClientMessage::SetRoomRole {
            request_id: 9,
            room: "team".into(),
            username: "bob".into(),
            role: crate::RoomRole::Moderator,
        });
        round_trip(&ClientMessage::BanGuest {
            request_id: 9,
            nickname: "pest".into(),
            reason: "spam".into(),
            minutes: Some(60),
        });
        round_trip(&ClientMessage::UnbanGuest { request_id: 9, nickname: "pest".into() });
        round_trip(&ClientMessage::Kick {
            request_id: 9,
            room: "team".into(),
            nickname: "bob".into(),
            reason: "flooding".into(),
        });
        round_trip(&ClientMessage::Mute {
            request_id: 9,
            room: "team".into(),
            nickname: "bob".into(),
            reason: String::new(),
            minutes: Some(10),
        });
        round_trip(&ClientMessage::Unmute {
            request_id: 9,
            room: "team".into(),
            nickname: "bob".into(),
        });
        round_trip(&ClientMessage::Join { request_id: 2, room: "lobby".into() });
        round_trip(&ClientMessage::CreateRoom {
            request_id: 7,
            room: "rust".into(),
            private: false,
        });
        round_trip(&ClientMessage::CreateRoom {
            request_id: 7,
            room: "team".into(),
            private: true,
        });
        round_trip(&ClientMessage::Invite {
            request_id: 8,
            room: "team".into(),
            username: "bob".into(),
        });
        round_trip(&ClientMessage::RemoveMember {
            request_id: 9,
            room: "team".into(),
            username: "bob".into(),
        });
        round_trip(&ClientMessage::RoomMembers { request_id: 10, room: "team".into() });
        round_trip(&ClientMessage::Typing { room: "rust".into() });
        round_trip(&ClientMessage::Leave { request_id: 3, room: "lobby".into() });
        round_trip(&ClientMessage::History {
            request_id: 5,
            room: "lobby".into(),
            before_seq: Some(51),
            after_seq: None,
            limit: Some(50),
        });
        round_trip(&ClientMessage::History {
            request_id: 8,
            room: "lobby".into(),
            before_seq: None,
            after_seq: Some(12),
            limit: Some(100),
        });
        round_trip(&ClientMessage::Ping { request_id: 9 });
        round_trip(&ClientMessage::Search {
            request_id: 10,
            query: "deploy 北京".into(),
            room: Some("lobby".into()),
            author: None,
            since: Some(1_700_000_000_000),
            until: None,
            before: Some(42),
            limit: Some(20),
        });
        round_trip(&ClientMessage::History {
            request_id: 6,
            room: "lobby".into(),
            before_seq: None,
            after_seq: None,
            limit: None,
        });
        round_trip(&ClientMessage::Send {
            request_id: 4,
            room: "lobby".into(),
            client_id: ClientId::parse("01J9Z3").expect("valid"),
            body: "hi <b>there</b>\nsecond line".into(),
            reply_to: Some(2),
        });
        round_trip(&ClientMessage::DeleteMessage {
            request_id: 4,
            room: "lobby".into(),
            seq: 3,
            client_id: ClientId::parse("01J9Z4").expect("valid"),
        });
        round_trip(&ClientMessage::EditMessage {
            request_id: 5,
            room: "lobby".into(),
            seq: 3,
            client_id: ClientId::parse("01J9Z5").expect("valid"),
            body: "fixed a typo".into(),
        });
        round_trip(&ClientMessage::Members {
            request_id: 8,
            room: "lobby".into(),
            after: Some("bob".into()),
            limit: Some(200),
        });
        round_trip(&ClientMessage::Members {
            request_id: 8,
            room: "lobby".into(),
            after: None,
            limit: None,
        });
        round_trip(&ClientMessage::FindDate {
            request_id: 7,
            room: "lobby".into(),
            at: 1_764_000_000_000,
        });
        round_trip(&ClientMessage::React {
            request_id: 6,
            room: "lobby".into(),
            seq: 3,
            client_id: ClientId::parse("01J9Z6").expect("valid"),
            emoji: "👍".into(),
            withdraw: true,
        });
    }

    #[test]
    fn wire_form_is_tagged_by_type() {
        let json = ClientMessage::Join { request_id: 7, room: "lobby".into() }.to_json();
        assert_eq!(json, r#"{"type":"join","request_id":7,"room":"lobby"}"#);
    }

    #[test]
    fn types_list_matches_the_enum() {
        for t in ClientMessage::TYPES {
            let json = format!(
                r#"{{"type":"{t}","request_id":1,"protocol":1,"nickname":"a","username":"a","password":"p","reason":"r","current":"c","new":"n","room":"r","client_id":"c","body":"b","seq":1,"query":"q","role":"member","id":1,"emoji":"e","at":1}}"#
            );
            assert!(serde_json::from_str::<ClientMessage>(&json).is_ok(), "{t}");
        }
    }

    #[test]
    fn client_id_is_validated() {
        assert!(ClientId::parse("9f1c2d3e-aaaa-4bbb-8ccc-0123456789ab").is_ok());
        assert!(ClientId::parse("").is_err());
        assert!(ClientId::parse("has space").is_err());
        assert!(ClientId::parse(&"x".repeat(65)).is_err());
    }
}
