//! The rows the message list shows: the timeline with a day separator before the first
//! message of each day.

use crate::chat_state::{EntryKey, TimelineEntry};

/// One row of the message list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// The first message of a new day follows; `at` is its time, `first_id` its id.
    DaySeparator {
        at: i64,
        first_id: String,
    },
    Entry(TimelineEntry),
}

/// Identifies a row for keyed rendering.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RowKey {
    Day(String),
    Entry(EntryKey),
}

impl Row {
    pub fn key(&self) -> RowKey {
        match self {
            Self::DaySeparator { first_id, .. } => RowKey::Day(first_id.clone()),
            Self::Entry(entry) => RowKey::Entry(entry.key()),
        }
    }
}

/// The timeline with separators, where `day_of` gives the (local) day of a timestamp.
pub fn with_day_separators<D: PartialEq>(
    entries: &[TimelineEntry],
    day_of: impl Fn(i64) -> D,
) -> Vec<Row> {
    let mut rows = Vec::with_capacity(entries.len() + 4);
    let mut current_day = None;
    for entry in entries {
        if let TimelineEntry::Message(message) = entry {
            let day = day_of(message.sent_at);
            if current_day.as_ref() != Some(&day) {
                rows.push(Row::DaySeparator { at: message.sent_at, first_id: message.id.clone() });
                current_day = Some(day);
            }
        }
        rows.push(Row::Entry(entry.clone()));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::message;

    const DAY: i64 = 86_400_000;

    fn at(seq: u64, sent_at: i64) -> TimelineEntry {
        TimelineEntry::Message(message("lobby", seq, "bob", sent_at))
    }

    #[test]
    fn a_separator_precedes_the_first_message_of_each_day() {
        let entries = vec![
            at(1, 10),
            at(2, 20),
            TimelineEntry::Notice { id: 1, text: "carol joined".into() },
            at(3, DAY + 5),
            at(4, 3 * DAY),
        ];
        let rows = with_day_separators(&entries, |millis| millis / DAY);
        let shape: Vec<String> = rows
            .iter()
            .map(|row| match row {
                Row::DaySeparator { first_id, .. } => format!("day@{first_id}"),
                Row::Entry(TimelineEntry::Message(m)) => format!("m{}", m.seq),
                Row::Entry(TimelineEntry::Notice { .. }) => "notice".into(),
            })
            .collect();
        assert_eq!(shape, vec!["day@m1", "m1", "m2", "notice", "day@m3", "m3", "day@m4", "m4"]);
    }

    #[test]
    fn no_messages_no_separators() {
        let entries = vec![TimelineEntry::Notice { id: 1, text: "x".into() }];
        assert_eq!(with_day_separators(&entries, |m| m / DAY).len(), 1);
    }
}
