//! The small Markdown subset messages may use, parsed once into a typed tree.
//!
//! `**bold**`, `*italic*`, `` `code` ``, fenced code blocks (a line of three backticks, an
//! optional language word, the code, a line of three backticks), and `http`/`https` links found
//! in plain text. Nothing else is markup: there is no raw HTML, no images, no headings, and a
//! link can only ever point at an `http(s)` address ([`SafeUrl`]), so `javascript:` and friends
//! stay text.
//!
//! Parsing never fails: markup that does not close (an unmatched `*`, a fence with no end) is
//! kept as the characters that were typed. Every character of the source ends up in the tree,
//! either as text or as the markup it spelled ([`Markup::to_source`] gives the source back).
//! The parser runs in time close to linear in the length, so a hostile message of the
//! maximum length costs no more than an ordinary one. The page renders the tree as DOM nodes,
//! never as an HTML string; the server can parse with the same code.

mod inline;
mod link;

pub use link::SafeUrl;

/// A parsed message: blocks, top to bottom.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Markup {
    pub blocks: Vec<Block>,
}

/// A paragraph of inline content, or a fenced code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Running text; line breaks inside it are kept as `\n` in its text.
    Paragraph(Vec<Inline>),
    /// A fenced code block, shown as typed.
    Code { language: Option<String>, code: String },
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Bold(Vec<Inline>),
    Italic(Vec<Inline>),
    Code(String),
    Link(SafeUrl),
}

/// The line that opens and closes a fenced code block.
const FENCE: &str = "```";

impl Markup {
    /// Parses `text` (typically a [`crate::MessageBody`]). Never fails.
    pub fn parse(text: &str) -> Self {
        let mut blocks = Vec::new();
        let mut paragraph_start = 0;
        let mut lines = LineCursor::new(text);
        while let Some(line) = lines.next() {
            let Some(language) = fence_opening(line.text) else { continue };
            let Some(close) = lines.clone().find(|later| later.text.trim_end() == FENCE) else {
                // No closing fence: the backticks stay text, and so does the rest.
                break;
            };
            push_paragraph(&mut blocks, &text[paragraph_start..line.start]);
            let code_start = line.end_with_newline;
            let code = text.get(code_start..close.start).unwrap_or("");
            blocks.push(Block::Code {
                language,
                code: code.strip_suffix('\n').unwrap_or(code).to_owned(),
            });
            paragraph_start = close.end_with_newline;
            lines = LineCursor::new_at(text, close.end_with_newline);
        }
        push_paragraph(&mut blocks, &text[paragraph_start.min(text.len())..]);
        Self { blocks }
    }

    /// The text without markup, for places that cannot show formatting (a notification, a
    /// screen reader summary). Links appear as their address.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for (i, block) in self.blocks.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            match block {
                Block::Paragraph(inlines) => inline::write_plain(inlines, &mut out),
                Block::Code { code, .. } => out.push_str(code),
            }
        }
        out
    }

    /// Markdown that parses back to this tree (for a tree from [`Markup::parse`], the source
    /// it came from, up to the line breaks around code blocks).
    pub fn to_source(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            match block {
                Block::Paragraph(inlines) => inline::write_source(inlines, &mut out),
                Block::Code { language, code } => {
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(FENCE);
                    out.push_str(language.as_deref().unwrap_or(""));
                    out.push('\n');
                    out.push_str(code);
                    out.push('\n');
                    out.push_str(FENCE);
                    out.push('\n');
                }
            }
        }
        out
    }
}

/// Parses `text` as a paragraph and adds it, unless it is only line breaks (those between a
/// paragraph and a code block belong to the layout, not the text).
fn push_paragraph(blocks: &mut Vec<Block>, text: &str) {
    let text = text.strip_suffix('\n').unwrap_or(text);
    if !text.is_empty() {
        blocks.push(Block::Paragraph(inline::parse(text)));
    }
}

/// If `line` opens a fenced code block, its language (if one is named).
fn fence_opening(line: &str) -> Option<Option<String>> {
    let rest = line.strip_prefix(FENCE)?.trim();
    if rest.is_empty() {
        return Some(None);
    }
    // A language is one word of letters, digits and a few signs (`c++`, `objective-c`);
    // anything else after the backticks means this is not a fence.
    let is_word = rest.chars().all(|c| c.is_ascii_alphanumeric() || "+-#._".contains(c));
    is_word.then(|| Some(rest.to_owned()))
}

/// One line of the source: its text (without the line feed) and where it starts and ends.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    start: usize,
    /// Just after its line feed (or the end of the source).
    end_with_newline: usize,
}

#[derive(Debug, Clone)]
struct LineCursor<'a> {
    source: &'a str,
    at: usize,
}

impl<'a> LineCursor<'a> {
    fn new(source: &'a str) -> Self {
        Self::new_at(source, 0)
    }

    fn new_at(source: &'a str, at: usize) -> Self {
        Self { source, at }
    }
}

impl<'a> Iterator for LineCursor<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        if self.at >= self.source.len() {
            return None;
        }
        let start = self.at;
        let rest = &self.source[start..];
        let (text, end_with_newline) = match rest.find('\n') {
            Some(newline) => (&rest[..newline], start + newline + 1),
            None => (rest, self.source.len()),
        };
        self.at = end_with_newline;
        Some(Line { text, start, end_with_newline })
    }
}

#[cfg(test)]
mod tests;
