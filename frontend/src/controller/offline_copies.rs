//! The chat's copies in IndexedDB, which let it survive a reload or a server that cannot be
//! reached: the outbox ([`OutboxMirror`]) and the rooms' offline copy ([`RoomCache`]). Both
//! are read, and then follow the state, from the moment the chat screen's module is here
//! (`chat_module.rs`): they matter only to the chat, and their code then stays out of the
//! module the sign-in form waits for.

use leptos::prelude::*;

use super::ChatController;
use crate::browser::outbox_store::OutboxMirror;
use crate::browser::room_cache::{self, RoomCache};
use crate::model::chat_state::ChatState;

impl ChatController {
    /// Reads what an earlier page saved (the outbox, which is then sent; the rooms' copy,
    /// shown until the server speaks) and keeps both copies following the state.
    pub(super) fn keep_offline_copies(&self) {
        let this = *self;
        leptos::task::spawn_local(async move {
            match OutboxMirror::open().await {
                Ok((mirror, saved)) => {
                    this.outbox_mirror.set_value(mirror);
                    this.state.update(|state| state.outbox.restore(saved));
                    this.pump();
                }
                Err(reason) => leptos::logging::warn!("no saved outbox: {reason}"),
            }
        });
        // The copy is shown until the server speaks, so a reload while it is down is not an
        // empty chat (`restore_offline` shows only the signed-in person's own copy).
        leptos::task::spawn_local(async move {
            match RoomCache::open().await {
                Ok((cache, rooms)) => {
                    this.room_cache.set_value(cache);
                    this.state.update(|state| state.restore_offline(rooms));
                }
                Err(reason) => leptos::logging::warn!("no offline copy: {reason}"),
            }
        });
        let state = self.state;
        // On every change of the state (the mirror writes only what differs), and once more
        // when the saved outbox has been read and the mirror opened.
        let mirror = self.outbox_mirror;
        Effect::new(move |_| {
            state.with(|state| mirror.update_value(|mirror| mirror.sync(state.outbox.entries())));
        });
        // The rooms' offline copy, a moment after what it holds changed (changes meanwhile
        // are written together).
        let versions = Memo::new(move |_| state.with(ChatState::copy_versions));
        let (cache, due) = (self.room_cache, self.copy_due);
        Effect::new(move |_| {
            versions.track();
            if due.get_value() {
                return;
            }
            due.set_value(true);
            set_timeout(
                move || {
                    due.set_value(false);
                    let (versions, copies) = state
                        .with_untracked(|state| (state.copy_versions(), state.offline_copies()));
                    cache.update_value(|cache| cache.save(&versions, copies));
                },
                room_cache::SAVE_EVERY,
            );
        });
    }
}
