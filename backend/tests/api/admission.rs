//! Who may connect: pages from other origins are refused before the upgrade (403), and one
//! address may hold only so many connections (429), each with a reason.

use tokio_tungstenite::tungstenite::Error as WsError;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

use common::ServerMessage;

use crate::helpers::{PATIENCE, TestServer};

/// Tries to open a WebSocket with the given `Origin`; returns the HTTP status and body of a
/// refusal, or `None` if the upgrade succeeded.
async fn refusal(server: &TestServer, origin: Option<&str>) -> Option<(u16, String)> {
    let mut request = format!("ws://{}/ws", server.addr).into_client_request().expect("request");
    if let Some(origin) = origin {
        request.headers_mut().insert("Origin", HeaderValue::from_str(origin).expect("header"));
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok(_) => None,
        Err(WsError::Http(response)) => {
            let body = response.body().as_ref().map(|b| String::from_utf8_lossy(b).into_owned());
            Some((response.status().as_u16(), body.unwrap_or_default()))
        }
        Err(other) => panic!("unexpected failure: {other}"),
    }
}

#[tokio::test]
async fn a_page_from_another_origin_is_refused_with_403_before_any_frame() {
    let server = TestServer::start().await;
    let (status, reason) = refusal(&server, Some("https://evil.example")).await.expect("refused");
    assert_eq!(status, 403);
    assert!(reason.contains("https://evil.example"), "{reason}");
    // The page's own origin, and programs that send none, may connect.
    let own = format!("http://{}", server.addr);
    assert_eq!(refusal(&server, Some(&own)).await, None);
    assert_eq!(refusal(&server, None).await, None);
}

#[tokio::test]
async fn a_configured_origin_may_connect() {
    let server = TestServer::start_with_flags(&["--allowed-origin", "http://127.0.0.1:8081"]).await;
    assert_eq!(refusal(&server, Some("http://127.0.0.1:8081")).await, None);
    assert!(refusal(&server, Some("http://127.0.0.1:8082")).await.is_some());
}

#[tokio::test]
async fn an_address_over_its_connection_limit_is_refused_with_429_until_one_closes() {
    let server = TestServer::start_with_flags(&["--max-connections-per-address", "3"]).await;
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(server.connect().await);
    }
    let (status, reason) = refusal(&server, None).await.expect("the fourth is refused");
    assert_eq!(status, 429);
    assert!(reason.contains("3 open connections"), "{reason}");
    // Those already open keep working.
    assert!(matches!(open[0].hello("still-fine").await, common::ServerMessage::Welcome(_)));

    drop(open.pop());
    let deadline = tokio::time::Instant::now() + crate::helpers::PATIENCE;
    while refusal(&server, None).await.is_some() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the closed connection's place never freed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn an_upgrade_whose_headers_never_finish_is_dropped() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let server = TestServer::start_with_flags(&["--request-header-timeout-ms", "300"]).await;
    let mut silent = tokio::net::TcpStream::connect(server.addr).await.expect("connects");
    let mut trickling = tokio::net::TcpStream::connect(server.addr).await.expect("connects");
    trickling
        .write_all(b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")
        .await
        .expect("half the headers sent");
    for stream in [&mut silent, &mut trickling] {
        let mut answer = Vec::new();
        // Whatever the server says (a 408, or nothing), it must end the connection.
        let ended = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut answer)).await;
        assert!(ended.is_ok(), "the connection was held open");
    }
    // Complete requests are still served.
    let mut client = server.connect().await;
    client.send(&common::ClientMessage::Ping { request_id: 1 }).await;
    assert!(matches!(client.answer_to(1).await, ServerMessage::Pong(_)));
}
