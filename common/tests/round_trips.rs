//! Property tests: every message either side can send survives encoding and decoding
//! unchanged, whatever the (valid) values in it; and the decoder never panics on any text.

use common::{
    Ack, AuditEntry, AuditLog, BanLifted, BanRecorded, ChatMessage, ClientId, ClientMessage,
    Content, Created, DmOpened, ErrorCode, ErrorReply, History, Invited, Joined, KickDone, Kicked,
    Left, MemberCount, MemberList, MemberPage, MemberRemoved, MessageBody, MuteLifted,
    MuteRecorded, Muted, Nickname, PasswordChanged, Pong, Post, Role, RoomAdded, RoomName,
    RoomRemoved, RoomRole, RoomRoleSet, RoomSummary, Secret, ServerClosing, ServerMessage,
    SessionInfo, Sessions, SignedOut, SignedOutElsewhere, Typing, Unmuted, UserJoined, UserLeft,
    Welcome, decode_client_message,
};
use proptest::prelude::*;

/// Any text at all, including control characters, quotes, backslashes and emoji.
fn any_text() -> impl Strategy<Value = String> {
    ".{0,40}"
}

fn secret() -> impl Strategy<Value = Option<Secret>> {
    proptest::option::of(any_text().prop_map(Secret::new))
}

fn audit_entry() -> impl Strategy<Value = AuditEntry> {
    (
        any::<u64>(),
        any::<i64>(),
        nickname(),
        any_text(),
        nickname(),
        proptest::option::of(room()),
        any_text(),
    )
        .prop_map(|(id, at, actor, action, target, room, reason)| AuditEntry {
            id,
            at,
            actor,
            action,
            target,
            room,
            reason,
        })
}

fn role() -> impl Strategy<Value = Role> {
    prop_oneof![Just(Role::Guest), Just(Role::Member), Just(Role::Moderator), Just(Role::Admin)]
}

fn room_role() -> impl Strategy<Value = RoomRole> {
    prop_oneof![Just(RoomRole::Owner), Just(RoomRole::Moderator), Just(RoomRole::Member)]
}

fn nickname() -> impl Strategy<Value = Nickname> {
    "[\\p{L}\\p{N}\\p{So} _.-]{1,32}"
        .prop_filter_map("a valid nickname", |raw| Nickname::parse(&raw).ok())
}

fn room() -> impl Strategy<Value = RoomName> {
    "[a-z0-9][a-z0-9_-]{0,31}"
        .prop_filter_map("a valid room name", |raw| RoomName::parse(&raw).ok())
}

fn body() -> impl Strategy<Value = MessageBody> {
    "[\\PC\\n\\t]{1,200}".prop_filter_map("a valid body", |raw| MessageBody::parse(&raw).ok())
}

fn client_id() -> impl Strategy<Value = ClientId> {
    "[!-~]{1,64}".prop_filter_map("a valid client id", |raw| ClientId::parse(&raw).ok())
}

/// Any entry of every kind: a post (deleted or not, edited, reacted to, a reply), an edit (of
/// a deleted post too), a deletion, a reaction.
fn chat_message() -> impl Strategy<Value = ChatMessage> {
    let post = (
        proptest::option::of(body()),
        proptest::option::of((any::<u64>(), any::<i64>())),
        proptest::option::of((
            any::<u64>(),
            proptest::collection::vec((emoji(), proptest::collection::vec(nickname(), 1..4)), 0..4),
        )),
        proptest::option::of((
            any::<u64>(),
            nickname(),
            proptest::option::of(any_text()),
            any::<bool>(),
        )),
    )
        .prop_map(|(body, edited, reactions, reply_to)| {
            Content::Post(Post {
                body,
                edited: edited.map(|(seq, at)| common::Edited { seq, at }),
                reactions: reactions.map(|(seq, list)| common::Reactions {
                    seq,
                    list: list
                        .into_iter()
                        .map(|(emoji, by)| common::Reaction { emoji, by })
                        .collect(),
                }),
                reply_to: reply_to.map(|(seq, author, excerpt, edited)| {
                    Box::new(common::ReplyTo { seq, author, excerpt, edited })
                }),
            })
        });
    let content = prop_oneof![
        post,
        (any::<u64>(), proptest::option::of(body()))
            .prop_map(|(edits, body)| Content::Edit { edits, body }),
        any::<u64>().prop_map(|deletes| Content::Deletion { deletes }),
        (any::<u64>(), emoji(), any::<bool>()).prop_map(|(seq, emoji, withdraw)| {
            Content::Reaction(common::ReactsTo { seq, emoji, withdraw })
        }),
    ];
    ((room(), any::<u64>(), any_text(), client_id(), nickname()), any::<i64>(), content).prop_map(
        |((room, seq, id, client_id, author), sent_at, content)| ChatMessage {
            room,
            seq,
            id,
            client_id,
            author,
            sent_at,
            content,
        },
    )
}

fn emoji() -> impl Strategy<Value = common::Emoji> {
    prop_oneof![Just("👍"), Just("❤️"), Just("🇫🇷"), Just("👨‍👩‍👧‍👦"), Just("1️⃣")]
        .prop_map(|raw| common::Emoji::parse(raw).expect("valid emoji"))
}

fn summary() -> impl Strategy<Value = RoomSummary> {
    (room(), any::<u64>(), any::<bool>(), proptest::option::of(nickname())).prop_map(
        |(name, last_seq, private, dm_with)| RoomSummary { name, last_seq, private, dm_with },
    )
}

fn error_code() -> impl Strategy<Value = ErrorCode> {
    prop_oneof![
        Just(ErrorCode::MalformedJson),
        Just(ErrorCode::UnknownType),
        Just(ErrorCode::InvalidMessage),
        Just(ErrorCode::NicknameTaken),
        Just(ErrorCode::InvalidBody),
        Just(ErrorCode::RateLimited),
        Just(ErrorCode::Unavailable),
        Just(ErrorCode::InvalidCredentials),
        Just(ErrorCode::InvalidPassword),
        Just(ErrorCode::InvalidSession),
        Just(ErrorCode::NameRegistered),
        Just(ErrorCode::RegistrationClosed),
        Just(ErrorCode::SignInRequired),
        Just(ErrorCode::Forbidden),
        Just(ErrorCode::UnknownAccount),
        Just(ErrorCode::Banned),
        Just(ErrorCode::Muted),
        Just(ErrorCode::UnknownMessage),
        Just(ErrorCode::InvalidInvite),
    ]
}

fn client_message() -> impl Strategy<Value = ClientMessage> {
    let id = any::<u64>();
    let opt = proptest::option::of(any::<u64>());
    prop_oneof![
        (id, any::<u32>(), any_text(), proptest::option::of(any_text()), secret()).prop_map(
            |(request_id, protocol, nickname, token, session)| ClientMessage::Hello {
                request_id,
                protocol,
                nickname,
                token,
                session
            }
        ),
        (id, any::<u32>(), any_text(), any_text(), secret()).prop_map(
            |(request_id, protocol, username, password, invite)| ClientMessage::Register {
                request_id,
                protocol,
                username,
                password: Secret::new(password),
                invite
            }
        ),
        (id, proptest::option::of(any::<u32>()), proptest::option::of(any::<u32>())).prop_map(
            |(request_id, max_uses, hours)| ClientMessage::CreateInvite {
                request_id,
                max_uses,
                hours
            }
        ),
        id.prop_map(|request_id| ClientMessage::Invites { request_id }),
        id.prop_map(|request_id| ClientMessage::People { request_id }),
        (id, any_text(), role()).prop_map(|(request_id, username, role)| {
            ClientMessage::SetRole { request_id, username, role }
        }),
        (id, any::<u64>())
            .prop_map(|(request_id, id)| ClientMessage::RevokeInvite { request_id, id }),
        (id, any::<u32>(), any_text(), any_text()).prop_map(
            |(request_id, protocol, username, password)| ClientMessage::SignIn {
                request_id,
                protocol,
                username,
                password: Secret::new(password)
            }
        ),
        id.prop_map(|request_id| ClientMessage::SignOut { request_id }),
        (id, any_text(), any_text(), proptest::option::of(any::<u32>())).prop_map(
            |(request_id, username, reason, minutes)| ClientMessage::Ban {
                request_id,
                username,
                reason,
                minutes
            }
        ),
        (id, any_text())
            .prop_map(|(request_id, username)| ClientMessage::Unban { request_id, username }),
        (id, any_text(), any_text(), proptest::option::of(any::<u32>())).prop_map(
            |(request_id, nickname, reason, minutes)| ClientMessage::BanGuest {
                request_id,
                nickname,
                reason,
                minutes
            }
        ),
        (id, any_text())
            .prop_map(|(request_id, nickname)| ClientMessage::UnbanGuest { request_id, nickname }),
        (id, any_text(), any_text(), room_role()).prop_map(|(request_id, room, username, role)| {
            ClientMessage::SetRoomRole { request_id, room, username, role }
        }),
        (id, any_text(), any_text(), any_text()).prop_map(
            |(request_id, room, nickname, reason)| ClientMessage::Kick {
                request_id,
                room,
                nickname,
                reason
            }
        ),
        (id, any_text(), any_text(), any_text(), proptest::option::of(any::<u32>())).prop_map(
            |(request_id, room, nickname, reason, minutes)| ClientMessage::Mute {
                request_id,
                room,
                nickname,
                reason,
                minutes
            }
        ),
        (id, any_text(), any_text()).prop_map(|(request_id, room, nickname)| {
            ClientMessage::Unmute { request_id, room, nickname }
        }),
        (id, any_text())
            .prop_map(|(request_id, username)| ClientMessage::OpenDm { request_id, username }),
        id.prop_map(|request_id| ClientMessage::Sessions { request_id }),
        id.prop_map(|request_id| ClientMessage::SignOutElsewhere { request_id }),
        (id, any_text(), any_text()).prop_map(|(request_id, current, new)| {
            ClientMessage::ChangePassword {
                request_id,
                current: Secret::new(current),
                new: Secret::new(new),
            }
        }),
        (id, proptest::option::of(any::<u64>()))
            .prop_map(|(request_id, before_id)| ClientMessage::AuditLog { request_id, before_id }),
        (id, any_text(), any::<bool>()).prop_map(|(request_id, room, private)| {
            ClientMessage::CreateRoom { request_id, room, private }
        }),
        (id, any_text(), any_text()).prop_map(|(request_id, room, username)| {
            ClientMessage::Invite { request_id, room, username }
        }),
        (id, any_text(), any_text()).prop_map(|(request_id, room, username)| {
            ClientMessage::RemoveMember { request_id, room, username }
        }),
        (id, any_text()).prop_map(|(request_id, room)| ClientMessage::Join { request_id, room }),
        (id, any_text()).prop_map(|(request_id, room)| ClientMessage::Leave { request_id, room }),
        (id, any_text(), client_id(), any_text(), proptest::option::of(any::<u64>())).prop_map(
            |(request_id, room, client_id, body, reply_to)| {
                ClientMessage::Send { request_id, room, client_id, body, reply_to }
            }
        ),
        any_text().prop_map(|room| ClientMessage::Typing { room }),
        (id, any_text(), any::<u64>(), client_id()).prop_map(
            |(request_id, room, seq, client_id)| {
                ClientMessage::DeleteMessage { request_id, room, seq, client_id }
            }
        ),
        (id, any_text(), any::<u64>(), client_id(), any_text()).prop_map(
            |(request_id, room, seq, client_id, body)| ClientMessage::EditMessage {
                request_id,
                room,
                seq,
                client_id,
                body,
            }
        ),
        (id, any_text(), opt.clone(), opt, proptest::option::of(any::<u64>())).prop_map(
            |(request_id, room, before_seq, after_seq, limit)| ClientMessage::History {
                request_id,
                room,
                before_seq,
                after_seq,
                limit
            }
        ),
        id.prop_map(|request_id| ClientMessage::Ping { request_id }),
    ]
}

fn server_message() -> impl Strategy<Value = ServerMessage> {
    let id = any::<u64>();
    let people = proptest::collection::vec(nickname(), 0..4);
    prop_oneof![
        (
            (id, any::<u32>(), nickname(), any_text(), proptest::collection::vec(summary(), 0..4)),
            role(),
            proptest::option::of(any_text())
        )
            .prop_map(|((request_id, protocol, nickname, token, rooms), role, session)| {
                let session = session.map(Secret::new);
                ServerMessage::Welcome(Welcome {
                    request_id,
                    protocol,
                    nickname,
                    token,
                    rooms,
                    role,
                    session,
                })
            }),
        id.prop_map(|request_id| ServerMessage::SignedOut(SignedOut { request_id })),
        (id, room(), nickname()).prop_map(|(request_id, room, username)| {
            ServerMessage::Invited(Invited { request_id, room, username })
        }),
        (id, room(), nickname()).prop_map(|(request_id, room, username)| {
            ServerMessage::MemberRemoved(MemberRemoved { request_id, room, username })
        }),
        room().prop_map(|room| ServerMessage::RoomRemoved(RoomRemoved { room })),
        (id, room(), nickname()).prop_map(|(request_id, room, with)| ServerMessage::DmOpened(
            DmOpened { request_id, room, with }
        )),
        (
            id,
            proptest::collection::vec(
                (any::<i64>(), any::<i64>(), any::<i64>(), any::<bool>()),
                0..3
            )
        )
            .prop_map(|(request_id, rows)| {
                let sessions = rows
                    .into_iter()
                    .map(|(created_at, last_seen_at, expires_at, current)| SessionInfo {
                        created_at,
                        last_seen_at,
                        expires_at,
                        current,
                    })
                    .collect();
                ServerMessage::Sessions(Sessions { request_id, sessions })
            }),
        (id, any::<u64>()).prop_map(|(request_id, ended)| {
            ServerMessage::SignedOutElsewhere(SignedOutElsewhere { request_id, ended })
        }),
        (id, any::<u64>()).prop_map(|(request_id, ended)| {
            ServerMessage::PasswordChanged(PasswordChanged { request_id, ended })
        }),
        (id, nickname(), proptest::option::of(any::<i64>())).prop_map(
            |(request_id, username, until)| {
                ServerMessage::BanRecorded(BanRecorded { request_id, username, until })
            }
        ),
        (id, nickname()).prop_map(|(request_id, username)| {
            ServerMessage::BanLifted(BanLifted { request_id, username })
        }),
        (id, proptest::collection::vec(audit_entry(), 0..3), any::<bool>()).prop_map(
            |(request_id, entries, reaches_start)| {
                ServerMessage::AuditLog(AuditLog { request_id, entries, reaches_start })
            }
        ),
        (id, room())
            .prop_map(|(request_id, room)| ServerMessage::Created(Created { request_id, room })),
        summary().prop_map(|room| ServerMessage::RoomAdded(RoomAdded { room })),
        (
            id,
            room(),
            people,
            any::<u64>(),
            proptest::option::of(room_role()),
            proptest::option::of(any::<i64>()),
            proptest::option::of(any::<u64>())
        )
            .prop_map(
                |(request_id, room, members, last_seq, role, muted_until, member_count)| {
                    // Some of the members are guests.
                    let guests = members.iter().step_by(2).cloned().collect();
                    ServerMessage::Joined(Joined {
                        request_id,
                        room,
                        members,
                        guests,
                        last_seq,
                        role,
                        muted_until,
                        member_count,
                    })
                }
            ),
        (id, room(), proptest::collection::vec(nickname(), 0..4), proptest::option::of(nickname()))
            .prop_map(|(request_id, room, members, next_after)| {
                let guests = members.iter().skip(1).step_by(2).cloned().collect();
                ServerMessage::MemberPage(MemberPage {
                    request_id,
                    room,
                    members,
                    guests,
                    next_after,
                })
            }),
        (room(), any::<u64>())
            .prop_map(|(room, count)| ServerMessage::MemberCount(MemberCount { room, count })),
        (room(), proptest::collection::vec(nickname(), 0..4)).prop_map(|(room, members)| {
            let guests = members.iter().step_by(3).cloned().collect();
            ServerMessage::MemberList(MemberList { room, members, guests })
        }),
        (id, room(), nickname(), room_role()).prop_map(|(request_id, room, username, role)| {
            ServerMessage::RoomRoleSet(RoomRoleSet { request_id, room, username, role })
        }),
        (id, room(), nickname()).prop_map(|(request_id, room, nickname)| {
            ServerMessage::KickDone(KickDone { request_id, room, nickname })
        }),
        (room(), nickname(), any_text())
            .prop_map(|(room, by, reason)| ServerMessage::Kicked(Kicked { room, by, reason })),
        (id, room(), nickname(), proptest::option::of(any::<i64>())).prop_map(
            |(request_id, room, nickname, until)| {
                ServerMessage::MuteRecorded(MuteRecorded { request_id, room, nickname, until })
            }
        ),
        (id, room(), nickname()).prop_map(|(request_id, room, nickname)| {
            ServerMessage::MuteLifted(MuteLifted { request_id, room, nickname })
        }),
        (room(), proptest::option::of(any::<i64>()), any_text())
            .prop_map(|(room, until, reason)| ServerMessage::Muted(Muted { room, until, reason })),
        room().prop_map(|room| ServerMessage::Unmuted(Unmuted { room })),
        (id, room()).prop_map(|(request_id, room)| ServerMessage::Left(Left { request_id, room })),
        (id, room(), client_id(), any::<u64>(), any_text(), any::<i64>()).prop_map(
            |(request_id, room, client_id, seq, id, sent_at)| ServerMessage::Ack(Ack {
                request_id,
                room,
                client_id,
                seq,
                id,
                sent_at
            })
        ),
        (
            id,
            room(),
            proptest::collection::vec(chat_message(), 0..3),
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(2..u64::MAX)
        )
            .prop_map(
                |(request_id, room, messages, reaches_start, reaches_end, first_seq)| {
                    ServerMessage::History(History {
                        request_id,
                        room,
                        messages,
                        reaches_start,
                        reaches_end,
                        first_seq,
                    })
                }
            ),
        id.prop_map(|request_id| ServerMessage::Pong(Pong { request_id })),
        chat_message().prop_map(ServerMessage::Message),
        (room(), nickname(), any::<bool>()).prop_map(|(room, nickname, guest)| {
            ServerMessage::UserJoined(UserJoined { room, nickname, guest })
        }),
        (room(), nickname())
            .prop_map(|(room, nickname)| ServerMessage::Typing(Typing { room, nickname })),
        (room(), nickname())
            .prop_map(|(room, nickname)| ServerMessage::UserLeft(UserLeft { room, nickname })),
        (
            proptest::option::of(any::<u64>()),
            error_code(),
            any_text(),
            proptest::option::of(any::<u64>())
        )
            .prop_map(|(request_id, code, message, retry_after_ms)| ServerMessage::Error(
                ErrorReply { request_id, code, message, retry_after_ms }
            )),
        any_text().prop_map(|reason| ServerMessage::ServerClosing(ServerClosing { reason })),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_client_message_round_trips(message in client_message()) {
        let json = message.to_json();
        prop_assert_eq!(decode_client_message(&json), Ok(message), "{}", json);
    }

    #[test]
    fn every_server_message_round_trips(message in server_message()) {
        let json = message.to_json();
        let back: ServerMessage = serde_json::from_str(&json).expect("decodes");
        prop_assert_eq!(back, message, "{}", json);
    }

    #[test]
    fn the_decoder_answers_any_text_without_panicking(text in "\\PC{0,200}") {
        // Ok or a typed error; a panic fails the test.
        let _ = decode_client_message(&text);
    }

    #[test]
    fn the_decoder_answers_mangled_messages_with_a_typed_error(
        message in client_message(),
        cut in any::<prop::sample::Index>(),
    ) {
        let json = message.to_json();
        let end = cut.index(json.len());
        if let Some(prefix) = json.get(..end)
            && let Err(error) = decode_client_message(prefix)
        {
            prop_assert!(!error.message.is_empty());
        }
    }
}
