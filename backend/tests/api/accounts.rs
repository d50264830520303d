//! Accounts: registering, signing in with a password or a session token, signing out, and
//! registered names kept from guests. Each rule is tried by someone trying to break it.

use common::{ErrorCode, ErrorReply, Role, ServerMessage, Welcome};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::helpers::{Client, TestServer};

const PASSWORD: &str = "correct horse battery staple";

fn welcome(answer: ServerMessage) -> Welcome {
    match answer {
        ServerMessage::Welcome(welcome) => welcome,
        other => panic!("expected welcome, got {other:?}"),
    }
}

fn refusal_code(answer: &ServerMessage) -> ErrorCode {
    match answer {
        ServerMessage::Error(ErrorReply { code, .. }) => *code,
        other => panic!("expected an error, got {other:?}"),
    }
}

/// Registers `username` on a fresh connection; returns the connection and its session token.
async fn registered(server: &TestServer, username: &str) -> (Client, String) {
    let mut client = Client::connect(server.addr).await;
    let welcome = welcome(client.register(username, PASSWORD).await);
    assert_eq!(welcome.role, Role::Member);
    let session = welcome.session.expect("a session token").expose().to_owned();
    (client, session)
}

#[tokio::test]
async fn a_registered_name_is_nobody_elses_in_any_spelling() {
    let server = TestServer::start().await;
    let (mut alice, _session) = registered(&server, "alice").await;
    for impostor in ["alice", "ALICE", "\u{430}lice", "Alice"] {
        let mut guest = Client::connect(server.addr).await;
        let answer = guest.hello(impostor).await;
        assert_eq!(refusal_code(&answer), ErrorCode::NameRegistered, "{impostor}");
        let answer = guest.register(impostor, "another fine passphrase").await;
        assert_eq!(refusal_code(&answer), ErrorCode::NameRegistered, "{impostor}");
    }
    // Still refused once the owner has gone: the name does not fall free after a grace period.
    drop(alice.connection.socket.close(None).await);
    let mut guest = Client::connect(server.addr).await;
    assert_eq!(refusal_code(&guest.hello("alice").await), ErrorCode::NameRegistered);
    // Other names stay open to guests, and a guest's welcome says so.
    assert_eq!(welcome(guest.hello("bob").await).role, Role::Guest);
}

#[tokio::test]
async fn a_session_signs_in_again_without_the_password_and_only_as_its_account() {
    let server = TestServer::start().await;
    let (_first_tab, session) = registered(&server, "alice").await;

    let mut second_tab = Client::connect(server.addr).await;
    let again = welcome(second_tab.hello_with_session("alice", &session).await);
    assert_eq!(again.nickname.as_str(), "alice", "the tabs share the name");
    assert_eq!(again.role, Role::Member);
    assert_eq!(again.session.map(|s| s.expose().to_owned()), Some(session.clone()));

    let mut thief = Client::connect(server.addr).await;
    let answer = thief.hello_with_session("bob", &session).await;
    assert_eq!(refusal_code(&answer), ErrorCode::InvalidSession, "a session is one account's");
    let forged = format!("{}x", &session[..session.len() - 1]);
    let answer = thief.hello_with_session("alice", &forged).await;
    assert_eq!(refusal_code(&answer), ErrorCode::InvalidSession, "a guessed token");
    let answer = thief.hello_with_session("alice", "").await;
    assert_eq!(refusal_code(&answer), ErrorCode::InvalidSession, "an empty token");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_name_get_the_same_answer() {
    let server = TestServer::start().await;
    let (_alice, _session) = registered(&server, "alice").await;
    let mut client = Client::connect(server.addr).await;
    let wrong = client.sign_in("alice", "correct horse battery stapler").await;
    let unknown = client.sign_in("nobody", PASSWORD).await;
    let invalid = client.sign_in("", PASSWORD).await;
    for answer in [&wrong, &unknown, &invalid] {
        assert_eq!(refusal_code(answer), ErrorCode::InvalidCredentials);
    }
    let message = |answer: &ServerMessage| match answer {
        ServerMessage::Error(ErrorReply { message, .. }) => message.clone(),
        _ => String::new(),
    };
    assert_eq!(message(&wrong), message(&unknown), "the sentence tells nothing either");

    let signed_in = welcome(client.sign_in("ALICE", PASSWORD).await);
    assert_eq!(signed_in.nickname.as_str(), "alice", "the name as registered");
    assert!(signed_in.session.is_some());
}

#[tokio::test]
async fn signing_out_ends_that_session_only_and_closes_its_tabs() {
    let server = TestServer::start().await;
    let (mut first_tab, first_session) = registered(&server, "alice").await;
    let mut other_browser = Client::connect(server.addr).await;
    let second_session = welcome(other_browser.sign_in("alice", PASSWORD).await)
        .session
        .expect("session")
        .expose()
        .to_owned();

    let mut tab = Client::connect(server.addr).await;
    welcome(tab.hello_with_session("alice", &first_session).await);
    let request_id = tab.request_id();
    let answer = tab.request(&common::ClientMessage::SignOut { request_id }).await;
    assert!(matches!(answer, ServerMessage::SignedOut(_)), "{answer:?}");
    let close = tab.recv_close().await.expect("a close frame");
    assert_eq!(close.code, CloseCode::Normal);
    // The same browser's other tab (same session) is signed out too; the other browser not.
    let close = first_tab.recv_close().await.expect("the other tab is closed");
    assert_eq!(u16::from(close.code), 4004);
    let request_id = other_browser.request_id();
    let pong = other_browser.request(&common::ClientMessage::Ping { request_id }).await;
    assert!(matches!(pong, ServerMessage::Pong(_)), "{pong:?}");

    let mut later = Client::connect(server.addr).await;
    let answer = later.hello_with_session("alice", &first_session).await;
    assert_eq!(refusal_code(&answer), ErrorCode::InvalidSession, "signed out for good");
    let mut later = Client::connect(server.addr).await;
    welcome(later.hello_with_session("alice", &second_session).await);
}

#[tokio::test]
async fn a_guest_who_signs_out_frees_the_nickname_at_once() {
    let server = TestServer::start().await; // the nickname grace period is a minute
    let mut guest = Client::connect(server.addr).await;
    let token = welcome(guest.hello("guest").await).token;
    let mut second_tab = Client::connect(server.addr).await;
    welcome(second_tab.hello_with_token("guest", Some(&token)).await);
    let request_id = guest.request_id();
    let answer = guest.request(&common::ClientMessage::SignOut { request_id }).await;
    assert!(matches!(answer, ServerMessage::SignedOut(_)), "{answer:?}");
    let close = guest.recv_close().await.expect("a close frame");
    assert_eq!(close.code, CloseCode::Normal);

    // Another tab of the same guest still holds the name: nobody else gets it meanwhile.
    let mut someone = Client::connect(server.addr).await;
    assert_eq!(refusal_code(&someone.hello("GUEST").await), ErrorCode::NicknameTaken);
    let request_id = second_tab.request_id();
    let answer = second_tab.request(&common::ClientMessage::SignOut { request_id }).await;
    assert!(matches!(answer, ServerMessage::SignedOut(_)), "{answer:?}");
    second_tab.recv_close().await.expect("a close frame");

    // The last tab signed out: the name is free now, not in a minute, and the old token
    // no longer names its owner.
    let mut someone = Client::connect(server.addr).await;
    let fresh = welcome(someone.hello("GUEST").await).token;
    assert_ne!(fresh, token);
}

#[tokio::test]
async fn sign_out_before_hello_is_refused() {
    let server = TestServer::start().await;
    let mut client = Client::connect(server.addr).await;
    let request_id = client.request_id();
    let answer = client.request(&common::ClientMessage::SignOut { request_id }).await;
    assert_eq!(refusal_code(&answer), ErrorCode::NotIdentified);
}

#[tokio::test]
async fn weak_and_oversized_passwords_are_refused_and_create_nothing() {
    let server = TestServer::start().await;
    let mut client = Client::connect(server.addr).await;
    let longest_allowed = format!("{PASSWORD} {}", "z".repeat(1_024 - PASSWORD.len() - 1));
    assert_eq!(longest_allowed.chars().count(), 1_024);
    for weak in ["short", "password1", "qwertyuiop", "alice1234", &(longest_allowed.clone() + "z")]
    {
        let answer = client.register("alice", weak).await;
        assert_eq!(refusal_code(&answer), ErrorCode::InvalidPassword, "{weak:.20}");
    }
    assert_eq!(
        refusal_code(&client.sign_in("alice", "password1").await),
        ErrorCode::InvalidCredentials
    );
    welcome(client.register("alice", &longest_allowed).await);
}

#[tokio::test]
async fn a_name_a_guest_is_using_cannot_be_registered_under_them() {
    let server = TestServer::start().await;
    let mut guest = Client::connect(server.addr).await;
    welcome(guest.hello("carol").await);
    let mut registrant = Client::connect(server.addr).await;
    let answer = registrant.register("Carol", PASSWORD).await;
    assert_eq!(refusal_code(&answer), ErrorCode::NicknameTaken);
    // No account was left behind: signing in fails, and the guest keeps chatting.
    let mut client = Client::connect(server.addr).await;
    assert_eq!(
        refusal_code(&client.sign_in("carol", PASSWORD).await),
        ErrorCode::InvalidCredentials
    );
    assert!(matches!(guest.join("lobby").await, ServerMessage::Joined(_)));
}

#[tokio::test]
async fn closed_registration_and_guests_off_are_typed_refusals() {
    let server = TestServer::start_with_flags(&["--registration", "closed"]).await;
    let mut client = Client::connect(server.addr).await;
    let answer = client.register("alice", PASSWORD).await;
    assert_eq!(refusal_code(&answer), ErrorCode::RegistrationClosed);
    welcome(client.hello("guest").await);

    let server = TestServer::start_with_flags(&["--guests", "off"]).await;
    let mut client = Client::connect(server.addr).await;
    assert_eq!(refusal_code(&client.hello("guest").await), ErrorCode::SignInRequired);
    welcome(client.register("alice", PASSWORD).await);
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_account_and_per_address() {
    let server = TestServer::start_with_flags(&[
        "--sign-ins-per-account-per-minute",
        "2",
        "--sign-ins-per-address-per-minute",
        "5",
    ])
    .await;
    let (_alice, _session) = registered(&server, "alice").await; // the address's first
    let mut guesser = Client::connect(server.addr).await;
    for _ in 0..2 {
        assert_eq!(
            refusal_code(&guesser.sign_in("alice", "wrong guess 1").await),
            ErrorCode::InvalidCredentials
        );
    }
    match guesser.sign_in("alice", PASSWORD).await {
        ServerMessage::Error(ErrorReply {
            code: ErrorCode::RateLimited, retry_after_ms, ..
        }) => {
            let wait = retry_after_ms.expect("says when");
            assert!(wait > 0 && wait <= 30_000, "{wait}");
        }
        other => panic!("expected rate_limited even with the right password, got {other:?}"),
    }
    // Another account from the same address: two attempts left for the address.
    assert_eq!(
        refusal_code(&guesser.sign_in("bob", PASSWORD).await),
        ErrorCode::InvalidCredentials
    );
    assert_eq!(refusal_code(&guesser.sign_in("carol", PASSWORD).await), ErrorCode::RateLimited);
}

/// Runs `backend --database-url URL user ARGS...` with `stdin` as its standard input.
fn user_command(database_url: &str, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_backend"))
        .args(["--database-url", database_url, "user"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the backend binary runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("password written");
    child.wait_with_output().expect("it finishes")
}

#[tokio::test]
async fn the_first_admin_is_made_on_the_command_line_with_the_password_from_standard_input() {
    let database = crate::helpers::TestDatabase::new();
    let url = database.url();
    let added = user_command(&url, &["add", "root", "--role", "admin"], &format!("{PASSWORD}\n"));
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    assert_eq!(String::from_utf8_lossy(&added.stdout), "created root (admin)\n");
    let again = user_command(&url, &["add", "ROOT"], &format!("{PASSWORD}\n"));
    assert!(!again.status.success(), "a second account with the name is refused");
    let weak = user_command(&url, &["add", "weakling"], "password\n");
    assert!(!weak.status.success(), "the password rules hold on the command line too");

    let server = TestServer::start_with(&database, std::path::Path::new("/nonexistent")).await;
    let mut client = Client::connect(server.addr).await;
    assert_eq!(welcome(client.sign_in("root", PASSWORD).await).role, Role::Admin);

    let demoted = user_command(&url, &["set-role", "root", "moderator"], "");
    assert!(demoted.status.success(), "{}", String::from_utf8_lossy(&demoted.stderr));
    let listed = user_command(&url, &["list"], "");
    let listing = String::from_utf8_lossy(&listed.stdout);
    assert!(listing.starts_with("root\tmoderator\t"), "{listing}");
    assert_eq!(listing.lines().count(), 1, "weakling was never created: {listing}");
    let mut client = Client::connect(server.addr).await;
    assert_eq!(welcome(client.sign_in("root", PASSWORD).await).role, Role::Moderator);
    let missing = user_command(&url, &["set-role", "nobody", "admin"], "");
    assert!(!missing.status.success());
}

/// A request on a signed-in connection; its answer.
async fn ask(
    client: &mut Client,
    make: impl FnOnce(u64) -> common::ClientMessage,
) -> ServerMessage {
    let request_id = client.request_id();
    client.request(&make(request_id)).await
}

#[tokio::test]
async fn signing_out_everywhere_else_ends_the_other_browsers_and_keeps_this_one() {
    let server = TestServer::start().await;
    let (mut here, this_session) = registered(&server, "alice").await;
    let mut elsewhere = Client::connect(server.addr).await;
    let other_session = welcome(elsewhere.sign_in("alice", PASSWORD).await)
        .session
        .expect("session")
        .expose()
        .to_owned();
    match ask(&mut here, |request_id| common::ClientMessage::Sessions { request_id }).await {
        ServerMessage::Sessions(list) => {
            assert_eq!(list.sessions.len(), 2);
            assert_eq!(list.sessions.iter().filter(|s| s.current).count(), 1);
        }
        other => panic!("{other:?}"),
    }
    match ask(&mut here, |request_id| common::ClientMessage::SignOutElsewhere { request_id }).await
    {
        ServerMessage::SignedOutElsewhere(done) => assert_eq!(done.ended, 1),
        other => panic!("{other:?}"),
    }
    let close = elsewhere.recv_close().await.expect("the other browser is closed");
    assert_eq!(u16::from(close.code), 4004);
    let mut again = Client::connect(server.addr).await;
    assert_eq!(
        refusal_code(&again.hello_with_session("alice", &other_session).await),
        ErrorCode::InvalidSession
    );
    let mut again = Client::connect(server.addr).await;
    welcome(again.hello_with_session("alice", &this_session).await);
    assert!(matches!(here.join("lobby").await, ServerMessage::Joined(_)), "this one stays");
    let mut guest = Client::connect(server.addr).await;
    welcome(guest.hello("guest").await);
    let answer =
        ask(&mut guest, |request_id| common::ClientMessage::SignOutElsewhere { request_id }).await;
    assert_eq!(refusal_code(&answer), ErrorCode::NotIdentified);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_the_other_sessions() {
    let server = TestServer::start().await;
    let (mut here, _) = registered(&server, "alice").await;
    let mut elsewhere = Client::connect(server.addr).await;
    welcome(elsewhere.sign_in("alice", PASSWORD).await);
    let change = |current: &str, new: &str| {
        let (current, new) = (common::Secret::new(current), common::Secret::new(new));
        move |request_id| common::ClientMessage::ChangePassword { request_id, current, new }
    };
    let wrong = ask(&mut here, change("not my password", "another fine passphrase")).await;
    assert_eq!(refusal_code(&wrong), ErrorCode::InvalidCredentials);
    let weak = ask(&mut here, change(PASSWORD, "password1")).await;
    assert_eq!(refusal_code(&weak), ErrorCode::InvalidPassword);
    match ask(&mut here, change(PASSWORD, "another fine passphrase")).await {
        ServerMessage::PasswordChanged(done) => assert_eq!(done.ended, 1),
        other => panic!("{other:?}"),
    }
    let close = elsewhere.recv_close().await.expect("the other browser is closed");
    assert_eq!(u16::from(close.code), 4004);
    let mut again = Client::connect(server.addr).await;
    assert_eq!(
        refusal_code(&again.sign_in("alice", PASSWORD).await),
        ErrorCode::InvalidCredentials
    );
    welcome(again.sign_in("alice", "another fine passphrase").await);
}
