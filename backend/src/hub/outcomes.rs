//! What the hub answers: what became of published messages, what a joiner learns, and whether
//! a departure is announced.

use common::Nickname;

/// What became of a published message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// Delivered to the room's members now (with any that were waiting for it).
    Delivered,
    /// Delivered before (it came again, through another path).
    AlreadyDelivered,
    /// Messages wait behind a hole that starts after sequence number `after`; unless the
    /// missing ones arrive soon, they must be read from the store.
    Waiting { after: u64 },
}

/// What became of a batch of published messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedBatch {
    /// One outcome per message, in the batch's order.
    pub published: Vec<Published>,
    /// Frames pushed to members' frame queues here (each new message times its room's members).
    pub deliveries: usize,
}

/// Whether the rooms a connection leaves are told about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// The usual case: members see `user_left`.
    Announced,
    /// The person signed out: members see `user_left`, and the nickname is free at once
    /// (there is no grace period for someone who is not coming back).
    SignedOut,
    /// The whole server is shutting down and every member is about to be told so; a
    /// `user_left` for each of them to each of them would be noise (and N² frames).
    Silent,
}

/// What a joiner learns about the room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinedRoom {
    pub members: Vec<Nickname>,
    /// Those of `members` who are guests.
    pub guests: Vec<Nickname>,
    pub last_seq: u64,
    /// Set when the room is counted (`members` and `guests` are empty): how many are in it.
    pub member_count: Option<u64>,
}

/// A nickname whose holder's last connection on this node closed: the grace period starts, or
/// after a sign-out the name is free at once (for the other nodes' sake, the cluster is told).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleasedName {
    /// The name's ownership key.
    pub key: String,
    /// The token of the person who held it.
    pub token: String,
    /// The person signed out: the name is free now, not after a grace period.
    pub at_once: bool,
}
