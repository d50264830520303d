//! Moderation and administration as the page offers them: what this person may do, asked of
//! the server's own judge (`common::permissions`), so the page never offers what the server
//! refuses; and the requests of the moderation tools and the admin view, validated first.
//! Also this account's own sessions and password.

use common::permissions::{self, Action, Actor};
use common::{ClientMessage, Nickname, Role, Secret, check_password_length};

use super::ChatState;
use crate::model::problem::Problem;

impl ChatState {
    /// Whether this person moderates the server (bans guests, the least of the server's bans),
    /// as the server's judge decides.
    pub fn moderates(&self) -> bool {
        self.may(Action::Ban { target: Role::Guest })
    }

    /// Whether this person may use the admin view and read the audit log (an admin).
    pub fn administers(&self) -> bool {
        self.may(Action::Administer)
    }

    /// Whether this person may make private rooms (a registered account).
    pub fn may_create_private_rooms(&self) -> bool {
        self.may(Action::CreatePrivateRoom)
    }

    /// Whether the server's judge lets this person do `action`, which is outside any room.
    fn may(&self, action: Action) -> bool {
        permissions::check(&Actor { role: self.role }, action, None).is_ok()
    }

    /// Validates a ban of `raw` for `reason` (`minutes` of it, or for good) and returns it: of
    /// the account named so, or (`guest`) of a guest's name and address.
    pub fn ban(
        &mut self,
        raw: &str,
        reason: &str,
        minutes: Option<u32>,
        guest: bool,
    ) -> Result<ClientMessage, Problem> {
        let username = match Nickname::parse(raw) {
            Ok(username) => username.to_string(),
            Err(invalid) => return Err(self.show_problem(Problem::Nickname(invalid))),
        };
        let (request_id, reason) = (self.request_id(), reason.trim().to_owned());
        Ok(if guest {
            ClientMessage::BanGuest { request_id, nickname: username, reason, minutes }
        } else {
            ClientMessage::Ban { request_id, username, reason, minutes }
        })
    }

    /// The request for the latest page of the audit log.
    pub fn audit_log_request(&mut self) -> ClientMessage {
        ClientMessage::AuditLog { request_id: self.request_id(), before_id: None }
    }

    /// The request for the admin view's people.
    pub fn people_request(&mut self) -> ClientMessage {
        ClientMessage::People { request_id: self.request_id() }
    }

    /// The request giving `username` the server role `role` (admins).
    pub fn set_role_request(&mut self, username: &Nickname, role: Role) -> ClientMessage {
        ClientMessage::SetRole {
            request_id: self.request_id(),
            username: username.to_string(),
            role,
        }
    }

    /// The request lifting the ban of the account `username` (or, `guest`, of a guest name).
    pub fn unban_request(&mut self, name: &Nickname, guest: bool) -> ClientMessage {
        let request_id = self.request_id();
        if guest {
            ClientMessage::UnbanGuest { request_id, nickname: name.to_string() }
        } else {
            ClientMessage::Unban { request_id, username: name.to_string() }
        }
    }

    /// The request for the invite links (admins).
    pub fn invites_request(&mut self) -> ClientMessage {
        ClientMessage::Invites { request_id: self.request_id() }
    }

    /// The request making an invite link for `max_uses` registrations within `hours`.
    pub fn create_invite_request(
        &mut self,
        max_uses: Option<u32>,
        hours: Option<u32>,
    ) -> ClientMessage {
        ClientMessage::CreateInvite { request_id: self.request_id(), max_uses, hours }
    }

    /// The request revoking the invite link `id`.
    pub fn revoke_invite_request(&mut self, id: u64) -> ClientMessage {
        ClientMessage::RevokeInvite { request_id: self.request_id(), id }
    }

    /// The request for this account's sessions (none for a guest).
    pub fn sessions_request(&mut self) -> Option<ClientMessage> {
        self.role.is_registered().then(|| ClientMessage::Sessions { request_id: self.request_id() })
    }

    /// The request that ends this account's other sessions (none for a guest).
    pub fn sign_out_elsewhere(&mut self) -> Option<ClientMessage> {
        self.role
            .is_registered()
            .then(|| ClientMessage::SignOutElsewhere { request_id: self.request_id() })
    }

    /// Checks a new password's length and returns the `change_password` to send.
    pub fn change_password(&mut self, current: &str, new: &str) -> Result<ClientMessage, Problem> {
        let new = Secret::new(new);
        if let Err(invalid) = check_password_length(&new) {
            return Err(self.show_problem(Problem::Password(invalid)));
        }
        let (request_id, current) = (self.request_id(), Secret::new(current));
        Ok(ClientMessage::ChangePassword { request_id, current, new })
    }
}
