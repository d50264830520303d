//! Registered accounts beside guests: registering, signing in with a password, signing in
//! again with a session token, signing out, and keeping registered names from guests.
//!
//! - Passwords: Argon2id, off the async runtime ([`password_hashing`]); new ones must be 8 to
//!   1,024 characters and not guessable ([`password_policy`]).
//! - Sessions: 256-bit tokens kept only as hashes, valid for [`SESSION_LIFETIME`]
//!   ([`session_tokens`]). A session token is not the nickname token of `welcome`: that one
//!   lets a guest's tabs share a name for as long as one of them is connected; a session
//!   token is the proof of an account, for a month, from any browser.
//! - Attempts: limited per address and per account name ([`sign_in_limits`]).
//!
//! The name itself is claimed like any nickname (`crate::cluster::nicknames`), under a token
//! of the account's own ([`claim_token`]); a guest never gets that far with a registered name
//! ([`Accounts::admit_guest`]).

mod account_error;
mod hashing_pool;
mod password_hashing;
mod password_policy;
mod session_tokens;
mod sign_in_limits;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use common::{Nickname, Role, Secret};
use tracing::info;

pub use self::account_error::AccountError;
use self::password_hashing::PasswordHashing;
use self::password_policy::check_new_password;
use self::session_tokens::{new_token, token_hash};
use self::sign_in_limits::SignInLimits;
pub use self::sign_in_limits::SignInRates;
use crate::store::{Account, Store};

/// How long a session lasts after signing in.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// Whether new accounts may be created from the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Registration {
    /// Anyone may register.
    Open,
    /// Registering needs an invite link from an admin.
    Invite,
    /// Only `backend user add` creates accounts.
    Closed,
}

/// Whether people without an account may chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Guests {
    On,
    Off,
}

/// The server's rules for accounts, from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountPolicy {
    pub registration: Registration,
    pub guests: Guests,
    pub sign_in_rates: SignInRates,
}

/// A connection signed in to an account: the account, and the session token it holds.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub account: Account,
    pub session: Secret,
}

/// The accounts service: a cheap, cloneable handle.
#[derive(Debug, Clone)]
pub struct Accounts {
    store: Store,
    hashing: PasswordHashing,
    limits: Arc<SignInLimits>,
    policy: AccountPolicy,
}

impl Accounts {
    pub fn new(store: Store, policy: AccountPolicy) -> Self {
        let limits = Arc::new(SignInLimits::new(policy.sign_in_rates));
        Self { store, hashing: PasswordHashing::default(), limits, policy }
    }

    /// Makes the decoy hash now, so the first sign-in with an unknown name does not take
    /// twice as long as the others (and tell that the name is unknown).
    pub async fn prepare(&self) -> Result<(), AccountError> {
        self.hashing.decoy().await.map(|_| ())
    }

    /// Creates a member account for `username` from the page, and signs in with it. With
    /// `--registration invite`, `invite` must be the code of a usable invite link: checked
    /// before the costly hashing, and used up only once the account exists.
    pub async fn register(
        &self,
        username: &Nickname,
        password: &Secret,
        invite: Option<&Secret>,
        from: IpAddr,
    ) -> Result<SignedIn, AccountError> {
        self.limits.attempt(from, None).map_err(AccountError::TooManyAttempts)?;
        let invite = match self.policy.registration {
            Registration::Closed => return Err(AccountError::RegistrationClosed),
            Registration::Open => None,
            Registration::Invite => {
                let invite = invite.ok_or(AccountError::InviteRequired)?;
                let hash = token_hash(invite);
                if !self.store.invite_usable(&hash).await? {
                    return Err(AccountError::InvalidInvite);
                }
                Some(hash)
            }
        };
        let account = self.create(username, password, Role::Member).await?;
        if let Some(hash) = invite
            && !self.store.use_invite(&hash).await?
        {
            // Used up (or revoked) while this password was hashed.
            self.store.remove_account(account.id).await?;
            return Err(AccountError::InvalidInvite);
        }
        info!(account = %account.username, invited = invite.is_some(), "registered");
        self.open_session(account).await
    }

    /// Creates an account with `role` (what `backend user add` does; no registration mode
    /// applies, the password rules do).
    pub async fn create(
        &self,
        username: &Nickname,
        password: &Secret,
        role: Role,
    ) -> Result<Account, AccountError> {
        let username = username.normalized();
        let (checked, name) = (password.clone(), username.to_string());
        self.hashing.blocking(move || Ok(check_new_password(&checked, &name))).await??;
        let hash = self.hashing.hash(password).await?;
        Ok(self.store.add_account(&username, &hash, role).await?)
    }

    /// Takes back an account created a moment ago whose name could not be claimed (a guest
    /// was using it), and the use of the invite it registered with.
    pub async fn undo_registration(
        &self,
        account: &Account,
        invite: Option<&Secret>,
    ) -> Result<(), AccountError> {
        self.store.remove_account(account.id).await?;
        if let Some(invite) = invite.filter(|_| self.policy.registration == Registration::Invite) {
            self.store.give_back_invite(&token_hash(invite)).await?;
        }
        Ok(())
    }

    /// A new invite code and its hash (the store keeps the hash only).
    pub fn new_invite_code() -> (Secret, [u8; 32]) {
        let code = new_token();
        let hash = token_hash(&code);
        (code, hash)
    }

    /// Signs in with a username and password. An unknown username costs the same time as a
    /// wrong password and gets the same answer.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &Secret,
        from: IpAddr,
    ) -> Result<SignedIn, AccountError> {
        let name = Nickname::parse(username).ok();
        let key = name.as_ref().map(Nickname::key);
        self.limits.attempt(from, key.as_deref()).map_err(AccountError::TooManyAttempts)?;
        let account = match &name {
            Some(name) => self.store.account_named(name).await?,
            None => None,
        };
        let hash = account.as_ref().map(|account| account.password_hash.as_str());
        if !self.hashing.verify(password, hash).await? {
            info!(from = %from, "sign-in refused");
            return Err(AccountError::InvalidCredentials);
        }
        let account = account.ok_or(AccountError::InvalidCredentials)?;
        refuse_if_banned(&account)?;
        info!(account = %account.username, "signed in");
        self.open_session(account).await
    }

    /// Signs in again with a session token, as `nickname` (which must be the account's name).
    pub async fn resume(
        &self,
        session: &Secret,
        nickname: &Nickname,
    ) -> Result<Account, AccountError> {
        let account = self
            .store
            .account_of_session(&token_hash(session))
            .await?
            .ok_or(AccountError::InvalidSession)?;
        if account.username.key() != nickname.key() {
            return Err(AccountError::InvalidSession);
        }
        refuse_if_banned(&account)?;
        Ok(account)
    }

    /// The sessions of `account`, newest first, marking the one of `current`.
    pub async fn sessions(
        &self,
        account: &Account,
        current: &Secret,
    ) -> Result<Vec<common::SessionInfo>, AccountError> {
        let current = token_hash(current);
        let rows = self.store.sessions_of(account.id).await?;
        Ok(rows
            .into_iter()
            .map(|(hash, created_at, last_seen_at, expires_at)| common::SessionInfo {
                created_at,
                last_seen_at,
                expires_at,
                current: hash.as_slice() == current.as_slice(),
            })
            .collect())
    }

    /// Ends every session of `account` but `current`; how many ended.
    pub async fn sign_out_elsewhere(
        &self,
        account: &Account,
        current: &Secret,
    ) -> Result<u64, AccountError> {
        Ok(self.store.end_sessions_except(account.id, &token_hash(current)).await?)
    }

    /// Changes `account`'s password after checking the current one, and ends its other
    /// sessions; how many ended.
    pub async fn change_password(
        &self,
        account: &Account,
        current_session: &Secret,
        current_password: &Secret,
        new_password: &Secret,
    ) -> Result<u64, AccountError> {
        let stored = self.store.account_named(&account.username).await?;
        let hash = stored.as_ref().map(|stored| stored.password_hash.as_str());
        if !self.hashing.verify(current_password, hash).await? {
            return Err(AccountError::InvalidCredentials);
        }
        let (checked, name) = (new_password.clone(), account.username.to_string());
        self.hashing.blocking(move || Ok(check_new_password(&checked, &name))).await??;
        let new_hash = self.hashing.hash(new_password).await?;
        self.store.set_password_hash(account.id, &new_hash).await?;
        info!(account = %account.username, "changed the password");
        self.sign_out_elsewhere(account, current_session).await
    }

    /// Ends the session of `session`'s token.
    pub async fn sign_out(&self, session: &Secret) -> Result<(), AccountError> {
        self.store.remove_session(&token_hash(session)).await?;
        Ok(())
    }

    /// Whether a guest may go by `nickname`: not on a server for accounts only, and not with
    /// a registered account's name.
    pub async fn admit_guest(&self, nickname: &Nickname, from: IpAddr) -> Result<(), AccountError> {
        if self.policy.guests == Guests::Off {
            return Err(AccountError::SignInRequired);
        }
        if self.store.account_named(nickname).await?.is_some() {
            return Err(AccountError::NameRegistered(nickname.to_string()));
        }
        if let Some((reason, until)) = self.store.guest_ban(nickname, from).await? {
            let until = (until != i64::MAX).then_some(until);
            return Err(AccountError::Banned { reason, until });
        }
        Ok(())
    }

    /// Every account, by name.
    pub async fn list(&self) -> Result<Vec<Account>, AccountError> {
        Ok(self.store.accounts().await?)
    }

    /// Gives the account named `username` the role `role`; false if there is no such account.
    pub async fn set_role(&self, username: &Nickname, role: Role) -> Result<bool, AccountError> {
        Ok(self.store.set_role(username, role).await?)
    }

    async fn open_session(&self, account: Account) -> Result<SignedIn, AccountError> {
        let session = new_token();
        self.store.add_session(&account, &token_hash(&session), SESSION_LIFETIME).await?;
        Ok(SignedIn { account, session })
    }
}

/// Refuses a banned account (a ban whose time is over no longer counts).
fn refuse_if_banned(account: &Account) -> Result<(), AccountError> {
    match account.banned_until {
        Some(until) if until > crate::store::now_millis() => Err(AccountError::Banned {
            reason: account.ban_reason.clone().unwrap_or_default(),
            until: (until != i64::MAX).then_some(until),
        }),
        _ => Ok(()),
    }
}

/// The token under which an account claims its name in the nickname book and across the
/// cluster: the same for each of its connections on every node, so its tabs share the name.
/// It need not be secret: only a connection signed in to the account claims a registered
/// name ([`Accounts::admit_guest`] turns guests away first).
pub fn claim_token(account: &Account) -> String {
    format!("account-{}", account.id)
}

/// A short tag of a session (the first 8 bytes of its token's hash): enough to tell the
/// connections of one browser from another's, and nothing to sign in with.
pub fn session_tag(session: &Secret) -> u64 {
    let hash = token_hash(session);
    u64::from_le_bytes([hash[0], hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7]])
}
