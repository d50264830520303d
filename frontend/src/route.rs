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

#[cfg(test)]
mod tests {
    use super::*;

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
