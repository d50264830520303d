//! Plain HTTP: health and readiness checks and the static page.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::TestServer;

/// A minimal HTTP/1.1 GET, enough to check status and body without another client library.
async fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connects");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("request written");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("response read");
    response
}

#[tokio::test]
async fn healthz_answers_ok() {
    let server = TestServer::start().await;
    let response = get(server.addr, "/healthz").await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("ok"), "{response}");
}

#[tokio::test]
async fn readyz_answers_ready_when_the_store_answers() {
    let server = TestServer::start().await;
    let response = get(server.addr, "/readyz").await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("ready: store ok"), "{response}");
}

#[tokio::test]
async fn the_page_is_served_from_the_static_directory() {
    let dir = std::env::temp_dir().join(format!("chat-static-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("index.html"), "<title>chat</title>").expect("write");
    let server = TestServer::start_serving(&dir).await;
    let response = get(server.addr, "/").await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("<title>chat</title>"), "{response}");
    let missing = get(server.addr, "/nope.js").await;
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let dir = std::env::temp_dir().join(format!("chat-static-csp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("index.html"), "<script type=\"module\">init()</script>")
        .expect("write");
    let server = TestServer::start_serving(&dir).await;
    for path in ["/", "/healthz", "/missing.js"] {
        let response = get(server.addr, path).await.to_ascii_lowercase();
        for header in [
            "content-security-policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-",
            "frame-ancestors 'none'",
            "x-content-type-options: nosniff",
            "referrer-policy: no-referrer",
            "x-frame-options: deny",
        ] {
            assert!(response.contains(header), "{path} lacks {header:?}:\n{response}");
        }
        assert!(!response.contains("unsafe-inline"), "{path}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
