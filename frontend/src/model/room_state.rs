//! What the page knows about one room: its timeline, who is in it, how far back its history
//! is loaded, and what the user has read.

use common::{ChatMessage, Nickname};

use crate::model::case_fold::{name_key, same_name};
use crate::model::collation::sort_names_by;

/// One line of the timeline.
#[allow(
    clippy::large_enum_variant,
    reason = "nearly every entry is a message: boxing it would cost an allocation each"
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineEntry {
    Message(ChatMessage),
    /// Something that happened in the room, like someone joining, shown between messages.
    Notice {
        id: u64,
        event: NoticeEvent,
    },
}

/// What a notice says happened (put in words by the page, in the reader's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeEvent {
    Joined(Nickname),
    Left(Nickname),
    /// The server is shutting down, for this reason (its own words).
    ServerClosing(String),
    /// This person was taken out of the room by a moderator, for this reason (may be empty).
    KickedMe {
        by: Nickname,
        reason: String,
    },
    /// This person may not write here until then (ms since the epoch; `None`: until lifted).
    MutedMe {
        until: Option<i64>,
        reason: String,
    },
    /// This person's mute here was lifted.
    UnmutedMe,
}

/// Identifies a timeline entry for keyed rendering, across rooms: a message by its server id
/// (sequence numbers repeat from room to room), a notice by its page-wide number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EntryKey {
    Message(String),
    Notice(u64),
}

impl TimelineEntry {
    pub fn key(&self) -> EntryKey {
        match self {
            Self::Message(message) => EntryKey::Message(message.id.clone()),
            Self::Notice { id, .. } => EntryKey::Notice(*id),
        }
    }

    fn seq(&self) -> Option<u64> {
        match self {
            Self::Message(message) => Some(message.seq),
            Self::Notice { .. } => None,
        }
    }
}

/// Where fetching the room's older messages stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HistoryStatus {
    /// A `history` request is on its way; no second one is sent meanwhile.
    pub loading: bool,
    /// The timeline holds the room's first message (or the room is empty): nothing older.
    pub reaches_start: bool,
    /// The server no longer keeps the room's older messages (its retention removed them): the
    /// start reached is the first one kept, not the room's beginning.
    pub older_removed: bool,
}

/// One room as this page sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoomState {
    /// The room's latest sequence number as far as the page knows.
    pub last_seq: u64,
    /// The user entered this room; the page stays in it (and rejoins it after a reconnect)
    /// until the user leaves.
    pub followed: bool,
    /// The current connection is a member (`joined` received).
    pub joined: bool,
    /// Who is in the room now (known while joined). In a counted room, those of its pages
    /// loaded so far (see [`MemberPages`]).
    pub members: Vec<Nickname>,
    /// Set when the room is counted (too big to be told each arrival and departure): how many
    /// are in it, as the server last said.
    pub member_count: Option<u64>,
    /// Where reading a counted room's people stands.
    pub member_pages: MemberPages,
    /// Those of `members` who are guests (without an account).
    pub guests: Vec<Nickname>,
    /// Messages in sequence order, with notices where they happened.
    pub timeline: Vec<TimelineEntry>,
    pub history: HistoryStatus,
    /// The highest sequence number the user has seen in this room.
    pub last_read: u64,
    /// Where the reader had read to when they came back to the room, if messages had arrived
    /// since: the timeline marks the first message after it as new.
    pub read_marker: Option<u64>,
    /// Who is typing, each with the time (ms since the epoch) their indicator expires.
    pub typing: Vec<(Nickname, i64)>,
    /// The page holds every message of the room up to this sequence number, from the oldest
    /// one loaded, with no gap: where a reconnect resumes. `None` until the room is joined.
    pub synced_to: Option<u64>,
    /// The `history` request (by id) catching up after `synced_to`, while one is on its way.
    pub catch_up: Option<common::RequestId>,
    /// The `history` request (by id) loading messages into a [`Hole`], while one is on its way.
    pub filling: Option<common::RequestId>,
    /// Invite-only: the server lists it to its members only.
    pub private: bool,
    /// Direct messages: the other person.
    pub dm_with: Option<common::Nickname>,
    /// This person's part in the room (owner, moderator, private room member), as of joining.
    pub my_role: Option<common::RoomRole>,
    /// Until when this person is muted here (ms since the epoch; `i64::MAX` until lifted).
    pub muted_until: Option<i64>,
    /// People who were here a moment ago and may be back soon: whoever left (or was here when
    /// this page lost its connection) within the server's nickname grace period. Coming back
    /// meanwhile is a reconnect, not a join: no notice.
    pub departed: Vec<Departed>,
}

/// Someone who left the room a moment ago (or was in it when the page lost its connection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departed {
    pub nickname: Nickname,
    /// Until when (ms since the epoch) a return counts as a reconnect.
    pub until_ms: i64,
    /// The "left" notice shown for them, if any: withdrawn when they come back in time.
    pub notice: Option<u64>,
}

/// Reading a counted room's people a page at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberPages {
    /// The next page starts after this name; `None`: no more pages (or none asked for yet in
    /// a room that is listed).
    pub next_after: Option<Nickname>,
    /// The `members` request on its way, if one is.
    pub asked: Option<common::RequestId>,
}

/// Messages of the room the page has not loaded, between two it has: left when a message far
/// back was opened (a search result, a quote, a date) and only the history around it was
/// fetched, not every page between it and the present. Holes are below `synced_to`: a gap
/// above it is the catch-up's (missed live messages), not one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hole {
    /// The last message loaded before the hole.
    pub after: u64,
    /// The first message loaded after it.
    pub before: u64,
}

/// How long a nickname is kept for someone who disconnected (the server's default grace
/// period): a return within it is a reconnect, not a join.
pub const RECONNECT_GRACE_MS: i64 = 60_000;

impl RoomState {
    /// A room listed by the server, not entered yet.
    pub fn listed(last_seq: u64) -> Self {
        Self { last_seq, ..Self::default() }
    }

    /// Messages by others after the last one read.
    pub fn unread(&self, me: Option<&Nickname>) -> usize {
        let mine = |message: &ChatMessage| me.is_some_and(|me| same_name(me, &message.author));
        self.timeline
            .iter()
            .rev()
            .map_while(|entry| match entry {
                TimelineEntry::Message(message) if message.seq <= self.last_read => None,
                other => Some(other),
            })
            .filter(
                |entry| matches!(entry, TimelineEntry::Message(m) if m.is_live_post() && !mine(m)),
            )
            .count()
    }

    /// The user puts the room on screen: remember where they had read to (if they had been
    /// here before and something new came since), then mark everything shown as read.
    pub fn enter(&mut self) {
        self.read_marker =
            (self.followed && self.last_seq > self.last_read).then_some(self.last_read);
        self.mark_read();
    }

    /// Marks everything in the timeline as read.
    pub fn mark_read(&mut self) {
        let newest = self.timeline.iter().rev().find_map(TimelineEntry::seq);
        self.last_read = self.last_read.max(newest.unwrap_or(0));
    }

    /// The sequence number of the oldest message shown.
    pub fn oldest_seq(&self) -> Option<u64> {
        self.timeline.iter().find_map(TimelineEntry::seq)
    }

    /// Whether the timeline holds the message (or change) `seq`.
    pub fn holds(&self, seq: u64) -> bool {
        self.timeline.iter().any(|entry| entry.seq() == Some(seq))
    }

    /// The stretches not loaded between loaded messages, oldest first (see [`Hole`]). Every
    /// sequence number is a message or a change, kept in the timeline, so loaded stretches
    /// have consecutive numbers.
    pub fn holes(&self) -> Vec<Hole> {
        let Some(synced) = self.synced_to else { return Vec::new() };
        let seqs = self.timeline.iter().filter_map(TimelineEntry::seq);
        let loaded: Vec<u64> = seqs.take_while(|seq| *seq <= synced).collect();
        loaded
            .windows(2)
            .filter(|pair| pair[1] > pair[0] + 1)
            .map(|pair| Hole { after: pair[0], before: pair[1] })
            .collect()
    }

    /// The first message loaded after `seq` (the end of the hole `seq` is in, or the oldest
    /// loaded when `seq` is older than all of them).
    pub fn loaded_after(&self, seq: u64) -> Option<u64> {
        self.timeline.iter().filter_map(TimelineEntry::seq).find(|loaded| *loaded > seq)
    }

    /// Puts `message` in sequence order; a sequence number already shown is ignored.
    pub fn insert_message(&mut self, message: ChatMessage) {
        self.last_seq = self.last_seq.max(message.seq);
        if message.is_change() {
            // A change takes its place in the sequence (it is never shown) and changes what it
            // refers to, if the page holds it (one loaded later comes from the store changed),
            // by the rule the server keeps too.
            let is_author = |name: &Nickname| same_name(name, &message.author);
            for entry in &mut self.timeline {
                if let TimelineEntry::Message(kept) = entry {
                    kept.apply_change(&message, is_author);
                }
            }
        } else {
            self.typing_stopped(&message.author);
        }
        let last_seq = self.timeline.iter().rev().find_map(TimelineEntry::seq);
        if last_seq.is_none_or(|last| message.seq > last) {
            self.timeline.push(TimelineEntry::Message(message));
            return;
        }
        if self.timeline.iter().any(|entry| entry.seq() == Some(message.seq)) {
            return;
        }
        let position = self
            .timeline
            .iter()
            .position(|entry| entry.seq().is_some_and(|seq| seq > message.seq))
            .unwrap_or(self.timeline.len());
        self.timeline.insert(position, TimelineEntry::Message(message));
    }

    /// The server keeps the room's messages from `first_seq` on (retention removed those
    /// before): the page forgets the ones it held below, and waits for none of them.
    pub fn starts_at(&mut self, first_seq: u64) {
        self.timeline.retain(|entry| entry.seq().is_none_or(|seq| seq >= first_seq));
        if let Some(synced) = self.synced_to {
            self.synced_to = Some(synced.max(first_seq.saturating_sub(1)));
        }
        self.history.reaches_start = true;
        self.history.older_removed = true;
    }

    /// Moves [`RoomState::synced_to`] past the messages that now follow it without a gap.
    pub fn advance_synced(&mut self) {
        let Some(mut synced) = self.synced_to else { return };
        for seq in self.timeline.iter().filter_map(TimelineEntry::seq) {
            if seq == synced + 1 {
                synced = seq;
            }
        }
        self.synced_to = Some(synced);
    }

    /// Whether the timeline holds messages beyond a hole after [`RoomState::synced_to`]: some
    /// were missed and must be fetched.
    pub fn has_gap(&self) -> bool {
        self.synced_to.is_some_and(|synced| {
            self.timeline
                .iter()
                .rev()
                .find_map(TimelineEntry::seq)
                .is_some_and(|last| last > synced)
        })
    }

    /// Forgets the timeline, for a room to be loaded afresh from its latest messages.
    pub fn clear_timeline(&mut self) {
        self.timeline.clear();
        self.history = HistoryStatus::default();
    }

    /// Adds a notice at the end of the timeline.
    pub fn notice(&mut self, id: u64, event: NoticeEvent) {
        self.timeline.push(TimelineEntry::Notice { id, event });
    }

    /// `nickname` is typing, as of `now_ms`.
    pub fn typing_seen(&mut self, nickname: Nickname, now_ms: i64) {
        self.typing_stopped(&nickname);
        let ttl = i64::try_from(common::TYPING_TTL_MS).unwrap_or(i64::MAX);
        self.typing.push((nickname, now_ms.saturating_add(ttl)));
    }

    /// `nickname` sent their message or left: no longer typing.
    pub fn typing_stopped(&mut self, nickname: &Nickname) {
        self.typing.retain(|(typist, _)| !same_name(typist, nickname));
    }

    /// Who is typing at `now_ms`, sorted case-insensitively.
    pub fn typists(&self, now_ms: i64) -> Vec<Nickname> {
        let mut typists: Vec<Nickname> = self
            .typing
            .iter()
            .filter(|(_, expires)| *expires > now_ms)
            .map(|(nickname, _)| nickname.clone())
            .collect();
        sort_names_by(&mut typists, &|a, b| name_key(a).cmp(&name_key(b)));
        typists
    }

    /// Adds `nickname` to the members (in no particular order: the member list sorts them in
    /// the reader's language). Sorting here too cost a join storm of a thousand people a
    /// thousand sorts of up to a thousand names.
    pub fn add_member(&mut self, nickname: Nickname) {
        if !self.members.contains(&nickname) {
            self.members.push(nickname);
        }
    }

    pub fn remove_member(&mut self, nickname: &Nickname) {
        self.members.retain(|member| member != nickname);
        self.typing_stopped(nickname);
    }

    /// `nickname` left, as of `now_ms`: out of the members, with a "left" notice `notice_id`
    /// that is withdrawn if they are back within the grace period.
    pub fn member_left(&mut self, nickname: Nickname, notice_id: u64, now_ms: i64) {
        self.remove_member(&nickname);
        self.notice(notice_id, NoticeEvent::Left(nickname.clone()));
        self.note_departure(nickname, Some(notice_id), now_ms);
    }

    /// `nickname` joined, as of `now_ms`: among the members, with a "joined" notice
    /// `notice_id`, unless they left a moment ago (or were here when the page lost its
    /// connection): then it is a reconnect, and their "left" notice goes too.
    pub fn member_joined(&mut self, nickname: Nickname, notice_id: u64, now_ms: i64) {
        let returning = self.departed.iter().position(|departed| {
            same_name(&departed.nickname, &nickname) && departed.until_ms > now_ms
        });
        match returning {
            Some(index) => {
                if let Some(left) = self.departed.remove(index).notice {
                    self.timeline.retain(
                        |entry| !matches!(entry, TimelineEntry::Notice { id, .. } if *id == left),
                    );
                }
            }
            None => self.notice(notice_id, NoticeEvent::Joined(nickname.clone())),
        }
        self.add_member(nickname);
    }

    /// The page lost its connection at `now_ms`: everyone here may be back (or come back
    /// after a server restart) without having left.
    pub fn connection_lost(&mut self, now_ms: i64) {
        for nickname in std::mem::take(&mut self.members) {
            self.note_departure(nickname, None, now_ms);
        }
    }

    fn note_departure(&mut self, nickname: Nickname, notice: Option<u64>, now_ms: i64) {
        self.departed.retain(|departed| {
            departed.until_ms > now_ms && !same_name(&departed.nickname, &nickname)
        });
        let until_ms = now_ms.saturating_add(RECONNECT_GRACE_MS);
        self.departed.push(Departed { nickname, until_ms, notice });
    }
}

#[cfg(test)]
mod tests {
    use common::Content;

    use super::*;
    use crate::test_support::{message, nick};

    fn chat(seq: u64, author: &str) -> ChatMessage {
        message("lobby", seq, author, 0)
    }

    fn seqs(room: &RoomState) -> Vec<u64> {
        room.timeline.iter().filter_map(TimelineEntry::seq).collect()
    }

    #[test]
    fn messages_are_ordered_by_sequence_and_never_doubled() {
        let mut room = RoomState::default();
        for seq in [1, 2, 4, 3, 2, 4, 5] {
            room.insert_message(chat(seq, "bob"));
        }
        assert_eq!(seqs(&room), vec![1, 2, 3, 4, 5]);
        assert_eq!(room.last_seq, 5);
    }

    #[test]
    fn the_synced_point_moves_only_over_messages_without_a_gap() {
        let mut room = RoomState { synced_to: Some(3), ..RoomState::default() };
        for seq in [4, 6, 7] {
            room.insert_message(chat(seq, "bob"));
        }
        room.advance_synced();
        assert_eq!(room.synced_to, Some(4));
        assert!(room.has_gap(), "5 is missing");
        room.insert_message(chat(5, "bob"));
        room.advance_synced();
        assert_eq!(room.synced_to, Some(7));
        assert!(!room.has_gap());
    }

    #[test]
    fn typing_expires_and_stops_with_the_typists_message() {
        let mut room = RoomState::default();
        room.typing_seen(nick("bob"), 1_000);
        room.typing_seen(nick("alice"), 2_000);
        assert_eq!(room.typists(1_500), vec![nick("alice"), nick("bob")]);
        let ttl = common::TYPING_TTL_MS as i64;
        assert_eq!(room.typists(1_000 + ttl), vec![nick("alice")], "bob's indicator expired");
        room.typing_seen(nick("bob"), 5_000);
        room.insert_message(chat(1, "bob"));
        assert_eq!(room.typists(5_001), vec![nick("alice")], "bob's message ends his typing");
        room.remove_member(&nick("alice"));
        assert!(room.typists(5_001).is_empty());
    }

    #[test]
    fn coming_back_marks_where_the_reader_had_read_to() {
        let mut room = RoomState::listed(7);
        room.enter();
        assert_eq!(room.read_marker, None, "a first visit: everything is new, no marker");
        room.followed = true;
        room.last_read = 7;
        room.enter();
        assert_eq!(room.read_marker, None, "nothing new since");
        room.last_seq = 9;
        room.enter();
        assert_eq!(room.read_marker, Some(7), "8 and 9 arrived while away");
    }

    #[test]
    fn unread_counts_others_messages_after_the_last_read_and_resets() {
        let me = nick("alice");
        let mut room = RoomState::default();
        room.insert_message(chat(1, "bob"));
        room.mark_read();
        room.insert_message(chat(2, "bob"));
        room.notice(1, NoticeEvent::Joined(nick("carol")));
        room.insert_message(chat(3, "alice"));
        room.insert_message(chat(4, "carol"));
        assert_eq!(room.unread(Some(&me)), 2, "bob's 2 and carol's 4; not my own 3");
        room.mark_read();
        assert_eq!(room.unread(Some(&me)), 0);
    }

    #[test]
    fn a_deletion_holds_its_place_and_empties_its_target_without_counting_as_unread() {
        let me = nick("alice");
        let mut room = RoomState { synced_to: Some(0), ..RoomState::default() };
        room.insert_message(chat(1, "bob"));
        room.insert_message(chat(2, "bob"));
        room.mark_read();
        let mut deletion = chat(3, "bob");
        deletion.content = Content::Deletion { deletes: 1 };
        room.insert_message(deletion);
        room.advance_synced();
        assert_eq!(room.synced_to, Some(3), "no gap: the deletion is in the sequence");
        assert_eq!(seqs(&room), [1, 2, 3]);
        let first = room.timeline.iter().find_map(|entry| match entry {
            TimelineEntry::Message(message) if message.seq == 1 => Some(message.body().cloned()),
            _ => None,
        });
        assert_eq!(first, Some(None), "the target shows deleted");
        assert_eq!(room.unread(Some(&me)), 0, "a deletion is nothing new to read");
        let rows = crate::model::timeline_rows::timeline_rows(&room.timeline, None, &[], |_| ());
        let shown = rows
            .iter()
            .filter(|row| matches!(row, crate::model::timeline_rows::Row::Message { .. }))
            .count();
        assert_eq!(shown, 2, "the deletion itself is not a row");
    }

    fn edit_of(seq: u64, target: u64, text: &str) -> ChatMessage {
        let mut edit = chat(seq, "bob");
        let body = Some(common::MessageBody::parse(text).expect("valid"));
        edit.content = Content::Edit { edits: target, body };
        edit.sent_at = i64::try_from(seq).expect("small") * 1_000;
        edit
    }

    fn text_of(room: &RoomState, seq: u64) -> Option<(String, Option<u64>)> {
        room.timeline.iter().find_map(|entry| match entry {
            TimelineEntry::Message(message) if message.seq == seq => Some((
                message.text().to_owned(),
                message.post().and_then(|post| post.edited).map(|edited| edited.seq),
            )),
            _ => None,
        })
    }

    #[test]
    fn an_edit_changes_its_target_holds_its_place_and_is_neither_a_row_nor_unread() {
        let me = nick("alice");
        let mut room = RoomState { synced_to: Some(0), ..RoomState::default() };
        room.insert_message(chat(1, "bob"));
        room.mark_read();
        room.insert_message(edit_of(2, 1, "fixed"));
        room.advance_synced();
        assert_eq!(room.synced_to, Some(2), "no gap: the edit is in the sequence");
        assert_eq!(text_of(&room, 1), Some(("fixed".to_owned(), Some(2))));
        assert_eq!(room.unread(Some(&me)), 0, "an edit is nothing new to read");
        let rows = crate::model::timeline_rows::timeline_rows(&room.timeline, None, &[], |_| ());
        assert_eq!(rows.len(), 2, "a day and the message; the edit itself is not a row");
    }

    #[test]
    fn an_older_edit_arriving_after_a_newer_one_does_not_bring_back_the_older_text() {
        let mut room = RoomState::default();
        // The page holds the message as it is now (edited by 5), then loads older history
        // holding the first edit.
        let mut now = chat(1, "bob");
        let post = now.post_mut().expect("a post");
        post.body = Some(common::MessageBody::parse("second").expect("valid"));
        post.edited = Some(common::Edited { seq: 5, at: 5_000 });
        room.insert_message(now);
        room.insert_message(edit_of(3, 1, "first"));
        assert_eq!(text_of(&room, 1), Some(("second".to_owned(), Some(5))));
        room.insert_message(edit_of(7, 1, "third"));
        assert_eq!(text_of(&room, 1), Some(("third".to_owned(), Some(7))));
        // A deleted message stays deleted.
        let mut deletion = chat(8, "bob");
        deletion.content = Content::Deletion { deletes: 1 };
        room.insert_message(deletion);
        room.insert_message(edit_of(9, 1, "back?"));
        assert_eq!(text_of(&room, 1), Some((String::new(), Some(7))));
    }

    fn reaction(seq: u64, target: u64, who: &str, emoji: &str, withdraw: bool) -> ChatMessage {
        let mut entry = chat(seq, who);
        let emoji = common::Emoji::parse(emoji).expect("valid");
        entry.content = Content::Reaction(common::ReactsTo { seq: target, emoji, withdraw });
        entry
    }

    /// (emoji, who) of the message `seq`, and the entry they are as of.
    fn reactions_of(room: &RoomState, seq: u64) -> (Vec<(String, Vec<String>)>, Option<u64>) {
        let reactions = room.timeline.iter().find_map(|entry| match entry {
            TimelineEntry::Message(message) if message.seq == seq => {
                message.post().and_then(|post| post.reactions.clone())
            }
            _ => None,
        });
        let Some(reactions) = reactions else { return (vec![], None) };
        let list = reactions
            .list
            .iter()
            .map(|reaction| {
                let by = reaction.by.iter().map(|name| name.as_str().to_owned()).collect();
                (reaction.emoji.as_str().to_owned(), by)
            })
            .collect();
        (list, Some(reactions.seq))
    }

    #[test]
    fn reactions_change_their_target_hold_their_place_and_are_neither_rows_nor_unread() {
        let me = nick("alice");
        let mut room = RoomState { synced_to: Some(0), ..RoomState::default() };
        room.insert_message(chat(1, "bob"));
        room.mark_read();
        room.insert_message(reaction(2, 1, "carol", "👍", false));
        room.insert_message(reaction(3, 1, "Bob", "👍", false));
        room.insert_message(reaction(4, 1, "carol", "👍", true));
        room.insert_message(reaction(5, 1, "bob", "🎉", false));
        room.advance_synced();
        assert_eq!(room.synced_to, Some(5), "no gap: reactions are in the sequence");
        let expected = vec![
            ("👍".to_owned(), vec!["Bob".to_owned()]),
            ("🎉".to_owned(), vec!["bob".to_owned()]),
        ];
        assert_eq!(reactions_of(&room, 1), (expected, Some(5)));
        assert_eq!(room.unread(Some(&me)), 0, "a reaction is nothing new to read");
        let rows = crate::model::timeline_rows::timeline_rows(&room.timeline, None, &[], |_| ());
        assert_eq!(rows.len(), 2, "a day and the message; reactions are not rows");
    }

    #[test]
    fn an_older_reaction_loaded_after_the_message_is_not_counted_twice() {
        let mut room = RoomState::default();
        // The message as it is now: carol's 👍 withdrawn at 4; then older history holding her
        // reaction at 2.
        let mut now = chat(1, "bob");
        now.post_mut().expect("a post").reactions =
            Some(common::Reactions { seq: 4, list: vec![] });
        room.insert_message(now);
        room.insert_message(reaction(2, 1, "carol", "👍", false));
        assert_eq!(reactions_of(&room, 1), (vec![], Some(4)));
        room.insert_message(reaction(6, 1, "dave", "👀", false));
        assert_eq!(reactions_of(&room, 1).1, Some(6));
        // Deleting the message takes its reactions, and a late one does not bring them back.
        let mut deletion = chat(7, "bob");
        deletion.content = Content::Deletion { deletes: 1 };
        room.insert_message(deletion);
        room.insert_message(reaction(8, 1, "dave", "👍", false));
        assert_eq!(reactions_of(&room, 1), (vec![], None));
    }
}
