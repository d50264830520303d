//! How server messages change what the page knows: [`ChatState::apply`] and the requests it
//! makes in reply (joins after a welcome, catch-up pages after a gap, the outbox's next sends).

use common::{
    Ack, ChatMessage, ClientMessage, Content, Created, DmOpened, ErrorCode, ErrorReply, History,
    Joined, Kicked, Left, MemberCount, MemberList, Muted, Post, RequestId, RoomAdded, RoomName,
    RoomRemoved, ServerClosing, ServerMessage, Typing, Unmuted, UserJoined, UserLeft, Welcome,
};

use super::{CATCH_UP_MAX, ChatState, Phase};
use crate::model::case_fold::same_name;
use crate::model::effects::Effects;
use crate::model::identity::Identity;
use crate::model::outbox::{Outgoing, Refused};
use crate::model::problem::{Problem, ServerRefusal};
use crate::model::room_state::{HistoryStatus, NoticeEvent};

impl ChatState {
    /// Applies one server message, received at `now_ms` (milliseconds since the epoch, for
    /// typing indicators); returns what must happen outside the state because of it.
    pub fn apply(&mut self, message: ServerMessage, now_ms: i64) -> Effects {
        let arrived = match &message {
            // A change (deletion, edit), or a message deleted since, has nothing to notify of.
            ServerMessage::Message(chat_message) if chat_message.is_live_post() => {
                Some(chat_message.clone())
            }
            _ => None,
        };
        let welcomed = matches!(message, ServerMessage::Welcome(_));
        let signed_out = matches!(message, ServerMessage::SignedOut(_));
        let had_identity = self.identity.is_some();
        let frames = self.take_in(message, now_ms);
        Effects {
            frames,
            save_identity: if welcomed { self.identity.clone() } else { None },
            forget_identity: had_identity && self.identity.is_none(),
            signed_out,
            arrived,
            resend_after_ms: self.resend_after_ms.take(),
        }
    }

    /// [`ChatState::apply`]'s changes to the state; returns the frames to send in reply.
    fn take_in(&mut self, message: ServerMessage, now_ms: i64) -> Vec<ClientMessage> {
        match message {
            ServerMessage::Welcome(Welcome { nickname, token, rooms, role, session, .. }) => {
                self.identity = Some(Identity { nickname: nickname.clone(), token, session });
                self.invite = None; // Used, if it was.
                self.role = role;
                self.me = Some(nickname);
                self.phase = Phase::SignedIn;
                // A room the server no longer lists (a private room this person was removed
                // from while away) is forgotten.
                let listed: Vec<RoomName> =
                    rooms.iter().map(|summary| summary.name.clone()).collect();
                self.rooms.retain(|name, _| listed.contains(name));
                for summary in rooms {
                    let room = self.rooms.entry(summary.name).or_default();
                    room.last_seq = room.last_seq.max(summary.last_seq);
                    room.private = summary.private;
                    room.dm_with = summary.dm_with;
                }
                return self.rejoin();
            }
            ServerMessage::Created(Created { room, .. }) => {
                self.rooms.entry(room.clone()).or_default();
                return self.show(room);
            }
            ServerMessage::RoomAdded(RoomAdded { room }) => {
                let state = self.rooms.entry(room.name).or_default();
                state.last_seq = state.last_seq.max(room.last_seq);
                state.private = room.private;
                state.dm_with = room.dm_with;
            }
            ServerMessage::DmOpened(DmOpened { room, with, .. }) => {
                let state = self.rooms.entry(room.clone()).or_default();
                state.private = true;
                state.dm_with = Some(with);
                return self.show(room);
            }
            ServerMessage::RoomRemoved(RoomRemoved { room }) => {
                self.rooms.remove(&room);
                if self.current == room {
                    let frames = self.show(RoomName::lobby());
                    self.error = Some(Problem::RemovedFrom(room));
                    return frames;
                }
            }
            // Answers with nothing to change here: the server said yes.
            ServerMessage::Invited(_)
            | ServerMessage::MemberRemoved(_)
            | ServerMessage::RoomMemberList(_)
            | ServerMessage::BanRecorded(_)
            | ServerMessage::RoomRoleSet(_)
            | ServerMessage::KickDone(_)
            | ServerMessage::MuteRecorded(_)
            | ServerMessage::MuteLifted(_) => {}
            ServerMessage::Kicked(Kicked { room, by, reason }) => {
                let id = self.notice_id();
                if let Some(state) = self.rooms.get_mut(&room) {
                    state.joined = false;
                    state.followed = false;
                    state.members.clear();
                    state.notice(
                        id,
                        NoticeEvent::KickedMe { by: by.clone(), reason: reason.clone() },
                    );
                }
                // The room stays on screen, not rejoined: choosing it again comes back.
                if room == self.current {
                    self.error = Some(Problem::KickedFrom { room, by, reason });
                }
            }
            ServerMessage::Muted(Muted { room, until, reason }) => {
                let id = self.notice_id();
                if let Some(state) = self.rooms.get_mut(&room) {
                    state.muted_until = Some(until.unwrap_or(i64::MAX));
                    state.notice(id, NoticeEvent::MutedMe { until, reason });
                }
            }
            ServerMessage::Unmuted(Unmuted { room }) => {
                let id = self.notice_id();
                if let Some(state) = self.rooms.get_mut(&room) {
                    state.muted_until = None;
                    state.notice(id, NoticeEvent::UnmutedMe);
                }
            }
            ServerMessage::AuditLog(log) => self.audit_log = Some(log.entries),
            ServerMessage::InviteList(list) => self.invites = Some(list.invites),
            ServerMessage::People(people) => self.people = Some(people),
            ServerMessage::RoleSet(set) => {
                let listed = self.people.iter_mut().flat_map(|people| people.people.iter_mut());
                for person in listed.filter(|person| person.username == set.username) {
                    person.role = set.role;
                }
            }
            ServerMessage::RoleChanged(changed) => self.role = changed.role,
            ServerMessage::InviteCreated(created) => {
                self.invites.get_or_insert_with(Vec::new).insert(0, created.invite);
                self.new_invite = Some(created.code);
            }
            ServerMessage::BanLifted(lifted) => {
                if let Some(people) = &mut self.people {
                    for person in people.people.iter_mut().filter(|p| p.username == lifted.username)
                    {
                        person.banned_until = None;
                        person.ban_reason.clear();
                    }
                    people.guest_bans.retain(|ban| ban.nickname != lifted.username);
                }
            }
            ServerMessage::InviteRevoked(revoked) => {
                let listed = self.invites.iter_mut().flatten();
                for invite in listed.filter(|invite| invite.id == revoked.id) {
                    invite.revoked = true;
                }
            }
            ServerMessage::Sessions(sessions) => self.sessions = Some(sessions.sessions),
            ServerMessage::SignedOutElsewhere(_) | ServerMessage::PasswordChanged(_) => {
                // Only this browser's session is left.
                if let Some(sessions) = &mut self.sessions {
                    sessions.retain(|session| session.current);
                }
            }
            ServerMessage::Joined(Joined {
                room,
                members,
                guests,
                last_seq,
                role,
                muted_until,
                member_count,
                ..
            }) => {
                // A counted room lists nobody: its people come a page at a time.
                let mut frames: Vec<ClientMessage> =
                    self.counted(&room, member_count).into_iter().collect();
                let state = self.rooms.entry(room.clone()).or_default();
                state.joined = true;
                state.guests = guests;
                state.my_role = role;
                state.muted_until = muted_until;
                state.followed = true;
                // Those already back are no longer awaited.
                state.departed.retain(|gone| !members.iter().any(|m| same_name(m, &gone.nickname)));
                state.members = members;
                state.last_seq = state.last_seq.max(last_seq);
                // Everything after `last_seq` arrives live. Catch up from what the page holds,
                // or, the first time (or after a long absence), fetch the page ending there.
                match state.synced_to {
                    Some(synced) if last_seq.saturating_sub(synced) <= CATCH_UP_MAX => {
                        if synced < last_seq {
                            frames.push(self.catch_up_request(&room, synced));
                        }
                    }
                    _ => {
                        state.clear_timeline();
                        state.synced_to = Some(last_seq);
                        frames.push(self.history_request(&room, Some(last_seq.saturating_add(1))));
                    }
                }
                return frames;
            }
            ServerMessage::MemberCount(MemberCount { room, count }) => {
                if let Some(state) = self.rooms.get_mut(&room) {
                    state.count_members(count);
                }
            }
            ServerMessage::MemberList(MemberList { room, members, guests }) => {
                if let Some(state) = self.rooms.get_mut(&room) {
                    state.list_members(members, guests);
                }
            }
            ServerMessage::MemberPage(page) => self.member_page(page),
            ServerMessage::History(History {
                request_id,
                room,
                messages,
                reaches_start,
                reaches_end,
                first_seq,
            }) => {
                let is_current = room == self.current;
                let state = self.rooms.entry(room.clone()).or_default();
                let got_any = !messages.is_empty();
                // Without this, a page holding less than the first kept message would ask for
                // the removed ones again and again.
                if let Some(first_seq) = first_seq {
                    state.starts_at(first_seq);
                }
                for message in messages {
                    state.insert_message(message);
                }
                state.advance_synced();
                if is_current {
                    state.mark_read();
                }
                if state.catch_up == Some(request_id) {
                    state.catch_up = None;
                    let behind = !reaches_end || state.has_gap();
                    if let (true, true, Some(synced)) = (behind, got_any, state.synced_to) {
                        return vec![self.catch_up_request(&room, synced)];
                    }
                } else if state.filling == Some(request_id) {
                    state.filling = None; // Loaded into a hole: the room's start is unchanged.
                } else {
                    let older_removed = first_seq.is_some();
                    state.history = HistoryStatus { loading: false, reaches_start, older_removed };
                }
                return self.toward_focus().into_iter().collect();
            }
            ServerMessage::DateFound(found) => return self.date_found(found),
            ServerMessage::SearchResults(results) => {
                if let Some(search) = &mut self.search {
                    search.take(results);
                }
            }
            ServerMessage::Message(message) => {
                if self.is_me(&message.author) {
                    self.outbox.delivered(&message.client_id);
                }
                return self.receive(message);
            }
            ServerMessage::Left(Left { room, .. }) => {
                if let Some(state) = self.rooms.get_mut(&room) {
                    state.joined = false;
                    state.followed = false;
                    state.members.clear();
                }
                if room == self.current {
                    return self.show(RoomName::lobby());
                }
            }
            ServerMessage::Ack(Ack { client_id, seq, id, sent_at, .. }) => {
                // Show it where it belongs now; the `message` event (or, after a repeat, the
                // room's history) brings the same sequence number, kept once.
                if let Some(sent) = self.outbox.delivered(&client_id) {
                    let Outgoing { client_id, room, author, body, edits, reply_to, .. } = sent;
                    let content = match edits {
                        Some(edits) => Content::Edit { edits, body: Some(body) },
                        None => Content::Post(Post {
                            reply_to: reply_to.map(Box::new),
                            ..Post::new(body)
                        }),
                    };
                    let message =
                        ChatMessage { room, seq, id, client_id, author, sent_at, content };
                    return self.receive(message);
                }
            }
            ServerMessage::Pong(_) => {}
            ServerMessage::UserJoined(UserJoined { room, nickname, guest }) => {
                let id = self.notice_id();
                let state = self.rooms.entry(room).or_default();
                state.guests.retain(|known| !same_name(known, &nickname));
                if guest {
                    state.guests.push(nickname.clone());
                }
                state.member_joined(nickname, id, now_ms);
            }
            ServerMessage::UserLeft(UserLeft { room, nickname }) => {
                let id = self.notice_id();
                self.rooms.entry(room).or_default().member_left(nickname, id, now_ms);
            }
            ServerMessage::Typing(Typing { room, nickname }) => {
                if let Some(state) = self.rooms.get_mut(&room) {
                    state.typing_seen(nickname, now_ms);
                }
            }
            ServerMessage::Error(ErrorReply { request_id, code, message, retry_after_ms }) => {
                self.refused(request_id, code, message, retry_after_ms);
            }
            // The controller starts over (see `Effects::signed_out`).
            ServerMessage::SignedOut(_) => {}
            ServerMessage::ServerClosing(ServerClosing { reason }) => {
                let id = self.notice_id();
                if let Some(state) = self.rooms.get_mut(&self.current) {
                    state.notice(id, NoticeEvent::ServerClosing(reason));
                }
            }
        }
        Vec::new()
    }

    pub(super) fn refused(
        &mut self,
        request_id: Option<RequestId>,
        code: ErrorCode,
        message: String,
        retry_after_ms: Option<u64>,
    ) {
        if let (Some(request_id), Some(search)) = (request_id, &mut self.search) {
            let refusal = ServerRefusal { code, message: message.clone() };
            if search.refuse(request_id, refusal) {
                return; // Shown in the search panel.
            }
        }
        if let Some(request_id) = request_id {
            match self.outbox.refused(request_id, code, &message, retry_after_ms) {
                Refused::NotASend => {}
                Refused::RetryAfter(wait) => {
                    self.resend_after_ms = Some(wait);
                    if code != ErrorCode::RateLimited {
                        return; // Nothing the user needs to know or do.
                    }
                }
                // Shown on the message itself, with a retry button.
                Refused::Failed => return,
            }
            for state in self.rooms.values_mut() {
                if state.catch_up == Some(request_id) {
                    state.catch_up = None; // The next gap asks again.
                }
                if state.filling == Some(request_id) {
                    state.filling = None;
                }
            }
        }
        match code {
            ErrorCode::NicknameTaken
            | ErrorCode::InvalidNickname
            | ErrorCode::NameRegistered
            | ErrorCode::InvalidCredentials
            | ErrorCode::InvalidPassword
            | ErrorCode::RegistrationClosed
            | ErrorCode::SignInRequired
                if self.phase == Phase::Identifying =>
            {
                // Back to the sign-in form with the reason; any held name is gone.
                self.phase = Phase::SignedOut;
                self.me = None;
                self.asked_for = None;
            }
            ErrorCode::InvalidSession => {
                // The account's session ended (signed out elsewhere, or expired): sign in
                // with the password again.
                self.phase = Phase::SignedOut;
                self.me = None;
                self.asked_for = None;
                self.identity = None;
            }
            ErrorCode::UnsupportedProtocol => self.must_reload = true,
            _ => {}
        }
        self.error = Some(Problem::Refused(ServerRefusal { code, message }));
    }

    /// A message for a room: into its timeline, and a catch-up request if it shows that
    /// messages before it were missed.
    pub(super) fn receive(&mut self, message: ChatMessage) -> Vec<ClientMessage> {
        let is_current = message.room == self.current;
        let room = message.room.clone();
        let state = self.rooms.entry(room.clone()).or_default();
        state.insert_message(message);
        state.advance_synced();
        if is_current {
            state.mark_read();
        }
        match state.synced_to {
            Some(synced) if state.has_gap() && state.catch_up.is_none() && state.joined => {
                vec![self.catch_up_request(&room, synced)]
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn notice_id(&mut self) -> u64 {
        self.next_notice_id += 1;
        self.next_notice_id
    }

    /// A fresh request id, for requests made outside the state (like `ping`).
    pub fn next_request_id(&mut self) -> u64 {
        self.request_id()
    }

    pub(super) fn request_id(&mut self) -> u64 {
        self.next_request_id += 1;
        self.next_request_id
    }
}
