//! Inline markup: code spans, links, and `*`/`**` emphasis.
//!
//! Two passes. The first cuts the text into tokens: text, code spans (a run of backticks up
//! to the next run of the same length, as in CommonMark), links, and runs of `*` that may open
//! (followed by a non-space) and/or close (preceded by a non-space). The second matches runs
//! with a stack, nearest opener first, two stars making bold and one italic; a run left
//! unmatched is text again. Each token is looked at a bounded number of times, so the cost is
//! close to linear whatever the input.

use super::Inline;
use super::link::link_at;

/// Parses one paragraph's text.
pub(super) fn parse(text: &str) -> Vec<Inline> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut openers: Vec<usize> = Vec::new(); // indices in `pieces` of runs that may open
    for token in tokenize(text) {
        match token {
            Token::Stars { count, can_open, can_close } => {
                let mut left = count;
                if can_close {
                    left = close_emphasis(&mut pieces, &mut openers, left);
                }
                if left > 0 {
                    if can_open {
                        openers.push(pieces.len());
                    }
                    pieces.push(Piece::Stars(left));
                }
            }
            Token::Inline(inline) => pieces.push(Piece::Inline(inline)),
        }
    }
    into_inlines(pieces)
}

/// Matches a closing run of `count` stars against the openers, innermost first; returns the
/// stars left over.
fn close_emphasis(pieces: &mut Vec<Piece>, openers: &mut Vec<usize>, mut count: usize) -> usize {
    while count > 0 {
        let Some(&opener) = openers.last() else { break };
        let Piece::Stars(available) = pieces[opener] else { unreachable!("openers are runs") };
        let used = if count >= 2 && available >= 2 { 2 } else { 1 };
        let children = into_inlines(pieces.drain(opener + 1..).collect());
        let node = if used == 2 { Inline::Bold(children) } else { Inline::Italic(children) };
        count -= used;
        if available == used {
            pieces[opener] = Piece::Inline(node);
            openers.pop();
        } else {
            pieces[opener] = Piece::Stars(available - used);
            pieces.push(Piece::Inline(node));
        }
    }
    count
}

/// Turns pieces into inlines: unmatched stars become text, and neighbouring texts merge.
fn into_inlines(pieces: Vec<Piece>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let inline = match piece {
            Piece::Stars(count) => Inline::Text("*".repeat(count)),
            Piece::Inline(inline) => inline,
        };
        match (out.last_mut(), inline) {
            (Some(Inline::Text(previous)), Inline::Text(text)) => previous.push_str(&text),
            (_, inline) => out.push(inline),
        }
    }
    out
}

#[derive(Debug)]
enum Piece {
    Stars(usize),
    Inline(Inline),
}

#[derive(Debug)]
enum Token {
    Stars { count: usize, can_open: bool, can_close: bool },
    Inline(Inline),
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut plain_start = 0;
    let mut at = 0;
    // Once a run of n backticks has found no closing run, none later can: remember that.
    let mut unclosed_backtick_runs = std::collections::HashSet::new();
    let flush = |tokens: &mut Vec<Token>, from: usize, to: usize| {
        if from < to {
            tokens.push(Token::Inline(Inline::Text(text[from..to].to_owned())));
        }
    };
    while let Some(c) = text[at..].chars().next() {
        let previous = text[..at].chars().next_back();
        match c {
            '`' => {
                let run = run_length(&text[at..], '`');
                let after = at + run;
                let close = if unclosed_backtick_runs.contains(&run) {
                    None
                } else {
                    find_backtick_run(&text[after..], run)
                };
                match close {
                    Some(offset) => {
                        flush(&mut tokens, plain_start, at);
                        let code = &text[after..after + offset];
                        tokens.push(Token::Inline(Inline::Code(code.to_owned())));
                        at = after + offset + run;
                        plain_start = at;
                    }
                    None => {
                        unclosed_backtick_runs.insert(run);
                        at = after; // The backticks stay in the text.
                    }
                }
            }
            '*' => {
                let run = run_length(&text[at..], '*');
                let next = text[at + run..].chars().next();
                flush(&mut tokens, plain_start, at);
                tokens.push(Token::Stars {
                    count: run,
                    can_open: next.is_some_and(|c| !c.is_whitespace()),
                    can_close: previous.is_some_and(|c| !c.is_whitespace()),
                });
                at += run;
                plain_start = at;
            }
            _ => {
                // Only a Latin letter or digit glues a link to the word before it: Chinese
                // text puts no space before an address ("见https://…"). (ASCII also keeps
                // Unicode's letter tables out of the page's download.)
                let at_word_start = previous.is_none_or(|c| !c.is_ascii_alphanumeric());
                match at_word_start.then(|| link_at(&text[at..])).flatten() {
                    Some(url) => {
                        flush(&mut tokens, plain_start, at);
                        at += url.as_str().len();
                        plain_start = at;
                        tokens.push(Token::Inline(Inline::Link(url)));
                    }
                    None => at += c.len_utf8(),
                }
            }
        }
    }
    flush(&mut tokens, plain_start, text.len());
    tokens
}

/// How many times `c` repeats at the start of `text`.
fn run_length(text: &str, c: char) -> usize {
    text.chars().take_while(|&x| x == c).count()
}

/// Where a run of exactly `length` backticks starts in `text`, if one does.
fn find_backtick_run(text: &str, length: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if run == length {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// Appends the text of `inlines` without markup.
pub(super) fn write_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(text) | Inline::Code(text) => out.push_str(text),
            Inline::Bold(children) | Inline::Italic(children) => write_plain(children, out),
            Inline::Link(url) => out.push_str(url.as_str()),
        }
    }
}

/// Appends `inlines` (one paragraph) as Markdown that parses back to them.
pub(super) fn write_source(inlines: &[Inline], out: &mut String) {
    let mut text_runs = std::collections::BTreeSet::new();
    backtick_runs_in_text(inlines, &mut text_runs);
    write_inlines(inlines, &text_runs, out);
}

fn write_inlines(
    inlines: &[Inline],
    text_runs: &std::collections::BTreeSet<usize>,
    out: &mut String,
) {
    for inline in inlines {
        match inline {
            Inline::Text(text) => out.push_str(text),
            Inline::Code(code) => {
                // More backticks than any run inside the code, so the fence is not closed
                // early; and not as many as a literal run in the paragraph's text, which
                // would otherwise pair with the fence when parsed again.
                let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
                let length =
                    (longest + 1..).find(|n| !text_runs.contains(n)).unwrap_or(longest + 1);
                let fence = "`".repeat(length);
                out.push_str(&fence);
                out.push_str(code);
                out.push_str(&fence);
            }
            Inline::Bold(children) => {
                out.push_str("**");
                write_inlines(children, text_runs, out);
                out.push_str("**");
            }
            Inline::Italic(children) => {
                out.push('*');
                write_inlines(children, text_runs, out);
                out.push('*');
            }
            Inline::Link(url) => out.push_str(url.as_str()),
        }
    }
}

/// The lengths of the runs of backticks left as text (they did not pair when parsed).
fn backtick_runs_in_text(inlines: &[Inline], runs: &mut std::collections::BTreeSet<usize>) {
    for inline in inlines {
        match inline {
            Inline::Text(text) => {
                runs.extend(text.split(|c| c != '`').map(str::len).filter(|&n| n > 0));
            }
            Inline::Bold(children) | Inline::Italic(children) => {
                backtick_runs_in_text(children, runs);
            }
            Inline::Code(_) | Inline::Link(_) => {}
        }
    }
}
