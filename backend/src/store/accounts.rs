//! Accounts and their sessions as the rest of the server sees them: validated names and
//! roles, not rows. Hashing passwords and tokens is the accounts layer's business
//! (`crate::accounts`); the store keeps what it is given.

use std::time::Duration;

use common::{Nickname, Role};

use super::Store;
use super::directory::{AccountRow, NewAccountRow, NewSessionRow, SessionRow};
use super::error::StoreError;
use super::rows::unix_millis_now;

/// A registered account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub username: Nickname,
    pub password_hash: String,
    pub role: Role,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    /// Banned until then (ms since the epoch), if banned.
    pub banned_until: Option<i64>,
    pub ban_reason: Option<String>,
}

impl Store {
    /// Stores a new account with `role` (a registered one); `NameRegistered` if an account
    /// already has a username with the same key.
    pub async fn add_account(
        &self,
        username: &Nickname,
        password_hash: &str,
        role: Role,
    ) -> Result<Account, StoreError> {
        let created_at = unix_millis_now();
        let row = NewAccountRow {
            username: username.as_str(),
            username_key: &username.key(),
            password_hash,
            role: role.as_str(),
            created_at,
        };
        let id = self
            .database
            .insert_account(&row)
            .await?
            .ok_or_else(|| StoreError::NameRegistered(username.to_string()))?;
        Ok(Account {
            id,
            username: username.clone(),
            password_hash: password_hash.to_owned(),
            role,
            created_at,
            banned_until: None,
            ban_reason: None,
        })
    }

    /// Deletes an account (and its sessions).
    pub async fn remove_account(&self, id: i64) -> Result<bool, StoreError> {
        self.database.delete_account(id).await
    }

    /// The account that holds `name` (compared by [`Nickname::key`]), if one does.
    pub async fn account_named(&self, name: &Nickname) -> Result<Option<Account>, StoreError> {
        self.database.account_by_key(&name.key()).await?.map(into_account).transpose()
    }

    /// Gives the account holding `name` the role `role`; false if no account holds it.
    pub async fn set_role(&self, name: &Nickname, role: Role) -> Result<bool, StoreError> {
        self.database.set_role(&name.key(), role.as_str()).await
    }

    /// Every account, by name.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        self.database.accounts().await?.into_iter().map(into_account).collect()
    }

    /// Every account as the admin view lists it, by name.
    pub async fn people(&self) -> Result<Vec<common::PersonInfo>, StoreError> {
        let last_seen: std::collections::HashMap<i64, i64> =
            self.database.last_seen().await?.into_iter().collect();
        let now = unix_millis_now();
        let accounts = self.accounts().await?;
        Ok(accounts
            .into_iter()
            .map(|account| {
                let banned = account.banned_until.filter(|until| *until > now);
                common::PersonInfo {
                    last_seen_at: last_seen.get(&account.id).copied(),
                    username: account.username,
                    role: account.role,
                    created_at: account.created_at,
                    banned_until: banned,
                    ban_reason: banned.and(account.ban_reason).unwrap_or_default(),
                }
            })
            .collect())
    }

    /// Records a session of `account` whose token hashes to `token_hash`, valid for
    /// `lifetime` from now.
    pub async fn add_session(
        &self,
        account: &Account,
        token_hash: &[u8],
        lifetime: Duration,
    ) -> Result<(), StoreError> {
        let created_at = unix_millis_now();
        let lifetime = i64::try_from(lifetime.as_millis()).unwrap_or(i64::MAX);
        let row = NewSessionRow {
            token_hash,
            account_id: account.id,
            created_at,
            expires_at: created_at.saturating_add(lifetime),
        };
        self.database.insert_session(&row).await
    }

    /// The account of the unexpired session whose token hashes to `token_hash`.
    pub async fn account_of_session(
        &self,
        token_hash: &[u8],
    ) -> Result<Option<Account>, StoreError> {
        let row = self.database.account_of_session(token_hash, unix_millis_now()).await?;
        row.map(into_account).transpose()
    }

    /// Every unexpired session of `account`, newest first: (token hash, created, last seen,
    /// expires), times in ms since the epoch.
    pub async fn sessions_of(&self, account: i64) -> Result<Vec<SessionRow>, StoreError> {
        self.database.sessions_of(account, unix_millis_now()).await
    }

    /// Ends every session of `account` but the one whose token hashes to `keep`; how many.
    pub async fn end_sessions_except(&self, account: i64, keep: &[u8]) -> Result<u64, StoreError> {
        self.database.delete_sessions_except(account, keep).await
    }

    /// Replaces the password hash of `account`.
    pub async fn set_password_hash(&self, account: i64, hash: &str) -> Result<bool, StoreError> {
        self.database.set_password_hash(account, hash).await
    }

    /// Ends the session whose token hashes to `token_hash`; false if there was none.
    pub async fn remove_session(&self, token_hash: &[u8]) -> Result<bool, StoreError> {
        self.database.delete_session(token_hash).await
    }
}

fn into_account(row: AccountRow) -> Result<Account, StoreError> {
    let (id, username, _key, password_hash, role, created_at, banned_until, ban_reason) = row;
    let username = Nickname::parse(&username)
        .map_err(|error| StoreError::Corrupt(format!("username {username:?}: {error}")))?;
    let role = Role::parse(&role)
        .filter(|role| role.is_registered())
        .ok_or_else(|| StoreError::Corrupt(format!("account role {role:?}")))?;
    Ok(Account { id, username, password_hash, role, created_at, banned_until, ban_reason })
}
