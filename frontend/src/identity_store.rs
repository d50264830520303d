//! Keeping the last identity (nickname and token) in the browser's local storage, shared by
//! every tab of the page and kept across reloads.

use common::Nickname;

use crate::chat_state::Identity;

const KEY: &str = "chat.identity";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The identity saved by this browser, if any (and if storage is available).
pub fn load() -> Option<Identity> {
    let saved = storage()?.get_item(KEY).ok().flatten()?;
    // Saved as "nickname\ntoken": a nickname never contains a line break.
    let (nickname, token) = saved.split_once('\n')?;
    Some(Identity { nickname: Nickname::parse(nickname).ok()?, token: token.to_owned() })
}

/// Saves `identity`. Without storage (private mode, blocked) the page works the same; only
/// other tabs and reloads cannot reuse the nickname while it is held.
pub fn save(identity: &Identity) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(KEY, &format!("{}\n{}", identity.nickname, identity.token));
    }
}
