//! Who someone is to the server as a whole.

use serde::{Deserialize, Serialize};

/// A person's server-wide role. Registered accounts are `member`, `moderator` or `admin`;
/// everyone who only picked a nickname is a `guest`. (A room's owner and moderators are a
/// matter of that room, not of this role.)
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Guest,
    Member,
    Moderator,
    Admin,
}

impl Role {
    /// The wire and database form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Guest => "guest",
            Self::Member => "member",
            Self::Moderator => "moderator",
            Self::Admin => "admin",
        }
    }

    /// The role named `name` (its wire form).
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Guest, Self::Member, Self::Moderator, Self::Admin]
            .into_iter()
            .find(|role| role.as_str() == name)
    }

    /// Whether this is a registered account's role.
    pub fn is_registered(self) -> bool {
        self != Self::Guest
    }
}

/// Someone's part in a room: its owner (who created it), a moderator the owner appointed, or
/// a member of a private room. Everyone else in a public room has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoomRole {
    Owner,
    Moderator,
    Member,
}

impl RoomRole {
    /// The wire and database form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Moderator => "moderator",
            Self::Member => "member",
        }
    }

    /// The room role named `name` (its wire form).
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Owner, Self::Moderator, Self::Member].into_iter().find(|role| role.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_form_is_the_name_and_parses_back() {
        for role in [Role::Guest, Role::Member, Role::Moderator, Role::Admin] {
            let json = serde_json::to_string(&role).expect("serializes");
            assert_eq!(json, format!("\"{}\"", role.as_str()));
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
        for role in [RoomRole::Owner, RoomRole::Moderator, RoomRole::Member] {
            let json = serde_json::to_string(&role).expect("serializes");
            assert_eq!(json, format!("\"{}\"", role.as_str()));
            assert_eq!(RoomRole::parse(role.as_str()), Some(role));
        }
    }
}
