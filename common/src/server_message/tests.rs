//! The wire form of every server message, both ways.

use super::*;
use crate::{
    ChatMessage, ClientId, Content, Edited, Emoji, MessageBody, Post, Reaction, Reactions,
    ReactsTo, ReplyTo,
};

#[test]
fn answers_name_their_request_and_pushes_do_not() {
    assert_eq!(ServerMessage::Pong(Pong { request_id: 7 }).answered_request(), Some(7));
    let refusal = ServerMessage::Error(ErrorReply {
        request_id: Some(3),
        code: ErrorCode::RateLimited,
        message: "slow down".into(),
        retry_after_ms: Some(10),
    });
    assert_eq!(refusal.answered_request(), Some(3));
    let typing = ServerMessage::Typing(Typing {
        room: RoomName::lobby(),
        nickname: Nickname::parse("bob").expect("valid"),
    });
    assert_eq!(typing.answered_request(), None);
}

fn nick(s: &str) -> Nickname {
    Nickname::parse(s).expect("valid")
}

fn round_trip(message: ServerMessage) {
    let json = message.to_json();
    let back: ServerMessage = serde_json::from_str(&json).expect("decodes");
    assert_eq!(back, message, "{json}");
}

#[test]
fn every_variant_round_trips() {
    let lobby = RoomName::lobby();
    let client_id = ClientId::parse("c-1").expect("valid");
    round_trip(ServerMessage::Welcome(Welcome {
        request_id: 1,
        protocol: 1,
        nickname: nick("alice"),
        token: "secret".into(),
        rooms: vec![RoomSummary {
            name: lobby.clone(),
            last_seq: 3,
            private: true,
            dm_with: Some(nick("bob")),
        }],
        role: Role::Member,
        session: Some(Secret::new("session-token")),
    }));
    round_trip(ServerMessage::SignedOut(SignedOut { request_id: 4 }));
    round_trip(ServerMessage::Invited(Invited {
        request_id: 5,
        room: lobby.clone(),
        username: nick("bob"),
    }));
    round_trip(ServerMessage::MemberRemoved(MemberRemoved {
        request_id: 6,
        room: lobby.clone(),
        username: nick("bob"),
    }));
    round_trip(ServerMessage::RoomMemberList(RoomMemberList {
        request_id: 7,
        room: lobby.clone(),
        members: vec![
            RoomMember { username: nick("alice"), role: RoomRole::Owner },
            RoomMember { username: nick("bob"), role: RoomRole::Member },
        ],
    }));
    round_trip(ServerMessage::RoomRemoved(RoomRemoved { room: lobby.clone() }));
    round_trip(ServerMessage::Created(Created { request_id: 1, room: lobby.clone() }));
    round_trip(ServerMessage::RoomAdded(RoomAdded {
        room: RoomSummary { name: lobby.clone(), last_seq: 0, private: false, dm_with: None },
    }));
    round_trip(ServerMessage::Joined(Joined {
        request_id: 2,
        room: lobby.clone(),
        members: vec![nick("alice"), nick("bob")],
        guests: vec![nick("bob")],
        last_seq: 7,
        role: None,
        muted_until: None,
        member_count: None,
    }));
    round_trip(ServerMessage::Joined(Joined {
        request_id: 2,
        room: lobby.clone(),
        members: vec![nick("alice")],
        guests: vec![],
        last_seq: 7,
        role: Some(RoomRole::Moderator),
        muted_until: Some(1_700_000_000_000),
        member_count: None,
    }));
    round_trip(ServerMessage::Joined(Joined {
        request_id: 2,
        room: lobby.clone(),
        members: vec![],
        guests: vec![],
        last_seq: 7,
        role: None,
        muted_until: None,
        member_count: Some(20_000),
    }));
    round_trip(ServerMessage::RoomRoleSet(RoomRoleSet {
        request_id: 9,
        room: lobby.clone(),
        username: nick("bob"),
        role: RoomRole::Moderator,
    }));
    round_trip(ServerMessage::KickDone(KickDone {
        request_id: 9,
        room: lobby.clone(),
        nickname: nick("bob"),
    }));
    round_trip(ServerMessage::Kicked(Kicked {
        room: lobby.clone(),
        by: nick("alice"),
        reason: "flooding".into(),
    }));
    round_trip(ServerMessage::MuteRecorded(MuteRecorded {
        request_id: 9,
        room: lobby.clone(),
        nickname: nick("bob"),
        until: Some(5),
    }));
    round_trip(ServerMessage::MuteLifted(MuteLifted {
        request_id: 9,
        room: lobby.clone(),
        nickname: nick("bob"),
    }));
    round_trip(ServerMessage::Muted(Muted {
        room: lobby.clone(),
        until: None,
        reason: String::new(),
    }));
    round_trip(ServerMessage::Unmuted(Unmuted { room: lobby.clone() }));
    let invite = InviteInfo {
        id: 3,
        created_by: nick("boss"),
        created_at: 1,
        expires_at: 2,
        max_uses: Some(1),
        uses: 0,
        revoked: false,
    };
    round_trip(ServerMessage::InviteCreated(InviteCreated {
        request_id: 9,
        invite: invite.clone(),
        code: Secret::new("code"),
    }));
    round_trip(ServerMessage::InviteList(InviteList { request_id: 9, invites: vec![invite] }));
    round_trip(ServerMessage::InviteRevoked(InviteRevoked { request_id: 9, id: 3 }));
    round_trip(ServerMessage::People(People {
        request_id: 9,
        people: vec![PersonInfo {
            username: nick("bob"),
            role: Role::Moderator,
            created_at: 1,
            last_seen_at: Some(2),
            banned_until: Some(3),
            ban_reason: "spam".into(),
        }],
        guest_bans: vec![GuestBanInfo {
            nickname: nick("pest"),
            until: None,
            reason: String::new(),
            banned_by: nick("boss"),
            banned_at: 4,
            addresses: 2,
        }],
    }));
    round_trip(ServerMessage::RoleSet(RoleSet {
        request_id: 9,
        username: nick("bob"),
        role: Role::Admin,
    }));
    round_trip(ServerMessage::RoleChanged(RoleChanged { role: Role::Member }));
    round_trip(ServerMessage::Left(Left { request_id: 3, room: lobby.clone() }));
    round_trip(ServerMessage::Ack(Ack {
        request_id: 4,
        room: lobby.clone(),
        client_id: client_id.clone(),
        seq: 9,
        id: "m-9".into(),
        sent_at: 1_700_000_000_000,
    }));
    round_trip(ServerMessage::Message(ChatMessage {
        room: lobby.clone(),
        seq: 9,
        id: "m-9".into(),
        client_id,
        author: nick("alice"),
        sent_at: 1_700_000_000_000,
        content: Content::Post(Post {
            body: Some(MessageBody::parse("<img src=x onerror=alert(1)>").expect("valid")),
            edited: Some(Edited { seq: 11, at: 1_700_000_000_500 }),
            reactions: Some(Reactions {
                seq: 12,
                list: vec![Reaction {
                    emoji: Emoji::parse("👍").expect("valid"),
                    by: vec![nick("bob"), nick("carol")],
                }],
            }),
            reply_to: Some(Box::new(ReplyTo {
                seq: 3,
                author: nick("bob"),
                excerpt: Some("the original".into()),
                edited: true,
            })),
        }),
    }));
    round_trip(ServerMessage::Message(ChatMessage {
        room: lobby.clone(),
        seq: 12,
        id: "m-12".into(),
        client_id: ClientId::parse("01J9Z9").expect("valid"),
        author: nick("carol"),
        sent_at: 1_700_000_000_000,
        content: Content::Reaction(ReactsTo {
            seq: 9,
            emoji: Emoji::parse("👍").expect("valid"),
            withdraw: false,
        }),
    }));
    round_trip(ServerMessage::History(History {
        request_id: 6,
        room: lobby.clone(),
        messages: vec![],
        reaches_start: true,
        reaches_end: false,
        first_seq: None,
    }));
    round_trip(ServerMessage::History(History {
        request_id: 6,
        room: lobby.clone(),
        messages: vec![],
        reaches_start: true,
        reaches_end: true,
        first_seq: Some(41),
    }));
    round_trip(ServerMessage::Pong(Pong { request_id: 7 }));
    round_trip(ServerMessage::DateFound(DateFound {
        request_id: 8,
        room: lobby.clone(),
        seq: Some(3),
    }));
    round_trip(ServerMessage::DateFound(DateFound {
        request_id: 9,
        room: lobby.clone(),
        seq: None,
    }));
    round_trip(ServerMessage::UserJoined(UserJoined {
        room: lobby.clone(),
        nickname: nick("bob"),
        guest: true,
    }));
    round_trip(ServerMessage::Typing(Typing { room: lobby.clone(), nickname: nick("bob") }));
    round_trip(ServerMessage::UserLeft(UserLeft { room: lobby.clone(), nickname: nick("bob") }));
    round_trip(ServerMessage::MemberPage(MemberPage {
        request_id: 4,
        room: lobby.clone(),
        members: vec![nick("ann"), nick("bob")],
        guests: vec![nick("bob")],
        next_after: Some(nick("bob")),
    }));
    round_trip(ServerMessage::MemberCount(MemberCount { room: lobby.clone(), count: 501 }));
    round_trip(ServerMessage::MemberList(MemberList {
        room: lobby,
        members: vec![nick("ann")],
        guests: vec![],
    }));
    round_trip(ServerMessage::Error(ErrorReply {
        request_id: Some(5),
        code: ErrorCode::NicknameTaken,
        message: "taken".into(),
        retry_after_ms: None,
    }));
    round_trip(ServerMessage::Error(ErrorReply {
        request_id: None,
        code: ErrorCode::MalformedJson,
        message: "bad".into(),
        retry_after_ms: None,
    }));
    round_trip(ServerMessage::Error(ErrorReply {
        request_id: Some(6),
        code: ErrorCode::RateLimited,
        message: "slow down".into(),
        retry_after_ms: Some(200),
    }));
    round_trip(ServerMessage::ServerClosing(ServerClosing { reason: "restart".into() }));
}

#[test]
fn a_chat_message_is_flat_on_the_wire() {
    let json = ServerMessage::Message(ChatMessage {
        room: RoomName::lobby(),
        seq: 1,
        id: "m".into(),
        client_id: ClientId::parse("c").expect("valid"),
        author: nick("al"),
        sent_at: 5,
        content: Content::post(MessageBody::parse("hi").expect("valid")),
    })
    .to_json();
    assert_eq!(
        json,
        r#"{"type":"message","room":"lobby","seq":1,"id":"m","client_id":"c","author":"al","body":"hi","sent_at":5}"#
    );
}

#[test]
fn a_deletion_has_no_body_and_names_its_target() {
    let deletion = ChatMessage {
        room: RoomName::lobby(),
        seq: 2,
        id: "d".into(),
        client_id: ClientId::parse("c2").expect("valid"),
        author: nick("mod"),
        sent_at: 6,
        content: Content::Deletion { deletes: 1 },
    };
    let json = ServerMessage::Message(deletion.clone()).to_json();
    assert_eq!(
        json,
        r#"{"type":"message","room":"lobby","seq":2,"id":"d","client_id":"c2","author":"mod","sent_at":6,"deletes":1}"#
    );
    round_trip(ServerMessage::Message(deletion));
}

#[test]
fn an_error_without_request_id_omits_the_field() {
    let json = ServerMessage::Error(ErrorReply {
        request_id: None,
        code: ErrorCode::UnknownType,
        message: "x".into(),
        retry_after_ms: None,
    })
    .to_json();
    assert_eq!(json, r#"{"type":"error","code":"unknown_type","message":"x"}"#);
}
