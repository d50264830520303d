//! Closing from the client's side, and requests at the edges of what the protocol allows: the
//! server answers a close frame with the client's own code (RFC 6455 section 5.5.1), and any
//! non-negative `limit` of a history page is clamped, however large.

use common::{ErrorCode, ErrorReply, ServerMessage};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::helpers::{Client, TestServer};

async fn closes_back(client: &mut Client, code: u16) {
    let frame = CloseFrame { code: CloseCode::from(code), reason: "bye".into() };
    client.connection.socket.close(Some(frame)).await.expect("close sent");
    let echoed = client.recv_close().await.expect("the server's close frame");
    assert_eq!(u16::from(echoed.code), code);
}

#[tokio::test]
async fn a_client_that_closes_gets_its_own_close_code_back() {
    let server = TestServer::start().await;
    let mut anonymous = Client::connect(server.addr).await;
    closes_back(&mut anonymous, 1000).await;
    let mut identified = server.join_lobby_as("alice").await;
    closes_back(&mut identified, 4321).await;
}

#[tokio::test]
async fn any_history_limit_is_clamped_however_large_and_a_negative_one_is_refused() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    for n in 0..3 {
        alice.say("lobby", &format!("message {n}")).await;
    }
    for limit in ["4294967296", "18446744073709551615", "0"] {
        let request =
            format!(r#"{{"type":"history","request_id":9,"room":"lobby","limit":{limit}}}"#);
        alice.send_raw(&request).await;
        match alice.answer_to(9).await {
            ServerMessage::History(page) => assert!(!page.messages.is_empty(), "limit {limit}"),
            other => panic!("limit {limit}: expected a page, got {other:?}"),
        }
    }
    alice.send_raw(r#"{"type":"history","request_id":10,"room":"lobby","limit":-1}"#).await;
    match alice.answer_to(10).await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::InvalidMessage, .. }) => {}
        other => panic!("a negative limit: expected invalid_message, got {other:?}"),
    }
}
