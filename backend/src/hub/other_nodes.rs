//! What the hub tells the other nodes, and the port it tells them through.
//!
//! The hub is below the cluster layer: it does not know Redis or the bus, only that something
//! may be listening. The cluster's bus implements [`OtherNodes`]; on a single node there is
//! none. News is handed over under the hub's lock, so the other nodes hear arrivals and
//! departures in the order they happened here.

use common::{Nickname, RoomName};

/// A guest's ban as the nodes tell each other (the node that finds the guest's connections
/// adds their addresses to the ban).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GuestBanNews {
    pub banned_by: Nickname,
    pub reason: String,
    /// Milliseconds since the epoch; `i64::MAX` until lifted.
    pub until: i64,
}

/// Something that happened on this node that the other nodes' hubs must hear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeNews {
    /// Someone on this node is typing in `room`.
    Typing { room: RoomName, nickname: Nickname },
    /// A room was created on this node.
    RoomAdded { room: RoomName, private: bool },
    /// The account became a member of the private room.
    MemberAdded { room: RoomName, account: i64, dm_with: Option<Nickname> },
    /// The account is no longer a member of the private room.
    MemberRemoved { room: RoomName, account: i64 },
    /// Every session of the account but the one tagged `keep` ended: their connections close.
    SessionsEnded { account: i64, keep: u64 },
    /// The account's session tagged `tag` was signed out: its connections close.
    SessionEnded { account: i64, tag: u64 },
    /// The guest name with this key was banned: its connections close.
    GuestBanned { nickname_key: String, ban: GuestBanNews },
    /// An admin gave the account a server role.
    RoleChanged { account: i64, role: common::Role },
    /// The account was banned: its connections are closed.
    AccountBanned { account: i64, reason: String },
    /// The person whose name has the key `nickname_key` was muted in `room` until `until`
    /// (ms), or the mute was lifted (`None`).
    Muted { room: RoomName, nickname_key: String, until: Option<i64>, reason: String },
    /// The person whose name has the key `nickname_key` was kicked out of `room` by `by`.
    Kicked { room: RoomName, nickname_key: String, by: Nickname, reason: String },
    /// `nickname` (`guest`: without an account) started (or stopped) being in `room` on this
    /// node.
    Presence { room: RoomName, nickname: Nickname, present: bool, guest: bool },
}

/// Where the hub sends [`NodeNews`]: must not wait (it is called under the hub's lock).
pub trait OtherNodes: std::fmt::Debug + Send + Sync {
    fn tell(&self, news: NodeNews);
}
