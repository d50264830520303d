//! Answers and events of moderation: bans, the audit log, and a room's own moderation
//! (its moderators, kicks and mutes).

use serde::{Deserialize, Serialize};

use crate::{Nickname, RequestId, Role, RoomName, RoomRole, Secret};

/// `ban` succeeded: `username` is banned until `until` (ms since the epoch), or until lifted
/// when absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BanRecorded {
    pub request_id: RequestId,
    pub username: Nickname,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
}

/// `unban` succeeded (or there was no ban).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BanLifted {
    pub request_id: RequestId,
    pub username: Nickname,
}

/// A page of the audit log, newest first; `reaches_start` when nothing is older.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLog {
    pub request_id: RequestId,
    pub entries: Vec<AuditEntry>,
    pub reaches_start: bool,
}

/// One moderation action: who did what to whom, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: u64,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    pub actor: Nickname,
    /// `ban`, `unban`, `ban_guest`, `unban_guest`, `set_role`, `invite`, `remove_member`,
    /// `set_room_role`, `kick`, `mute`, `unmute`, `delete`.
    pub action: String,
    pub target: Nickname,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<RoomName>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// `set_room_role` succeeded: `username` now has `role` in `room`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomRoleSet {
    pub request_id: RequestId,
    pub room: RoomName,
    pub username: Nickname,
    pub role: RoomRole,
}

/// `kick` succeeded: every connection of `nickname` left `room`, on every node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KickDone {
    pub request_id: RequestId,
    pub room: RoomName,
    pub nickname: Nickname,
}

/// Pushed to each connection of someone kicked out of `room` by `by`: it is no longer in the
/// room (the room stays listed; joining again is allowed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kicked {
    pub room: RoomName,
    pub by: Nickname,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// `mute` succeeded: `nickname` cannot write or type in `room` until `until` (ms since the
/// epoch), or until lifted when absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MuteRecorded {
    pub request_id: RequestId,
    pub room: RoomName,
    pub nickname: Nickname,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
}

/// `unmute` succeeded (or there was no mute).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MuteLifted {
    pub request_id: RequestId,
    pub room: RoomName,
    pub nickname: Nickname,
}

/// Pushed to each connection of someone muted in `room` that is in it: they may read but not
/// write or type until `until` (ms since the epoch; until lifted when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Muted {
    pub room: RoomName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// Pushed when a mute in `room` is lifted before its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmuted {
    pub room: RoomName,
}

/// An invite link as listed (its code is shown once, when created).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteInfo {
    pub id: u64,
    pub created_by: Nickname,
    /// Milliseconds since the Unix epoch, like `expires_at`.
    pub created_at: i64,
    pub expires_at: i64,
    /// How many registrations it allows; any number when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_uses: Option<u32>,
    pub uses: u32,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revoked: bool,
}

/// `create_invite` succeeded: the link's `code` (shown this once; the server keeps only its
/// hash). The page's link is `/#/invite/<code>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteCreated {
    pub request_id: RequestId,
    pub invite: InviteInfo,
    pub code: Secret,
}

/// The invite links, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteList {
    pub request_id: RequestId,
    pub invites: Vec<InviteInfo>,
}

/// `revoke_invite` succeeded (or it was revoked already).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRevoked {
    pub request_id: RequestId,
    pub id: u64,
}

/// An account as the admin view lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonInfo {
    pub username: Nickname,
    pub role: Role,
    /// Milliseconds since the Unix epoch, like the times below.
    pub created_at: i64,
    /// The latest activity of any of its sessions; absent if it has none left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen_at: Option<i64>,
    /// Set while banned (`i64::MAX`: until lifted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banned_until: Option<i64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ban_reason: String,
}

/// A guest's ban in force, as the admin view lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestBanInfo {
    pub nickname: Nickname,
    /// Absent: until lifted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    pub banned_by: Nickname,
    pub banned_at: i64,
    /// How many addresses the ban holds besides the name.
    pub addresses: u32,
}

/// The admin view's people: every account, and the guests' bans in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct People {
    pub request_id: RequestId,
    pub people: Vec<PersonInfo>,
    pub guest_bans: Vec<GuestBanInfo>,
}

/// `set_role` succeeded: `username` now has the server role `role`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSet {
    pub request_id: RequestId,
    pub username: Nickname,
    pub role: Role,
}

/// Pushed to an account's connections when an admin changed its server role: from now on the
/// server takes it for `role` (the moderation tools come or go with it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChanged {
    pub role: Role,
}
