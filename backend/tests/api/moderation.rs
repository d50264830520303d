//! Moderation: banning accounts server-wide, and the audit log. Each rule is tried by someone
//! without the right to it.

use std::path::Path;

use backend::store::Store;
use common::{ClientMessage, ErrorCode, Nickname, Role, ServerMessage};

use crate::helpers::{Client, TestDatabase, TestServer, code};

const PASSWORD: &str = "correct horse battery staple";

/// A server with accounts `admin`, `moderator`, `member` and `other` (all members when
/// registered, then given their roles in the store, as `backend user set-role` does).
async fn server_with_roles() -> (TestServer, TestDatabase) {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    for name in ["admin", "moderator", "member", "other"] {
        let mut client = Client::connect(server.addr).await;
        assert!(matches!(client.register(name, PASSWORD).await, ServerMessage::Welcome(_)));
    }
    let store = Store::open(&database.url()).await.expect("store");
    for (name, role) in [("admin", Role::Admin), ("moderator", Role::Moderator)] {
        let name = Nickname::parse(name).expect("valid");
        assert!(store.set_role(&name, role).await.expect("role set"));
    }
    (server, database)
}

async fn as_account(server: &TestServer, name: &str) -> Client {
    let mut client = Client::connect(server.addr).await;
    match client.sign_in(name, PASSWORD).await {
        ServerMessage::Welcome(_) => client,
        other => panic!("{name} could not sign in: {other:?}"),
    }
}

#[tokio::test]
async fn only_those_above_may_ban_and_nobody_bans_an_admin() {
    let (server, _database) = server_with_roles().await;
    let mut member = as_account(&server, "member").await;
    assert_eq!(code(&member.ban("other", "spam").await), ErrorCode::Forbidden);
    let mut guest = Client::connect(server.addr).await;
    guest.hello("guest").await;
    assert_eq!(code(&guest.ban("other", "spam").await), ErrorCode::Forbidden);
    let mut moderator = as_account(&server, "moderator").await;
    assert_eq!(code(&moderator.ban("admin", "coup").await), ErrorCode::Forbidden);
    assert_eq!(code(&moderator.ban("moderator", "self").await), ErrorCode::Forbidden);
    let mut admin = as_account(&server, "admin").await;
    assert_eq!(code(&admin.ban("admin", "self").await), ErrorCode::Forbidden);
    assert_eq!(code(&admin.ban("nobody", "x").await), ErrorCode::UnknownAccount);
    assert!(matches!(admin.ban("moderator", "abuse").await, ServerMessage::BanRecorded(_)));
    // The banned moderator's own connection is closed at once: no more requests from it.
    let close = moderator.recv_close().await.expect("a close frame");
    assert_eq!(u16::from(close.code), 4003);
}

#[tokio::test]
async fn a_banned_account_is_closed_out_at_once_and_cannot_come_back_until_lifted() {
    let (server, _database) = server_with_roles().await;
    let mut victim_tab = as_account(&server, "member").await;
    let mut second_tab = Client::connect(server.addr).await;
    let session = match second_tab.sign_in("member", PASSWORD).await {
        ServerMessage::Welcome(welcome) => welcome.session.expect("session").expose().to_owned(),
        other => panic!("{other:?}"),
    };
    let mut moderator = as_account(&server, "moderator").await;
    match moderator.ban("member", "posting spam links").await {
        ServerMessage::BanRecorded(recorded) => assert_eq!(recorded.until, None, "for good"),
        other => panic!("{other:?}"),
    }
    for tab in [&mut victim_tab, &mut second_tab] {
        let close = tab.recv_close().await.expect("a close frame");
        assert_eq!(u16::from(close.code), 4003);
        assert!(close.reason.as_str().contains("posting spam links"), "{}", close.reason);
    }
    let mut again = Client::connect(server.addr).await;
    assert_eq!(code(&again.sign_in("member", PASSWORD).await), ErrorCode::Banned);
    let mut again = Client::connect(server.addr).await;
    assert_eq!(
        code(&again.hello_with_session("member", &session).await),
        ErrorCode::InvalidSession,
        "a ban ends every session"
    );
    let mut again = Client::connect(server.addr).await;
    assert_eq!(code(&again.hello("member").await), ErrorCode::NameRegistered, "nor as a guest");

    let request_id = moderator.request_id();
    let lifted =
        moderator.request(&ClientMessage::Unban { request_id, username: "member".into() }).await;
    assert!(matches!(lifted, ServerMessage::BanLifted(_)), "{lifted:?}");
    // The ban ended the old session for good: lifting it does not bring it back.
    let mut old_session = Client::connect(server.addr).await;
    assert_eq!(
        code(&old_session.hello_with_session("member", &session).await),
        ErrorCode::InvalidSession,
        "a lifted ban leaves its ended sessions ended"
    );
    let mut back = Client::connect(server.addr).await;
    assert!(matches!(back.sign_in("member", PASSWORD).await, ServerMessage::Welcome(_)));
}

#[tokio::test]
async fn admins_read_every_moderation_action_in_the_audit_log_and_nobody_else_does() {
    let (server, _database) = server_with_roles().await;
    let mut moderator = as_account(&server, "moderator").await;
    moderator.ban("member", "spam").await;
    let request_id = moderator.request_id();
    moderator.request(&ClientMessage::Unban { request_id, username: "member".into() }).await;
    let request_id = moderator.request_id();
    let refused = moderator.request(&ClientMessage::AuditLog { request_id, before_id: None }).await;
    assert_eq!(code(&refused), ErrorCode::Forbidden);

    let mut admin = as_account(&server, "admin").await;
    let request_id = admin.request_id();
    match admin.request(&ClientMessage::AuditLog { request_id, before_id: None }).await {
        ServerMessage::AuditLog(log) => {
            let actions: Vec<(&str, &str, &str)> = log
                .entries
                .iter()
                .map(|e| (e.actor.as_str(), e.action.as_str(), e.target.as_str()))
                .collect();
            assert_eq!(
                actions,
                vec![("moderator", "unban", "member"), ("moderator", "ban", "member")]
            );
            assert_eq!(log.entries[1].reason, "spam");
            assert!(log.reaches_start);
        }
        other => panic!("expected the audit log, got {other:?}"),
    }
}

/// The audit log is the one place a private room reaches someone outside it: an admin sees
/// the room an action was taken in, and still cannot enter it.
#[tokio::test]
async fn the_audit_log_names_a_private_room_to_admins_who_still_cannot_enter_it() {
    let (server, _database) = server_with_roles().await;
    let mut owner = as_account(&server, "member").await;
    assert!(matches!(owner.create_private_room("hideout").await, ServerMessage::Created(_)));
    assert!(matches!(owner.invite("hideout", "other").await, ServerMessage::Invited(_)));

    let mut admin = as_account(&server, "admin").await;
    let request_id = admin.request_id();
    match admin.request(&ClientMessage::AuditLog { request_id, before_id: None }).await {
        ServerMessage::AuditLog(log) => {
            let entry = &log.entries[0];
            assert_eq!((entry.action.as_str(), entry.target.as_str()), ("invite", "other"));
            assert_eq!(entry.room.as_ref().map(|room| room.as_str()), Some("hideout"));
        }
        other => panic!("expected the audit log, got {other:?}"),
    }
    assert_eq!(code(&admin.join("hideout").await), ErrorCode::Forbidden);
}

#[tokio::test]
async fn a_banned_guest_is_closed_out_and_neither_the_name_nor_the_address_comes_back() {
    let (server, _database) = server_with_roles().await;
    let pest_address: std::net::IpAddr = "127.0.0.2".parse().expect("an address");
    let mut pest = Client::connect_from(server.addr, pest_address).await;
    assert!(matches!(pest.hello("pest").await, ServerMessage::Welcome(_)));
    let mut member = as_account(&server, "member").await;
    let ban_guest = |request_id| common::ClientMessage::BanGuest {
        request_id,
        nickname: "pest".into(),
        reason: "spam".into(),
        minutes: None,
    };
    let request_id = member.request_id();
    assert_eq!(code(&member.request(&ban_guest(request_id)).await), ErrorCode::Forbidden);
    let mut moderator = as_account(&server, "moderator").await;
    let request_id = moderator.request_id();
    assert!(matches!(
        moderator.request(&ban_guest(request_id)).await,
        ServerMessage::BanRecorded(_)
    ));
    let close = pest.recv_close().await.expect("a close frame");
    assert_eq!(u16::from(close.code), 4003);

    // The name, from anywhere; any guest name from the address; accounts are not guests.
    let mut again = Client::connect(server.addr).await;
    assert_eq!(code(&again.hello("PEST").await), ErrorCode::Banned);
    let mut renamed = Client::connect_from(server.addr, pest_address).await;
    assert_eq!(code(&renamed.hello("innocent").await), ErrorCode::Banned);
    let mut neighbour = Client::connect(server.addr).await;
    assert!(matches!(neighbour.hello("innocent").await, ServerMessage::Welcome(_)));
    let mut account = Client::connect_from(server.addr, pest_address).await;
    assert!(matches!(account.sign_in("other", PASSWORD).await, ServerMessage::Welcome(_)));
    // An account's name is banned as an account, not as a guest.
    let request_id = moderator.request_id();
    let as_guest = common::ClientMessage::BanGuest {
        request_id,
        nickname: "member".into(),
        reason: String::new(),
        minutes: None,
    };
    assert_eq!(code(&moderator.request(&as_guest).await), ErrorCode::Forbidden);

    let request_id = moderator.request_id();
    let unban = common::ClientMessage::UnbanGuest { request_id, nickname: "pest".into() };
    assert!(matches!(moderator.request(&unban).await, ServerMessage::BanLifted(_)));
    // The address is free again (the name itself is still kept a while for its last holder,
    // as any name whose connection closed).
    let mut back = Client::connect_from(server.addr, pest_address).await;
    let answer = back.hello("returning").await;
    assert!(matches!(answer, ServerMessage::Welcome(_)), "{answer:?}");
}
