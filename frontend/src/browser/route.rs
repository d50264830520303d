//! The room in the URL: `#/r/<room>`. A link opens that room; the back button goes to the
//! room before.

use common::RoomName;

/// The URL fragment for `room`.
pub fn hash_for(room: &RoomName) -> String {
    format!("#/r/{room}")
}

/// The room a URL fragment names, if it names a valid one.
pub fn room_from_hash(hash: &str) -> Option<RoomName> {
    let name = hash.strip_prefix("#/r/")?;
    RoomName::parse(name).ok()
}

/// The code of an invite link's fragment (`#/invite/<code>`), if it is one.
pub fn invite_from_hash(hash: &str) -> Option<String> {
    let code = hash.strip_prefix("#/invite/")?;
    let plausible = (1..=128).contains(&code.len())
        && code.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    plausible.then(|| code.to_owned())
}

/// The fragment of the invite link with `code`.
pub fn invite_hash(code: &str) -> String {
    format!("#/invite/{code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invite_link_round_trips_and_nothing_else_is_one() {
        let code = "Zm9vYmFyLWJhei1xdXV4_-0123456789abcdefghijk";
        assert_eq!(invite_from_hash(&invite_hash(code)).as_deref(), Some(code));
        for hash in ["#/invite/", "#/invite/a b", "#/invite/<script>", "#/r/lobby", ""] {
            assert_eq!(invite_from_hash(hash), None, "{hash:?}");
        }
        assert_eq!(room_from_hash(&invite_hash(code)), None);
    }

    #[test]
    fn a_room_round_trips_through_the_hash() {
        let room = RoomName::parse("rust-dev").expect("valid");
        assert_eq!(room_from_hash(&hash_for(&room)), Some(room));
    }

    #[test]
    fn other_fragments_name_no_room() {
        for hash in ["", "#", "#/r/", "#/x/lobby", "#/r/Not Valid", "#/r/../etc"] {
            assert_eq!(room_from_hash(hash), None, "{hash:?}");
        }
    }
}
