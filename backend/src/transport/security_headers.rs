//! Security headers on every HTTP response.
//!
//! The Content-Security-Policy lets the page run only its own scripts and WebAssembly: no
//! script from elsewhere, no inline script except the loader Trunk writes into `index.html`,
//! which is allowed by its SHA-256 hash, computed from the served file at start-up (so it
//! follows every rebuild). It also forbids framing the page, plugins and `<base>` tricks.

use std::path::Path;

use axum::http::{HeaderName, HeaderValue, header};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

/// The layers that add the headers, for `Router::layer`.
pub fn layers(static_dir: &Path) -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    let index = std::fs::read_to_string(static_dir.join("index.html")).unwrap_or_default();
    let policy = content_security_policy(&index);
    [
        (header::CONTENT_SECURITY_POLICY, policy.as_str()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ]
    .into_iter()
    .filter_map(|(name, value): (HeaderName, &str)| {
        // Every value here is built from ASCII; a failure would drop one header, not serve
        // the page without the others.
        HeaderValue::from_str(value)
            .ok()
            .map(|value| SetResponseHeaderLayer::overriding(name, value))
    })
    .collect()
}

/// The policy for a page whose HTML is `index_html`.
pub fn content_security_policy(index_html: &str) -> String {
    let hashes: String = inline_scripts(index_html)
        .map(|script| format!(" 'sha256-{}'", sha256_base64(script)))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The text of every `<script>` element without a `src`, exactly as the browser hashes it.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find("<script")?;
            let open_end = start + rest[start..].find('>')?;
            let attributes = &rest[start..open_end];
            let body_start = open_end + 1;
            let body_end = body_start + rest[body_start..].find("</script>")?;
            let body = &rest[body_start..body_end];
            rest = &rest[body_end..];
            if !attributes.contains("src=") {
                return Some(body);
            }
        }
    })
}

fn sha256_base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_allowed_by_hash_and_nothing_else_inline() {
        let html = "<head><script type=\"module\">\nimport init from '/a.js';\n</script>\
                    <script src=\"/b.js\"></script></head>";
        let policy = content_security_policy(html);
        let expected = sha256_base64("\nimport init from '/a.js';\n");
        assert!(policy.contains(&format!("'sha256-{expected}'")), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 1, "the src script needs no hash");
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn the_hash_is_the_standard_sha256_of_the_text() {
        // echo -n "alert(1)" | openssl dgst -sha256 -binary | base64
        assert_eq!(sha256_base64("alert(1)"), "bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=");
    }

    #[test]
    fn a_page_without_inline_scripts_allows_none() {
        assert!(!content_security_policy("<html></html>").contains("sha256"));
    }
}
