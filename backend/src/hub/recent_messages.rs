//! The latest messages of a room, kept in memory by the hub.
//!
//! Opening a room asks for its latest page, and a reconnecting client for what it missed:
//! both pages at the room's end. Served from the database, under a busy room's load, that request crossed to sqlx's SQLite thread and back,
//! and each hand-off could wait out a time slice on a saturated machine (history p99 of 11 ms
//! beside the fanout benchmark). The hub already sees every message of a room, in sequence
//! order, as it publishes it, so it keeps the last ones and answers the latest page itself.
//! Anything older, or a room whose recent messages were published before this process
//! started, is read from the store as before.
//!
//! Each room keeps at most [`KEPT_BYTES`] of text, and the hub forgets the latest messages of
//! the rooms that published longest ago when all rooms together keep more than its budget
//! (see `Hub`'s `RECENT_BYTES_BUDGET`): many rooms cost the store's reads, not unbounded
//! memory.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

use common::{ChatMessage, HISTORY_PAGE_MAX, Reaction};

use crate::store::HistoryPage;

/// The most messages kept per room: the largest page a client may ask for.
const KEPT_MESSAGES: usize = HISTORY_PAGE_MAX as usize;

/// The most bytes of message text kept per room (roughly; see [`text_bytes`]). A room of
/// long messages keeps fewer of them rather than holding 100 of the longest allowed bodies
/// for every room; a page that reaches beyond is read from the store.
const KEPT_BYTES: usize = 32 * 1024;

/// A page served from memory: the messages are shared with the hub until the caller, outside
/// the hub's lock, makes its own copies ([`RecentPage::into_history_page`]).
#[derive(Debug)]
pub struct RecentPage {
    messages: Vec<Arc<ChatMessage>>,
    reaches_start: bool,
    reaches_end: bool,
}

impl RecentPage {
    pub fn into_history_page(self) -> HistoryPage {
        HistoryPage {
            messages: self.messages.iter().map(|message| ChatMessage::clone(message)).collect(),
            reaches_start: self.reaches_start,
            reaches_end: self.reaches_end,
            first_seq: None,
        }
    }
}

/// A room's latest published messages: consecutive sequence numbers, oldest first.
#[derive(Debug, Default)]
pub struct RecentMessages {
    messages: VecDeque<Arc<ChatMessage>>,
    /// [`text_bytes`] of everything in `messages`.
    bytes: usize,
    /// When the newest message was kept; `None` while nothing is.
    newest_at: Option<Instant>,
}

impl RecentMessages {
    /// Keeps `message`, the room's newest published one, forgetting the oldest beyond the
    /// limits. A message that does not follow the last one kept starts the list afresh. A
    /// change alters the kept entries it refers to by the one rule of
    /// [`ChatMessage::apply_change`], as the store did: pages from memory show messages as
    /// they are now.
    pub fn push(&mut self, message: ChatMessage) {
        if message.is_change() {
            let author_key = message.author.key();
            for kept in &mut self.messages {
                if kept.is_affected_by(&message) {
                    let before = text_bytes(kept);
                    let changed = Arc::make_mut(kept);
                    changed.apply_change(&message, |name| name.key() == author_key);
                    self.bytes = self.bytes - before + text_bytes(changed);
                }
            }
        }
        if self.messages.back().is_some_and(|last| last.seq + 1 != message.seq) {
            self.messages.clear();
            self.bytes = 0;
        }
        self.bytes += text_bytes(&message);
        self.messages.push_back(Arc::new(message));
        self.newest_at = Some(Instant::now());
        while self.messages.len() > KEPT_MESSAGES
            || (self.bytes > KEPT_BYTES && self.messages.len() > 1)
        {
            if let Some(oldest) = self.messages.pop_front() {
                self.bytes -= text_bytes(&oldest);
            }
        }
    }

    /// What the kept messages weigh (their text, roughly: see [`text_bytes`]).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// When the newest kept message was kept; `None` while nothing is.
    pub fn newest_at(&self) -> Option<Instant> {
        self.newest_at
    }

    /// Forgets the kept messages at the start that were sent before `cutoff` (milliseconds
    /// since the epoch), as retention removed them from the store (only a room's first
    /// entries, oldest first: see `store::retention`), so no page from memory shows them again.
    pub fn forget_sent_before(&mut self, cutoff: i64) {
        while let Some(oldest) = self.messages.front().filter(|oldest| oldest.sent_at < cutoff) {
            self.bytes -= text_bytes(oldest);
            self.messages.pop_front();
        }
        if self.messages.is_empty() {
            self.forget();
        }
    }

    /// Forgets every kept message (and the memory they held): pages come from the store until
    /// the room has published again.
    pub fn forget(&mut self) {
        *self = Self::default();
    }

    /// The latest `limit` messages below sequence number `before` (below everything when
    /// `None`), as the store would answer, if every one of them is kept here; `last_seq` is
    /// the room's latest published message. `None` means: ask the store.
    pub fn page_before(
        &self,
        before: Option<u64>,
        limit: u32,
        last_seq: u64,
    ) -> Option<RecentPage> {
        let reaches_end = before.is_none_or(|before| before > last_seq);
        let newest = before.map_or(last_seq, |before| before.saturating_sub(1).min(last_seq));
        if newest == 0 {
            // An empty page: cheap for the store, and only it knows whether the room is
            // really empty (another node's messages may not have reached this one yet).
            return None;
        }
        let oldest = newest.saturating_sub(u64::from(limit.max(1)) - 1).max(1);
        let messages = self.kept_range(oldest, newest, last_seq)?;
        Some(RecentPage { messages, reaches_start: oldest == 1, reaches_end })
    }

    /// The earliest `limit` messages above sequence number `after`, as the store would answer,
    /// if every one of them is kept here (a reconnecting client catching up); `None` means:
    /// ask the store.
    pub fn page_after(&self, after: u64, limit: u32, last_seq: u64) -> Option<RecentPage> {
        if after >= last_seq {
            // Empty: as for `page_before`, only the store knows it is really empty.
            return None;
        }
        let newest = after.saturating_add(u64::from(limit.max(1))).min(last_seq);
        let messages = self.kept_range(after + 1, newest, last_seq)?;
        Some(RecentPage { messages, reaches_start: after == 0, reaches_end: newest == last_seq })
    }

    /// Messages `oldest..=newest` (with `1 <= oldest <= newest <= last_seq`), if all are kept
    /// and what is kept ends at the room's latest published message, `last_seq`.
    fn kept_range(&self, oldest: u64, newest: u64, last_seq: u64) -> Option<Vec<Arc<ChatMessage>>> {
        let first_kept = self.messages.front()?.seq;
        let last_kept = self.messages.back()?.seq;
        if oldest < first_kept || last_kept != last_seq {
            return None;
        }
        let from = usize::try_from(oldest - first_kept).ok()?;
        let to = usize::try_from(newest - first_kept).ok()?;
        Some(self.messages.range(from..=to).cloned().collect())
    }
}

/// What a kept message costs beyond its fixed size: its variable-length fields.
fn text_bytes(message: &ChatMessage) -> usize {
    let reactions =
        message.post().and_then(|post| post.reactions.as_ref()).map_or(0, |reactions| {
            let names = |reaction: &Reaction| -> usize {
                reaction.by.iter().map(|name| name.as_str().len()).sum()
            };
            reactions
                .list
                .iter()
                .map(|reaction| reaction.emoji.as_str().len() + names(reaction))
                .sum()
        });
    reactions
        + message.text().len()
        + message.id.len()
        + message.client_id.as_str().len()
        + message.author.as_str().len()
        + message.room.as_str().len()
}

#[cfg(test)]
mod tests {
    use common::{ClientId, Content, MessageBody, Nickname, RoomName};

    use super::*;

    fn message(seq: u64, body: &str) -> ChatMessage {
        ChatMessage {
            room: RoomName::parse("lobby").expect("room"),
            seq,
            id: format!("id-{seq}"),
            client_id: ClientId::parse(&format!("client-{seq}")).expect("client id"),
            author: Nickname::parse("alice").expect("nickname"),
            sent_at: 0,
            content: Content::post(MessageBody::parse(body).expect("body")),
        }
    }

    fn kept(up_to: u64) -> RecentMessages {
        let mut recent = RecentMessages::default();
        for seq in 1..=up_to {
            recent.push(message(seq, "hi"));
        }
        recent
    }

    fn seqs(page: &RecentPage) -> Vec<u64> {
        page.messages.iter().map(|message| message.seq).collect()
    }

    #[test]
    fn the_latest_page_comes_from_memory_with_the_same_flags_as_the_store() {
        let recent = kept(30);
        let page = recent.page_before(None, 10, 30).expect("kept");
        assert_eq!(seqs(&page), (21..=30).collect::<Vec<_>>());
        assert!(!page.reaches_start);
        assert!(page.reaches_end);

        let page = recent.page_before(Some(31), 50, 30).expect("kept");
        assert_eq!(seqs(&page), (1..=30).collect::<Vec<_>>());
        assert!(page.reaches_start && page.reaches_end);

        let page = recent.page_before(Some(11), 5, 30).expect("kept");
        assert_eq!(seqs(&page), vec![6, 7, 8, 9, 10]);
        assert!(!page.reaches_start);
        assert!(!page.reaches_end, "messages 11..=30 lie beyond the page");
    }

    #[test]
    fn messages_retention_removed_are_no_longer_served_from_memory() {
        let mut recent = RecentMessages::default();
        for seq in 1..=30 {
            recent.push(ChatMessage {
                sent_at: if seq <= 10 { 1_000 } else { 5_000 },
                ..message(seq, "hi")
            });
        }
        let before = recent.bytes();
        recent.forget_sent_before(2_000);
        let removed: usize = (1..=10).map(|seq| text_bytes(&message(seq, "hi"))).sum();
        assert_eq!(recent.bytes(), before - removed);
        assert!(recent.page_after(0, 100, 30).is_none(), "the store says where the room starts");
        assert!(recent.page_before(None, 30, 30).is_none());
        let page = recent.page_before(None, 20, 30).expect("kept");
        assert_eq!(seqs(&page), (11..=30).collect::<Vec<_>>());

        recent.forget_sent_before(9_000);
        assert_eq!(recent.bytes(), 0);
        assert_eq!(recent.newest_at(), None, "nothing kept");
        assert!(recent.page_before(None, 1, 30).is_none());
    }

    #[test]
    fn a_catch_up_page_comes_from_memory_with_the_same_flags_as_the_store() {
        let recent = kept(30);
        let page = recent.page_after(20, 100, 30).expect("kept");
        assert_eq!(seqs(&page), (21..=30).collect::<Vec<_>>());
        assert!(!page.reaches_start && page.reaches_end);

        let page = recent.page_after(0, 5, 30).expect("kept");
        assert_eq!(seqs(&page), vec![1, 2, 3, 4, 5]);
        assert!(page.reaches_start && !page.reaches_end);

        assert!(kept(250).page_after(100, 100, 250).is_none(), "needs message 101");
        assert!(kept(250).page_after(160, 100, 250).is_some());
        assert!(recent.page_after(30, 100, 30).is_none(), "empty: the store says");
        assert!(recent.page_after(20, 100, 31).is_none(), "not the room's latest");
    }

    #[test]
    fn empty_pages_are_left_to_the_store() {
        assert!(RecentMessages::default().page_before(None, 50, 0).is_none());
        assert!(kept(5).page_before(Some(1), 50, 5).is_none());
        assert!(kept(5).page_before(Some(0), 50, 5).is_none());
    }

    #[test]
    fn a_page_reaching_before_what_is_kept_goes_to_the_store() {
        let recent = kept(250);
        assert_eq!(recent.messages.len(), KEPT_MESSAGES);
        assert!(recent.page_before(None, 100, 250).is_some());
        assert!(recent.page_before(Some(250), 100, 250).is_none(), "needs message 149");
        assert!(recent.page_before(Some(100), 10, 250).is_none());
    }

    #[test]
    fn messages_published_before_this_process_started_are_read_from_the_store() {
        // The room had 500 messages at start-up; only 501 and 502 were published since.
        let mut recent = RecentMessages::default();
        recent.push(message(501, "a"));
        recent.push(message(502, "b"));
        assert!(recent.page_before(None, 50, 502).is_none());
        assert_eq!(seqs(&recent.page_before(None, 2, 502).expect("kept")), vec![501, 502]);
        // Not the room's latest (the hub moved on without us): never answer from here.
        assert!(recent.page_before(None, 2, 503).is_none());
    }

    #[test]
    fn a_gap_starts_the_list_afresh() {
        let mut recent = kept(5);
        recent.push(message(9, "after a gap"));
        assert!(recent.page_before(None, 2, 9).is_none());
        assert_eq!(seqs(&recent.page_before(None, 1, 9).expect("kept")), vec![9]);
    }

    #[test]
    fn long_messages_are_kept_fewer() {
        let long = "x".repeat(4_000);
        let mut recent = RecentMessages::default();
        for seq in 1..=40 {
            recent.push(message(seq, &long));
        }
        assert!(recent.bytes <= KEPT_BYTES);
        assert!(recent.messages.len() < 10);
        assert_eq!(recent.messages.back().map(|message| message.seq), Some(40));
    }

    #[test]
    fn a_deletion_erases_its_kept_target_so_pages_from_memory_show_it_deleted() {
        let mut recent = kept(3);
        let weight = recent.bytes();
        let mut deletion = message(4, "x");
        deletion.content = Content::Deletion { deletes: 2 };
        recent.push(deletion);
        let page = recent.page_before(None, 10, 4).expect("kept");
        let bodies: Vec<bool> = page.messages.iter().map(|m| m.body().is_some()).collect();
        assert_eq!(bodies, [true, false, true, false]);
        assert!(recent.bytes() < weight + text_bytes(&message(4, "x")), "the text's bytes went");
    }
}
