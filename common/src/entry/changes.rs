//! How a change (an edit, a deletion, a reaction) alters the entries it refers to, written
//! once for everyone who keeps entries: the server's memory of a room's latest entries and
//! the page's timeline. The store does the same in SQL (`backend/src/store/append.rs`), and
//! the tests of both sides hold them to the same outcome.

use super::{ChatMessage, Content, Edited};
use crate::{Nickname, Reactions, excerpt};

impl ChatMessage {
    /// Whether `change`, a later entry of the same room, alters this entry: it is the post
    /// the change is to, an edit of the post a deletion deletes, or a reply quoting that post.
    pub fn is_affected_by(&self, change: &ChatMessage) -> bool {
        let Some(target) = change.content.target() else { return false };
        if self.seq >= change.seq {
            return false;
        }
        let quotes_target = self
            .post()
            .and_then(|post| post.reply_to.as_ref())
            .is_some_and(|quote| quote.seq == target);
        let edit_of_deleted = matches!(
            (&self.content, &change.content),
            (Content::Edit { edits, .. }, Content::Deletion { .. }) if *edits == target
        );
        self.seq == target || quotes_target || edit_of_deleted
    }

    /// Alters this entry as `change` does (see [`Self::is_affected_by`]; nothing happens to
    /// an entry it does not affect):
    /// - a deletion erases the post's text and reactions, its edits' text, and its quotes;
    /// - an edit replaces the text (unless a later edit is applied already) and its quotes;
    /// - a reaction changes the reactions (unless they count it already).
    ///
    /// A deleted post takes no edit and no reaction. `is_author` tells whether a name already
    /// on the post is the change's author (the server compares by `Nickname::key`, the page,
    /// which lacks the key's tables, by case).
    pub fn apply_change(&mut self, change: &ChatMessage, is_author: impl Fn(&Nickname) -> bool) {
        if !self.is_affected_by(change) {
            return;
        }
        let is_target = change.content.target() == Some(self.seq);
        match (&mut self.content, &change.content) {
            (Content::Edit { body, .. }, Content::Deletion { .. }) => *body = None,
            (Content::Post(post), _) if !is_target => {
                // A reply quoting the changed post: the quote shows the post as it is now.
                let Some(quote) = post.reply_to.as_mut() else { return };
                match &change.content {
                    Content::Deletion { .. } => quote.excerpt = None,
                    Content::Edit { body, .. } if quote.excerpt.is_some() => {
                        quote.excerpt = body.as_ref().map(|body| excerpt(body.as_str()));
                        quote.edited = true;
                    }
                    _ => {}
                }
            }
            (Content::Post(post), Content::Deletion { .. }) => {
                post.body = None;
                post.reactions = None;
            }
            (Content::Post(post), Content::Edit { body, .. }) => {
                let newer = post.edited.is_none_or(|latest| latest.seq < change.seq);
                if !post.is_deleted() && newer {
                    post.body.clone_from(body);
                    post.edited = Some(Edited { seq: change.seq, at: change.sent_at });
                }
            }
            (Content::Post(post), Content::Reaction(reaction)) => {
                let counted = post.reactions.as_ref().is_some_and(|kept| kept.seq >= change.seq);
                if !post.is_deleted() && !counted {
                    let reactions = post.reactions.get_or_insert_with(Reactions::default);
                    // The store applied the same entry by the same rule, so it fits here too.
                    let _ = reactions.apply(change.seq, &change.author, reaction, is_author);
                }
            }
            _ => {}
        }
    }
}
