//! What the server sends to a client.

use serde::{Deserialize, Serialize};

mod decode;
mod moderation;

pub use self::moderation::{
    AuditEntry, AuditLog, BanLifted, BanRecorded, GuestBanInfo, InviteCreated, InviteInfo,
    InviteList, InviteRevoked, KickDone, Kicked, MuteLifted, MuteRecorded, Muted, People,
    PersonInfo, RoleChanged, RoleSet, RoomRoleSet, Unmuted,
};
use crate::{
    ChatMessage, ClientId, ErrorCode, Nickname, RequestId, Role, RoomName, RoomRole, Secret,
};

/// A room as listed in `welcome` and `room_added`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomSummary {
    pub name: RoomName,
    /// The sequence number of the room's latest message (0 if none): with the last one a
    /// client has read, it gives the unread count.
    pub last_seq: u64,
    /// Invite-only: listed to its members only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
    /// For direct messages (a private room of two): the other person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dm_with: Option<Nickname>,
}

/// This account's sign-in sessions, the newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sessions {
    pub request_id: RequestId,
    pub sessions: Vec<SessionInfo>,
}

/// One sign-in session (one browser).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// Milliseconds since the Unix epoch, like the two below.
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// The session of the connection that asked.
    pub current: bool,
}

/// `sign_out_elsewhere` succeeded: `ended` other sessions ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedOutElsewhere {
    pub request_id: RequestId,
    pub ended: u64,
}

/// `change_password` succeeded; the other sessions ended (`ended` of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChanged {
    pub request_id: RequestId,
    pub ended: u64,
}

/// `open_dm` succeeded: `room` is the direct-message room with `with`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DmOpened {
    pub request_id: RequestId,
    pub room: RoomName,
    pub with: Nickname,
}

/// Pushed when this person stops being a member of a private room (removed by its owner or a
/// moderator): the room is gone from their list, and their connections left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomRemoved {
    pub room: RoomName,
}

/// `invite` succeeded: `username` is a member of the private room `room`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invited {
    pub request_id: RequestId,
    pub room: RoomName,
    pub username: Nickname,
}

/// `remove_member` succeeded: `username` is no longer a member of `room`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRemoved {
    pub request_id: RequestId,
    pub room: RoomName,
    pub username: Nickname,
}

/// The answer to `room_members`: the accounts that are members of `room`, each with their
/// part, in the order of their names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomMemberList {
    pub request_id: RequestId,
    pub room: RoomName,
    pub members: Vec<RoomMember>,
}

/// One account's membership of a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomMember {
    pub username: Nickname,
    pub role: RoomRole,
}

/// A message from server to client: one JSON text frame, `{"type": "...", ...}`.
///
/// Answers to a request echo its `request_id`. Room events (`message`, `user_joined`,
/// `user_left`) are pushed to every member of the room without one. Each variant holds a
/// struct of its own (below), so code can pass one kind of message around by its type, and
/// the decoder reads each kind straight into its struct.
///
/// Decoding reads the `type` first (`decode.rs`): the encoder derived here
/// writes it first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    Welcome(Welcome),
    Created(Created),
    RoomAdded(RoomAdded),
    Joined(Joined),
    Left(Left),
    Ack(Ack),
    History(History),
    SearchResults(SearchResults),
    DateFound(DateFound),
    Pong(Pong),
    SignedOut(SignedOut),
    Invited(Invited),
    MemberRemoved(MemberRemoved),
    RoomMemberList(RoomMemberList),
    RoomRemoved(RoomRemoved),
    DmOpened(DmOpened),
    Sessions(Sessions),
    SignedOutElsewhere(SignedOutElsewhere),
    PasswordChanged(PasswordChanged),
    BanRecorded(BanRecorded),
    BanLifted(BanLifted),
    AuditLog(AuditLog),
    RoomRoleSet(RoomRoleSet),
    KickDone(KickDone),
    MuteRecorded(MuteRecorded),
    MuteLifted(MuteLifted),
    InviteCreated(InviteCreated),
    InviteList(InviteList),
    InviteRevoked(InviteRevoked),
    People(People),
    RoleSet(RoleSet),
    /// A chat message posted in a room the client is in (its own messages included).
    Message(ChatMessage),
    UserJoined(UserJoined),
    Typing(Typing),
    UserLeft(UserLeft),
    MemberPage(MemberPage),
    MemberCount(MemberCount),
    MemberList(MemberList),
    Kicked(Kicked),
    Muted(Muted),
    Unmuted(Unmuted),
    RoleChanged(RoleChanged),
    Error(ErrorReply),
    ServerClosing(ServerClosing),
}

/// `hello`, `register` or `sign_in` succeeded: the connection now speaks as `nickname`.
/// `rooms` lists every room, sorted by name; rooms created later arrive as `room_added`.
/// `token` is the secret that lets further connections (other tabs) use the same nickname
/// while this one holds it. `role` says who the server takes this person for (`guest` without
/// an account). `session` is the account's session token, to keep for the next `hello` (only
/// for a registered account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Welcome {
    pub request_id: RequestId,
    pub protocol: u32,
    pub nickname: Nickname,
    pub token: String,
    pub rooms: Vec<RoomSummary>,
    #[serde(default)]
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Secret>,
}

/// `sign_out` succeeded: the session's token no longer works; the server closes the
/// connection next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedOut {
    pub request_id: RequestId,
}

/// `create_room` succeeded (the creator still has to `join` it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    pub request_id: RequestId,
    pub room: RoomName,
}

/// Someone created a room; sent to every connection that said `hello`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomAdded {
    pub room: RoomSummary,
}

/// `join` succeeded. `members` lists everyone in the room now, the joiner included, sorted,
/// unless the room is counted: more than [`crate::LISTED_MEMBERS_MAX`] people are in it, and
/// `member_count` says how many instead (`members` and `guests` are empty; `members` asks for
/// them a page at a time, and `member_count` frames follow instead of `user_joined` and
/// `user_left`). `last_seq` is the room's latest message when the client joined (0 if none):
/// the client receives every later message live, and fetches earlier ones with `history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Joined {
    pub request_id: RequestId,
    pub room: RoomName,
    pub members: Vec<Nickname>,
    /// Those of `members` who are guests (the others are registered accounts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guests: Vec<Nickname>,
    pub last_seq: u64,
    /// The joiner's part in the room (its owner, a moderator, a private room's member), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RoomRole>,
    /// Set when the joiner is muted here: until when (ms since the epoch; `i64::MAX` until
    /// lifted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted_until: Option<i64>,
    /// Set when the room is counted, not listed: how many people are in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_count: Option<u64>,
}

/// `leave` succeeded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Left {
    pub request_id: RequestId,
    pub room: RoomName,
}

/// `send` succeeded: the message was accepted with this sequence number, id and time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    pub request_id: RequestId,
    pub room: RoomName,
    pub client_id: ClientId,
    pub seq: u64,
    pub id: String,
    pub sent_at: i64,
}

/// A page of history, oldest first. `reaches_start` is true when nothing is stored before the
/// page (it holds the room's first kept message, or the room is empty); `reaches_end` is true
/// when nothing was stored after it when it was read (a client catching up with `after_seq` is
/// then up to date: later messages reach it live). `first_seq`, given with `reaches_start`
/// once the server's retention has removed the room's oldest entries, is the first one kept:
/// everything below it is gone, and a client holding less must not wait for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub request_id: RequestId,
    pub room: RoomName,
    pub messages: Vec<ChatMessage>,
    pub reaches_start: bool,
    pub reaches_end: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seq: Option<u64>,
}

/// The answer to `search`: matching messages, newest first, each as it is now (edited text;
/// deleted messages are never found). `next_before`, when there may be more, is the `before`
/// that asks for the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub request_id: RequestId,
    pub messages: Vec<ChatMessage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_before: Option<u64>,
}

/// The answer to `find_date`: the `seq` of the room's first message sent at or after the date
/// asked for; absent when none was (the date is after the latest message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateFound {
    pub request_id: RequestId,
    pub room: RoomName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
}

/// The answer to `ping`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pong {
    pub request_id: RequestId,
}

/// Someone entered a room the client is in (`guest`: a guest, not a registered account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserJoined {
    pub room: RoomName,
    pub nickname: Nickname,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub guest: bool,
}

/// Someone in a room the client is in is typing. Show it for [`crate::TYPING_TTL_MS`] unless
/// it is repeated; clear it early when their message arrives or they leave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Typing {
    pub room: RoomName,
    pub nickname: Nickname,
}

/// Someone left a room the client is in (or disconnected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserLeft {
    pub room: RoomName,
    pub nickname: Nickname,
}

/// The answer to `members`: the next people of the room (`guests`: those of them who are
/// guests), in the order of their names' keys. `next_after`, when there may be more, is the
/// `after` that asks for the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPage {
    pub request_id: RequestId,
    pub room: RoomName,
    pub members: Vec<Nickname>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guests: Vec<Nickname>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_after: Option<Nickname>,
}

/// A room the client is in is counted (too many people to tell everyone of each arrival and
/// departure): `count` people are in it now. Sent when the room becomes counted, then at most
/// every [`crate::MEMBER_COUNT_INTERVAL_MS`] while the count changes; no `user_joined` or
/// `user_left` comes for the room until a `member_list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberCount {
    pub room: RoomName,
    pub count: u64,
}

/// A counted room is listed again (at most [`crate::LISTED_MEMBERS_MAX`] / 2 people are left
/// in it): everyone in it now, as `joined` would list them. `user_joined` and `user_left`
/// follow again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberList {
    pub room: RoomName,
    pub members: Vec<Nickname>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guests: Vec<Nickname>,
}

/// Rooms with more people than this are counted, not listed (see [`Joined`]); a counted room
/// is listed again once half as many are left.
pub const LISTED_MEMBERS_MAX: usize = 500;

/// A counted room's members hear its count at most this often (milliseconds).
pub const MEMBER_COUNT_INTERVAL_MS: u64 = 250;

/// `error`: a request was refused, or a frame could not be understood. `request_id` is
/// present when the refused frame carried one. `message` is a human-readable explanation.
/// `retry_after_ms`, with `rate_limited`, says when the same request would be accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorReply {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<RequestId>,
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u64>,
}

/// The server is shutting down; the connection closes right after (close code 1001).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerClosing {
    pub reason: String,
}

impl ServerMessage {
    /// The request this message answers: every answer and every error about a request carries
    /// its id; room events and `server_closing` answer nothing.
    pub fn answered_request(&self) -> Option<RequestId> {
        match self {
            Self::Welcome(Welcome { request_id, .. })
            | Self::Created(Created { request_id, .. })
            | Self::Joined(Joined { request_id, .. })
            | Self::Left(Left { request_id, .. })
            | Self::Ack(Ack { request_id, .. })
            | Self::History(History { request_id, .. })
            | Self::SearchResults(SearchResults { request_id, .. })
            | Self::DateFound(DateFound { request_id, .. })
            | Self::MemberPage(MemberPage { request_id, .. })
            | Self::Pong(Pong { request_id })
            | Self::SignedOut(SignedOut { request_id })
            | Self::Invited(Invited { request_id, .. })
            | Self::MemberRemoved(MemberRemoved { request_id, .. })
            | Self::RoomMemberList(RoomMemberList { request_id, .. })
            | Self::BanRecorded(BanRecorded { request_id, .. })
            | Self::BanLifted(BanLifted { request_id, .. })
            | Self::AuditLog(AuditLog { request_id, .. })
            | Self::RoomRoleSet(RoomRoleSet { request_id, .. })
            | Self::KickDone(KickDone { request_id, .. })
            | Self::MuteRecorded(MuteRecorded { request_id, .. })
            | Self::MuteLifted(MuteLifted { request_id, .. })
            | Self::InviteCreated(InviteCreated { request_id, .. })
            | Self::InviteList(InviteList { request_id, .. })
            | Self::InviteRevoked(InviteRevoked { request_id, .. })
            | Self::People(People { request_id, .. })
            | Self::RoleSet(RoleSet { request_id, .. })
            | Self::DmOpened(DmOpened { request_id, .. })
            | Self::Sessions(Sessions { request_id, .. })
            | Self::SignedOutElsewhere(SignedOutElsewhere { request_id, .. })
            | Self::PasswordChanged(PasswordChanged { request_id, .. }) => Some(*request_id),
            Self::Error(ErrorReply { request_id, .. }) => *request_id,
            Self::RoomAdded(_)
            | Self::RoomRemoved(_)
            | Self::Message(_)
            | Self::UserJoined(_)
            | Self::Typing(_)
            | Self::UserLeft(_)
            | Self::MemberCount(_)
            | Self::MemberList(_)
            | Self::Kicked(_)
            | Self::Muted(_)
            | Self::Unmuted(_)
            | Self::RoleChanged(_)
            | Self::ServerClosing(_) => None,
        }
    }

    /// Encodes the message as the JSON text of one frame.
    pub fn to_json(&self) -> String {
        // Serializing these plain structs cannot fail: every field is a string, a number or a
        // list of strings, and no map has non-string keys.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
