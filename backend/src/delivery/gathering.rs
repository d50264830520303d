//! When the delivery lets messages gather instead of handling each at once: every policy
//! number of the write path, in one place.
//!
//! Two places gather, each where the work per round costs the same whatever it carries:
//!
//! - **Commits** ([`super::committer`]): a transaction costs an fsync, the WAL's page writes
//!   and thread wake-ups, however many messages it holds. After a transaction whose messages
//!   made [`GATHER_FROM_DELIVERIES`] deliveries (a big room), while big rooms are busy (more
//!   than [`BUSY_FROM`] of their messages a second lately), the committer lets appends gather
//!   for the whole commit window (`--gather-ms`): there, one write per member per message is
//!   what costs, and the window's messages reach each member in one. After a
//!   transaction of appends that arrived together (they come faster than one commit), it
//!   waits [`BUSY_GATHER`] (at most the window): in a busy node of many small rooms that cost
//!   was most of the server's CPU, and committing about 5 messages at a time instead of 1.5
//!   took 30 % of it off (rooms scenario, docs/BENCHMARKS.md) for about 2 ms more latency. A
//!   lone message, or one sender at a time, never waits.
//! - **Broadcast writes** ([`crate::frames::broadcast_writer`]): a write to a member's socket
//!   costs about the same however many messages it carries, so once a big room's batch (to
//!   [`GATHER_FROM_MEMBERS`] members or more) has been written, while such batches come more
//!   than [`BUSY_FROM`] a second lately, the next one waits until the write window
//!   (`--write-gather-ms`) has passed since. A quiet big room's message goes at once; small
//!   rooms never wait.
//!
//! Gathering only while busy: with fixed windows a big room at 20 messages a second had a
//! median delivery of 28 ms, 13 without the windows; at 250 a second the windows are what
//! keeps the server's CPU per delivery low (docs/BENCHMARKS.md, "Gathering only while busy").

use std::time::Duration;

use crate::frames::broadcast_writer::BroadcastWriter;

/// After a transaction whose messages made at least this many deliveries (a room of a
/// thousand), the committer lets appends gather for the whole commit window.
pub const GATHER_FROM_DELIVERIES: usize = 500;

/// After a transaction that stored appends which arrived together, the committer lets the
/// next ones gather this long (at most the commit window).
pub const BUSY_GATHER: Duration = Duration::from_millis(1);

/// A broadcast to at least this many idle members is a big room's: its writes gather.
pub const GATHER_FROM_MEMBERS: usize = 500;

/// Big rooms' messages (for the committer) or broadcasts (for the writer) a second lately
/// above which their commits and writes gather; below, each goes at once.
pub const BUSY_FROM: f64 = 50.0;

/// The two windows (from the settings) and the rules above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gathering {
    /// The longest the committer waits between transactions (`--gather-ms`; 0 never waits).
    pub commit_window: Duration,
    /// The least time between two writes of a big room's broadcasts (`--write-gather-ms`; 0
    /// never waits).
    pub write_window: Duration,
}

impl Gathering {
    /// Nothing ever waits: every message is committed and written as it comes.
    pub const NONE: Self = Self { commit_window: Duration::ZERO, write_window: Duration::ZERO };

    /// How long the committer waits before the next transaction, after one whose new messages
    /// made `deliveries` deliveries and whose appends `arrived_together` (more than one was
    /// waiting), and whether big rooms are busy (more than [`BUSY_FROM`] of their messages a
    /// second lately: [`BroadcastWriter::big_rooms_busy`]).
    pub fn after_commit(
        &self,
        deliveries: usize,
        arrived_together: bool,
        big_rooms_busy: bool,
    ) -> Duration {
        if deliveries >= GATHER_FROM_DELIVERIES && big_rooms_busy {
            self.commit_window
        } else if arrived_together {
            self.commit_window.min(BUSY_GATHER)
        } else {
            Duration::ZERO
        }
    }

    /// Starts the thread that writes rooms' broadcasts, gathering big rooms' writes.
    pub fn broadcast_writer(&self) -> BroadcastWriter {
        BroadcastWriter::start(self.write_window, GATHER_FROM_MEMBERS, BUSY_FROM)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_message_never_waits_and_a_big_room_waits_the_whole_window() {
        let gathering = Gathering {
            commit_window: Duration::from_millis(10),
            write_window: Duration::from_millis(30),
        };
        let busy = true;
        assert_eq!(gathering.after_commit(1, false, busy), Duration::ZERO);
        assert_eq!(gathering.after_commit(499, true, busy), BUSY_GATHER);
        let big = GATHER_FROM_DELIVERIES;
        assert_eq!(gathering.after_commit(big, false, busy), gathering.commit_window);
        assert_eq!(Gathering::NONE.after_commit(10_000, true, busy), Duration::ZERO);
        // A quiet big room does not wait; one that came together waits as any batch does.
        assert_eq!(gathering.after_commit(big, false, false), Duration::ZERO);
        assert_eq!(gathering.after_commit(big, true, false), BUSY_GATHER);
    }
}
