//! The server's half of the WebSocket opening handshake (RFC 6455, section 4.2): checks that
//! a request asks for a WebSocket the way the standard says, and builds the `101 Switching
//! Protocols` answer. The key derivation is tungstenite's.
//!
//! The server takes the connection over itself after the answer (instead of through axum's
//! `WebSocketUpgrade`) so that it can read with tungstenite and write with its own
//! `FrameWriter` on the two halves of the TCP stream.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use tungstenite::handshake::derive_accept_key;

/// Why a request is not a WebSocket upgrade this server can accept: the status and a reason
/// for the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAnUpgrade {
    pub status: StatusCode,
    pub reason: &'static str,
    /// The client asked for another WebSocket version: the answer says which one is spoken
    /// (`Sec-WebSocket-Version: 13`, RFC 6455 section 4.2.2).
    pub other_version: bool,
}

impl NotAnUpgrade {
    fn bad(reason: &'static str) -> Self {
        Self { status: StatusCode::BAD_REQUEST, reason, other_version: false }
    }
}

impl IntoResponse for NotAnUpgrade {
    fn into_response(self) -> axum::response::Response {
        let mut response = (self.status, self.reason).into_response();
        if self.other_version {
            response
                .headers_mut()
                .insert(header::SEC_WEBSOCKET_VERSION, HeaderValue::from_static("13"));
        }
        response
    }
}

/// Checks `request` and returns the `101` answer that accepts it.
pub fn accept(request: &Request<Body>) -> Result<Response<Body>, NotAnUpgrade> {
    if request.method() != Method::GET {
        return Err(NotAnUpgrade {
            status: StatusCode::METHOD_NOT_ALLOWED,
            reason: "a WebSocket upgrade is a GET request",
            other_version: false,
        });
    }
    let headers = request.headers();
    if !has_token(headers, header::CONNECTION, "upgrade") {
        return Err(NotAnUpgrade::bad("the Connection header must include `upgrade`"));
    }
    if !has_token(headers, header::UPGRADE, "websocket") {
        return Err(NotAnUpgrade::bad("the Upgrade header must be `websocket`"));
    }
    if headers.get(header::SEC_WEBSOCKET_VERSION).map(HeaderValue::as_bytes) != Some(b"13") {
        let refusal = NotAnUpgrade::bad("only WebSocket version 13 is spoken here");
        return Err(NotAnUpgrade { other_version: true, ..refusal });
    }
    let Some(key) = headers.get(header::SEC_WEBSOCKET_KEY) else {
        return Err(NotAnUpgrade::bad("the Sec-WebSocket-Key header is missing"));
    };
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::CONNECTION, "upgrade")
        .header(header::UPGRADE, "websocket")
        .header(header::SEC_WEBSOCKET_ACCEPT, derive_accept_key(key.as_bytes()))
        .body(Body::empty())
        .map_err(|_| NotAnUpgrade::bad("the Sec-WebSocket-Key header is malformed"))
}

/// Whether the comma-separated header `name` lists `token` (case-insensitively).
fn has_token(headers: &HeaderMap, name: header::HeaderName, token: &str) -> bool {
    headers.get_all(name).iter().any(|value| {
        value
            .as_bytes()
            .split(|&byte| byte == b',')
            .any(|item| item.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(headers: &[(&str, &str)]) -> Request<Body> {
        let mut builder = Request::builder().method(Method::GET).uri("/ws");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).expect("a request")
    }

    const GOOD: [(&str, &str); 4] = [
        ("connection", "keep-alive, Upgrade"),
        ("upgrade", "websocket"),
        ("sec-websocket-version", "13"),
        ("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ];

    #[test]
    fn a_proper_request_gets_the_accept_key_of_the_standard_example() {
        let answer = accept(&request(&GOOD)).expect("accepted");
        assert_eq!(answer.status(), StatusCode::SWITCHING_PROTOCOLS);
        // The example of RFC 6455, section 1.3.
        assert_eq!(answer.headers()[header::SEC_WEBSOCKET_ACCEPT], "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    #[test]
    fn each_missing_piece_is_named() {
        for (left_out, _) in GOOD {
            let headers: Vec<_> = GOOD.into_iter().filter(|(name, _)| *name != left_out).collect();
            let refusal = accept(&request(&headers)).expect_err("refused");
            assert_eq!(refusal.status, StatusCode::BAD_REQUEST, "{left_out}: {}", refusal.reason);
        }
        let mut post = request(&GOOD);
        *post.method_mut() = Method::POST;
        assert_eq!(accept(&post).expect_err("refused").status, StatusCode::METHOD_NOT_ALLOWED);
    }

    #[test]
    fn another_version_is_told_which_one_is_spoken() {
        let headers: Vec<_> = GOOD
            .into_iter()
            .map(
                |(name, value)| {
                    if name == "sec-websocket-version" { (name, "8") } else { (name, value) }
                },
            )
            .collect();
        let answer = accept(&request(&headers)).expect_err("refused").into_response();
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        assert_eq!(answer.headers()[header::SEC_WEBSOCKET_VERSION], "13");
        let no_key: Vec<_> =
            GOOD.into_iter().filter(|(name, _)| *name != "sec-websocket-key").collect();
        let answer = accept(&request(&no_key)).expect_err("refused").into_response();
        assert!(answer.headers().get(header::SEC_WEBSOCKET_VERSION).is_none());
    }
}
