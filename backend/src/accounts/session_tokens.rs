//! Session tokens: 256 random bits, given to the browser once (base64url) and kept by the
//! server only as their SHA-256, so a copy of the database signs nobody in. A token is
//! compared by looking its hash up, not by comparing strings.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::Secret;
use sha2::{Digest, Sha256};

/// A new session token.
pub fn new_token() -> Secret {
    let mut random = [0u8; 32];
    OsRng.fill_bytes(&mut random);
    Secret::new(encode(&random))
}

/// What the store keeps of `token`.
pub fn token_hash(token: &Secret) -> [u8; 32] {
    Sha256::digest(token.expose().as_bytes()).into()
}

/// Bytes as URL-safe base64 without padding (43 characters for 32 bytes).
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_random_bits_and_hash_to_32_bytes() {
        let token = new_token();
        assert_eq!(token.expose().len(), 43);
        assert_ne!(token, new_token());
        assert_eq!(token_hash(&token), token_hash(&token.clone()));
        assert_ne!(token_hash(&token), token_hash(&new_token()));
    }
}
