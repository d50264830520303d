//! The admin view: the people (accounts with role, last activity, ban; guests' bans) and
//! server roles given from the page, which count at once on open connections. Admins only.

use std::path::Path;

use backend::store::Store;
use common::{ClientMessage, ErrorCode, Nickname, Role, ServerMessage};

use crate::helpers::{Client, TestDatabase, TestServer, code};

const PASSWORD: &str = "correct horse battery staple";

async fn account(server: &TestServer, name: &str) -> Client {
    let mut client = Client::connect(server.addr).await;
    match client.register(name, PASSWORD).await {
        ServerMessage::Welcome(_) => client,
        other => panic!("{name} could not register: {other:?}"),
    }
}

async fn ask(client: &mut Client, make: impl FnOnce(u64) -> ClientMessage) -> ServerMessage {
    let request_id = client.request_id();
    client.request(&make(request_id)).await
}

#[tokio::test]
async fn admins_see_everyone_and_give_roles_that_count_at_once() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut boss = account(&server, "boss").await;
    let mut helper = account(&server, "helper").await;
    let mut troll = account(&server, "troll").await;
    let store = Store::open(&database.url()).await.expect("store");
    let name = Nickname::parse("boss").expect("valid");
    assert!(store.set_role(&name, Role::Admin).await.expect("role set"));

    // Nobody but an admin.
    for client in [&mut helper, &mut troll] {
        let people = ask(client, |request_id| ClientMessage::People { request_id }).await;
        assert_eq!(code(&people), ErrorCode::Forbidden);
        let set = ask(client, |request_id| ClientMessage::SetRole {
            request_id,
            username: "helper".into(),
            role: Role::Admin,
        });
        assert_eq!(code(&set.await), ErrorCode::Forbidden);
    }

    // The helper becomes a moderator: told at once, and its next ban counts.
    let set = ask(&mut boss, |request_id| ClientMessage::SetRole {
        request_id,
        username: "helper".into(),
        role: Role::Moderator,
    });
    assert!(matches!(set.await, ServerMessage::RoleSet(_)));
    let told = helper.recv_until(|m| match m {
        ServerMessage::RoleChanged(changed) => Some(changed.role),
        _ => None,
    });
    assert_eq!(told.await, Role::Moderator);
    assert!(matches!(helper.ban("troll", "trolling").await, ServerMessage::BanRecorded(_)));
    let mut pest = Client::connect(server.addr).await;
    pest.hello("pest").await;
    let ban_guest = ask(&mut helper, |request_id| ClientMessage::BanGuest {
        request_id,
        nickname: "pest".into(),
        reason: "spam".into(),
        minutes: None,
    });
    assert!(matches!(ban_guest.await, ServerMessage::BanRecorded(_)));

    // Not one's own role; not "guest".
    let own = ask(&mut boss, |request_id| ClientMessage::SetRole {
        request_id,
        username: "boss".into(),
        role: Role::Member,
    });
    assert_eq!(code(&own.await), ErrorCode::Forbidden);
    let guest = ask(&mut boss, |request_id| ClientMessage::SetRole {
        request_id,
        username: "helper".into(),
        role: Role::Guest,
    });
    assert_eq!(code(&guest.await), ErrorCode::InvalidMessage);

    match ask(&mut boss, |request_id| ClientMessage::People { request_id }).await {
        ServerMessage::People(people) => {
            let listed: Vec<(&str, Role, bool, bool)> = people
                .people
                .iter()
                .map(|p| {
                    let seen = p.last_seen_at.is_some();
                    (p.username.as_str(), p.role, seen, p.banned_until.is_some())
                })
                .collect();
            assert_eq!(
                listed,
                [
                    ("boss", Role::Admin, true, false),
                    ("helper", Role::Moderator, true, false),
                    // A ban ends the account's sessions: nothing left to have been seen by.
                    ("troll", Role::Member, false, true),
                ]
            );
            assert_eq!(people.people[2].ban_reason, "trolling");
            assert_eq!(people.guest_bans.len(), 1);
            assert_eq!(people.guest_bans[0].nickname.as_str(), "pest");
            assert_eq!(people.guest_bans[0].addresses, 1, "the address pest came from");
        }
        other => panic!("expected people, got {other:?}"),
    }
}
