//! Graceful shutdown tells every client and closes it cleanly.

use common::ServerMessage;

use crate::helpers::TestServer;

#[tokio::test]
async fn shutdown_says_goodbye_with_1001_and_the_server_stops() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    alice.recv().await; // bob joined

    server.shutdown.cancel();
    for client in [&mut alice, &mut bob] {
        let goodbye = client.recv().await;
        assert!(matches!(goodbye, ServerMessage::ServerClosing(_)), "{goodbye:?}");
        let close = client.recv_close().await.expect("a close frame");
        assert_eq!(u16::from(close.code), 1001);
    }
    server.stop().await;
}
