//! A room's own moderation as the page offers it: who may kick, mute and appoint moderators in
//! the room on screen, asked of the server's own judge (`common::permissions`), and the
//! requests for each.

use common::permissions::{self, Action, Actor, RoomFacts, Standing};
use common::{ClientMessage, Nickname, Role, RoomRole};

use super::ChatState;

/// What a moderator does to someone in a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomAction {
    /// Keep them from writing for this many minutes.
    Mute {
        minutes: u32,
    },
    Unmute,
    /// Take them out of the room now (they may come back).
    Kick,
    /// Make them a moderator of the room (`Moderator`) or take that back (`Member`).
    Appoint(RoomRole),
}

impl ChatState {
    /// Whether the server's judge lets this person do `action` in the room on screen.
    fn may_in_current_room(&self, action: Action) -> bool {
        let Some(room) = self.rooms.get(&self.current) else { return false };
        let facts = RoomFacts { private: room.private, role_in_room: room.my_role };
        permissions::check(&Actor { role: self.role }, action, Some(&facts)).is_ok()
    }

    /// Whether this person may kick and mute anyone in the room on screen (someone who ranks
    /// lowest there: a guest with no part in it): its owner or a room moderator, or, in a
    /// public room, a server moderator or admin.
    pub fn moderates_current_room(&self) -> bool {
        let anyone = Standing { role: Role::Guest, role_in_room: None };
        self.may_in_current_room(Action::ModerateRoom { target: anyone })
    }

    /// Whether this person may appoint the room's moderators: its owner, or an admin in a
    /// public room.
    pub fn appoints_in_current_room(&self) -> bool {
        self.may_in_current_room(Action::AppointModerators)
    }

    /// Until when this person is muted in the room on screen, if they are (at `now_ms`).
    pub fn muted_in_current_room(&self, now_ms: i64) -> Option<i64> {
        let until = self.rooms.get(&self.current)?.muted_until?;
        (until > now_ms).then_some(until)
    }

    /// The request deleting the message `seq` of the room on screen, with `client_id` (fresh:
    /// a retry of the same deletion would reuse it).
    pub fn delete_request(&mut self, seq: u64, client_id: common::ClientId) -> ClientMessage {
        let (request_id, room) = (self.request_id(), self.current.to_string());
        ClientMessage::DeleteMessage { request_id, room, seq, client_id }
    }

    /// The request doing `action` to `who` in the room on screen.
    pub fn room_action(&mut self, who: &Nickname, action: RoomAction) -> ClientMessage {
        let (request_id, room, name) =
            (self.request_id(), self.current.to_string(), who.to_string());
        match action {
            RoomAction::Mute { minutes } => ClientMessage::Mute {
                request_id,
                room,
                nickname: name,
                reason: String::new(),
                minutes: Some(minutes),
            },
            RoomAction::Unmute => ClientMessage::Unmute { request_id, room, nickname: name },
            RoomAction::Kick => {
                ClientMessage::Kick { request_id, room, nickname: name, reason: String::new() }
            }
            RoomAction::Appoint(role) => {
                ClientMessage::SetRoomRole { request_id, room, username: name, role }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use common::{Joined, Kicked, Muted, RoomSummary, ServerMessage, Unmuted, Welcome};

    use super::*;
    use crate::model::problem::Problem;
    use crate::test_support::{nick, room};

    /// A page signed in as `role`, in the public room `garden` as `part`.
    fn in_garden(role: Role, part: Option<RoomRole>, private: bool) -> ChatState {
        let mut state = ChatState::showing(room("garden"));
        state.hello("ann").expect("valid");
        let summary = RoomSummary { name: room("garden"), last_seq: 0, private, dm_with: None };
        state.apply(
            ServerMessage::Welcome(Welcome {
                request_id: 1,
                protocol: 1,
                nickname: nick("ann"),
                token: "t".into(),
                rooms: vec![summary],
                role,
                session: None,
            }),
            0,
        );
        state.apply(
            ServerMessage::Joined(Joined {
                request_id: 2,
                room: room("garden"),
                members: vec![nick("ann"), nick("bob")],
                guests: vec![],
                last_seq: 0,
                role: part,
                muted_until: None,
                member_count: None,
            }),
            0,
        );
        state
    }

    #[test]
    fn the_menu_is_offered_to_those_the_server_would_let_moderate() {
        let cases = [
            (Role::Member, None, false, false, false),
            (Role::Guest, None, false, false, false),
            (Role::Member, Some(RoomRole::Moderator), false, true, false),
            (Role::Member, Some(RoomRole::Owner), false, true, true),
            (Role::Moderator, None, false, true, false),
            (Role::Admin, None, false, true, true),
            // A private room is its owner's: server staff have no say in it.
            (Role::Admin, Some(RoomRole::Member), true, false, false),
            (Role::Member, Some(RoomRole::Owner), true, true, true),
        ];
        for (role, part, private, moderates, appoints) in cases {
            let state = in_garden(role, part, private);
            assert_eq!(state.moderates_current_room(), moderates, "{role:?} {part:?} {private}");
            assert_eq!(state.appoints_in_current_room(), appoints, "{role:?} {part:?} {private}");
        }
    }

    #[test]
    fn a_mute_holds_until_its_end_or_until_lifted() {
        let mut state = in_garden(Role::Guest, None, false);
        assert_eq!(state.muted_in_current_room(0), None);
        let muted = Muted { room: room("garden"), until: Some(60_000), reason: "calm".into() };
        state.apply(ServerMessage::Muted(muted), 0);
        assert_eq!(state.muted_in_current_room(59_999), Some(60_000));
        assert_eq!(state.muted_in_current_room(60_000), None, "ended by the clock");
        let for_good = Muted { room: room("garden"), until: None, reason: String::new() };
        state.apply(ServerMessage::Muted(for_good), 0);
        assert_eq!(state.muted_in_current_room(i64::MAX - 1), Some(i64::MAX));
        state.apply(ServerMessage::Unmuted(Unmuted { room: room("garden") }), 0);
        assert_eq!(state.muted_in_current_room(0), None);
    }

    #[test]
    fn a_kick_leaves_the_room_on_screen_not_rejoined_and_says_who() {
        let mut state = in_garden(Role::Guest, None, false);
        let kicked = Kicked { room: room("garden"), by: nick("mod"), reason: "spam".into() };
        let replies = state.apply(ServerMessage::Kicked(kicked), 0).frames;
        assert!(replies.is_empty(), "no automatic rejoin: {replies:?}");
        let garden = &state.rooms[&room("garden")];
        assert!(!garden.joined && !garden.followed && garden.members.is_empty());
        assert_eq!(
            state.error,
            Some(Problem::KickedFrom {
                room: room("garden"),
                by: nick("mod"),
                reason: "spam".into()
            })
        );
        // Choosing the room again joins it again.
        let requests = state.show(room("garden"));
        assert!(matches!(requests.as_slice(), [ClientMessage::Join { .. }]));
    }

    #[test]
    fn each_action_is_the_request_the_protocol_names() {
        let mut state = in_garden(Role::Member, Some(RoomRole::Owner), false);
        let bob = nick("bob");
        let mute = state.room_action(&bob, RoomAction::Mute { minutes: 10 });
        assert!(
            matches!(mute, ClientMessage::Mute { minutes: Some(10), ref room, .. } if room == "garden")
        );
        assert!(matches!(
            state.room_action(&bob, RoomAction::Unmute),
            ClientMessage::Unmute { .. }
        ));
        assert!(matches!(state.room_action(&bob, RoomAction::Kick), ClientMessage::Kick { .. }));
        let appoint = state.room_action(&bob, RoomAction::Appoint(RoomRole::Moderator));
        assert!(matches!(
            appoint,
            ClientMessage::SetRoomRole { role: RoomRole::Moderator, ref username, .. } if username == "bob"
        ));
    }
}
