//! Which new passwords are accepted: 8 to 1,024 characters (`common`, so the page says so
//! before sending) and not guessable. Guessable is what zxcvbn (the `zxcvbn` crate, a port
//! of Dropbox's estimator, with its lists of the most common passwords, names and words)
//! estimates to fall within a million guesses: score 0 or 1. That refuses `password1`,
//! `qwertyuiop`, `iloveyou` and the username itself, and accepts a passphrase.

use common::{PasswordError, Secret, check_password_length};
use zxcvbn::{Score, zxcvbn};

/// How much of a password the estimator reads: its time grows with the length, and a
/// password whose first 64 characters are hard to guess is hard to guess.
const ESTIMATED_CHARS: usize = 64;

/// Checks a new password for `username`. Costs up to a few milliseconds: call it off the
/// async runtime.
pub fn check_new_password(password: &Secret, username: &str) -> Result<(), PasswordError> {
    check_password_length(password)?;
    let start: String = password.expose().chars().take(ESTIMATED_CHARS).collect();
    if zxcvbn(&start, &[username]).score() < Score::Two {
        return Err(PasswordError::TooCommon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_personal_passwords_are_refused_and_passphrases_accepted() {
        for common in ["password", "password1", "12345678", "qwertyuiop", "iloveyou", "sunshine1"] {
            assert_eq!(
                check_new_password(&common.into(), "alice"),
                Err(PasswordError::TooCommon),
                "{common}"
            );
        }
        assert_eq!(
            check_new_password(&"alice1234".into(), "alice1234"),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(check_new_password(&"short".into(), "alice"), Err(PasswordError::TooShort));
        for fine in ["correct horse battery staple", "vY7#qL2!mZ", "我的猫叫小白它很可爱"]
        {
            assert_eq!(check_new_password(&fine.into(), "alice"), Ok(()), "{fine}");
        }
        let monotonous = Secret::new("a".repeat(1_000));
        assert_eq!(check_new_password(&monotonous, "alice"), Err(PasswordError::TooCommon));
        let long = Secret::new("correct horse battery staple ".repeat(30));
        assert_eq!(check_new_password(&long, "alice"), Ok(()));
    }
}
