//! Links found in plain text: `http://` and `https://` addresses, nothing else.

use std::fmt;

/// An address that is safe to put in a link's `href`: it starts with `http://` or `https://`
/// (any case), has a host, and holds no whitespace, quotes or angle brackets. Only the
/// parser makes one, so a `javascript:` or `data:` address can never become a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeUrl(String);

impl SafeUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SafeUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The link that starts `text`, if one does. The address runs to the first whitespace (or
/// `<`, `>`, `"`, `` ` ``); punctuation that usually ends a sentence is left out, and so is a
/// closing parenthesis without an opening one in the address ("(see https://x.org/a)").
pub(super) fn link_at(text: &str) -> Option<SafeUrl> {
    let scheme_length = ["https://", "http://"]
        .into_iter()
        .find(|scheme| text.get(..scheme.len()).is_some_and(|s| s.eq_ignore_ascii_case(scheme)))?
        .len();
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len());
    let mut url = &text[..end];
    loop {
        let trimmed = url.trim_end_matches(['.', ',', ':', ';', '!', '?', '\'', '*']);
        let trimmed = match trimmed.strip_suffix(')') {
            Some(inner) if inner.matches('(').count() < trimmed.matches(')').count() => inner,
            _ => trimmed,
        };
        if trimmed.len() == url.len() {
            break;
        }
        url = trimmed;
    }
    let host = url[scheme_length..].split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = !host.is_empty() && !host.starts_with(['.', '@', ':']);
    host_ok.then(|| SafeUrl(url.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(text: &str) -> Option<String> {
        link_at(text).map(|url| url.as_str().to_owned())
    }

    #[test]
    fn finds_http_and_https_in_any_case() {
        assert_eq!(
            link("https://example.org/a?b=c#d rest"),
            Some("https://example.org/a?b=c#d".into())
        );
        assert_eq!(link("HTTP://Example.org"), Some("HTTP://Example.org".into()));
    }

    #[test]
    fn refuses_other_schemes_and_empty_hosts() {
        for text in [
            "javascript:alert(1)",
            "data:text/html,x",
            "ftp://x.org",
            "https://",
            "http:///x",
            "https:// x",
        ] {
            assert_eq!(link(text), None, "{text}");
        }
    }

    #[test]
    fn leaves_sentence_punctuation_and_unbalanced_parentheses_out() {
        assert_eq!(link("https://x.org/a."), Some("https://x.org/a".into()));
        assert_eq!(link("https://x.org/a)!"), Some("https://x.org/a".into()));
        assert_eq!(
            link("https://en.wikipedia.org/wiki/Rust_(language))"),
            Some("https://en.wikipedia.org/wiki/Rust_(language)".into())
        );
    }

    #[test]
    fn stops_at_characters_that_cannot_be_in_an_address() {
        assert_eq!(link("https://x.org/\"onmouseover=alert(1)"), Some("https://x.org/".into()));
        assert_eq!(link("https://x.org/<script>"), Some("https://x.org/".into()));
    }
}
