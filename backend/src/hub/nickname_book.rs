//! Who owns which nickname, including for a while after they disconnect.
//!
//! A person holds a nickname with one or more connections (tabs). When the last one closes, the
//! name stays theirs for a grace period: a reconnect that presents the person's token gets it
//! back, anyone else is refused. Only when the grace period ends is the name free for others.
//! This keeps a flaky network from handing your name to whoever asks first.
//!
//! Names are compared by [`Nickname::key`] (the one definition of "the same name", in
//! `common`): ignoring case, Unicode normalization form, and look-alike characters, so
//! `alice`, `ALICE` and `аlice` (with a Cyrillic а) are one name, and only one person can hold
//! it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use common::Nickname;

use super::errors::HubError;
use super::session_id::SessionId;

/// The longest token a client may bring (and so have adopted; see [`NicknameBook::claim`]).
const MAX_TOKEN_LEN: usize = 64;

/// Nickname ownership on this node.
#[derive(Debug)]
pub struct NicknameBook {
    /// Nickname key (case-folded) -> who holds it.
    holders: HashMap<String, Holder>,
    /// Names whose last connection closed, in the order their grace periods end (the grace
    /// period is the same for all, so release order is expiry order).
    releases: VecDeque<(Instant, String)>,
    grace: Duration,
}

/// The holder of a nickname: one person, with zero or more connections.
#[derive(Debug)]
struct Holder {
    /// The name as its first connection spelled it; every connection of the person uses it.
    nickname: Nickname,
    /// The secret given in `welcome`; a connection presenting it is the same person.
    token: String,
    sessions: HashSet<SessionId>,
    /// When the last connection closed, if none is open: the name is held until
    /// `released_at + grace`.
    released_at: Option<Instant>,
}

impl NicknameBook {
    /// Nobody holds anything yet. `grace` is how long a name stays with a person who
    /// disconnected.
    pub fn new(grace: Duration) -> Self {
        Self { holders: HashMap::new(), releases: VecDeque::new(), grace }
    }

    /// Gives `nickname` (compared case-insensitively) to `session`, as of `now`.
    ///
    /// - Nobody holds it: it is given, with `token` as the person's token when the client
    ///   brought a well-formed one (the token it had before a server restart, so it keeps
    ///   working), otherwise a new one.
    /// - Someone holds it (connected, or within the grace period): only the holder's token
    ///   gets it, as the same person.
    ///
    /// Returns the name as the person holds it (the first spelling) and the token.
    pub fn claim(
        &mut self,
        session: SessionId,
        nickname: &Nickname,
        token: Option<&str>,
        now: Instant,
    ) -> Result<(Nickname, String), HubError> {
        self.expire(now);
        let key = nickname.key();
        if let Some(holder) = self.holders.get_mut(&key) {
            if token != Some(holder.token.as_str()) {
                return Err(match holder.released_at {
                    None => HubError::NicknameTaken(nickname.to_string()),
                    Some(released_at) => {
                        let free_at = released_at + self.grace;
                        HubError::NicknameHeld {
                            nickname: nickname.to_string(),
                            seconds: free_at.saturating_duration_since(now).as_secs().max(1),
                        }
                    }
                });
            }
            holder.sessions.insert(session);
            holder.released_at = None;
            return Ok((holder.nickname.clone(), holder.token.clone()));
        }
        let token = proposed_token(token);
        let holder = Holder {
            nickname: nickname.clone(),
            token: token.clone(),
            sessions: HashSet::from([session]),
            released_at: None,
        };
        self.holders.insert(key, holder);
        Ok((nickname.clone(), token))
    }

    /// `session`, which held the nickname with key `key`, closed, as of `now`. If it was the
    /// person's last connection, the grace period starts (or, `at_once`, after a sign-out, the
    /// name is free now), and the person's token is returned (for the other nodes' sake).
    pub fn release(
        &mut self,
        session: SessionId,
        key: &str,
        now: Instant,
        at_once: bool,
    ) -> Option<String> {
        self.expire(now);
        let holder = self.holders.get_mut(key)?;
        if !holder.sessions.remove(&session) || !holder.sessions.is_empty() {
            return None;
        }
        let token = holder.token.clone();
        if self.grace.is_zero() || at_once {
            self.holders.remove(key);
        } else {
            holder.released_at = Some(now);
            self.releases.push_back((now + self.grace, key.to_owned()));
        }
        Some(token)
    }

    /// Every name held by a connected person: (ownership key, token).
    pub fn held(&self) -> Vec<(String, String)> {
        self.holders
            .iter()
            .filter(|(_, holder)| holder.released_at.is_none())
            .map(|(key, holder)| (key.clone(), holder.token.clone()))
            .collect()
    }

    /// Frees every name whose grace period ended by `now` and that nobody took back.
    fn expire(&mut self, now: Instant) {
        while let Some((free_at, _)) = self.releases.front()
            && *free_at <= now
        {
            let Some((free_at, key)) = self.releases.pop_front() else { break };
            // The person may have come back (and maybe left again, with a later entry).
            let still_released = self.holders.get(&key).and_then(|holder| holder.released_at);
            if still_released.is_some_and(|released_at| released_at + self.grace <= free_at) {
                self.holders.remove(&key);
            }
        }
    }
}

/// The token a claim goes ahead with: the one the client brought, if the server could have
/// issued it (so it keeps working after a restart or on another node), else a new one.
pub fn proposed_token(brought: Option<&str>) -> String {
    brought
        .filter(|token| is_well_formed_token(token))
        .map_or_else(|| uuid::Uuid::new_v4().simple().to_string(), str::to_owned)
}

/// A token the server would have issued: 1 to 64 visible ASCII characters.
fn is_well_formed_token(token: &str) -> bool {
    !token.is_empty() && token.len() <= MAX_TOKEN_LEN && token.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nick(s: &str) -> Nickname {
        Nickname::parse(s).expect("valid")
    }

    const GRACE: Duration = Duration::from_secs(30);

    #[test]
    fn names_are_unique_ignoring_case_and_shared_by_token() {
        let mut names = NicknameBook::new(GRACE);
        let now = Instant::now();
        let (_, token) = names.claim(1, &nick("Alice"), None, now).expect("free");
        assert!(matches!(
            names.claim(2, &nick("aLiCe"), Some("guess"), now),
            Err(HubError::NicknameTaken(_))
        ));
        assert_eq!(
            names.claim(3, &nick("alice"), Some(&token), now),
            Ok((nick("Alice"), token.clone())),
            "the same person, in another tab, keeps the first spelling"
        );
    }

    #[test]
    fn a_disconnected_name_is_held_for_its_owner_until_the_grace_period_ends() {
        let mut names = NicknameBook::new(GRACE);
        let start = Instant::now();
        let (_, token) = names.claim(1, &nick("alice"), None, start).expect("free");
        names.release(1, "alice", start, false);

        let during = start + GRACE / 2;
        assert!(
            matches!(
                names.claim(2, &nick("ALICE"), None, during),
                Err(HubError::NicknameHeld { seconds: 15, .. })
            ),
            "someone else is refused while the owner may come back"
        );
        let back = names.claim(3, &nick("alice"), Some(&token), during);
        assert_eq!(back.map(|(_, t)| t), Ok(token.clone()), "the owner gets it back");

        names.release(3, "alice", during, false);
        let after = during + GRACE;
        let (_, fresh) = names.claim(4, &nick("alice"), None, after).expect("free again");
        assert_ne!(fresh, token, "a released name gets a new token");
    }

    #[test]
    fn coming_back_and_leaving_again_restarts_the_grace_period() {
        let mut names = NicknameBook::new(GRACE);
        let start = Instant::now();
        let (_, token) = names.claim(1, &nick("alice"), None, start).expect("free");
        names.release(1, "alice", start, false);
        let back = start + GRACE - Duration::from_secs(1);
        names.claim(2, &nick("alice"), Some(&token), back).expect("owner returns");
        names.release(2, "alice", back, false);
        // The first grace period has ended, the second has not.
        let later = start + GRACE + Duration::from_secs(1);
        assert!(matches!(
            names.claim(3, &nick("alice"), None, later),
            Err(HubError::NicknameHeld { .. })
        ));
    }

    #[test]
    fn a_free_name_adopts_the_token_the_client_brings() {
        let mut names = NicknameBook::new(GRACE);
        let now = Instant::now();
        let kept = names.claim(1, &nick("alice"), Some("token-from-before-restart"), now);
        assert_eq!(kept.map(|(_, t)| t), Ok("token-from-before-restart".to_owned()));
        let odd = names.claim(2, &nick("bob"), Some("has space"), now).expect("free");
        assert_ne!(odd.1, "has space", "a malformed token is replaced");
    }

    #[test]
    fn look_alike_names_are_one_name() {
        let mut names = NicknameBook::new(GRACE);
        let now = Instant::now();
        names.claim(1, &nick("alice"), None, now).expect("free");
        assert!(names.claim(2, &nick("\u{430}lice"), None, now).is_err());
    }

    #[test]
    fn without_grace_a_name_is_free_at_once() {
        let mut names = NicknameBook::new(Duration::ZERO);
        let now = Instant::now();
        names.claim(1, &nick("alice"), None, now).expect("free");
        names.release(1, "alice", now, false);
        assert!(names.claim(2, &nick("alice"), None, now).is_ok());
    }

    #[test]
    fn a_name_signed_out_of_is_free_at_once_but_only_when_its_last_tab_goes() {
        let mut names = NicknameBook::new(GRACE);
        let now = Instant::now();
        let (_, token) = names.claim(1, &nick("alice"), None, now).expect("free");
        names.claim(2, &nick("alice"), Some(&token), now).expect("a second tab");
        assert_eq!(names.release(1, "alice", now, true), None, "the other tab still holds it");
        assert!(names.claim(3, &nick("alice"), None, now).is_err());
        assert_eq!(names.release(2, "alice", now, true), Some(token));
        assert!(names.claim(3, &nick("alice"), None, now).is_ok(), "no grace period");
    }
}
