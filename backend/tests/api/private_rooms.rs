//! Private rooms: invite-only, and nothing of them reaches anyone else: not the list in
//! `welcome`, not `room_added`, not `join`, not `history`, not a live message, not after being
//! removed. Each rule is tried by someone trying to break it, and checked on the wire.

use std::time::Duration;

use common::{
    ClientId, ClientMessage, ErrorCode, RoomMember, RoomName, RoomRole, ServerMessage, Welcome,
};

use crate::helpers::{Client, TestServer, code};

const PASSWORD: &str = "correct horse battery staple";
const ROOM: &str = "secret-plans";

fn welcome(answer: ServerMessage) -> Welcome {
    match answer {
        ServerMessage::Welcome(welcome) => welcome,
        other => panic!("expected welcome, got {other:?}"),
    }
}

fn lists(welcome: &Welcome, room: &str) -> bool {
    welcome.rooms.iter().any(|summary| summary.name.as_str() == room)
}

/// A signed-in connection of a new account `name`.
async fn account(server: &TestServer, name: &str) -> Client {
    let mut client = Client::connect(server.addr).await;
    welcome(client.register(name, PASSWORD).await);
    client
}

/// A new connection signed in to the existing account `name`; returns it with its welcome.
async fn signed_in(server: &TestServer, name: &str) -> (Client, Welcome) {
    let mut client = Client::connect(server.addr).await;
    let welcome = welcome(client.sign_in(name, PASSWORD).await);
    (client, welcome)
}

#[tokio::test]
async fn only_accounts_make_private_rooms_and_nobody_else_hears_of_one() {
    let server = TestServer::start().await;
    let mut guest = Client::connect(server.addr).await;
    welcome(guest.hello("guest").await);
    assert_eq!(code(&guest.create_private_room("guests-only").await), ErrorCode::Forbidden);

    let mut stranger = account(&server, "stranger").await;
    let mut owner = account(&server, "owner").await;
    assert!(matches!(owner.create_private_room(ROOM).await, ServerMessage::Created(_)));
    // The owner's other connections hear of it; nobody else does.
    let (_, owner_again) = signed_in(&server, "owner").await;
    assert!(owner_again.rooms.iter().any(|s| s.name.as_str() == ROOM && s.private));
    for outsider in [&mut guest, &mut stranger] {
        let frames = outsider.frames_within(Duration::from_millis(300)).await;
        assert!(frames.iter().all(|f| !f.contains(ROOM)), "{frames:?}");
    }
    let mut later_guest = Client::connect(server.addr).await;
    assert!(!lists(&welcome(later_guest.hello("later").await), ROOM));
    let (_, stranger_again) = signed_in(&server, "stranger").await;
    assert!(!lists(&stranger_again, ROOM));
    // Public rooms stay everyone's.
    assert!(lists(&stranger_again, "lobby"));
}

#[tokio::test]
async fn a_non_member_cannot_join_read_or_overhear_a_private_room() {
    let server = TestServer::start().await;
    let mut owner = account(&server, "owner").await;
    owner.create_private_room(ROOM).await;
    assert!(matches!(owner.join(ROOM).await, ServerMessage::Joined(_)));
    let mut stranger = account(&server, "stranger").await;
    let mut guest = Client::connect(server.addr).await;
    welcome(guest.hello("guest").await);
    for outsider in [&mut stranger, &mut guest] {
        assert_eq!(code(&outsider.join(ROOM).await), ErrorCode::Forbidden, "guessing its name");
        assert_ne!(
            code(&outsider.history(ROOM, None, None).await),
            ErrorCode::Unavailable,
            "a typed refusal"
        );
        assert!(matches!(outsider.history_after(ROOM, 0, None).await, ServerMessage::Error(_)));
    }
    assert!(matches!(owner.say(ROOM, "the plan is in the drawer").await, ServerMessage::Ack(_)));
    for outsider in [&mut stranger, &mut guest] {
        let frames = outsider.frames_within(Duration::from_millis(300)).await;
        assert!(frames.iter().all(|f| !f.contains("drawer") && !f.contains(ROOM)), "{frames:?}");
    }
}

#[tokio::test]
async fn the_owner_invites_a_member_who_then_takes_part_and_members_cannot_invite() {
    let server = TestServer::start().await;
    let mut owner = account(&server, "owner").await;
    owner.create_private_room(ROOM).await;
    owner.join(ROOM).await;
    let mut bob = account(&server, "bob").await;
    let mut carol = account(&server, "carol").await;

    match owner.invite(ROOM, "BOB").await {
        ServerMessage::Invited(invited) => assert_eq!(invited.username.as_str(), "bob"),
        other => panic!("expected invited, got {other:?}"),
    }
    let added = bob
        .recv_until(|message| match message {
            ServerMessage::RoomAdded(added) => Some(added.room),
            _ => None,
        })
        .await;
    assert!(added.private && added.name.as_str() == ROOM);
    assert!(matches!(bob.join(ROOM).await, ServerMessage::Joined(_)));
    assert!(matches!(bob.say(ROOM, "hello team").await, ServerMessage::Ack(_)));
    assert!(matches!(bob.history(ROOM, None, None).await, ServerMessage::History(_)));

    // A member is not a manager: bob cannot bring carol in or put anyone out.
    assert_eq!(code(&bob.invite(ROOM, "carol").await), ErrorCode::Forbidden);
    assert_eq!(code(&bob.remove_member(ROOM, "owner").await), ErrorCode::Forbidden);
    assert_eq!(code(&carol.join(ROOM).await), ErrorCode::Forbidden);
    // Nobody manages a public room's members, and unknown accounts are named as such.
    assert_eq!(code(&owner.invite("lobby", "carol").await), ErrorCode::Forbidden);
    assert_eq!(code(&owner.invite(ROOM, "nobody").await), ErrorCode::UnknownAccount);
    assert_eq!(code(&owner.remove_member(ROOM, "owner").await), ErrorCode::Forbidden);
}

#[tokio::test]
async fn a_removed_member_is_out_at_once_and_stays_out() {
    let server = TestServer::start().await;
    let mut owner = account(&server, "owner").await;
    owner.create_private_room(ROOM).await;
    owner.join(ROOM).await;
    let mut bob = account(&server, "bob").await;
    owner.invite(ROOM, "bob").await;
    bob.join(ROOM).await;
    let last_seen = match bob.say(ROOM, "before").await {
        ServerMessage::Ack(ack) => ack.seq,
        other => panic!("{other:?}"),
    };

    assert!(matches!(owner.remove_member(ROOM, "bob").await, ServerMessage::MemberRemoved(_)));
    let removed = bob
        .recv_until(|message| match message {
            ServerMessage::RoomRemoved(removed) => Some(removed.room),
            _ => None,
        })
        .await;
    assert_eq!(removed, RoomName::parse(ROOM).expect("valid"));
    assert!(matches!(owner.say(ROOM, "after bob left").await, ServerMessage::Ack(_)));
    let frames = bob.frames_within(Duration::from_millis(300)).await;
    assert!(frames.iter().all(|f| !f.contains("after bob left")), "{frames:?}");
    assert_eq!(code(&bob.say(ROOM, "still here?").await), ErrorCode::NotInRoom);
    assert_eq!(code(&bob.join(ROOM).await), ErrorCode::Forbidden);
    assert!(matches!(bob.history_after(ROOM, last_seen, None).await, ServerMessage::Error(_)));
    // A new connection (a reload) no longer lists it, and cannot catch up on it either.
    let (mut reloaded, welcome) = signed_in(&server, "bob").await;
    assert!(!lists(&welcome, ROOM));
    assert_eq!(code(&reloaded.join(ROOM).await), ErrorCode::Forbidden);
    assert_eq!(code(&owner.remove_member(ROOM, "bob").await), ErrorCode::NotInRoom);
}

/// The members `client` is told `room` has, as (username, part).
async fn members_of(client: &mut Client, room: &str) -> Vec<(String, RoomRole)> {
    match client.room_members(room).await {
        ServerMessage::RoomMemberList(list) => {
            let members = list.members.into_iter();
            members.map(|RoomMember { username, role }| (username.to_string(), role)).collect()
        }
        other => panic!("expected room_member_list, got {other:?}"),
    }
}

#[tokio::test]
async fn the_members_see_who_belongs_connected_or_not_and_nobody_else_does() {
    let server = TestServer::start().await;
    let mut owner = account(&server, "owner").await;
    owner.create_private_room(ROOM).await;
    owner.join(ROOM).await;
    let mut bob = account(&server, "bob").await;
    assert!(matches!(owner.invite(ROOM, "bob").await, ServerMessage::Invited(_)));
    // Carol is a member who is not connected: she is listed all the same.
    drop(account(&server, "carol").await);
    assert!(matches!(owner.invite(ROOM, "carol").await, ServerMessage::Invited(_)));
    let mut mallory = account(&server, "mallory").await;

    let everyone = vec![
        ("bob".to_owned(), RoomRole::Member),
        ("carol".to_owned(), RoomRole::Member),
        ("owner".to_owned(), RoomRole::Owner),
    ];
    assert_eq!(members_of(&mut owner, ROOM).await, everyone);
    // A member asks once joined, like every room request but `join`.
    assert_eq!(code(&bob.room_members(ROOM).await), ErrorCode::NotInRoom);
    bob.join(ROOM).await;
    assert_eq!(members_of(&mut bob, ROOM).await, everyone);
    // Someone who is not a member learns nothing of them (that a room of that name exists
    // they could learn from `create_room` all the same).
    assert_eq!(code(&mallory.room_members(ROOM).await), ErrorCode::NotInRoom);
    assert_eq!(code(&mallory.room_members("no-such-room").await), ErrorCode::UnknownRoom);
    // A removed member is off the list at once, and may no longer ask.
    owner.remove_member(ROOM, "bob").await;
    let without_bob =
        vec![("carol".to_owned(), RoomRole::Member), ("owner".to_owned(), RoomRole::Owner)];
    assert_eq!(members_of(&mut owner, ROOM).await, without_bob);
    assert_eq!(code(&bob.room_members(ROOM).await), ErrorCode::NotInRoom);
}

/// The rule for someone outside a private room, one code per request: `join` is `forbidden`
/// (they may not enter), and every other request about the room, which needs it joined, is
/// `not_in_room`, whatever it would do inside (docs/PROTOCOL.md, "Private rooms").
#[tokio::test]
async fn a_non_member_gets_one_code_per_request_forbidden_to_join_not_in_room_for_the_rest() {
    let server = TestServer::start().await;
    let mut owner = account(&server, "owner").await;
    owner.create_private_room(ROOM).await;
    owner.join(ROOM).await;
    let seq = match owner.say(ROOM, "inside").await {
        ServerMessage::Ack(ack) => ack.seq,
        other => panic!("{other:?}"),
    };
    let mut mallory = account(&server, "mallory").await;
    assert_eq!(code(&mallory.join(ROOM).await), ErrorCode::Forbidden);
    let room = || ROOM.to_owned();
    let client_id = || ClientId::parse("mallory-1").expect("valid");
    let requests = [
        ClientMessage::Send {
            request_id: 0,
            room: room(),
            client_id: client_id(),
            body: "hi".into(),
            reply_to: None,
        },
        ClientMessage::EditMessage {
            request_id: 0,
            room: room(),
            seq,
            client_id: client_id(),
            body: "x".into(),
        },
        ClientMessage::DeleteMessage { request_id: 0, room: room(), seq, client_id: client_id() },
        ClientMessage::React {
            request_id: 0,
            room: room(),
            seq,
            client_id: client_id(),
            emoji: "👍".into(),
            withdraw: false,
        },
        ClientMessage::History {
            request_id: 0,
            room: room(),
            before_seq: None,
            after_seq: None,
            limit: None,
        },
        ClientMessage::Members { request_id: 0, room: room(), after: None, limit: None },
        ClientMessage::FindDate { request_id: 0, room: room(), at: 0 },
        ClientMessage::RoomMembers { request_id: 0, room: room() },
        ClientMessage::Leave { request_id: 0, room: room() },
    ];
    for mut request in requests {
        let request_id = mallory.request_id();
        set_request_id(&mut request, request_id);
        let answer = mallory.request(&request).await;
        assert_eq!(code(&answer), ErrorCode::NotInRoom, "{request:?}");
    }
}

/// Gives `request` the id `id` (the matrix above is written with 0).
fn set_request_id(request: &mut ClientMessage, id: u64) {
    match request {
        ClientMessage::Send { request_id, .. }
        | ClientMessage::EditMessage { request_id, .. }
        | ClientMessage::DeleteMessage { request_id, .. }
        | ClientMessage::React { request_id, .. }
        | ClientMessage::History { request_id, .. }
        | ClientMessage::Members { request_id, .. }
        | ClientMessage::FindDate { request_id, .. }
        | ClientMessage::RoomMembers { request_id, .. }
        | ClientMessage::Leave { request_id, .. } => *request_id = id,
        other => panic!("not in the matrix: {other:?}"),
    }
}
