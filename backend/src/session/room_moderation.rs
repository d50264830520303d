//! A room's own moderation: appointing its moderators, kicking someone out of it and muting
//! someone in it. Each is checked by `common::permissions` against where the asker and the
//! target stand in the room, carried out on every node, and written to the audit log.

use std::time::Duration;

use common::{
    ErrorCode, KickDone, MuteLifted, MuteRecorded, Nickname, RequestId, Role, RoomName, RoomRole,
    RoomRoleSet, ServerMessage,
};
use tracing::info;

use super::refusal::Refusal;
use super::requests::{Answer, Session};
use crate::store::{AuditAction, now_millis};
use common::permissions::{self, Action, Standing};

/// The longest reason kept.
const MAX_REASON_CHARS: usize = 500;

impl Session {
    /// `set_room_role`: makes an account a moderator of the room, or a member again.
    pub(super) async fn set_room_role(
        &mut self,
        request_id: RequestId,
        room: &str,
        username: &str,
        role: RoomRole,
    ) -> Answer {
        let actor = self.moderator().await?;
        let room = RoomName::parse(room)?;
        let facts = self.allowed(Action::AppointModerators, &room).await?;
        let target = self.account_named(username).await?;
        let target_part = self.services.store.room_role(&room, target.id).await?;
        let action = Action::SetRoomRole { to: role, target_part };
        permissions::check(&self.actor(), action, Some(&facts))?;
        if target_part.is_none() && facts.private {
            return Err(Refusal::new(
                ErrorCode::NotInRoom,
                format!("{} is not a member of {room}; invite them first", target.username),
            ));
        }
        self.services.store.set_room_role(&room, target.id, role, facts.private).await?;
        self.audit(&actor, "set_room_role", &target.username, &room, role.as_str()).await?;
        info!(room = %room, username = %target.username, role = role.as_str(), "set a room role");
        let username = target.username;
        Ok(Some(ServerMessage::RoomRoleSet(RoomRoleSet { request_id, room, username, role })))
    }

    /// `kick`: every connection of `nickname` leaves the room, on every node.
    pub(super) async fn kick(
        &mut self,
        request_id: RequestId,
        room: &str,
        nickname: &str,
        reason: &str,
    ) -> Answer {
        let (actor, room, target) = self.moderated(room, nickname).await?;
        let reason = short(reason);
        self.services.hub.kicked(&room, &target, &actor, &reason);
        self.audit(&actor, "kick", &target, &room, &reason).await?;
        info!(room = %room, kicked = %target, by = %actor, "kicked");
        Ok(Some(ServerMessage::KickDone(KickDone { request_id, room, nickname: target })))
    }

    /// `mute`: `nickname` may read `room` but not write or type in it, for `minutes` or until
    /// lifted.
    pub(super) async fn mute(
        &mut self,
        request_id: RequestId,
        room: &str,
        nickname: &str,
        reason: &str,
        minutes: Option<u32>,
    ) -> Answer {
        let (actor, room, target) = self.moderated(room, nickname).await?;
        let reason = short(reason);
        let until = ends_after(minutes);
        let stored_until = until.unwrap_or(i64::MAX);
        self.services.store.mute(&room, &target, stored_until, &reason).await?;
        self.services.hub.muted(&room, &target, Some(stored_until), &reason);
        self.audit(&actor, "mute", &target, &room, &reason).await?;
        info!(room = %room, muted = %target, by = %actor, "muted");
        let nickname = target;
        Ok(Some(ServerMessage::MuteRecorded(MuteRecorded { request_id, room, nickname, until })))
    }

    /// `unmute`: lifts a mute.
    pub(super) async fn unmute(
        &mut self,
        request_id: RequestId,
        room: &str,
        nickname: &str,
    ) -> Answer {
        let (actor, room, target) = self.moderated(room, nickname).await?;
        self.services.store.unmute(&room, &target).await?;
        self.services.hub.muted(&room, &target, None, "");
        self.audit(&actor, "unmute", &target, &room, "").await?;
        info!(room = %room, unmuted = %target, by = %actor, "lifted a mute");
        Ok(Some(ServerMessage::MuteLifted(MuteLifted { request_id, room, nickname: target })))
    }

    /// The asker's name, the room and the target of a kick or a mute, once the asker may
    /// moderate the target there.
    async fn moderated(
        &mut self,
        room: &str,
        nickname: &str,
    ) -> Result<(Nickname, RoomName, Nickname), Refusal> {
        let actor = self.moderator().await?;
        let room = RoomName::parse(room)?;
        let target = Nickname::parse(nickname)?;
        // Nobody ranks below themselves: the judge refuses moderating oneself by rank.
        let standing = self.standing_of(&room, &target).await?;
        self.allowed(Action::ModerateRoom { target: standing }, &room).await?;
        Ok((actor, room, target))
    }

    /// Where the person called `nickname` stands in `room`: an account's server role and part
    /// in the room, or a guest.
    pub(super) async fn standing_of(
        &self,
        room: &RoomName,
        nickname: &Nickname,
    ) -> Result<Standing, Refusal> {
        match self.services.store.account_named(nickname).await? {
            Some(account) => {
                let role_in_room = self.services.store.room_role(room, account.id).await?;
                Ok(Standing { role: account.role, role_in_room })
            }
            None => Ok(Standing { role: Role::Guest, role_in_room: None }),
        }
    }

    /// Writes a moderation action in `room` to the audit log.
    async fn audit(
        &self,
        actor: &Nickname,
        action: &str,
        target: &Nickname,
        room: &RoomName,
        reason: &str,
    ) -> Result<(), Refusal> {
        let entry = AuditAction { actor, action, target, room: Some(room), reason };
        Ok(self.services.store.audit(&entry).await?)
    }
}

/// When something lasting `minutes` from now ends (ms since the epoch); `None`: never.
pub(super) fn ends_after(minutes: Option<u32>) -> Option<i64> {
    minutes.map(|minutes| {
        let length = Duration::from_secs(u64::from(minutes) * 60).as_millis();
        now_millis().saturating_add(i64::try_from(length).unwrap_or(i64::MAX))
    })
}

/// A reason as kept: trimmed, at most [`MAX_REASON_CHARS`].
pub(super) fn short(reason: &str) -> String {
    reason.trim().chars().take(MAX_REASON_CHARS).collect()
}
