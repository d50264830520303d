//! Which web pages may open a WebSocket to this server.
//!
//! A browser attaches cookies and sends the upgrade from any page the user visits, so without
//! this check any site could open a chat connection in the user's name (cross-site WebSocket
//! hijacking). Browsers always send `Origin` on a WebSocket upgrade; the page's own origin
//! (same scheme-less host and port as the `Host` header) and the configured origins are
//! allowed. A request without `Origin` does not come from a browser page, so it cannot be
//! hijacked, and is allowed (scripts and other programs connect that way).

use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN};

/// The origins allowed besides the page's own, as configured (`--allowed-origin`).
#[derive(Debug, Clone, Default)]
pub struct OriginPolicy {
    allowed: Vec<String>,
}

impl OriginPolicy {
    /// `allowed` are full origins such as `https://chat.example.com` or
    /// `http://127.0.0.1:8081`; a trailing slash is ignored.
    pub fn new(allowed: &[String]) -> Self {
        let allowed = allowed
            .iter()
            .map(|origin| origin.trim().trim_end_matches('/').to_ascii_lowercase())
            .filter(|origin| !origin.is_empty())
            .collect();
        Self { allowed }
    }

    /// Why the request's origin is refused, or `None` if it may connect.
    pub fn refusal(&self, headers: &HeaderMap) -> Option<String> {
        // No Origin: not a browser page (see the module documentation).
        let origin = headers.get(ORIGIN)?;
        let Ok(origin) = origin.to_str() else {
            return Some("the Origin header is not readable".into());
        };
        let origin = origin.trim_end_matches('/').to_ascii_lowercase();
        if self.allowed.contains(&origin) || is_same_origin(&origin, headers) {
            return None;
        }
        Some(format!(
            "pages from {origin} may not connect to this chat (allow it with --allowed-origin)"
        ))
    }
}

/// Whether `origin` names the host the request was sent to.
fn is_same_origin(origin: &str, headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(HOST).and_then(|host| host.to_str().ok()) else {
        return false;
    };
    let origin_host = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    origin_host.is_some_and(|origin_host| origin_host.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(origin: Option<&'static str>, host: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static(host));
        if let Some(origin) = origin {
            headers.insert(ORIGIN, HeaderValue::from_static(origin));
        }
        headers
    }

    #[test]
    fn the_pages_own_origin_is_allowed() {
        let policy = OriginPolicy::default();
        assert_eq!(policy.refusal(&headers(Some("http://chat.test:8080"), "chat.test:8080")), None);
        assert_eq!(policy.refusal(&headers(Some("https://CHAT.test"), "chat.test")), None);
    }

    #[test]
    fn another_site_is_refused_unless_configured() {
        let forged = headers(Some("https://evil.test"), "chat.test");
        assert!(OriginPolicy::default().refusal(&forged).is_some());
        let policy = OriginPolicy::new(&["https://evil.test/".into()]);
        assert_eq!(policy.refusal(&forged), None);
    }

    #[test]
    fn lookalike_hosts_and_ports_are_refused() {
        let policy = OriginPolicy::default();
        for origin in ["http://chat.test:8081", "http://chat.test.evil.test", "null", "file://"] {
            let mut request = headers(None, "chat.test");
            request.insert(ORIGIN, HeaderValue::from_str(origin).expect("valid header"));
            assert!(policy.refusal(&request).is_some(), "{origin}");
        }
    }

    #[test]
    fn programs_without_an_origin_may_connect() {
        assert_eq!(OriginPolicy::default().refusal(&headers(None, "chat.test")), None);
    }
}
