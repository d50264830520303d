//! Passwords are kept as Argon2id hashes (the `argon2` crate's defaults: Argon2id v19,
//! 19 MiB of memory, 2 passes, 1 lane: OWASP's recommended minimum), each with its own
//! random salt, in the PHC string format (parameters travel with the hash, so raising them
//! later keeps old hashes readable).
//!
//! Hashing costs ~20-50 ms of one core and 19 MiB, on purpose. It runs on tokio's blocking
//! threads, at most one per core at a time (a semaphore): a burst of sign-ins waits its turn
//! there instead of taking the threads that deliver messages, and cannot take gigabytes.

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use common::Secret;
use tokio::sync::{OnceCell, Semaphore};

use super::account_error::AccountError;

/// Hashes and verifies passwords off the async runtime. Cheap to clone.
#[derive(Debug, Clone)]
pub struct PasswordHashing {
    turns: Arc<Semaphore>,
    /// The hash of a random password that nobody knows: a sign-in with an unknown username
    /// is verified against it, so it takes as long as one with a wrong password.
    decoy: Arc<OnceCell<String>>,
}

impl Default for PasswordHashing {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self { turns: Arc::new(Semaphore::new(cores)), decoy: Arc::new(OnceCell::new()) }
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

    /// Runs `work` on a blocking thread when a turn is free.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AccountError> + Send + 'static,
    ) -> Result<T, AccountError> {
        let _turn =
            self.turns.acquire().await.map_err(|_| AccountError::Hashing("closed".into()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|error| AccountError::Hashing(error.to_string()))?
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
