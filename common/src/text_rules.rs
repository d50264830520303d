//! Character rules shared by the validated text types.

/// Characters that may never appear in a name: control characters (C0, DEL, C1), zero-width
/// characters and bidirectional overrides, which let one name pose as another or reorder
/// the text around it.
pub(crate) fn is_forbidden_in_name(c: char) -> bool {
    c.is_control() || is_invisible_or_bidi(c)
}

/// Characters that may not appear in a message body: like names, except that line feeds and
/// tabs are allowed, since a message may span several lines.
pub(crate) fn is_forbidden_in_body(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_override(c)
}

fn is_invisible_or_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' // zero-width space/joiners, LRM, RLM
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{FEFF}' // zero-width no-break space (BOM)
        | '\u{00AD}' // soft hyphen
    ) || is_bidi_override(c)
}

fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}
