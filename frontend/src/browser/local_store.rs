//! What the page keeps in the browser's local storage, shared by every tab and kept across
//! reloads: the last identity (nickname, token and an account's session), and the rooms the user is in with what
//! they have read there.

use common::{Nickname, RoomName, Secret};

use crate::model::identity::Identity;

const KEY: &str = "chat.identity";
const ROOMS_KEY: &str = "chat.rooms";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The identity saved by this browser, if any (and if storage is available).
pub fn load() -> Option<Identity> {
    let saved = storage()?.get_item(KEY).ok().flatten()?;
    // Saved as "nickname\ntoken" or "nickname\ntoken\nsession": none of them ever contains
    // a line break (and a page from before accounts saved the first form).
    let mut lines = saved.split('\n');
    let nickname = Nickname::parse(lines.next()?).ok()?;
    let token = lines.next()?.to_owned();
    let session = lines.next().filter(|session| !session.is_empty()).map(Secret::new);
    Some(Identity { nickname, token, session })
}

/// Saves `identity`. Without storage (private mode, blocked) the page works the same; only
/// other tabs and reloads cannot reuse the nickname while it is held.
pub fn save(identity: &Identity) {
    if let Some(storage) = storage() {
        let session = identity.session.as_ref().map_or("", Secret::expose);
        let saved = format!("{}\n{}\n{session}", identity.nickname, identity.token);
        let _ = storage.set_item(KEY, &saved);
    }
}

/// Forgets the saved identity only (its session ended), keeping the rooms.
pub fn forget_identity() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}

/// Forgets the saved identity and rooms (signing out).
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
        let _ = storage.remove_item(ROOMS_KEY);
    }
}

/// The rooms saved by [`save_rooms`], with the last sequence number read in each.
pub fn load_rooms() -> Vec<(RoomName, u64)> {
    let saved = storage().and_then(|storage| storage.get_item(ROOMS_KEY).ok().flatten());
    saved.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default()
}

/// Saves the rooms the user is in (see [`load_rooms`]); best effort, like [`save`].
pub fn save_rooms(rooms: &[(RoomName, u64)]) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(rooms)) {
        let _ = storage.set_item(ROOMS_KEY, &json);
    }
}

/// A preference saved by [`save_preference`] under `name` (kept across sign-outs: it belongs
/// to the browser, not the nickname).
pub fn load_preference(name: &str) -> Option<String> {
    storage()?.get_item(&format!("chat.{name}")).ok().flatten()
}

/// Saves a preference; best effort, like [`save`].
pub fn save_preference(name: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(&format!("chat.{name}"), value);
    }
}
