//! Reactions: an emoji people put on a message instead of writing.
//!
//! Adding or withdrawing one is an entry of the room's sequence ([`ReactsTo`], on a
//! `message`), and each message carries the result ([`Reactions`]). The one rule of how an
//! entry changes the result is here, so the store, the server's memory of recent messages
//! and the page cannot disagree about it.

use serde::{Deserialize, Serialize};

use crate::{Emoji, Nickname};

/// The most different emoji one message may carry; adding another is refused
/// (`too_many_reactions`). Reacting with one already there is always possible.
pub const REACTIONS_MAX: usize = 20;

/// What a reaction entry does: `emoji` from its author on the message `seq` of its room, added
/// or (`withdraw`) taken back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactsTo {
    pub seq: u64,
    pub emoji: Emoji,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withdraw: bool,
}

/// The reactions on a message, as of the latest reaction entry to it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reactions {
    /// The `seq` of the latest reaction entry they include: an entry at or below it is
    /// already counted (a page of older history read after the message).
    pub seq: u64,
    /// Each emoji once, in the order it was first added; none without anyone.
    pub list: Vec<Reaction>,
}

/// One emoji on a message and who put it there, in the order they did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    pub emoji: Emoji,
    pub by: Vec<Nickname>,
}

/// A reaction that would make a message carry more than [`REACTIONS_MAX`] different emoji.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a message can carry at most {REACTIONS_MAX} different reactions")]
pub struct TooManyReactions;

impl Reactions {
    /// Applies the entry `seq` by `author`: adds their `emoji` (once: adding it again changes
    /// nothing) or withdraws it (nothing if it was not there). `is_author` tells whether a
    /// name already on the message is the author's: the server compares by `Nickname::key`
    /// (computed once per entry), the page (which lacks the key's tables, and is sent each
    /// person's one spelling) by case.
    pub fn apply(
        &mut self,
        seq: u64,
        author: &Nickname,
        change: &ReactsTo,
        is_author: impl Fn(&Nickname) -> bool,
    ) -> Result<(), TooManyReactions> {
        let position = self.list.iter().position(|reaction| reaction.emoji == change.emoji);
        match (position, change.withdraw) {
            (Some(index), false) => {
                let by = &mut self.list[index].by;
                if !by.iter().any(&is_author) {
                    by.push(author.clone());
                }
            }
            (None, false) => {
                if self.list.len() >= REACTIONS_MAX {
                    return Err(TooManyReactions);
                }
                self.list.push(Reaction { emoji: change.emoji.clone(), by: vec![author.clone()] });
            }
            (Some(index), true) => {
                self.list[index].by.retain(|name| !is_author(name));
                if self.list[index].by.is_empty() {
                    self.list.remove(index);
                }
            }
            (None, true) => {}
        }
        self.seq = self.seq.max(seq);
        Ok(())
    }

    /// Whether someone (`is_them`, compared as in [`Reactions::apply`]) has put `emoji` on the
    /// message.
    pub fn has(&self, emoji: &Emoji, is_them: impl Fn(&Nickname) -> bool) -> bool {
        self.list
            .iter()
            .any(|reaction| &reaction.emoji == emoji && reaction.by.iter().any(&is_them))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(raw: &str) -> Nickname {
        Nickname::parse(raw).expect("valid nickname")
    }

    /// Compares names with `author` by case, as the page does.
    fn by_case(author: &str) -> impl Fn(&Nickname) -> bool + '_ {
        move |name| name.as_str().to_lowercase() == author.to_lowercase()
    }

    fn change(emoji: &str, withdraw: bool) -> ReactsTo {
        ReactsTo { seq: 1, emoji: Emoji::parse(emoji).expect("valid emoji"), withdraw }
    }

    #[test]
    fn adding_twice_counts_once_and_withdrawing_removes_only_ones_own() {
        let mut reactions = Reactions::default();
        reactions
            .apply(2, &name("ann"), &change("👍", false), by_case("ann"))
            .expect("room for it");
        reactions
            .apply(3, &name("Ann"), &change("👍", false), by_case("Ann"))
            .expect("room for it");
        reactions
            .apply(4, &name("bob"), &change("👍", false), by_case("bob"))
            .expect("room for it");
        reactions
            .apply(5, &name("bob"), &change("🎉", false), by_case("bob"))
            .expect("room for it");
        assert_eq!(reactions.list.len(), 2);
        assert_eq!(reactions.list[0].by, vec![name("ann"), name("bob")]);
        reactions
            .apply(6, &name("ANN"), &change("👍", true), by_case("ANN"))
            .expect("a withdrawal");
        assert_eq!(reactions.list[0].by, vec![name("bob")]);
        reactions
            .apply(7, &name("ann"), &change("🎉", true), by_case("ann"))
            .expect("a withdrawal");
        assert_eq!(reactions.list[1].by, vec![name("bob")]);
        reactions
            .apply(8, &name("bob"), &change("👍", true), by_case("bob"))
            .expect("a withdrawal");
        assert_eq!(reactions.list.len(), 1, "an emoji nobody has put is gone");
        assert_eq!(reactions.seq, 8);
        assert!(reactions.has(&Emoji::parse("🎉").expect("valid"), by_case("BOB")));
    }

    #[test]
    fn a_new_emoji_beyond_the_limit_is_refused_and_changes_nothing() {
        let mut reactions = Reactions::default();
        let emoji: Vec<String> =
            ('\u{1F600}'..).take(REACTIONS_MAX + 1).map(String::from).collect();
        for (seq, raw) in (1..).zip(&emoji[..REACTIONS_MAX]) {
            reactions
                .apply(seq, &name("ann"), &change(raw, false), by_case("ann"))
                .expect("room for it");
        }
        let before = reactions.clone();
        let last = change(&emoji[REACTIONS_MAX], false);
        assert_eq!(reactions.apply(99, &name("ann"), &last, by_case("ann")), Err(TooManyReactions));
        assert_eq!(reactions, before);
        // One already there may still be added by someone else.
        reactions
            .apply(100, &name("bob"), &change(&emoji[0], false), by_case("bob"))
            .expect("already there");
    }
}
