//! A secret that crosses the wire (a password, a session token): it serializes as the plain
//! string it is, but never shows in `Debug` output, so logging a message cannot leak it.

use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for hashing or sending; never for logs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Secret(..)")
    }
}

impl From<&str> for Secret {
    fn from(secret: &str) -> Self {
        Self::new(secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_secret_and_json_carries_it() {
        let secret = Secret::new("hunter22");
        assert!(!format!("{secret:?}").contains("hunter22"));
        assert_eq!(serde_json::to_string(&secret).expect("serializes"), "\"hunter22\"");
    }
}
