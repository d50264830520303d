//! A person's look in the timeline and lists: a colour and an initial, both worked out from
//! the nickname alone, so every page shows the same person the same way without asking the
//! server.

use common::Nickname;

use crate::model::case_fold::name_key;

/// The hue (0–359) for a nickname: a hash of its key (so `Alice` and `alice`, the same
/// person, match), spread over the colour wheel.
pub fn hue(nickname: &Nickname) -> u16 {
    // FNV-1a: tiny, stable across builds and platforms (unlike the std hasher).
    let hash = name_key(nickname)
        .bytes()
        .fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193));
    (hash % 360) as u16
}

/// The letter (or character) shown in the avatar: the nickname's first character, with what
/// belongs to it (an emoji's variation selector or skin tone, a combining accent, the second
/// half of a flag). Upper case comes from the stylesheet (`text-transform`), which knows
/// every script, so the page ships no case tables of its own.
pub fn initial(nickname: &Nickname) -> String {
    let mut chars = nickname.as_str().chars();
    let Some(first) = chars.next() else { return String::new() };
    let mut initial = String::from(first);
    let is_flag_half = |c: char| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c);
    for next in chars {
        let belongs = matches!(next,
            '\u{0300}'..='\u{036F}'   // combining accents
            | '\u{FE0E}' | '\u{FE0F}' // text or emoji presentation
            | '\u{1F3FB}'..='\u{1F3FF}' // skin tones
            | '\u{20E3}'              // keycap
            | '\u{E0020}'..='\u{E007F}') // tag sequences (subdivision flags)
            || (is_flag_half(first) && is_flag_half(next) && initial.chars().count() == 1);
        if !belongs {
            break;
        }
        initial.push(next);
    }
    initial
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nick(s: &str) -> Nickname {
        Nickname::parse(s).expect("valid")
    }

    #[test]
    fn the_same_person_gets_the_same_colour_whatever_the_case() {
        assert_eq!(hue(&nick("Alice")), hue(&nick("aLICE")));
        assert!(hue(&nick("小明")) < 360);
        let hues: std::collections::HashSet<u16> =
            ["alice", "bob", "carol", "dave", "erin", "frank"]
                .iter()
                .map(|n| hue(&nick(n)))
                .collect();
        assert!(hues.len() >= 5, "different people mostly differ: {hues:?}");
    }

    #[test]
    fn initials_of_letters_ideographs_and_emoji() {
        assert_eq!(initial(&nick("alice")), "a");
        assert_eq!(initial(&nick("éva")), "é");
        assert_eq!(initial(&nick("e\u{0301}va")), "e\u{0301}");
        assert_eq!(initial(&nick("小明")), "小");
        assert_eq!(initial(&nick("👍🏽 fan")), "👍🏽");
        assert_eq!(initial(&nick("❤️love")), "❤️");
        assert_eq!(initial(&nick("🇫🇷🇩🇪")), "🇫🇷", "one flag, not two");
    }
}
