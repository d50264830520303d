//! Typing `@` in the composer offers the room's people: which `@name` is being typed before
//! the caret, who it could be, and the text once one of them is chosen.
//!
//! Positions are byte offsets into the text here; the browser counts UTF-16 units, so the
//! composer converts with [`byte_offset`] and [`utf16_offset`].

use common::Nickname;

use crate::model::case_fold::{lowercase, name_key};

/// The most people offered at once.
pub const MAX_SUGGESTIONS: usize = 6;

/// An `@name` being typed: where its `@` is, and what follows it up to the caret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedMention {
    pub at: usize,
    pub typed: String,
}

/// The `@name` the caret (at byte `caret`) is at the end of, if any: an `@` at the start of
/// the text or after a space or line break, then no space up to the caret.
pub fn typed_mention(text: &str, caret: usize) -> Option<TypedMention> {
    let before = text.get(..caret)?;
    let at = before.rfind('@')?;
    let typed = &before[at + 1..];
    if typed.chars().any(char::is_whitespace) {
        return None;
    }
    let starts_a_word = before[..at].chars().next_back().is_none_or(char::is_whitespace);
    starts_a_word.then(|| TypedMention { at, typed: typed.to_owned() })
}

/// The people whose names start with `typed` (compared as names are), not `me`, in the order
/// given, at most [`MAX_SUGGESTIONS`].
pub fn suggestions(typed: &str, people: &[Nickname], me: Option<&Nickname>) -> Vec<Nickname> {
    let typed = lowercase(typed);
    let me = me.map(name_key);
    people
        .iter()
        .filter(|person| {
            let key = name_key(person);
            key.starts_with(&typed) && me.as_deref() != Some(key.as_str())
        })
        .take(MAX_SUGGESTIONS)
        .cloned()
        .collect()
}

/// `text` with the typed mention (ending at byte `caret`) replaced by `@name ` , and the byte
/// offset just after it (where the caret goes).
pub fn complete(
    text: &str,
    mention: &TypedMention,
    caret: usize,
    name: &Nickname,
) -> (String, usize) {
    let inserted = format!("@{name} ");
    let after = text.get(caret..).unwrap_or("");
    let completed = format!("{}{inserted}{after}", &text[..mention.at]);
    (completed, mention.at + inserted.len())
}

/// The byte offset of the `utf16` offset (as the browser counts) in `text`.
pub fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (index, character) in text.char_indices() {
        if units >= utf16 {
            return index;
        }
        units += character.len_utf16();
    }
    text.len()
}

/// The UTF-16 offset (as the browser counts) of byte offset `byte` in `text`.
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    text.get(..byte).unwrap_or(text).encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nick(name: &str) -> Nickname {
        Nickname::parse(name).expect("valid")
    }

    #[test]
    fn the_mention_being_typed_is_the_at_word_before_the_caret() {
        let text = "hi @al";
        assert_eq!(
            typed_mention(text, text.len()),
            Some(TypedMention { at: 3, typed: "al".into() })
        );
        assert_eq!(typed_mention("@", 1), Some(TypedMention { at: 0, typed: String::new() }));
        assert_eq!(typed_mention("mail@al", 7), None, "inside a word: an address, not a mention");
        assert_eq!(typed_mention("@al ice", 7), None, "a space ended it");
        assert_eq!(typed_mention("你好 @小", "你好 @小".len()).map(|m| m.typed), Some("小".into()));
        assert_eq!(typed_mention("@al", 2).map(|m| m.typed), Some("a".into()), "up to the caret");
    }

    #[test]
    fn suggestions_are_the_people_whose_names_start_so_not_me() {
        let people = [nick("Alice"), nick("albert"), nick("bob"), nick("Al")];
        let me = nick("al");
        let names: Vec<String> =
            suggestions("AL", &people, Some(&me)).iter().map(ToString::to_string).collect();
        assert_eq!(names, ["Alice", "albert"]);
        assert_eq!(suggestions("", &people, None).len(), 4);
        assert!(suggestions("z", &people, None).is_empty());
    }

    #[test]
    fn completing_replaces_the_typed_part_and_puts_the_caret_after_the_name() {
        let text = "hi @al, see";
        let mention = typed_mention(text, 6).expect("typing");
        let (completed, caret) = complete(text, &mention, 6, &nick("Alice"));
        assert_eq!(completed, "hi @Alice , see");
        assert_eq!(&completed[..caret], "hi @Alice ");
    }

    #[test]
    fn offsets_convert_between_bytes_and_the_browsers_utf16_units() {
        let text = "é😀@x";
        let byte = byte_offset(text, 3); // é is 1 unit, 😀 is 2
        assert_eq!(&text[byte..], "@x");
        assert_eq!(utf16_offset(text, byte), 3);
        assert_eq!(byte_offset(text, 99), text.len());
    }
}
