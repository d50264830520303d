//! Bad input: every kind is answered with its error code, the connection stays usable, and
//! nobody else notices.

use common::{ClientMessage, ErrorCode, ErrorReply, MessageBody, Nickname, ServerMessage};
use futures_util::SinkExt;
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{Client, TestServer};

/// Sends `text` and checks the answer is an error with `code` (and `request_id`, if given).
async fn expect_error(client: &mut Client, text: &str, code: ErrorCode, request_id: Option<u64>) {
    client.send_raw(text).await;
    match client.recv_answer().await {
        ServerMessage::Error(ErrorReply { code: got, request_id: got_id, message, .. }) => {
            assert_eq!(got, code, "for {text:?}");
            assert_eq!(got_id, request_id, "for {text:?}");
            assert!(!message.is_empty());
        }
        other => panic!("for {text:?}, expected an error, got {other:?}"),
    }
}

/// Proves the connection still works: a message is acknowledged and delivered.
async fn still_chats(client: &mut Client, witness: &mut Client) {
    assert!(matches!(client.say("lobby", "still here").await, ServerMessage::Ack(_)));
    let delivered = witness
        .recv_until(|m| match m {
            ServerMessage::Message(message) => Some(message.body().cloned()),
            _ => None,
        })
        .await;
    assert_eq!(delivered.as_ref().map(|body| body.as_str()), Some("still here"));
}

#[tokio::test]
async fn malformed_frames_get_typed_errors_and_the_connection_keeps_working() {
    let server = TestServer::start().await;
    let mut mallory = server.join_lobby_as("mallory").await;
    let mut witness = server.join_lobby_as("witness").await;

    expect_error(&mut mallory, "{this is not json", ErrorCode::MalformedJson, None).await;
    expect_error(&mut mallory, "", ErrorCode::MalformedJson, None).await;
    expect_error(
        &mut mallory,
        r#"{"type":"teleport","request_id":4}"#,
        ErrorCode::UnknownType,
        Some(4),
    )
    .await;
    expect_error(&mut mallory, r#"{"request_id":5}"#, ErrorCode::InvalidMessage, Some(5)).await;
    expect_error(&mut mallory, r#"["send"]"#, ErrorCode::InvalidMessage, None).await;
    expect_error(
        &mut mallory,
        r#"{"type":"send","request_id":6}"#,
        ErrorCode::InvalidMessage,
        Some(6),
    )
    .await;
    expect_error(
        &mut mallory,
        r#"{"type":"join","request_id":7,"room":12}"#,
        ErrorCode::InvalidMessage,
        Some(7),
    )
    .await;
    mallory.connection.socket.send(Message::binary(vec![1u8, 2, 3])).await.expect("sent");
    match mallory.recv_answer().await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::TextFramesOnly, .. }) => {}
        other => panic!("{other:?}"),
    }

    still_chats(&mut mallory, &mut witness).await;
    // The witness heard nothing of the bad frames: nothing is left after the one message.
    witness.expect_silence().await;
}

#[tokio::test]
async fn requests_before_hello_are_refused_as_not_identified() {
    let server = TestServer::start().await;
    let mut early = server.connect().await;
    expect_error(
        &mut early,
        &ClientMessage::Join { request_id: 1, room: "lobby".into() }.to_json(),
        ErrorCode::NotIdentified,
        Some(1),
    )
    .await;
    expect_error(
        &mut early,
        r#"{"type":"send","request_id":2,"room":"lobby","client_id":"x","body":"hi"}"#,
        ErrorCode::NotIdentified,
        Some(2),
    )
    .await;
    assert!(matches!(early.hello("late").await, ServerMessage::Welcome(_)));
}

#[tokio::test]
async fn invalid_nicknames_are_refused_and_another_hello_may_follow() {
    let server = TestServer::start().await;
    let mut client = server.connect().await;
    let too_long = "n".repeat(Nickname::MAX_CHARS + 1);
    for bad in ["", "   ", too_long.as_str(), "tab\there", "bell\u{7}", "zero\u{200B}width"] {
        match client.hello(bad).await {
            ServerMessage::Error(ErrorReply { code: ErrorCode::InvalidNickname, .. }) => {}
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    assert!(matches!(client.hello("fine").await, ServerMessage::Welcome(_)));
    match client.hello("again").await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::AlreadyIdentified, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_different_protocol_version_is_told_to_reload() {
    let server = TestServer::start().await;
    let mut client = server.connect().await;
    expect_error(
        &mut client,
        r#"{"type":"hello","request_id":1,"protocol":99,"nickname":"future"}"#,
        ErrorCode::UnsupportedProtocol,
        Some(1),
    )
    .await;
}

#[tokio::test]
async fn bad_message_bodies_are_refused_and_the_connection_stays() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut witness = server.join_lobby_as("witness").await;
    let too_long = "x".repeat(MessageBody::MAX_CHARS + 1);
    for bad in ["", " \n ", too_long.as_str(), "nul\u{0}byte"] {
        match alice.say("lobby", bad).await {
            ServerMessage::Error(ErrorReply { code: ErrorCode::InvalidBody, .. }) => {}
            other => panic!("{:?}: {other:?}", bad.get(..20)),
        }
    }
    still_chats(&mut alice, &mut witness).await;
}

#[tokio::test]
async fn rooms_that_do_not_exist_or_were_not_joined_are_refused() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut witness = server.join_lobby_as("witness").await;
    match alice.join("nowhere").await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::UnknownRoom, .. }) => {}
        other => panic!("{other:?}"),
    }
    match alice.join("Not A Room!").await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::InvalidRoomName, .. }) => {}
        other => panic!("{other:?}"),
    }
    match alice.join("lobby").await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::AlreadyInRoom, .. }) => {}
        other => panic!("{other:?}"),
    }
    match alice.say("nowhere", "hi").await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::UnknownRoom, .. }) => {}
        other => panic!("{other:?}"),
    }
    let mut outsider = server.connect().await;
    outsider.hello("outsider").await;
    match outsider.say("lobby", "let me in").await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::NotInRoom, .. }) => {}
        other => panic!("{other:?}"),
    }
    still_chats(&mut alice, &mut witness).await;
}

#[tokio::test]
async fn an_oversize_frame_closes_with_1009_and_others_keep_chatting() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    let mut witness = server.join_lobby_as("witness").await;
    let huge = format!(
        r#"{{"type":"send","request_id":1,"room":"lobby","client_id":"x","body":"{}"}}"#,
        "x".repeat(common::MAX_FRAME_BYTES)
    );
    alice.send_raw(&huge).await;
    let close = alice.recv_close().await.expect("a close frame with a reason");
    assert_eq!(u16::from(close.code), 1009);
    assert!(!close.reason.is_empty());
    still_chats(&mut bob, &mut witness).await;
}

#[tokio::test]
async fn a_text_frame_that_is_not_utf8_closes_with_1007() {
    use tokio_tungstenite::tungstenite::protocol::frame::Frame;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};

    let server = TestServer::start().await;
    let mut bad = server.join_lobby_as("bad").await;
    let mut bob = server.join_lobby_as("bob").await;
    let mut witness = server.join_lobby_as("witness").await;
    let invalid_utf8 = vec![b'{', 0xff, 0xfe, b'}'];
    let frame = Frame::message(invalid_utf8, OpCode::Data(Data::Text), true);
    bad.connection.socket.send(Message::Frame(frame)).await.expect("sent");
    let close = bad.recv_close().await.expect("a close frame with a reason");
    assert_eq!(u16::from(close.code), 1007);
    still_chats(&mut bob, &mut witness).await;
}

#[tokio::test]
async fn a_control_frame_over_125_bytes_closes_with_1002() {
    use tokio_tungstenite::tungstenite::protocol::frame::Frame;

    let server = TestServer::start().await;
    let mut bad = server.join_lobby_as("bad").await;
    let mut bob = server.join_lobby_as("bob").await;
    let mut witness = server.join_lobby_as("witness").await;
    let oversized_ping = Frame::ping(vec![b'p'; 200]);
    bad.connection.socket.send(Message::Frame(oversized_ping)).await.expect("sent");
    let close = bad.recv_close().await.expect("a close frame with a reason");
    assert_eq!(u16::from(close.code), 1002);
    still_chats(&mut bob, &mut witness).await;
}

#[tokio::test]
async fn a_fragmented_message_over_the_limit_closes_with_1009() {
    use tokio_tungstenite::tungstenite::protocol::frame::Frame;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};

    let server = TestServer::start().await;
    let mut bad = server.join_lobby_as("bad").await;
    let mut bob = server.join_lobby_as("bob").await;
    let mut witness = server.join_lobby_as("witness").await;
    // Three fragments of 8 KiB: each is small, together they are over 16 KiB.
    let fragment = vec![b'x'; 8 * 1024];
    let frames = [
        Frame::message(fragment.clone(), OpCode::Data(Data::Text), false),
        Frame::message(fragment.clone(), OpCode::Data(Data::Continue), false),
        Frame::message(fragment, OpCode::Data(Data::Continue), true),
    ];
    for frame in frames {
        // The server may close before the last fragment; that is the point.
        if bad.connection.socket.send(Message::Frame(frame)).await.is_err() {
            break;
        }
    }
    let close = bad.recv_close().await.expect("a close frame with a reason");
    assert_eq!(u16::from(close.code), 1009);
    still_chats(&mut bob, &mut witness).await;
}
