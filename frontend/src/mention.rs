//! Whether a message mentions someone: their nickname as a word (`@alice`, `alice:`,
//! `hi ALICE!`), not inside another word (`malice`), compared the way nicknames are.
//!
//! Words are told apart by Latin letters and digits only: Chinese puts no spaces between
//! words, so `@小明你好` mentions 小明.

use common::Nickname;

use crate::model::case_fold::{lowercase, name_key};

/// Whether `text` names `nickname` as a word.
pub fn mentions(text: &str, nickname: &Nickname) -> bool {
    let name = name_key(nickname);
    let text = lowercase(text);
    let is_word_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    text.match_indices(&name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_as_a_word_is_a_mention() {
        let alice = Nickname::parse("Alice").expect("valid");
        for text in ["@alice hi", "ALICE: look", "hi alice!", "alice", "(alice)", "hey @Alice."] {
            assert!(mentions(text, &alice), "{text}");
        }
        for text in ["malice", "alice_b", "alices", "bob", "al ice"] {
            assert!(!mentions(text, &alice), "{text}");
        }
    }

    #[test]
    fn chinese_and_emoji_names() {
        let name = Nickname::parse("小明").expect("valid");
        assert!(mentions("@小明 你好", &name));
        assert!(mentions("@小明你好", &name), "no spaces between Chinese words");
        let emoji = Nickname::parse("🦀rust").expect("valid");
        assert!(mentions("thanks @🦀rust!", &emoji));
    }
}
