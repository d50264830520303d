//! The rows the message list shows, worked out from the timeline: a day separator before the
//! first message of each day, a "new" marker before the first message the reader had not
//! seen, and consecutive messages from one person grouped under one name and time. The
//! user's messages the server has not acknowledged yet come last ([`Row::Pending`]).

use common::ChatMessage;

use crate::model::case_fold::same_name;
use crate::model::chat_state::{EntryKey, TimelineEntry};
use crate::model::outbox::Outgoing;
use crate::model::room_state::{Hole, NoticeEvent};

/// Messages from the same person less than this far apart (ms) share one heading.
pub const GROUP_WINDOW_MS: i64 = 5 * 60 * 1_000;

/// One row of the message list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// The first message of a new day follows; `at` is its time, `first_id` its id.
    DaySeparator {
        at: i64,
        first_id: String,
    },
    /// The messages below arrived since the reader was last here.
    UnreadMarker,
    /// A message; `continues` when it follows one of the same person's within
    /// [`GROUP_WINDOW_MS`] with nothing between, and so is shown without name and time.
    Message {
        message: ChatMessage,
        continues: bool,
    },
    Notice {
        id: u64,
        event: NoticeEvent,
    },
    /// One of the user's messages, not acknowledged yet ("Sending…", or refused with why).
    Pending(Outgoing),
    /// Messages not loaded yet between the two around it: a message far back was opened (see
    /// [`crate::model::room_state::Hole`]).
    Hole {
        hole: Hole,
    },
}

/// Identifies a row for keyed rendering. A message's key includes whether it continues a
/// group, so it re-renders (with or without its heading) when that changes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RowKey {
    Day(String),
    Unread,
    /// An entry, and what changes how it looks (it re-renders when any does).
    Entry {
        entry: EntryKey,
        continues: bool,
        erased: bool,
        edited: Option<u64>,
        reacted: Option<u64>,
        /// A reply's quote: its text and whether its original was edited.
        quoted: Option<(Option<String>, bool)>,
    },
    /// A pending message's client id, and whether it failed (it re-renders with its buttons).
    Pending(String, bool),
    Hole(u64),
}

impl Row {
    pub fn key(&self) -> RowKey {
        match self {
            Self::DaySeparator { first_id, .. } => RowKey::Day(first_id.clone()),
            Self::UnreadMarker => RowKey::Unread,
            Self::Message { message, continues } => RowKey::Entry {
                entry: EntryKey::Message(message.id.clone()),
                continues: *continues,
                erased: message.body().is_none(),
                edited: message.post().and_then(|post| post.edited).map(|edited| edited.seq),
                reacted: message
                    .post()
                    .and_then(|post| post.reactions.as_ref())
                    .map(|reactions| reactions.seq),
                quoted: message
                    .post()
                    .and_then(|post| post.reply_to.as_ref())
                    .map(|quote| (quote.excerpt.clone(), quote.edited)),
            },
            Self::Notice { id, .. } => RowKey::Entry {
                entry: EntryKey::Notice(*id),
                continues: false,
                erased: false,
                edited: None,
                reacted: None,
                quoted: None,
            },
            Self::Pending(outgoing) => {
                RowKey::Pending(outgoing.client_id.as_str().to_owned(), outgoing.failed.is_some())
            }
            Self::Hole { hole } => RowKey::Hole(hole.after),
        }
    }
}

/// The rows for `entries`, where `day_of` gives the (local) day of a timestamp,
/// `read_marker` is where the reader had read to and `holes` are the messages after which
/// some are not loaded (see [`crate::model::room_state::RoomState`]).
pub fn timeline_rows<D: PartialEq>(
    entries: &[TimelineEntry],
    read_marker: Option<u64>,
    holes: &[Hole],
    day_of: impl Fn(i64) -> D,
) -> Vec<Row> {
    let mut rows = Vec::with_capacity(entries.len() + 4);
    let mut current_day = None;
    let mut marker_placed = false;
    let mut holes = holes.iter().peekable();
    for entry in entries {
        if let TimelineEntry::Message(message) = entry
            && let Some(hole) = holes.next_if(|hole| hole.before == message.seq)
        {
            rows.push(Row::Hole { hole: *hole });
            current_day = None; // Whatever day the next message is, it follows a hole.
        }
        match entry {
            // A change holds its place in the sequence; its target shows it.
            TimelineEntry::Message(message) if message.is_change() => {}
            TimelineEntry::Message(message) => {
                let day = day_of(message.sent_at);
                if current_day.as_ref() != Some(&day) {
                    rows.push(Row::DaySeparator {
                        at: message.sent_at,
                        first_id: message.id.clone(),
                    });
                    current_day = Some(day);
                }
                if !marker_placed && read_marker.is_some_and(|read| message.seq > read) {
                    rows.push(Row::UnreadMarker);
                    marker_placed = true;
                }
                let continues = matches!(
                    rows.last(),
                    Some(Row::Message { message: previous, .. })
                        if same_name(&previous.author, &message.author)
                            && message.sent_at - previous.sent_at < GROUP_WINDOW_MS
                );
                rows.push(Row::Message { message: message.clone(), continues });
            }
            TimelineEntry::Notice { id, event } => {
                rows.push(Row::Notice { id: *id, event: event.clone() });
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{message, nick};

    const DAY: i64 = 86_400_000;
    const MINUTE: i64 = 60_000;

    fn by(author: &str, seq: u64, sent_at: i64) -> TimelineEntry {
        TimelineEntry::Message(message("lobby", seq, author, sent_at))
    }

    /// The rows in short: `day`, `new`, `m<seq>` for a message with its heading, `+<seq>` for
    /// one continuing a group, `notice`, `pending`.
    fn shape(rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|row| match row {
                Row::DaySeparator { .. } => "day".to_owned(),
                Row::UnreadMarker => "new".to_owned(),
                Row::Message { message, continues: false } => format!("m{}", message.seq),
                Row::Message { message, continues: true } => format!("+{}", message.seq),
                Row::Notice { .. } => "notice".to_owned(),
                Row::Pending(_) => "pending".to_owned(),
                Row::Hole { hole } => format!("hole after {}", hole.after),
            })
            .collect()
    }

    #[test]
    fn a_separator_precedes_the_first_message_of_each_day() {
        let entries = vec![
            by("bob", 1, 10),
            by("ann", 2, 20),
            TimelineEntry::Notice { id: 1, event: NoticeEvent::Joined(nick("carol")) },
            by("bob", 3, DAY + 5),
            by("bob", 4, 3 * DAY),
        ];
        let rows = timeline_rows(&entries, None, &[], |millis| millis / DAY);
        assert_eq!(shape(&rows), ["day", "m1", "m2", "notice", "day", "m3", "day", "m4"]);
    }

    #[test]
    fn one_persons_messages_in_a_row_are_grouped_within_the_window() {
        let entries = vec![
            by("bob", 1, 0),
            by("Bob", 2, MINUTE), // The same person, whatever the case.
            by("bob", 3, 2 * MINUTE),
            by("ann", 4, 3 * MINUTE), // Someone else: a new heading.
            by("bob", 5, 4 * MINUTE),
            by("bob", 6, 4 * MINUTE + GROUP_WINDOW_MS), // Too long after: a new heading.
            TimelineEntry::Notice { id: 1, event: NoticeEvent::Left(nick("ann")) },
            by("bob", 7, 4 * MINUTE + GROUP_WINDOW_MS + 1), // After a notice: a new heading.
        ];
        let rows = timeline_rows(&entries, None, &[], |_| 0);
        assert_eq!(shape(&rows), ["day", "m1", "+2", "+3", "m4", "m5", "m6", "notice", "m7"]);
    }

    #[test]
    fn the_unread_marker_goes_before_the_first_message_after_the_last_read() {
        let entries = vec![by("bob", 1, 0), by("bob", 2, 1), by("bob", 3, 2)];
        let rows = timeline_rows(&entries, Some(1), &[], |_| 0);
        assert_eq!(shape(&rows), ["day", "m1", "new", "m2", "+3"], "a marker breaks the group");
        assert_eq!(shape(&timeline_rows(&entries, Some(3), &[], |_| 0)), ["day", "m1", "+2", "+3"]);
    }

    #[test]
    fn a_hole_goes_between_the_messages_around_it_and_restarts_the_days() {
        let entries = vec![by("bob", 1, 0), by("bob", 2, 1), by("bob", 90, 2), by("bob", 91, 3)];
        let holes = [Hole { after: 2, before: 90 }];
        let rows = timeline_rows(&entries, None, &holes, |_| 0);
        assert_eq!(shape(&rows), ["day", "m1", "+2", "hole after 2", "day", "m90", "+91"]);
    }

    #[test]
    fn no_messages_no_separators() {
        let entries = vec![TimelineEntry::Notice { id: 1, event: NoticeEvent::Joined(nick("x")) }];
        assert_eq!(timeline_rows(&entries, None, &[], |m| m / DAY).len(), 1);
    }
}
