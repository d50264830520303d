//! Who may do what, decided in one place: every path that lets someone see or do something
//! (join, history and catch-up, the room list in `welcome` and `room_added`, creating,
//! inviting, removing, editing, moderating, the admin view) asks [`check`], and nothing else
//! decides: the server for every refusal (no `forbidden` is written anywhere else), the page
//! to decide what to offer, so it never offers what the server refuses. Live delivery, presence and
//! typing reach only a room's joined members on each node, who were let in here; removing a
//! member takes their connections out of the room on every node.
//!
//! | action | public room | private room |
//! | --- | --- | --- |
//! | see it listed, join, read its history, write | everyone (guests too) | its members |
//! | find its messages by search | everyone (guests too) | its members |
//! | react to its messages, edit and delete one's own | who may write there, not while muted (delete: also muted) | its members, likewise |
//! | edit a message | its author only | its author only |
//! | invite or remove members (never the owner) | nobody (no member list) | its owner and room moderators |
//! | create a private room | | registered accounts, not guests |
//! | kick, mute, delete others' messages | owner, room moderators, server moderators and admins | owner, room moderators |
//! | make room moderators (never a second owner, never the owner) | owner, admins | owner |
//! | ban server-wide | | admins (guests, members, moderators), moderators (guests, members) |
//! | ban a guest's name | | admins and moderators; not a name an account holds |
//! | read the audit log; the admin view (invite links, people, server roles) | | admins |
//! | change a server role | | admins, not their own |
//! | open direct messages | | registered accounts, with someone else |
//! | any moderation request | | registered accounts (then the rule of that request) |
//!
//! Search reads many rooms at once, so it cannot ask [`check`] room by room without filtering
//! after the query (and short pages): the store's query states the rule of
//! [`Action::Enter`] in SQL instead (`store::search::READABLE_ROOMS`: public rooms, and rooms
//! with a membership row), and the API tests try to break it from every side.
//!
//! Kicking and muting reach only those who rank below the asker in the room: an admin (in a
//! public room), then the owner, then room moderators and server moderators, then everyone
//! (so nobody moderates themselves: nobody ranks below themselves).

use crate::{Role, RoomRole};

/// Who is asking: their server role, which says whether they are signed in to an account (a
/// registered role) or a guest. The page knows as much of itself as the server does, so both
/// ask the same question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
}

/// What is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See a room in a list, join it, read its history (catching up included), write in it.
    Enter,
    /// Invite someone to a private room, or remove them from it.
    ManageMembers,
    /// Kick or mute someone who stands so in the room, or delete their message.
    ModerateRoom { target: Standing },
    /// Make someone a room moderator, or a member again.
    AppointModerators,
    /// Create a private room.
    CreatePrivateRoom,
    /// Ban (or lift the ban of) an account whose server role is `target`.
    Ban { target: Role },
    /// Read the audit log of moderation actions.
    ReadAuditLog,
    /// The admin view: invite links, the people and their server roles.
    Administer,
    /// Change the server role of an account (`own`: the asker's own).
    SetServerRole { own: bool },
    /// Edit a message (`own`: written by the asker).
    EditMessage { own: bool },
    /// Give someone the part `to` in a room, where their part is now `target_part`.
    SetRoomRole { to: RoomRole, target_part: Option<RoomRole> },
    /// Take someone whose part is `target_part` out of a private room.
    RemoveMember { target_part: RoomRole },
    /// Open a direct-message conversation (`with_self`: with oneself).
    OpenDirectMessages { with_self: bool },
    /// Read the direct-message room of two accounts (`mine`: the asker is one of them).
    ReadDirectMessages { mine: bool },
    /// Use any moderation request (each then has its own rule).
    Moderate,
    /// Ban a guest's nickname (`held_by_account`: an account's name, to be banned as such).
    BanGuestName { held_by_account: bool },
}

/// What a decision needs to know about the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoomFacts {
    pub private: bool,
    /// The asker's part in the room (`None` for guests and non-members).
    pub role_in_room: Option<RoomRole>,
}

/// Where someone stands in a room: their server role and their part in the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub role: Role,
    pub role_in_room: Option<RoomRole>,
}

impl Standing {
    /// How far up someone stands in `room`, for moderation: 4 an admin in a public room, 3 the
    /// owner, 2 a room moderator (or a server moderator in a public room), 1 anyone else.
    fn rank(&self, room: &RoomFacts) -> u8 {
        let in_room = match self.role_in_room {
            Some(RoomRole::Owner) => 3,
            Some(RoomRole::Moderator) => 2,
            Some(RoomRole::Member) | None => 1,
        };
        let server_wide = match (room.private, self.role) {
            (false, Role::Admin) => 4,
            (false, Role::Moderator) => 2,
            _ => 1,
        };
        in_room.max(server_wide)
    }
}

/// Not allowed; says nothing about what the room holds. Only [`check`] makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Forbidden(&'static str);

/// `Ok` when `allowed`, else the refusal `why`.
fn allow(allowed: bool, why: &'static str) -> Result<(), Forbidden> {
    if allowed { Ok(()) } else { Err(Forbidden(why)) }
}

/// Whether `actor` may do `action` in `room` (`None` for actions outside any room).
pub fn check(actor: &Actor, action: Action, room: Option<&RoomFacts>) -> Result<(), Forbidden> {
    match (action, room) {
        (Action::CreatePrivateRoom, _) => {
            if actor.role.is_registered() {
                Ok(())
            } else {
                Err(Forbidden("only registered accounts can make private rooms; sign in first"))
            }
        }
        (Action::Enter, Some(room)) => {
            if !room.private || room.role_in_room.is_some() {
                Ok(())
            } else {
                Err(Forbidden("this room is private; ask its owner for an invitation"))
            }
        }
        (Action::ManageMembers, Some(room)) => {
            if !room.private {
                return Err(Forbidden("a public room has no member list: everyone may enter"));
            }
            match room.role_in_room {
                Some(RoomRole::Owner | RoomRole::Moderator) => Ok(()),
                _ => Err(Forbidden("only the room's owner and moderators manage its members")),
            }
        }
        (Action::ModerateRoom { target }, Some(room)) => {
            let asker = Standing { role: actor.role, role_in_room: room.role_in_room };
            let rank = asker.rank(room);
            if rank < 2 {
                Err(Forbidden("only the room's owner and moderators moderate it"))
            } else if target.rank(room) >= rank {
                Err(Forbidden("only someone who ranks below you in this room"))
            } else {
                Ok(())
            }
        }
        (Action::AppointModerators, Some(room)) => {
            let admin_of_public = !room.private && actor.role == Role::Admin;
            if room.role_in_room == Some(RoomRole::Owner) || admin_of_public {
                Ok(())
            } else {
                Err(Forbidden("only the room's owner appoints its moderators"))
            }
        }
        (Action::Ban { target }, _) => {
            let outranks = match actor.role {
                Role::Admin => matches!(target, Role::Guest | Role::Member | Role::Moderator),
                Role::Moderator => matches!(target, Role::Guest | Role::Member),
                Role::Member | Role::Guest => false,
            };
            if outranks {
                Ok(())
            } else {
                Err(Forbidden("only a server moderator or admin bans, and only those below them"))
            }
        }
        (Action::Administer, _) => {
            if actor.role == Role::Admin {
                Ok(())
            } else {
                Err(Forbidden("only admins use the admin view"))
            }
        }
        (Action::ReadAuditLog, _) => {
            if actor.role == Role::Admin {
                Ok(())
            } else {
                Err(Forbidden("only admins read the audit log"))
            }
        }
        (Action::SetServerRole { own }, _) => {
            check(actor, Action::Administer, room)?;
            allow(!own, "not your own role: ask another admin")
        }
        (Action::EditMessage { own }, _) => allow(own, "only its author may edit a message"),
        (Action::SetRoomRole { to, target_part }, Some(_)) => {
            check(actor, Action::AppointModerators, room)?;
            allow(to != RoomRole::Owner, "a room has one owner, its creator")?;
            allow(target_part != Some(RoomRole::Owner), "the owner's part cannot change")
        }
        (Action::RemoveMember { target_part }, Some(_)) => {
            check(actor, Action::ManageMembers, room)?;
            allow(target_part != RoomRole::Owner, "a room's owner cannot be removed")
        }
        (Action::OpenDirectMessages { with_self }, _) => {
            let registered = actor.role.is_registered();
            allow(registered, "only registered accounts have direct messages; sign in first")?;
            allow(!with_self, "a direct message needs someone else")
        }
        (Action::ReadDirectMessages { mine }, _) => allow(mine, "this conversation is not yours"),
        (Action::Moderate, _) => {
            allow(actor.role.is_registered(), "moderation needs a moderator's account")
        }
        (Action::BanGuestName { held_by_account }, _) => {
            check(actor, Action::Ban { target: Role::Guest }, None)?;
            allow(!held_by_account, "this is an account's name: ban the account")
        }
        (
            Action::Enter
            | Action::ManageMembers
            | Action::ModerateRoom { .. }
            | Action::AppointModerators
            | Action::SetRoomRole { .. }
            | Action::RemoveMember { .. },
            None,
        ) => Err(Forbidden("no such room")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUEST: Actor = Actor { role: Role::Guest };
    const MEMBER: Actor = Actor { role: Role::Member };
    const MODERATOR: Actor = Actor { role: Role::Moderator };
    const ADMIN: Actor = Actor { role: Role::Admin };

    fn room(private: bool, role_in_room: Option<RoomRole>) -> RoomFacts {
        RoomFacts { private, role_in_room }
    }

    /// Every asker x every action x every kind of room and part in it, against the table.
    #[test]
    fn the_permission_matrix() {
        let parts =
            [None, Some(RoomRole::Member), Some(RoomRole::Moderator), Some(RoomRole::Owner)];
        for actor in [GUEST, MEMBER, MODERATOR, ADMIN] {
            for part in parts {
                let public = room(false, part);
                let private = room(true, part);
                assert!(check(&actor, Action::Enter, Some(&public)).is_ok());
                assert_eq!(check(&actor, Action::Enter, Some(&private)).is_ok(), part.is_some());
                assert!(check(&actor, Action::ManageMembers, Some(&public)).is_err());
                let manages = matches!(part, Some(RoomRole::Owner | RoomRole::Moderator));
                assert_eq!(check(&actor, Action::ManageMembers, Some(&private)).is_ok(), manages);
            }
            let registered = actor.role.is_registered();
            assert_eq!(check(&actor, Action::CreatePrivateRoom, None).is_ok(), registered);
            for target in [Role::Guest, Role::Member, Role::Moderator, Role::Admin] {
                let bans = match actor.role {
                    Role::Admin => target != Role::Admin,
                    Role::Moderator => target < Role::Moderator,
                    _ => false,
                };
                assert_eq!(check(&actor, Action::Ban { target }, None).is_ok(), bans);
            }
            let reads = actor.role == Role::Admin;
            assert_eq!(check(&actor, Action::ReadAuditLog, None).is_ok(), reads);
            assert_eq!(check(&actor, Action::Administer, None).is_ok(), reads);
        }
    }

    /// Every asker x every target x every part in the room, public and private, against the
    /// ranks written out by hand.
    #[test]
    fn the_moderation_matrix() {
        let parts =
            [None, Some(RoomRole::Member), Some(RoomRole::Moderator), Some(RoomRole::Owner)];
        let roles = [Role::Guest, Role::Member, Role::Moderator, Role::Admin];
        // The rank by hand: (private, role, part) -> rank.
        let rank = |private: bool, role: Role, part: Option<RoomRole>| -> u8 {
            match (private, role, part) {
                (false, Role::Admin, _) => 4,
                (_, _, Some(RoomRole::Owner)) => 3,
                (_, _, Some(RoomRole::Moderator)) | (false, Role::Moderator, _) => 2,
                _ => 1,
            }
        };
        for private in [false, true] {
            for asker_role in roles {
                for asker_part in parts {
                    let actor = Actor { role: asker_role };
                    let facts = room(private, asker_part);
                    let mine = rank(private, asker_role, asker_part);
                    for target_role in roles {
                        for target_part in parts {
                            let target = Standing { role: target_role, role_in_room: target_part };
                            let theirs = rank(private, target_role, target_part);
                            let allowed = mine >= 2 && theirs < mine;
                            let action = Action::ModerateRoom { target };
                            assert_eq!(
                                check(&actor, action, Some(&facts)).is_ok(),
                                allowed,
                                "{asker_role:?}/{asker_part:?} on {target_role:?}/{target_part:?}, \
                                 private: {private}"
                            );
                        }
                    }
                    let appoints = asker_part == Some(RoomRole::Owner)
                        || (!private && asker_role == Role::Admin);
                    assert_eq!(
                        check(&actor, Action::AppointModerators, Some(&facts)).is_ok(),
                        appoints
                    );
                }
            }
        }
    }

    #[test]
    fn a_room_moderator_cannot_touch_the_owner_nor_another_moderator() {
        let moderator = Actor { role: Role::Member };
        let facts = room(false, Some(RoomRole::Moderator));
        for part in [RoomRole::Owner, RoomRole::Moderator] {
            let target = Standing { role: Role::Member, role_in_room: Some(part) };
            assert!(check(&moderator, Action::ModerateRoom { target }, Some(&facts)).is_err());
        }
        let server_moderator = Standing { role: Role::Moderator, role_in_room: None };
        let action = Action::ModerateRoom { target: server_moderator };
        assert!(check(&moderator, action, Some(&facts)).is_err());
        let guest = Standing { role: Role::Guest, role_in_room: None };
        assert!(check(&moderator, Action::ModerateRoom { target: guest }, Some(&facts)).is_ok());
    }

    /// The rules beside the ranks, for every asker, each tried from the side that must fail.
    #[test]
    fn the_rules_beside_the_ranks() {
        let parts =
            [None, Some(RoomRole::Member), Some(RoomRole::Moderator), Some(RoomRole::Owner)];
        for actor in [GUEST, MEMBER, MODERATOR, ADMIN] {
            let is = |action| check(&actor, action, None).is_ok();
            assert!(is(Action::EditMessage { own: true }));
            assert!(!is(Action::EditMessage { own: false }), "nobody edits another's message");
            assert_eq!(is(Action::SetServerRole { own: false }), actor.role == Role::Admin);
            assert!(!is(Action::SetServerRole { own: true }), "not even an admin their own");
            let registered = actor.role.is_registered();
            assert_eq!(is(Action::OpenDirectMessages { with_self: false }), registered);
            assert!(!is(Action::OpenDirectMessages { with_self: true }));
            assert!(is(Action::ReadDirectMessages { mine: true }));
            assert!(!is(Action::ReadDirectMessages { mine: false }), "not even an admin");
            assert_eq!(is(Action::Moderate), registered);
            let bans_guests = actor.role >= Role::Moderator;
            assert_eq!(is(Action::BanGuestName { held_by_account: false }), bans_guests);
            assert!(!is(Action::BanGuestName { held_by_account: true }));
            for private in [false, true] {
                for part in parts {
                    let facts = room(private, part);
                    let may = |action| check(&actor, action, Some(&facts)).is_ok();
                    let appoints = may(Action::AppointModerators);
                    for target_part in parts {
                        let to_owner = Action::SetRoomRole { to: RoomRole::Owner, target_part };
                        assert!(!may(to_owner), "a room has one owner");
                        let to_moderator =
                            Action::SetRoomRole { to: RoomRole::Moderator, target_part };
                        let not_owner = target_part != Some(RoomRole::Owner);
                        assert_eq!(may(to_moderator), appoints && not_owner);
                    }
                    let manages = may(Action::ManageMembers);
                    let owner = Action::RemoveMember { target_part: RoomRole::Owner };
                    assert!(!may(owner), "the owner stays");
                    let member = Action::RemoveMember { target_part: RoomRole::Member };
                    assert_eq!(may(member), manages);
                }
            }
        }
    }

    #[test]
    fn a_server_admin_is_not_a_member_of_every_private_room() {
        assert!(check(&ADMIN, Action::Enter, Some(&room(true, None))).is_err());
        assert!(check(&ADMIN, Action::ManageMembers, Some(&room(true, None))).is_err());
    }
}
