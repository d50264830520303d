//! Presence counts people, not connections: a user with two tabs is one person, and leaves
//! the list when their last connection leaves.

use common::{ErrorCode, ErrorReply, Joined, ServerMessage, UserJoined, UserLeft, Welcome};

use crate::helpers::{Client, TestServer, nicknames};

async fn token_of(client: &mut Client, nickname: &str) -> String {
    match client.hello(nickname).await {
        ServerMessage::Welcome(Welcome { token, .. }) => token,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn two_tabs_of_one_person_are_one_member_until_the_last_tab_leaves() {
    let server = TestServer::start().await;
    let mut bob = server.join_lobby_as("bob").await;

    let mut first_tab = server.connect().await;
    let token = token_of(&mut first_tab, "alice").await;
    first_tab.join("lobby").await;
    let mut second_tab = server.connect().await;
    match second_tab.hello_with_token("Alice", Some(&token)).await {
        ServerMessage::Welcome(Welcome { token: again, nickname, .. }) => {
            assert_eq!(again, token);
            assert_eq!(nickname.as_str(), "alice", "the name as first spelled");
        }
        other => panic!("{other:?}"),
    }
    match second_tab.join("lobby").await {
        ServerMessage::Joined(Joined { members, .. }) => {
            assert_eq!(members, nicknames(&["alice", "bob"]), "alice is listed once");
        }
        other => panic!("{other:?}"),
    }
    // bob heard alice arrive once, not once per tab.
    let arrived = bob
        .recv_until(|m| match m {
            ServerMessage::UserJoined(UserJoined { nickname, .. }) => Some(nickname),
            _ => None,
        })
        .await;
    assert_eq!(arrived.as_str(), "alice");
    bob.expect_silence().await;

    // A message from one tab reaches the other.
    first_tab.say("lobby", "from the first tab").await;
    let echoed = second_tab
        .recv_until(|m| match m {
            ServerMessage::Message(message) => Some(message),
            _ => None,
        })
        .await;
    assert_eq!(echoed.author.as_str(), "alice");

    drop(first_tab);
    bob.recv_until(|m| matches!(m, ServerMessage::Message(_)).then_some(())).await;
    bob.expect_silence().await; // alice is still here, in her second tab
    drop(second_tab);
    let left = bob
        .recv_until(|m| match m {
            ServerMessage::UserLeft(UserLeft { nickname, .. }) => Some(nickname),
            _ => None,
        })
        .await;
    assert_eq!(left.as_str(), "alice");
}

#[tokio::test]
async fn a_held_nickname_needs_its_token() {
    let server = TestServer::start().await;
    let mut alice = server.connect().await;
    let token = token_of(&mut alice, "alice").await;
    let mut impostor = server.connect().await;
    for guess in [None, Some("0123456789abcdef0123456789abcdef"), Some("")] {
        match impostor.hello_with_token("alice", guess).await {
            ServerMessage::Error(ErrorReply { code: ErrorCode::NicknameTaken, .. }) => {}
            other => panic!("{guess:?}: {other:?}"),
        }
    }
    assert!(!token.is_empty());
}
