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

/// A GET with the given `Accept-Encoding` (none if empty) and any `extra` header lines; the
/// response as text (the test files below are text in every encoding).
async fn get_with(addr: std::net::SocketAddr, path: &str, accept: &str, extra: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connects");
    let accept =
        if accept.is_empty() { String::new() } else { format!("Accept-Encoding: {accept}\r\n") };
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{accept}{extra}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("request written");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("response read");
    response
}

/// The value of header `name` in `response`, if present (names compared without case).
fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// A static folder like Trunk's release build: hashed file names, each with a Brotli and a
/// gzip copy beside it (here plain text saying which copy it is).
fn release_like_folder(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("chat-static-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    for name in [
        "index.html",
        "sw.js",
        "frontend-0123456789abcdef_bg.wasm",
        "frontend-0123456789abcdef.js",
        "style-fedcba9876543210.css",
    ] {
        std::fs::write(dir.join(name), format!("plain {name}")).expect("write");
        std::fs::write(dir.join(format!("{name}.br")), format!("br {name}")).expect("write");
        std::fs::write(dir.join(format!("{name}.gz")), format!("gzip {name}")).expect("write");
    }
    dir
}

#[tokio::test]
async fn the_page_files_come_precompressed_in_the_encoding_the_browser_accepts() {
    let dir = release_like_folder("encodings");
    let server = TestServer::start_serving(&dir).await;
    for (name, content_type) in [
        ("frontend-0123456789abcdef_bg.wasm", "application/wasm"),
        ("frontend-0123456789abcdef.js", "text/javascript"),
        ("style-fedcba9876543210.css", "text/css"),
    ] {
        let path = format!("/{name}");
        for (accept, encoding, body) in [
            ("br, gzip", Some("br"), format!("br {name}")),
            ("gzip, deflate, br", Some("br"), format!("br {name}")),
            ("gzip", Some("gzip"), format!("gzip {name}")),
            ("", None, format!("plain {name}")),
            ("identity", None, format!("plain {name}")),
        ] {
            let response = get_with(server.addr, &path, accept, "").await;
            assert!(response.starts_with("HTTP/1.1 200"), "{path} {accept:?}: {response}");
            assert_eq!(header(&response, "content-encoding"), encoding, "{path} {accept:?}");
            assert!(response.ends_with(&body), "{path} {accept:?}: {response}");
            assert_eq!(header(&response, "content-type"), Some(content_type), "{path} {accept:?}");
            assert_eq!(
                header(&response, "cache-control"),
                Some("public, max-age=31536000, immutable"),
                "{path} {accept:?}"
            );
            assert_eq!(header(&response, "vary"), Some("accept-encoding"), "{path}");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn the_page_and_its_service_worker_are_revalidated_on_every_visit() {
    let dir = release_like_folder("revalidated");
    let server = TestServer::start_serving(&dir).await;
    for path in ["/", "/index.html", "/sw.js"] {
        let response = get_with(server.addr, path, "br, gzip", "").await;
        assert!(response.starts_with("HTTP/1.1 200"), "{path}: {response}");
        assert_eq!(header(&response, "cache-control"), Some("no-cache"), "{path}");
        assert_eq!(header(&response, "content-encoding"), Some("br"), "{path}");
        // A repeat visit asks whether it changed, and gets no body back.
        let modified = header(&response, "last-modified").expect("last-modified").to_owned();
        let again = format!("If-Modified-Since: {modified}\r\n");
        let response = get_with(server.addr, path, "br, gzip", &again).await;
        assert!(response.starts_with("HTTP/1.1 304"), "{path}: {response}");
        assert_eq!(header(&response, "cache-control"), Some("no-cache"), "{path}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
