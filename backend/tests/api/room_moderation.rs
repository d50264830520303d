//! A room's own moderation: its owner appoints moderators, who kick and mute; nobody acts on
//! someone who ranks as high as they do. Each rule is tried by someone without the right to it,
//! and checked on the wire.

use std::path::Path;

use backend::store::Store;
use common::{ClientMessage, ErrorCode, Nickname, Role, RoomRole, ServerMessage};

use crate::helpers::{Client, TestDatabase, TestServer, code};

const PASSWORD: &str = "correct horse battery staple";
const ROOM: &str = "garden";

async fn account(server: &TestServer, name: &str) -> Client {
    let mut client = Client::connect(server.addr).await;
    match client.register(name, PASSWORD).await {
        ServerMessage::Welcome(_) => client,
        other => panic!("{name} could not register: {other:?}"),
    }
}

async fn guest(server: &TestServer, name: &str) -> Client {
    let mut client = Client::connect(server.addr).await;
    client.hello(name).await;
    client
}

/// Joins `ROOM`, returning the asker's part in it and until when they are muted there.
async fn join(client: &mut Client) -> (Option<RoomRole>, Option<i64>) {
    match client.join(ROOM).await {
        ServerMessage::Joined(joined) => (joined.role, joined.muted_until),
        other => panic!("expected joined, got {other:?}"),
    }
}

async fn typing(client: &mut Client) {
    client.send(&ClientMessage::Typing { room: ROOM.into() }).await;
}

#[tokio::test]
async fn the_owner_appoints_a_moderator_who_mutes_and_kicks_those_below() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut owner = account(&server, "gardener").await;
    assert!(matches!(owner.create_room(ROOM).await, ServerMessage::Created(_)));
    assert_eq!(join(&mut owner).await, (Some(RoomRole::Owner), None));
    let mut helper = account(&server, "helper").await;
    assert_eq!(join(&mut helper).await, (None, None));
    let mut pest = guest(&server, "pest").await;
    join(&mut pest).await;

    // Before being appointed, nobody but the owner moderates; a guest never does.
    assert_eq!(code(&helper.mute(ROOM, "pest", Some(10)).await), ErrorCode::Forbidden);
    assert_eq!(code(&pest.kick(ROOM, "helper", "").await), ErrorCode::Forbidden);
    assert_eq!(
        code(&pest.set_room_role(ROOM, "pest", RoomRole::Moderator).await),
        ErrorCode::Forbidden
    );
    let by_helper = helper.set_room_role(ROOM, "helper", RoomRole::Moderator).await;
    assert_eq!(code(&by_helper), ErrorCode::Forbidden);
    assert!(matches!(
        owner.set_room_role(ROOM, "helper", RoomRole::Moderator).await,
        ServerMessage::RoomRoleSet(_)
    ));
    // Not a second owner, and not a guest (no account to give a part to).
    assert_eq!(
        code(&owner.set_room_role(ROOM, "helper", RoomRole::Owner).await),
        ErrorCode::Forbidden
    );
    let to_guest = owner.set_room_role(ROOM, "pest", RoomRole::Moderator).await;
    assert_eq!(code(&to_guest), ErrorCode::UnknownAccount);

    // The moderator acts on those below, not on the owner, not on itself.
    assert_eq!(code(&helper.mute(ROOM, "gardener", None).await), ErrorCode::Forbidden);
    assert_eq!(code(&helper.kick(ROOM, "gardener", "").await), ErrorCode::Forbidden);
    assert_eq!(code(&helper.mute(ROOM, "helper", None).await), ErrorCode::Forbidden);
    match helper.mute(ROOM, "pest", Some(10)).await {
        ServerMessage::MuteRecorded(recorded) => assert!(recorded.until.is_some()),
        other => panic!("{other:?}"),
    }
    let told = pest.recv_until(|m| match m {
        ServerMessage::Muted(muted) => Some(muted),
        _ => None,
    });
    assert_eq!(told.await.reason, "calm down");
    // Muted: reads, but neither writes nor types.
    assert_eq!(code(&pest.say(ROOM, "spam").await), ErrorCode::Muted);
    typing(&mut pest).await;
    owner.expect_silence().await;

    assert!(matches!(helper.unmute(ROOM, "pest").await, ServerMessage::MuteLifted(_)));
    pest.recv_until(|m| matches!(m, ServerMessage::Unmuted(_)).then_some(())).await;
    assert!(matches!(pest.say(ROOM, "sorry").await, ServerMessage::Ack(_)));

    // A kick takes the guest out at once; the others see them leave; they may come back.
    assert!(matches!(helper.kick(ROOM, "pest", "off topic").await, ServerMessage::KickDone(_)));
    let kicked = pest.recv_until(|m| match m {
        ServerMessage::Kicked(kicked) => Some(kicked),
        _ => None,
    });
    let kicked = kicked.await;
    assert_eq!((kicked.by.as_str(), kicked.reason.as_str()), ("helper", "off topic"));
    owner
        .recv_until(|m| match m {
            ServerMessage::UserLeft(left) if left.nickname.as_str() == "pest" => Some(()),
            _ => None,
        })
        .await;
    assert_eq!(code(&pest.say(ROOM, "still here?").await), ErrorCode::NotInRoom);
    join(&mut pest).await;

    // Taken back: the helper no longer moderates.
    assert!(matches!(
        owner.set_room_role(ROOM, "helper", RoomRole::Member).await,
        ServerMessage::RoomRoleSet(_)
    ));
    assert_eq!(code(&helper.kick(ROOM, "pest", "").await), ErrorCode::Forbidden);

    let store = Store::open(&database.url()).await.expect("store");
    let (entries, _) = store.audit_page(None, 50).await.expect("audit log");
    let actions: Vec<&str> = entries.iter().rev().map(|entry| entry.action.as_str()).collect();
    assert_eq!(actions, ["set_room_role", "mute", "unmute", "kick", "set_room_role"]);
}

#[tokio::test]
async fn a_mute_holds_for_new_connections_and_after_a_restart() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut owner = account(&server, "gardener").await;
    owner.create_room(ROOM).await;
    let mut pest = guest(&server, "pest").await;
    join(&mut pest).await;
    assert!(matches!(owner.mute(ROOM, "pest", None).await, ServerMessage::MuteRecorded(_)));
    server.stop().await;

    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut pest = guest(&server, "pest").await;
    assert_eq!(join(&mut pest).await.1, Some(i64::MAX), "muted until lifted");
    assert_eq!(code(&pest.say(ROOM, "hello?").await), ErrorCode::Muted);
}

#[tokio::test]
async fn server_staff_moderate_public_rooms_by_rank_and_private_ones_not_at_all() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut owner = account(&server, "gardener").await;
    owner.create_room(ROOM).await;
    assert!(matches!(owner.create_private_room("shed").await, ServerMessage::Created(_)));
    let mut member = account(&server, "member").await;
    join(&mut member).await;
    for name in ["staff", "boss"] {
        account(&server, name).await;
    }
    let store = Store::open(&database.url()).await.expect("store");
    for (name, role) in [("staff", Role::Moderator), ("boss", Role::Admin)] {
        let name = Nickname::parse(name).expect("valid");
        assert!(store.set_role(&name, role).await.expect("role set"));
    }
    let mut staff = Client::connect(server.addr).await;
    staff.sign_in("staff", PASSWORD).await;
    let mut boss = Client::connect(server.addr).await;
    boss.sign_in("boss", PASSWORD).await;

    // A server moderator ranks with room moderators: below the owner.
    assert!(matches!(staff.mute(ROOM, "member", Some(1)).await, ServerMessage::MuteRecorded(_)));
    assert_eq!(code(&staff.mute(ROOM, "gardener", Some(1)).await), ErrorCode::Forbidden);
    assert_eq!(
        code(&staff.set_room_role(ROOM, "member", RoomRole::Moderator).await),
        ErrorCode::Forbidden
    );
    // An admin outranks the owner of a public room, and may appoint its moderators.
    assert!(matches!(boss.mute(ROOM, "gardener", Some(1)).await, ServerMessage::MuteRecorded(_)));
    assert!(matches!(
        boss.set_room_role(ROOM, "member", RoomRole::Moderator).await,
        ServerMessage::RoomRoleSet(_)
    ));
    // A private room is its owner's: server staff have no say in it.
    assert!(matches!(owner.invite("shed", "member").await, ServerMessage::Invited(_)));
    assert_eq!(code(&boss.kick("shed", "member", "").await), ErrorCode::Forbidden);
    assert_eq!(
        code(&boss.set_room_role("shed", "member", RoomRole::Moderator).await),
        ErrorCode::Forbidden
    );
    // Its owner appoints members only.
    let outsider = owner.set_room_role("shed", "staff", RoomRole::Moderator).await;
    assert_eq!(code(&outsider), ErrorCode::NotInRoom);
    assert!(matches!(
        owner.set_room_role("shed", "member", RoomRole::Moderator).await,
        ServerMessage::RoomRoleSet(_)
    ));
}

#[tokio::test]
async fn a_role_given_a_moment_ago_counts_on_an_open_connection() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut newly_staff = account(&server, "staff").await;
    let mut owner = account(&server, "gardener").await;
    owner.create_room(ROOM).await;
    let mut member = account(&server, "member").await;
    join(&mut member).await;
    assert_eq!(code(&newly_staff.mute(ROOM, "member", Some(1)).await), ErrorCode::Forbidden);
    let store = Store::open(&database.url()).await.expect("store");
    let name = Nickname::parse("staff").expect("valid");
    assert!(store.set_role(&name, Role::Moderator).await.expect("role set"));
    assert!(matches!(
        newly_staff.mute(ROOM, "member", Some(1)).await,
        ServerMessage::MuteRecorded(_)
    ));
    assert!(store.set_role(&name, Role::Member).await.expect("role set"));
    assert_eq!(code(&newly_staff.unmute(ROOM, "member").await), ErrorCode::Forbidden);
}
