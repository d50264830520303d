//! What crosses the bus between nodes: one [`BusEvent`] per thing that happened on a node,
//! in an envelope naming the node it came from, as JSON on the Redis channel
//! ([`super::bus`] publishes and delivers them).

use common::{ChatMessage, Nickname, RoomName};
use serde::{Deserialize, Serialize};

use crate::hub::{GuestBanNews, NodeNews, RoomPeople};

/// What one node tells the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BusEvent {
    /// A message this node stored.
    Message { message: ChatMessage },
    /// Someone on this node is typing in `room`.
    Typing { room: RoomName, nickname: Nickname },
    /// A room was created on this node (`private`: announced to its members only).
    RoomAdded {
        room: RoomName,
        #[serde(default)]
        private: bool,
    },
    /// The account became a member of the private room (`dm_with`: the other person of a
    /// direct-message room).
    MemberAdded {
        room: RoomName,
        account: i64,
        #[serde(default)]
        dm_with: Option<Nickname>,
    },
    /// The account is no longer a member of the private room: its connections leave it.
    MemberRemoved { room: RoomName, account: i64 },
    /// Every session of the account but the one tagged `keep` ended: their connections close.
    SessionsEnded { account: i64, keep: u64 },
    /// The account's session tagged `tag` was signed out: its connections close.
    SessionEnded { account: i64, tag: u64 },
    /// The guest name with this key was banned: its connections close, and the node that
    /// held them adds their addresses to the ban in the store.
    GuestBanned { nickname_key: String, ban: GuestBanNews },
    /// An admin gave the account a server role: its connections hear of it.
    RoleChanged { account: i64, role: common::Role },
    /// The account was banned: its connections are closed.
    AccountBanned { account: i64, reason: String },
    /// Someone (by the key of their name) was muted in `room` until `until` (ms), or the mute
    /// lifted (`None`).
    Muted { room: RoomName, nickname_key: String, until: Option<i64>, reason: String },
    /// Someone (by the key of their name) was kicked out of `room` by `by`.
    Kicked { room: RoomName, nickname_key: String, by: Nickname, reason: String },
    /// This node's earlier events may have been lost: read what you missed from the store.
    CatchUp,
    /// `nickname` (`guest`: without an account) started (or stopped) being in `room` on this
    /// node.
    Presence {
        room: RoomName,
        nickname: Nickname,
        present: bool,
        #[serde(default)]
        guest: bool,
    },
    /// Everyone in every room on this node (`guests`: who of them are guests), replacing what
    /// this node said before.
    Snapshot {
        people: RoomPeople,
        #[serde(default)]
        guests: Vec<Nickname>,
    },
    /// Asks every node for its [`BusEvent::Snapshot`].
    SnapshotPlease,
    /// This node is alive (sent every quarter of the node TTL), as of `sent_at` (ms since the
    /// epoch, by the sender's clock: the sender times its own heartbeat's trip for the bus-lag
    /// metric).
    Alive {
        #[serde(default)]
        sent_at: Option<i64>,
    },
}

impl From<NodeNews> for BusEvent {
    fn from(news: NodeNews) -> Self {
        match news {
            NodeNews::Typing { room, nickname } => Self::Typing { room, nickname },
            NodeNews::RoomAdded { room, private } => Self::RoomAdded { room, private },
            NodeNews::MemberAdded { room, account, dm_with } => {
                Self::MemberAdded { room, account, dm_with }
            }
            NodeNews::MemberRemoved { room, account } => Self::MemberRemoved { room, account },
            NodeNews::AccountBanned { account, reason } => Self::AccountBanned { account, reason },
            NodeNews::SessionsEnded { account, keep } => Self::SessionsEnded { account, keep },
            NodeNews::SessionEnded { account, tag } => Self::SessionEnded { account, tag },
            NodeNews::RoleChanged { account, role } => Self::RoleChanged { account, role },
            NodeNews::GuestBanned { nickname_key, ban } => Self::GuestBanned { nickname_key, ban },
            NodeNews::Presence { room, nickname, present, guest } => {
                Self::Presence { room, nickname, present, guest }
            }
            NodeNews::Muted { room, nickname_key, until, reason } => {
                Self::Muted { room, nickname_key, until, reason }
            }
            NodeNews::Kicked { room, nickname_key, by, reason } => {
                Self::Kicked { room, nickname_key, by, reason }
            }
        }
    }
}

/// An event with the node it came from, as received.
#[derive(Debug, Deserialize)]
pub(super) struct Envelope {
    pub node: String,
    pub event: BusEvent,
}

/// The same, as sent: borrowed, so publishing encodes each event without copying it first.
#[derive(Debug, Serialize)]
pub(super) struct OutgoingEnvelope<'a> {
    pub node: &'a str,
    pub event: &'a BusEvent,
}
