//! The admin view in the page: invite links (registering with the one the page was opened
//! with, an admin's list following the answers), the people and their roles, and a role given
//! to this person counting at once.

use common::{
    BanLifted, ClientMessage, InviteCreated, InviteInfo, InviteList, InviteRevoked, People,
    PersonInfo, Role, RoleChanged, RoleSet, Secret, ServerMessage, Welcome,
};

use super::*;
use crate::test_support::nick;

fn invite(id: u64) -> InviteInfo {
    InviteInfo {
        id,
        created_by: nick("boss"),
        created_at: 0,
        expires_at: 1,
        max_uses: Some(1),
        uses: 0,
        revoked: false,
    }
}

#[test]
fn registering_carries_the_invite_the_page_was_opened_with_until_welcomed() {
    let mut state = ChatState { invite: Some(Secret::new("code-1")), ..ChatState::default() };
    let request =
        state.sign_in_with_password("ann", "correct horse battery", AccountAction::Register);
    match request.expect("valid") {
        ClientMessage::Register { invite, .. } => assert_eq!(invite, Some(Secret::new("code-1"))),
        other => panic!("{other:?}"),
    }
    // Signing in to an existing account has no use for it.
    let sign_in = state.sign_in_with_password("ann", "x", AccountAction::SignIn).expect("valid");
    assert!(matches!(sign_in, ClientMessage::SignIn { .. }));
    state.apply(
        ServerMessage::Welcome(Welcome {
            request_id: 1,
            protocol: 1,
            nickname: nick("ann"),
            token: "t".into(),
            rooms: vec![],
            role: Role::Member,
            session: Some(Secret::new("s")),
        }),
        0,
    );
    assert_eq!(state.invite, None, "used once");
}

#[test]
fn the_admins_list_follows_the_answers() {
    let mut state = ChatState::default();
    state.apply(
        ServerMessage::InviteList(InviteList { request_id: 1, invites: vec![invite(1)] }),
        0,
    );
    let created = InviteCreated { request_id: 2, invite: invite(2), code: Secret::new("fresh") };
    state.apply(ServerMessage::InviteCreated(created), 0);
    assert_eq!(state.new_invite, Some(Secret::new("fresh")));
    let ids: Vec<u64> = state.invites.iter().flatten().map(|invite| invite.id).collect();
    assert_eq!(ids, [2, 1], "newest first");
    state.apply(ServerMessage::InviteRevoked(InviteRevoked { request_id: 3, id: 1 }), 0);
    let revoked: Vec<bool> = state.invites.iter().flatten().map(|invite| invite.revoked).collect();
    assert_eq!(revoked, [false, true]);
}

#[test]
fn the_people_follow_roles_and_lifted_bans_and_my_own_role_changes_at_once() {
    let mut state = ChatState::default();
    let person = PersonInfo {
        username: nick("bob"),
        role: Role::Member,
        created_at: 0,
        last_seen_at: None,
        banned_until: Some(i64::MAX),
        ban_reason: "spam".into(),
    };
    let people = People { request_id: 1, people: vec![person], guest_bans: vec![] };
    state.apply(ServerMessage::People(people), 0);
    let set = RoleSet { request_id: 2, username: nick("bob"), role: Role::Moderator };
    state.apply(ServerMessage::RoleSet(set), 0);
    state.apply(ServerMessage::BanLifted(BanLifted { request_id: 3, username: nick("bob") }), 0);
    let bob = &state.people.as_ref().expect("listed").people[0];
    assert_eq!((bob.role, bob.banned_until, bob.ban_reason.as_str()), (Role::Moderator, None, ""));

    assert!(!state.moderates());
    state.apply(ServerMessage::RoleChanged(RoleChanged { role: Role::Moderator }), 0);
    assert!(state.moderates(), "the moderation tools appear without signing in again");
}
