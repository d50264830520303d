//! Comparing names without regard to case (`Alice` and `alice` are the same person), with the
//! browser's lower-casing.
//!
//! The server's definition of one name is wider (`common/src/nickname/identity.rs`: case and
//! look-alike characters), but the page does not need it: the server never lets two people hold
//! spellings with one key, and sends each holder's one spelling, so among the names the page is
//! sent, case is the only difference left to fold (a name typed in the composer, `@alice`).
//!
//! Rust's `str::to_lowercase` carries the Unicode case tables, 8.8 KB of the page's gzipped
//! WASM. The browser has the same tables (`String.prototype.toLowerCase`: Unicode's default
//! lower-casing, like Rust's), so the page asks it, and only for text that is not all ASCII
//! or caseless scripts (Chinese, Japanese kana, Korean): ASCII lower-cases the same way
//! everywhere, and those scripts not at all. `frontend/clippy.toml` keeps `Nickname::key`
//! and `to_lowercase` out of the page so the tables stay out.
//!
//! Off the browser (the native unit tests) there is no JavaScript: Rust's own lower-casing
//! stands in. The browser tests check that both agree (`tests/components.rs`).

use common::Nickname;

/// `text` in lower case.
pub fn lowercase(text: &str) -> String {
    if is_folded_in_rust(text) { text.to_ascii_lowercase() } else { unicode_lowercase(text) }
}

/// Scripts without letter case (their characters lower-case to themselves), common in names:
/// Chinese, Japanese kana, Korean. Text made of these and ASCII is lower-cased without asking
/// the browser (each call across costs a few microseconds: in Chromium, grouping 500
/// messages by four people with Chinese names took 1.95 ms through the browser, 0.50 ms
/// without; 0.35 ms with ASCII names).
const CASELESS: [(char, char); 5] = [
    ('\u{3040}', '\u{30FF}'), // Hiragana, Katakana
    ('\u{3400}', '\u{4DBF}'), // CJK Unified Ideographs Extension A
    ('\u{4E00}', '\u{9FFF}'), // CJK Unified Ideographs
    ('\u{AC00}', '\u{D7A3}'), // Hangul syllables
    ('\u{3000}', '\u{303F}'), // CJK symbols and punctuation
];

/// Whether lower-casing `text` only changes ASCII letters.
fn is_folded_in_rust(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii() || CASELESS.iter().any(|(first, last)| (*first..=*last).contains(&c)))
}

/// The key two spellings of one name share (what the server compares nicknames by).
pub fn name_key(nickname: &Nickname) -> String {
    lowercase(nickname.as_str())
}

/// Whether `a` and `b` name the same person.
pub fn same_name(a: &Nickname, b: &Nickname) -> bool {
    let (a, b) = (a.as_str(), b.as_str());
    if is_folded_in_rust(a) && is_folded_in_rust(b) {
        return a.eq_ignore_ascii_case(b);
    }
    // Not ASCII on one side can still match ASCII on the other: KELVIN SIGN lower-cases to k.
    // `lowercase` asks the browser only for the side that needs it.
    a == b || lowercase(a) == lowercase(b)
}

#[cfg(target_arch = "wasm32")]
fn unicode_lowercase(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

#[cfg(not(target_arch = "wasm32"))]
#[allow(clippy::disallowed_methods)] // Only the native tests build this; see the module notes.
fn unicode_lowercase(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nick(name: &str) -> Nickname {
        Nickname::parse(name).expect("valid")
    }

    #[test]
    fn the_same_name_in_another_case_is_the_same_person() {
        assert!(same_name(&nick("Alice"), &nick("aLICE")));
        assert!(same_name(&nick("Ärger"), &nick("ärger")));
        assert!(same_name(&nick("\u{212A}im"), &nick("kim")), "KELVIN SIGN is a K");
        assert!(!same_name(&nick("alice"), &nick("alicia")));
        assert!(!same_name(&nick("小明"), &nick("小红")));
        assert_eq!(name_key(&nick("ΟΔΥΣΣΕΥΣ")), "οδυσσευς");
        assert!(same_name(&nick("小明Li"), &nick("小明LI")));
        assert!(!same_name(&nick("小明"), &nick("小明A")));
    }

    #[test]
    #[allow(clippy::disallowed_methods)] // Rust's tables are the reference here.
    fn the_caseless_scripts_have_no_letter_case() {
        for (first, last) in CASELESS {
            for c in first..=last {
                assert_eq!(c.to_lowercase().collect::<String>(), c.to_string(), "{c:?}");
            }
        }
    }
}
