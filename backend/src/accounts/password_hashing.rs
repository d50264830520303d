//! Passwords are kept as Argon2id hashes (the `argon2` crate's defaults: Argon2id v19,
//! 19 MiB of memory, 2 passes, 1 lane: OWASP's recommended minimum), each with its own
//! random salt, in the PHC string format (parameters travel with the hash, so raising them
//! later keeps old hashes readable).
//!
//! Hashing costs ~20-50 ms of one core and 19 MiB, on purpose. It runs on a pool of its own,
//! one low-priority thread per core ([`super::hashing_pool`]): a burst of sign-ins queues there
//! (never more hashes at once than threads, so never gigabytes) and takes only the CPU the
//! message delivery leaves. (On tokio's blocking threads at normal priority, 200 sign-ins at
//! once raised a 1,000-member room's p99 by 17 to 27 % on a 2-core machine; `loadgen
//! sign-ins`, docs/BENCHMARKS.md.)

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use common::Secret;
use tokio::sync::OnceCell;

use super::account_error::AccountError;
use super::hashing_pool::HashingPool;

/// Hashes and verifies passwords off the async runtime. Cheap to clone.
#[derive(Debug, Clone)]
pub struct PasswordHashing {
    pool: HashingPool,
    /// The hash of a random password that nobody knows: a sign-in with an unknown username
    /// is verified against it, so it takes as long as one with a wrong password.
    decoy: Arc<OnceCell<String>>,
}

impl Default for PasswordHashing {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self { pool: HashingPool::start(cores), decoy: Arc::new(OnceCell::new()) }
    }
}

impl PasswordHashing {
    /// A new salted hash of `password`.
    pub async fn hash(&self, password: &Secret) -> Result<String, AccountError> {
        let password = password.clone();
        self.blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.expose().as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|error| AccountError::Hashing(error.to_string()))
        })
        .await
    }

    /// Whether `password` is the one `hash` was made from. With no hash (an unknown
    /// username), the decoy's is checked instead and the answer is no.
    pub async fn verify(
        &self,
        password: &Secret,
        hash: Option<&str>,
    ) -> Result<bool, AccountError> {
        let (hash, real) = match hash {
            Some(hash) => (hash.to_owned(), true),
            None => (self.decoy().await?.to_owned(), false),
        };
        let password = password.clone();
        let matches = self
            .blocking(move || {
                let parsed = PasswordHash::new(&hash)
                    .map_err(|error| AccountError::Hashing(format!("stored hash: {error}")))?;
                Ok(Argon2::default().verify_password(password.expose().as_bytes(), &parsed).is_ok())
            })
            .await?;
        Ok(real && matches)
    }

    /// The decoy hash, made on first use (the server makes it at start-up: see
    /// [`super::Accounts::prepare`]).
    pub async fn decoy(&self) -> Result<&str, AccountError> {
        let decoy = self
            .decoy
            .get_or_try_init(|| async {
                let mut random = [0u8; 32];
                argon2::password_hash::rand_core::RngCore::fill_bytes(&mut OsRng, &mut random);
                self.hash(&Secret::new(super::session_tokens::encode(&random))).await
            })
            .await?;
        Ok(decoy.as_str())
    }

    /// Runs `work` on a hashing thread.
    pub async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AccountError> + Send + 'static,
    ) -> Result<T, AccountError> {
        let done = self.pool.run(work).await;
        done.ok_or_else(|| AccountError::Hashing("no hashing thread".into()))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hashing = PasswordHashing::default();
        let password = Secret::new("correct horse battery staple");
        let hash = hashing.hash(&password).await.expect("hashes");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(hashing.verify(&password, Some(&hash)).await.expect("verifies"));
        let wrong = Secret::new("correct horse battery stapler");
        assert!(!hashing.verify(&wrong, Some(&hash)).await.expect("verifies"));
        let again = hashing.hash(&password).await.expect("hashes");
        assert_ne!(hash, again, "each hash has its own salt");
    }

    #[tokio::test]
    async fn an_unknown_user_is_checked_against_the_decoy_and_refused() {
        let hashing = PasswordHashing::default();
        let decoy = hashing.decoy().await.expect("decoy").to_owned();
        assert!(decoy.starts_with("$argon2id$"));
        assert!(!hashing.verify(&Secret::new("anything at all"), None).await.expect("verifies"));
    }
}
