//! The permission matrix on the wire: every kind of person x every action x a public room, a
//! private room and a direct-message room, against the real server (SQLite here; PostgreSQL
//! when `scripts/test.sh` runs these tests again with `CHAT_TEST_DATABASE=postgres`). The
//! expected answers are written out by hand below, from the table in `docs/PROTOCOL.md`, not
//! computed by the code under test. Each action allowed is undone before the next, so every
//! check starts from the same state.

use std::path::Path;

use backend::store::Store;
use common::{ClientMessage, ErrorCode, ErrorReply, Nickname, Role, RoomRole, ServerMessage};

use crate::helpers::{Client, TestDatabase, TestServer};

const PASSWORD: &str = "correct horse battery staple";

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Guest,
    /// A registered member with no part in any room.
    Member,
    /// A member of the private room (and the other person of the direct messages).
    Insider,
    /// A room moderator of the public and the private room.
    RoomModerator,
    /// The owner of the public and the private room (and one person of the direct messages).
    Owner,
    /// A server moderator.
    Staff,
    /// A server admin.
    Admin,
}

const EVERYONE: [Who; 7] =
    [Who::Guest, Who::Member, Who::Insider, Who::RoomModerator, Who::Owner, Who::Staff, Who::Admin];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Public,
    Private,
    DirectMessages,
}

/// What is tried in a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RoomAction {
    /// Join, read the history, write.
    Enter,
    Invite,
    Kick,
    Mute,
    /// Delete someone else's message.
    DeleteOthers,
    /// Make someone a room moderator.
    Appoint,
}

const ROOM_ACTIONS: [RoomAction; 6] = [
    RoomAction::Enter,
    RoomAction::Invite,
    RoomAction::Kick,
    RoomAction::Mute,
    RoomAction::DeleteOthers,
    RoomAction::Appoint,
];

/// The table, by hand.
fn expected(who: Who, kind: Kind, action: RoomAction) -> bool {
    use RoomAction::*;
    use Who::*;
    match (kind, action) {
        (Kind::Public, Enter) => true,
        (Kind::Public, Invite) => false, // a public room has no member list
        (Kind::Public, Kick | Mute | DeleteOthers) => {
            matches!(who, RoomModerator | Owner | Staff | Admin)
        }
        (Kind::Public, Appoint) => matches!(who, Owner | Admin),
        (Kind::Private, Enter) => matches!(who, Insider | RoomModerator | Owner),
        (Kind::Private, Invite | Kick | Mute | DeleteOthers) => {
            matches!(who, RoomModerator | Owner)
        }
        (Kind::Private, Appoint) => who == Owner,
        (Kind::DirectMessages, Enter) => matches!(who, Insider | Owner),
        // Two plain members, no owner: nobody moderates or invites.
        (Kind::DirectMessages, _) => false,
    }
}

/// The server-wide actions, by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ServerAction {
    CreatePrivateRoom,
    BanAccount,
    BanGuest,
    ReadAuditLog,
    AdminView,
    MakeInvite,
}

fn expected_server(who: Who, action: ServerAction) -> bool {
    match action {
        ServerAction::CreatePrivateRoom => who != Who::Guest,
        ServerAction::BanAccount | ServerAction::BanGuest => matches!(who, Who::Staff | Who::Admin),
        ServerAction::ReadAuditLog | ServerAction::AdminView | ServerAction::MakeInvite => {
            who == Who::Admin
        }
    }
}

fn name(who: Who) -> &'static str {
    match who {
        Who::Guest => "guest",
        Who::Member => "member",
        Who::Insider => "insider",
        Who::RoomModerator => "roommod",
        Who::Owner => "owner",
        Who::Staff => "staff",
        Who::Admin => "admin",
    }
}

/// Allowed: anything but an error. Refused: `forbidden` (or `not_in_room` for what needs a
/// joined room that the asker cannot join). Anything else fails the test.
fn allowed(answer: &ServerMessage, what: &str) -> bool {
    match answer {
        ServerMessage::Error(ErrorReply {
            code: ErrorCode::Forbidden | ErrorCode::NotInRoom,
            ..
        }) => false,
        ServerMessage::Error(other) => panic!("{what}: unexpected {other:?}"),
        _ => true,
    }
}

struct World {
    server: TestServer,
    _database: TestDatabase,
    people: Vec<(Who, Client)>,
    /// The plain member every moderation is tried on (in all three rooms' member lists but the
    /// DM's, where the other person stands in).
    target: Client,
    dm: String,
}

async fn signed_in(server: &TestServer, who: &str) -> Client {
    let mut client = Client::connect(server.addr).await;
    match client.sign_in(who, PASSWORD).await {
        ServerMessage::Welcome(_) => client,
        other => panic!("{who}: {other:?}"),
    }
}

async fn world() -> World {
    let database = TestDatabase::new();
    let flags = ["--sign-ins-per-address-per-minute", "1000"];
    let server = TestServer::start_configured(&database, Path::new("/nonexistent"), &flags).await;
    for who in ["member", "insider", "roommod", "owner", "staff", "admin", "target", "banme"] {
        let mut client = Client::connect(server.addr).await;
        assert!(matches!(client.register(who, PASSWORD).await, ServerMessage::Welcome(_)));
    }
    let store = Store::open(&database.url()).await.expect("store");
    for (who, role) in [("staff", Role::Moderator), ("admin", Role::Admin)] {
        let who = Nickname::parse(who).expect("valid");
        assert!(store.set_role(&who, role).await.expect("role set"));
    }
    let mut owner = signed_in(&server, "owner").await;
    assert!(matches!(owner.create_room("square").await, ServerMessage::Created(_)));
    assert!(matches!(owner.create_private_room("den").await, ServerMessage::Created(_)));
    for who in ["insider", "roommod", "target"] {
        assert!(matches!(owner.invite("den", who).await, ServerMessage::Invited(_)));
    }
    for room in ["square", "den"] {
        let appointed = owner.set_room_role(room, "roommod", RoomRole::Moderator).await;
        assert!(matches!(appointed, ServerMessage::RoomRoleSet(_)), "{appointed:?}");
    }
    let dm = match owner.open_dm("insider").await {
        ServerMessage::DmOpened(opened) => opened.room.to_string(),
        other => panic!("{other:?}"),
    };
    let mut target = signed_in(&server, "target").await;
    for room in ["square", "den"] {
        assert!(matches!(target.join(room).await, ServerMessage::Joined(_)));
    }
    let mut owner = Some(owner);
    let mut people = Vec::new();
    for who in EVERYONE {
        let client = match who {
            Who::Guest => {
                let mut guest = Client::connect(server.addr).await;
                assert!(matches!(guest.hello("guest").await, ServerMessage::Welcome(_)));
                guest
            }
            // The owner keeps the connection that made the rooms.
            Who::Owner => owner.take().expect("the owner's connection"),
            other => signed_in(&server, name(other)).await,
        };
        people.push((who, client));
    }
    World { server, _database: database, people, target, dm }
}

/// The room of `kind`, and who stands in for the target there.
fn room_of(world: &World, kind: Kind) -> (String, &'static str) {
    match kind {
        Kind::Public => ("square".into(), "target"),
        Kind::Private => ("den".into(), "target"),
        Kind::DirectMessages => (world.dm.clone(), "insider"),
    }
}

/// Tries `action` in `room` as `client`; returns whether it was allowed, and undoes it.
async fn try_in_room(
    client: &mut Client,
    target: &mut Client,
    room: &str,
    target_name: &str,
    action: RoomAction,
    what: &str,
) -> bool {
    match action {
        RoomAction::Enter => {
            let joined = client.join(room).await;
            let entered = allowed(&joined, what);
            let history = client.history(room, None, None).await;
            assert_eq!(allowed(&history, what), entered, "{what}: history and join disagree");
            let said = client.say(room, "hello").await;
            assert_eq!(allowed(&said, what), entered, "{what}: send and join disagree");
            if entered {
                let request_id = client.request_id();
                client.request(&ClientMessage::Leave { request_id, room: room.into() }).await;
            }
            entered
        }
        RoomAction::Invite => allowed(&client.invite(room, target_name).await, what),
        RoomAction::Kick => {
            let done = allowed(&client.kick(room, target_name, "test").await, what);
            if done && target_name == "target" {
                assert!(matches!(target.join(room).await, ServerMessage::Joined(_)));
            }
            done
        }
        RoomAction::Mute => {
            let done = allowed(&client.mute(room, target_name, Some(1)).await, what);
            if done {
                assert!(matches!(
                    client.unmute(room, target_name).await,
                    ServerMessage::MuteLifted(_)
                ));
            }
            done
        }
        RoomAction::DeleteOthers => {
            // The target writes; the asker joins if it can, then tries to delete it.
            let seq = if target_name == "target" {
                match target.say(room, "delete me").await {
                    ServerMessage::Ack(ack) => ack.seq,
                    other => panic!("{what}: the target could not write: {other:?}"),
                }
            } else {
                1 // In the DM: a message of the other person, written when the world was made.
            };
            let joined = allowed(&client.join(room).await, what);
            let request_id = client.request_id();
            let client_id =
                common::ClientId::parse(&format!("del-{request_id}-{seq}")).expect("valid");
            let delete =
                ClientMessage::DeleteMessage { request_id, room: room.into(), seq, client_id };
            let answer = client.request(&delete).await;
            if joined {
                let request_id = client.request_id();
                client.request(&ClientMessage::Leave { request_id, room: room.into() }).await;
            }
            allowed(&answer, what)
        }
        RoomAction::Appoint => {
            let done =
                allowed(&client.set_room_role(room, target_name, RoomRole::Moderator).await, what);
            if done {
                let back = client.set_room_role(room, target_name, RoomRole::Member).await;
                assert!(matches!(back, ServerMessage::RoomRoleSet(_)), "{what}: {back:?}");
            }
            done
        }
    }
}

async fn try_server_action(
    client: &mut Client,
    who: Who,
    action: ServerAction,
    what: &str,
) -> bool {
    let request_id = client.request_id();
    match action {
        ServerAction::CreatePrivateRoom => {
            let room = format!("own-{}", name(who));
            allowed(&client.create_private_room(&room).await, what)
        }
        ServerAction::BanAccount => {
            let done = allowed(&client.ban("banme", "test").await, what);
            if done {
                let unban = ClientMessage::Unban { request_id, username: "banme".into() };
                assert!(matches!(client.request(&unban).await, ServerMessage::BanLifted(_)));
            }
            done
        }
        ServerAction::BanGuest => {
            let ban = ClientMessage::BanGuest {
                request_id,
                nickname: "ghost".into(),
                reason: "test".into(),
                minutes: Some(1),
            };
            let done = allowed(&client.request(&ban).await, what);
            if done {
                let request_id = client.request_id();
                let unban = ClientMessage::UnbanGuest { request_id, nickname: "ghost".into() };
                assert!(matches!(client.request(&unban).await, ServerMessage::BanLifted(_)));
            }
            done
        }
        ServerAction::ReadAuditLog => allowed(
            &client.request(&ClientMessage::AuditLog { request_id, before_id: None }).await,
            what,
        ),
        ServerAction::AdminView => {
            allowed(&client.request(&ClientMessage::People { request_id }).await, what)
        }
        ServerAction::MakeInvite => {
            let make =
                ClientMessage::CreateInvite { request_id, max_uses: Some(1), hours: Some(1) };
            allowed(&client.request(&make).await, what)
        }
    }
}

#[tokio::test]
async fn every_kind_of_person_x_every_action_x_every_kind_of_room() {
    let mut world = world().await;
    // The DM's first message, by the insider, for the deletion tries there.
    let dm = world.dm.clone();
    {
        let (_, insider) =
            world.people.iter_mut().find(|(who, _)| *who == Who::Insider).expect("insider");
        insider.join(&dm).await;
        assert!(
            matches!(insider.say(&dm, "between us").await, ServerMessage::Ack(ack) if ack.seq == 1)
        );
        let request_id = insider.request_id();
        insider.request(&ClientMessage::Leave { request_id, room: dm.clone() }).await;
    }
    let mut mismatches = Vec::new();
    for kind in [Kind::Public, Kind::Private, Kind::DirectMessages] {
        let (room, target_name) = room_of(&world, kind);
        for action in ROOM_ACTIONS {
            for index in 0..world.people.len() {
                let who = world.people[index].0;
                // In the DM the insider's own message is not someone else's: skip that pair.
                if kind == Kind::DirectMessages
                    && action == RoomAction::DeleteOthers
                    && who == Who::Insider
                {
                    continue;
                }
                let what = format!("{who:?} {action:?} in the {kind:?} room");
                let World { people, target, .. } = &mut world;
                let client = &mut people[index].1;
                let got = try_in_room(client, target, &room, target_name, action, &what).await;
                if got != expected(who, kind, action) {
                    mismatches.push(format!("{what}: allowed {got}, expected {}", !got));
                }
            }
        }
    }
    for action in [
        ServerAction::CreatePrivateRoom,
        ServerAction::BanAccount,
        ServerAction::BanGuest,
        ServerAction::ReadAuditLog,
        ServerAction::AdminView,
        ServerAction::MakeInvite,
    ] {
        for (who, client) in &mut world.people {
            let what = format!("{who:?} {action:?}");
            let got = try_server_action(client, *who, action, &what).await;
            if got != expected_server(*who, action) {
                mismatches.push(format!("{what}: allowed {got}, expected {}", !got));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "the server disagrees with the table:\n{}",
        mismatches.join("\n")
    );
    drop(world.server);
}
