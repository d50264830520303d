//! Invite links: with `--registration invite`, registering needs a usable one; admins make,
//! list and revoke them. Each rule is tried by someone trying to get around it.

use std::path::Path;

use backend::store::Store;
use common::{ClientMessage, ErrorCode, InviteInfo, Nickname, Role, ServerMessage};

use crate::helpers::{Client, TestDatabase, TestServer, code};

const PASSWORD: &str = "correct horse battery staple";

/// A server taking accounts by invitation, with an admin `boss` signed in.
async fn invitation_only() -> (TestServer, TestDatabase, Client) {
    let database = TestDatabase::new();
    let flags = ["--registration", "invite"];
    let server = TestServer::start_configured(&database, Path::new("/nonexistent"), &flags).await;
    let store = Store::open(&database.url()).await.expect("store");
    let accounts = backend::accounts::Accounts::new(
        store.clone(),
        backend::accounts::AccountPolicy {
            registration: backend::accounts::Registration::Closed,
            guests: backend::accounts::Guests::On,
            sign_in_rates: backend::accounts::SignInRates {
                per_address_per_minute: 1_000,
                per_account_per_minute: 1_000,
            },
        },
    );
    let boss = Nickname::parse("boss").expect("valid");
    let secret = common::Secret::new(PASSWORD);
    accounts.create(&boss, &secret, Role::Admin).await.expect("admin made");
    let mut admin = Client::connect(server.addr).await;
    assert!(matches!(admin.sign_in("boss", PASSWORD).await, ServerMessage::Welcome(_)));
    (server, database, admin)
}

async fn make_invite(admin: &mut Client, max_uses: Option<u32>) -> (String, InviteInfo) {
    let request_id = admin.request_id();
    match admin.request(&ClientMessage::CreateInvite { request_id, max_uses, hours: None }).await {
        ServerMessage::InviteCreated(created) => (created.code.expose().to_owned(), created.invite),
        other => panic!("expected invite_created, got {other:?}"),
    }
}

async fn register(server: &TestServer, name: &str, invite: Option<&str>) -> ServerMessage {
    let mut client = Client::connect(server.addr).await;
    client.register_invited(name, PASSWORD, invite).await
}

#[tokio::test]
async fn registering_needs_a_usable_invite_and_uses_it_up() {
    let (server, _database, mut admin) = invitation_only().await;
    assert_eq!(code(&register(&server, "nobody", None).await), ErrorCode::InvalidInvite);
    let forged = "A".repeat(43);
    assert_eq!(code(&register(&server, "forger", Some(&forged)).await), ErrorCode::InvalidInvite);

    let (single, info) = make_invite(&mut admin, Some(1)).await;
    assert_eq!((info.max_uses, info.uses, info.revoked), (Some(1), 0, false));
    assert!(matches!(register(&server, "first", Some(&single)).await, ServerMessage::Welcome(_)));
    let reused = register(&server, "second", Some(&single)).await;
    assert_eq!(code(&reused), ErrorCode::InvalidInvite, "a single-use invite works once");

    let (many, info) = make_invite(&mut admin, None).await;
    for name in ["one", "two", "three"] {
        assert!(matches!(register(&server, name, Some(&many)).await, ServerMessage::Welcome(_)));
    }
    // A failed registration (a taken name, a guessable password) uses nothing up.
    let (last, _) = make_invite(&mut admin, Some(1)).await;
    assert_eq!(code(&register(&server, "FIRST", Some(&last)).await), ErrorCode::NameRegistered);
    let mut weak = Client::connect(server.addr).await;
    let weak_answer = weak.register_invited("weakling", "password", Some(&last)).await;
    assert_eq!(code(&weak_answer), ErrorCode::InvalidPassword);
    assert!(matches!(register(&server, "fourth", Some(&last)).await, ServerMessage::Welcome(_)));

    // Revoked: registers nobody more.
    let request_id = admin.request_id();
    let revoke = ClientMessage::RevokeInvite { request_id, id: info.id };
    assert!(matches!(admin.request(&revoke).await, ServerMessage::InviteRevoked(_)));
    assert_eq!(code(&register(&server, "late", Some(&many)).await), ErrorCode::InvalidInvite);
    let request_id = admin.request_id();
    match admin.request(&ClientMessage::Invites { request_id }).await {
        ServerMessage::InviteList(list) => {
            let revoked = list.invites.iter().find(|invite| invite.id == info.id).expect("listed");
            assert_eq!((revoked.uses, revoked.revoked), (3, true));
            assert_eq!(list.invites.len(), 3);
        }
        other => panic!("expected invite_list, got {other:?}"),
    }
}

#[tokio::test]
async fn only_admins_manage_invites() {
    let (server, _database, mut admin) = invitation_only().await;
    let (invite, _) = make_invite(&mut admin, None).await;
    let mut member = Client::connect(server.addr).await;
    assert!(matches!(
        member.register_invited("member", PASSWORD, Some(&invite)).await,
        ServerMessage::Welcome(_)
    ));
    let mut guest = Client::connect(server.addr).await;
    guest.hello("guest").await;
    for client in [&mut member, &mut guest] {
        let request_id = client.request_id();
        let create = ClientMessage::CreateInvite { request_id, max_uses: None, hours: None };
        assert_eq!(code(&client.request(&create).await), ErrorCode::Forbidden);
        let request_id = client.request_id();
        let list = client.request(&ClientMessage::Invites { request_id }).await;
        assert_eq!(code(&list), ErrorCode::Forbidden);
        let request_id = client.request_id();
        let revoke = client.request(&ClientMessage::RevokeInvite { request_id, id: 1 }).await;
        assert_eq!(code(&revoke), ErrorCode::Forbidden);
    }
}

#[tokio::test]
async fn an_open_server_ignores_invites_and_a_closed_one_refuses_them() {
    let open = TestServer::start().await;
    let answer = register(&open, "anyone", Some("whatever")).await;
    assert!(matches!(answer, ServerMessage::Welcome(_)));
    let closed = TestServer::start_with_flags(&["--registration", "closed"]).await;
    let answer = register(&closed, "anyone", Some("whatever")).await;
    assert_eq!(code(&answer), ErrorCode::RegistrationClosed);
}
