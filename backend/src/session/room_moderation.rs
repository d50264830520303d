//! A room's own moderation: appointing its moderators, kicking someone out of it and muting
//! someone in it. Each is checked by `common::permissions` against where the asker and the
//! target stand in the room, carried out on every node, and written to the audit log.

use std::time::Duration;

use common::{Nickname, Role, RoomName};

use super::refusal::Refusal;
use super::state::Session;
use crate::store::{AuditAction, now_millis};
use common::permissions::{Action, Standing};

/// The longest reason kept.
const MAX_REASON_CHARS: usize = 500;

impl Session {
    /// The asker's name, the room and the target of a kick or a mute, once the asker may
    /// moderate the target there.
    pub(super) async fn moderated(
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
    pub(super) async fn audit(
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
