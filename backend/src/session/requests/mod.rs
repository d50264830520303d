//! The requests a connection can make, one file each: its handler checks who may (the
//! permission judge, `common::permissions`), does it, and says what is answered. The one
//! dispatch is [`Session::carry_out`]; adding a request is a variant in `common`'s
//! `ClientMessage`, a file here and its arm there.

mod audit_log;
mod ban;
mod ban_guest;
mod change_password;
mod create_invite;
mod create_room;
mod delete_message;
mod edit_message;
mod find_date;
mod hello;
mod history;
mod invite;
mod invites;
mod join;
mod kick;
mod leave;
mod members;
mod mute;
mod open_dm;
mod people;
mod react;
mod register;
mod remove_member;
mod revoke_invite;
mod room_members;
mod search;
mod send;
mod sessions;
mod set_role;
mod set_room_role;
mod sign_in;
mod sign_out;
mod sign_out_elsewhere;
mod typing;
mod unban;
mod unban_guest;
mod unmute;

use common::{ClientMessage, Pong, ServerMessage};

use self::search::SearchAsked;
use super::rate_limit::RequestKind;
use super::refusal::Refusal;
use super::state::{Answer, Session};
use crate::metrics::names;

impl Session {
    /// Carries out one request after the flood limits allow it: the one place that says
    /// which handler answers which request.
    pub(super) async fn carry_out(&mut self, message: ClientMessage) -> Answer {
        let kind = match message {
            ClientMessage::Typing { .. } => None, // throttled on its own (typing.rs)
            _ if message.appends() => Some(RequestKind::Message),
            _ => Some(RequestKind::Other),
        };
        if let Some(kind) = kind
            && let Err(limited) = self.rate_limits.check(kind)
        {
            let kind = match kind {
                RequestKind::Message => "message",
                RequestKind::Other => "other",
            };
            metrics::counter!(names::RATE_LIMITED, "kind" => kind).increment(1);
            return Err(Refusal::rate_limited(limited));
        }
        match message {
            ClientMessage::Hello { request_id, protocol, nickname, token, session } => {
                self.hello(request_id, protocol, &nickname, token.as_deref(), session).await
            }
            ClientMessage::Register { request_id, protocol, username, password, invite } => {
                self.register(request_id, protocol, &username, &password, invite.as_ref()).await
            }
            ClientMessage::SignIn { request_id, protocol, username, password } => {
                self.sign_in(request_id, protocol, &username, &password).await
            }
            ClientMessage::SignOut { request_id } => self.sign_out(request_id).await,
            ClientMessage::Sessions { request_id } => self.sessions(request_id).await,
            ClientMessage::SignOutElsewhere { request_id } => {
                self.sign_out_elsewhere(request_id).await
            }
            ClientMessage::ChangePassword { request_id, current, new } => {
                self.change_password(request_id, &current, &new).await
            }
            ClientMessage::CreateRoom { request_id, room, private } => {
                self.create_room(request_id, &room, private).await
            }
            ClientMessage::Invite { request_id, room, username } => {
                self.invite(request_id, &room, &username).await
            }
            ClientMessage::RoomMembers { request_id, room } => {
                self.room_members(request_id, &room).await
            }
            ClientMessage::RemoveMember { request_id, room, username } => {
                self.remove_member(request_id, &room, &username).await
            }
            ClientMessage::OpenDm { request_id, username } => {
                self.open_dm(request_id, &username).await
            }
            ClientMessage::Ban { request_id, username, reason, minutes } => {
                self.ban(request_id, &username, &reason, minutes).await
            }
            ClientMessage::Unban { request_id, username } => {
                self.unban(request_id, &username).await
            }
            ClientMessage::BanGuest { request_id, nickname, reason, minutes } => {
                self.ban_guest(request_id, &nickname, &reason, minutes).await
            }
            ClientMessage::UnbanGuest { request_id, nickname } => {
                self.unban_guest(request_id, &nickname).await
            }
            ClientMessage::AuditLog { request_id, before_id } => {
                self.audit_log(request_id, before_id).await
            }
            ClientMessage::SetRoomRole { request_id, room, username, role } => {
                self.set_room_role(request_id, &room, &username, role).await
            }
            ClientMessage::Kick { request_id, room, nickname, reason } => {
                self.kick(request_id, &room, &nickname, &reason).await
            }
            ClientMessage::Mute { request_id, room, nickname, reason, minutes } => {
                self.mute(request_id, &room, &nickname, &reason, minutes).await
            }
            ClientMessage::Unmute { request_id, room, nickname } => {
                self.unmute(request_id, &room, &nickname).await
            }
            ClientMessage::CreateInvite { request_id, max_uses, hours } => {
                self.create_invite(request_id, max_uses, hours).await
            }
            ClientMessage::Invites { request_id } => self.list_invites(request_id).await,
            ClientMessage::People { request_id } => self.people(request_id).await,
            ClientMessage::SetRole { request_id, username, role } => {
                self.set_role(request_id, &username, role).await
            }
            ClientMessage::RevokeInvite { request_id, id } => {
                self.revoke_invite(request_id, id).await
            }
            ClientMessage::Join { request_id, room } => self.join(request_id, &room).await,
            ClientMessage::Leave { request_id, room } => self.leave(request_id, &room),
            ClientMessage::Send { request_id, room, client_id, body, reply_to } => {
                self.send(request_id, &room, client_id, &body, reply_to).await
            }
            ClientMessage::DeleteMessage { request_id, room, seq, client_id } => {
                self.delete_message(request_id, &room, seq, client_id).await
            }
            ClientMessage::EditMessage { request_id, room, seq, client_id, body } => {
                self.edit_message(request_id, &room, seq, client_id, &body).await
            }
            ClientMessage::Members { request_id, room, after, limit } => {
                self.members(request_id, &room, after.as_deref(), limit)
            }
            ClientMessage::FindDate { request_id, room, at } => {
                self.find_date(request_id, &room, at).await
            }
            ClientMessage::React { request_id, room, seq, client_id, emoji, withdraw } => {
                self.react(request_id, &room, seq, client_id, &emoji, withdraw).await
            }
            ClientMessage::History { request_id, room, before_seq, after_seq, limit } => {
                self.history(request_id, &room, before_seq, after_seq, limit).await
            }
            ClientMessage::Search {
                request_id,
                query,
                room,
                author,
                since,
                until,
                before,
                limit,
            } => {
                let asked = SearchAsked { query, room, author, since, until, before, limit };
                self.search(request_id, asked).await
            }
            ClientMessage::Ping { request_id } => {
                Ok(Some(ServerMessage::Pong(Pong { request_id })))
            }
            ClientMessage::Typing { room } => self.typing(&room),
        }
    }
}
