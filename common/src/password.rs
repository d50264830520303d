//! A password as the server accepts it for a new account: 8 to 1,024 characters. (Whether it is
//! among the most common passwords is the server's check; the list is not shipped to the page.)

use crate::secret::Secret;

/// The fewest characters of a password.
pub const PASSWORD_MIN_CHARS: usize = 8;
/// The most characters of a password (hashing cost grows with length; nobody types more).
pub const PASSWORD_MAX_CHARS: usize = 1_024;

/// Why a new password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("a password needs at least {PASSWORD_MIN_CHARS} characters")]
    TooShort,
    #[error("a password may have at most {PASSWORD_MAX_CHARS} characters")]
    TooLong,
    #[error("this password is among the most common ones, and would be guessed; choose another")]
    TooCommon,
}

/// Checks the length of a new password.
pub fn check_password_length(password: &Secret) -> Result<(), PasswordError> {
    let chars = password.expose().chars().count();
    if chars < PASSWORD_MIN_CHARS {
        Err(PasswordError::TooShort)
    } else if chars > PASSWORD_MAX_CHARS {
        Err(PasswordError::TooLong)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters() {
        assert_eq!(check_password_length(&"1234567".into()), Err(PasswordError::TooShort));
        assert_eq!(check_password_length(&"密码密码密码密码".into()), Ok(()));
        let longest = Secret::new("é".repeat(PASSWORD_MAX_CHARS));
        assert_eq!(check_password_length(&longest), Ok(()));
        let too_long = Secret::new("a".repeat(PASSWORD_MAX_CHARS + 1));
        assert_eq!(check_password_length(&too_long), Err(PasswordError::TooLong));
    }
}
