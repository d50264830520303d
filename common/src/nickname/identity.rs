//! What makes two nicknames the same name: the one definition the server compares by, for
//! claims (on this node and across the cluster) and for room membership alike.
//!
//! Two spellings are one name when their UTS #39 confusable skeletons of the lower-cased text
//! agree: `alice`, `ALICE`, `аlice` (with a Cyrillic а) and `Jose` + combining acute vs `José`
//! are each one name, so only one person can hold it. The skeleton also removes differences
//! of normalization form.
//!
//! Behind the `confusables` feature (on for the server, off for the page): the skeleton and
//! Unicode case tables weigh tens of KB of WASM. The page never needs them to decide who is
//! who: the server already made every name unique by this key and sends each holder's one
//! spelling, so the page compares the names it is sent by case alone
//! (`frontend/src/model/case_fold.rs`).

use unicode_normalization::UnicodeNormalization;
use unicode_security::confusable_detection::skeleton;

use super::Nickname;

impl Nickname {
    /// The identity used for uniqueness: two nicknames with the same key are the same name.
    pub fn key(&self) -> String {
        skeleton(&self.as_str().to_lowercase()).collect()
    }

    /// The nickname in Unicode normalization form C, the form it is kept and shown in (so the
    /// same name typed on two keyboards looks the same).
    pub fn normalized(&self) -> Nickname {
        let composed: String = self.as_str().nfc().collect();
        // Composing never makes a valid name invalid in practice; keep the original if it did.
        Nickname::parse(&composed).unwrap_or_else(|_| self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nick(s: &str) -> Nickname {
        Nickname::parse(s).expect("valid")
    }

    #[test]
    fn case_is_not_part_of_a_name() {
        assert_eq!(nick("Alice").key(), nick("aLICE").key());
        assert_ne!(nick("Alice"), nick("aLICE"), "the text keeps the case its owner chose");
    }

    #[test]
    fn look_alike_names_are_one_name() {
        let alice = nick("alice").key();
        for impostor in
            ["ALICE", "Alice", "\u{430}lice", "\u{410}LICE", "\u{251}lice", "a\u{217c}ice"]
        {
            assert_eq!(nick(impostor).key(), alice, "{impostor:?} poses as alice");
        }
        assert_ne!(nick("alicia").key(), alice);
        assert_ne!(nick("bob").key(), alice);
    }

    #[test]
    fn names_are_kept_in_composed_form_and_compared_in_any() {
        let decomposed = nick("Jose\u{301}");
        assert_eq!(decomposed.normalized().as_str(), "Jos\u{e9}");
        assert_eq!(decomposed.key(), nick("jos\u{e9}").key());
    }
}
