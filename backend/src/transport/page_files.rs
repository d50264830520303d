//! The page's files (Trunk's `dist/`): compressed ahead of time, cached by the browser as long
//! as their names allow.
//!
//! The release build writes a Brotli (`.br`) and a gzip (`.gz`) copy next to every text and
//! WASM file (`scripts/precompress.sh`, run by Trunk after each release build); `ServeDir`
//! picks the copy the browser accepts, so nothing is compressed per request.
//!
//! Trunk puts a hash of the content in every file name it writes (`frontend-<hash>_bg.wasm`),
//! so such a file never changes: the browser may keep it for a year without asking again.
//! `index.html` (which names the current files) and the service worker keep their names across
//! builds: the browser must ask each time, and gets `304 Not Modified` (from `Last-Modified`)
//! when nothing changed.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::services::ServeDir;

/// What the browser is told about keeping a file.
const FOREVER: &str = "public, max-age=31536000, immutable";
const ASK_EACH_TIME: &str = "no-cache";

/// The page's files under `static_dir`, with their precompressed copies.
pub fn service(static_dir: &std::path::Path) -> ServeDir {
    ServeDir::new(static_dir).precompressed_br().precompressed_gzip()
}

/// Middleware for [`service`]: the cache policy of each file, and `Vary: Accept-Encoding`
/// because the same address answers with different bytes for different browsers.
pub async fn cache_headers(request: Request, next: Next) -> Response {
    let policy = cache_policy(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == axum::http::StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// How long the browser may keep the file at `path`.
fn cache_policy(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or_default();
    if has_content_hash(name) { FOREVER } else { ASK_EACH_TIME }
}

/// Whether `name` carries Trunk's content hash: `<stem>-<hex digits>` followed by `.` or `_`
/// (`style-0123456789abcdef.css`, `frontend-123456789abcdef_bg.wasm`). Trunk writes the 64-bit
/// hash without leading zeros, so it has up to 16 digits and one time in sixteen 15 (a CSS
/// file named so was served `no-cache`); fewer than 12 is taken for a name, not a hash (one
/// hash in 65,536 has fewer and is then merely asked for again each visit).
fn has_content_hash(name: &str) -> bool {
    let Some(dash) = name.rfind('-') else { return false };
    let after = &name.as_bytes()[dash + 1..];
    let digits = after.iter().take_while(|byte| byte.is_ascii_hexdigit()).count();
    (12..=16).contains(&digits) && matches!(after.get(digits), Some(b'.' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_files_are_kept_for_a_year_and_the_rest_is_asked_for_each_time() {
        for path in [
            "/frontend-3f2a9c1d0b4e5f67_bg.wasm",
            "/frontend-3f2a9c1d0b4e5f67.js",
            "/style-0123456789abcdef.css",
            "/icon-0123456789ABCDEF.svg",
            "/style-cd1eddb5dc711a8.css", // 15 digits: the hash began with a zero
        ] {
            assert_eq!(cache_policy(path), FOREVER, "{path}");
        }
        for path in [
            "/",
            "/index.html",
            "/sw.js",
            "/favicon.ico",
            "/frontend-3f2a9c.js",
            "/frontend-3f2a9c1d0b4e5f67a.js",
            "/frontend-3f2a9c1d0b4e5f6z.js",
            "/frontend-3f2a9c1d0b4e5f67",
            "/a-b/index.html",
        ] {
            assert_eq!(cache_policy(path), ASK_EACH_TIME, "{path}");
        }
    }
}
