//! Chatting: identities, presence, messages in order.

use common::{Ack, ErrorCode, ErrorReply, Joined, ServerMessage, UserJoined, UserLeft, Welcome};

use crate::helpers::{TestServer, nicknames};

#[tokio::test]
async fn hello_then_join_lists_the_joiner_as_present() {
    let server = TestServer::start().await;
    let mut alice = server.connect().await;
    let welcome = alice.hello("  Alice ").await;
    assert!(
        matches!(&welcome, ServerMessage::Welcome(Welcome { nickname, protocol: 1, .. }) if nickname.as_str() == "Alice"),
        "{welcome:?}"
    );
    match alice.join("lobby").await {
        ServerMessage::Joined(Joined { room, members, .. }) => {
            assert_eq!(room.as_str(), "lobby");
            assert_eq!(members, nicknames(&["Alice"]));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_nickname_in_use_is_refused_ignoring_case_and_another_can_be_picked() {
    let server = TestServer::start().await;
    let _alice = server.join_lobby_as("alice").await;
    let mut impostor = server.connect().await;
    match impostor.hello("ALICE").await {
        ServerMessage::Error(ErrorReply {
            code: ErrorCode::NicknameTaken,
            request_id: Some(_),
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    assert!(matches!(impostor.hello("alice2").await, ServerMessage::Welcome(_)));
}

#[tokio::test]
async fn without_a_grace_period_a_nickname_is_free_once_its_holder_disconnects() {
    let server = TestServer::start_with_flags(&["--nickname-grace-ms", "0"]).await;
    let alice = server.join_lobby_as("alice").await;
    let mut watcher = server.join_lobby_as("watcher").await;
    drop(alice);
    watcher.recv_until(|m| matches!(m, ServerMessage::UserLeft(_)).then_some(())).await;
    let mut again = server.connect().await;
    assert!(matches!(again.hello("Alice").await, ServerMessage::Welcome(_)));
}

#[tokio::test]
async fn members_see_who_joins_and_who_is_already_there() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.connect().await;
    bob.hello("bob").await;
    match bob.join("lobby").await {
        ServerMessage::Joined(Joined { members, .. }) => {
            assert_eq!(members, nicknames(&["alice", "bob"]))
        }
        other => panic!("{other:?}"),
    }
    match alice.recv().await {
        ServerMessage::UserJoined(UserJoined { room, nickname, guest }) => {
            assert_eq!(room.as_str(), "lobby");
            assert_eq!(nickname.as_str(), "bob");
            assert!(guest, "bob said hello without an account");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn member_lists_tell_guests_from_registered_accounts() {
    let server = TestServer::start().await;
    let mut carol = server.connect().await;
    assert!(matches!(
        carol.register("carol", "correct horse battery staple").await,
        ServerMessage::Welcome(_)
    ));
    carol.join("lobby").await;
    let mut dave = server.connect().await;
    dave.hello("dave").await;
    match dave.join("lobby").await {
        ServerMessage::Joined(Joined { members, guests, .. }) => {
            assert_eq!(members, nicknames(&["carol", "dave"]));
            assert_eq!(guests, nicknames(&["dave"]), "carol has an account");
        }
        other => panic!("{other:?}"),
    }
    let mut frank = server.connect().await;
    assert!(matches!(
        frank.register("frank", "correct horse battery staple").await,
        ServerMessage::Welcome(_)
    ));
    frank.join("lobby").await;
    let joined = dave
        .recv_until(|m| match m {
            ServerMessage::UserJoined(joined) => Some(joined),
            _ => None,
        })
        .await;
    assert_eq!((joined.nickname.as_str(), joined.guest), ("frank", false));
}

#[tokio::test]
async fn members_are_told_when_someone_leaves_or_disconnects() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    let carol = server.join_lobby_as("carol").await;

    let request_id = bob.request_id();
    bob.send(&common::ClientMessage::Leave { request_id, room: "lobby".into() }).await;
    assert!(matches!(bob.answer_to(request_id).await, ServerMessage::Left(_)));
    let left = alice
        .recv_until(|m| match m {
            ServerMessage::UserLeft(UserLeft { nickname, .. }) => Some(nickname),
            _ => None,
        })
        .await;
    assert_eq!(left.as_str(), "bob");

    drop(carol);
    let left = alice
        .recv_until(|m| match m {
            ServerMessage::UserLeft(UserLeft { nickname, .. }) => Some(nickname),
            _ => None,
        })
        .await;
    assert_eq!(left.as_str(), "carol");
    // bob left the room, so he hears nothing about it any more.
    bob.expect_silence().await;
}

#[tokio::test]
async fn a_message_is_acknowledged_and_delivered_to_everyone_with_author_and_time() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    let before = now_millis();
    let request_id = alice.request_id();
    let client_id = common::ClientId::parse("first").expect("valid");
    alice
        .send(&common::ClientMessage::Send {
            request_id,
            room: "lobby".into(),
            client_id: client_id.clone(),
            body: "hello <b>bob</b>".into(),
            reply_to: None,
        })
        .await;
    // The sender gets both the ack and its own message, in either order.
    let mut ack = None;
    let mut own = None;
    while ack.is_none() || own.is_none() {
        match alice.recv().await {
            ServerMessage::Ack(Ack { request_id: r, seq, id, sent_at, client_id: c, .. }) => {
                assert_eq!((r, c), (request_id, client_id.clone()));
                assert!(sent_at >= before && sent_at <= now_millis());
                ack = Some((seq, id, sent_at));
            }
            ServerMessage::Message(message) => own = Some(message),
            _ => {}
        }
    }
    let (seq, id, sent_at) = ack.expect("ack");
    let theirs = bob
        .recv_until(|m| match m {
            ServerMessage::Message(message) => Some(message),
            _ => None,
        })
        .await;
    for message in [own.expect("own message"), theirs] {
        assert_eq!((message.seq, &message.id, message.sent_at), (seq, &id, sent_at));
        assert_eq!(message.client_id, client_id);
        assert_eq!(message.author.as_str(), "alice");
        assert_eq!(message.text(), "hello <b>bob</b>");
    }
}

#[tokio::test]
async fn two_clients_sending_at_once_see_the_same_messages_in_the_same_order() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    const EACH: usize = 50;

    // Both send as fast as they can, without waiting for answers, so their messages interleave.
    let sends = |name: &'static str| {
        (0..EACH).map(move |n| common::ClientMessage::Send {
            request_id: n as u64 + 100,
            room: "lobby".into(),
            client_id: common::ClientId::parse(&format!("{name}-{n}")).expect("valid"),
            body: format!("{name} {n}"),
            reply_to: None,
        })
    };
    for (a, b) in sends("alice").zip(sends("bob")) {
        alice.send(&a).await;
        bob.send(&b).await;
    }

    let mut seen = Vec::new();
    for client in [&mut alice, &mut bob] {
        let mut messages = Vec::new();
        while messages.len() < 2 * EACH {
            if let ServerMessage::Message(message) = client.recv().await {
                messages.push((message.seq, message.text().to_owned()));
            }
        }
        seen.push(messages);
    }
    assert_eq!(seen[0], seen[1], "both clients see one order");
    let seqs: Vec<u64> = seen[0].iter().map(|(seq, _)| *seq).collect();
    assert_eq!(seqs, (1..=2 * EACH as u64).collect::<Vec<_>>(), "gap-free, increasing");
    // Each sender's own messages keep the order they were sent in.
    let alice_order: Vec<&str> =
        seen[0].iter().map(|(_, body)| body.as_str()).filter(|b| b.starts_with("alice")).collect();
    let expected: Vec<String> = (0..EACH).map(|n| format!("alice {n}")).collect();
    assert_eq!(alice_order, expected);
}

#[tokio::test]
async fn html_in_names_and_messages_is_carried_verbatim_as_text() {
    let server = TestServer::start().await;
    let payload = "<img src=x onerror=alert(1)>";
    let mut evil = server.join_lobby_as(payload).await;
    let mut reader = server.join_lobby_as("reader").await;
    evil.say("lobby", payload).await;
    let message = reader
        .recv_until(|m| match m {
            ServerMessage::Message(message) => Some(message),
            _ => None,
        })
        .await;
    assert_eq!(message.author.as_str(), payload);
    assert_eq!(message.text(), payload);
}

fn now_millis() -> i64 {
    let elapsed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970");
    elapsed.as_millis() as i64
}

#[tokio::test]
async fn look_alike_nicknames_cannot_pose_as_each_other() {
    let server = TestServer::start().await;
    let _alice = server.join_lobby_as("alice").await;
    let mut impostor = server.connect().await;
    // Cyrillic а; capital Cyrillic А; Latin alpha; a zero-width space (refused outright).
    for name in ["\u{430}lice", "\u{410}LICE", "\u{251}lice"] {
        match impostor.hello(name).await {
            ServerMessage::Error(ErrorReply { code: ErrorCode::NicknameTaken, .. }) => {}
            other => panic!("{name:?} posed as alice: {other:?}"),
        }
    }
    match impostor.hello("ali\u{200B}ce").await {
        ServerMessage::Error(ErrorReply { code: ErrorCode::InvalidNickname, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_nickname_is_kept_in_composed_form() {
    let server = TestServer::start().await;
    let mut jose = server.connect().await;
    match jose.hello("Jose\u{301}").await {
        ServerMessage::Welcome(Welcome { nickname, .. }) => {
            assert_eq!(nickname.as_str(), "Jos\u{e9}")
        }
        other => panic!("{other:?}"),
    }
    let mut other = server.connect().await;
    assert!(matches!(
        other.hello("jos\u{e9}").await,
        ServerMessage::Error(ErrorReply { code: ErrorCode::NicknameTaken, .. })
    ));
}
