//! What moderation keeps: bans of accounts, and the audit log of every moderation action.

use common::{AuditEntry, Nickname, RoomName};

use super::Store;
use super::directory::{AuditRow, NewAuditRow};
use super::error::StoreError;
use super::rows::{parse_room, unix_millis_now};

/// Audit entries in one page.
pub const AUDIT_PAGE: u32 = 50;

/// One moderation action to record.
#[derive(Debug)]
pub struct AuditAction<'a> {
    pub actor: &'a Nickname,
    pub action: &'a str,
    pub target: &'a Nickname,
    pub room: Option<&'a RoomName>,
    pub reason: &'a str,
}

impl Store {
    /// Bans the account `account` until `until` (ms since the epoch; `i64::MAX` for good) and
    /// ends its sessions. False if there is no such account.
    pub async fn ban(&self, account: i64, until: i64, reason: &str) -> Result<bool, StoreError> {
        self.database.set_ban(account, Some(until), Some(reason)).await
    }

    /// Lifts the ban of `account`. False if there is no such account.
    pub async fn lift_ban(&self, account: i64) -> Result<bool, StoreError> {
        self.database.set_ban(account, None, None).await
    }

    /// Writes `action` to the audit log, now.
    pub async fn audit(&self, action: &AuditAction<'_>) -> Result<(), StoreError> {
        let row = NewAuditRow {
            at: unix_millis_now(),
            actor: action.actor.as_str(),
            action: action.action,
            target: action.target.as_str(),
            room: action.room.map(RoomName::as_str),
            reason: action.reason,
        };
        self.database.add_audit_entry(&row).await
    }

    /// A page of the audit log before the entry `before` (the latest when `None`), newest
    /// first, and whether it reaches the first entry.
    pub async fn audit_page(
        &self,
        before: Option<u64>,
        limit: u32,
    ) -> Result<(Vec<AuditEntry>, bool), StoreError> {
        let before = before.map_or(i64::MAX, |id| i64::try_from(id).unwrap_or(i64::MAX));
        let rows = self.database.audit_entries(before, i64::from(limit) + 1).await?;
        let reaches_start = rows.len() <= limit as usize;
        let entries =
            rows.into_iter().take(limit as usize).map(into_entry).collect::<Result<_, _>>()?;
        Ok((entries, reaches_start))
    }
}

fn into_entry(row: AuditRow) -> Result<AuditEntry, StoreError> {
    let (id, at, actor, action, target, room, reason) = row;
    let name = |name: String| {
        Nickname::parse(&name).map_err(|error| StoreError::Corrupt(format!("{name:?}: {error}")))
    };
    Ok(AuditEntry {
        id: u64::try_from(id).map_err(|_| StoreError::Corrupt(format!("audit id {id}")))?,
        at,
        actor: name(actor)?,
        action,
        target: name(target)?,
        room: room.map(parse_room).transpose()?,
        reason,
    })
}
