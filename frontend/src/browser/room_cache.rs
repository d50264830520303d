//! The rooms' offline copy ([`crate::model::offline_copy`]) kept in IndexedDB: one entry per
//! room, its [`SavedRoom`] as JSON text under the room's name, in a database of its own.
//! Written a moment after the state changes (at most every [`SAVE_EVERY`]), and only the rooms
//! whose copy changed; cleared on sign-out. Without IndexedDB the page works the same, without
//! the copy.

use std::collections::HashMap;
use std::time::Duration;

use common::RoomName;
use wasm_bindgen::JsValue;
use web_sys::{IdbDatabase, IdbTransactionMode};

use crate::browser::indexed_db::{describe, finished};
use crate::model::offline_copy::{CopyVersion, SavedRoom};

const DATABASE: &str = "chat-rooms";
const STORE: &str = "rooms";

/// How long the page waits after a change before writing the copy (changes meanwhile are
/// written together).
pub const SAVE_EVERY: Duration = Duration::from_secs(2);

/// The database and the version of each room's copy in it.
#[derive(Debug, Default)]
pub struct RoomCache {
    database: Option<IdbDatabase>,
    saved: HashMap<RoomName, CopyVersion>,
}

impl RoomCache {
    /// Opens the database and reads the copies an earlier page left in it.
    pub async fn open() -> Result<(Self, Vec<SavedRoom>), String> {
        // A copy this version cannot read is skipped (and overwritten by the next save).
        let (database, rooms) =
            crate::browser::indexed_db::open_and_read_all(DATABASE, STORE).await?;
        Ok((Self { database: Some(database), saved: HashMap::new() }, rooms))
    }

    /// Writes the copies whose version differs from the one saved.
    pub fn save(&mut self, versions: &[CopyVersion], copies: Vec<SavedRoom>) {
        let Some(database) = &self.database else { return };
        let changed: Vec<SavedRoom> = copies
            .into_iter()
            .filter(|copy| {
                let version = versions.iter().find(|version| version.0 == copy.name);
                version != self.saved.get(&copy.name)
            })
            .collect();
        if changed.is_empty() {
            return;
        }
        if let Err(error) = write(database, &changed) {
            leptos::logging::warn!("could not save the offline copy: {}", describe(error));
            return;
        }
        for version in versions {
            self.saved.insert(version.0.clone(), version.clone());
        }
    }
}

fn write(database: &IdbDatabase, rooms: &[SavedRoom]) -> Result<(), JsValue> {
    let transaction =
        database.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?;
    let store = transaction.object_store(STORE)?;
    for room in rooms {
        let json =
            serde_json::to_string(room).map_err(|error| JsValue::from_str(&error.to_string()))?;
        store.put_with_key(&JsValue::from_str(&json), &JsValue::from_str(room.name.as_str()))?;
    }
    Ok(())
}

/// Forgets every copy (signing out); best effort.
pub async fn clear() {
    let cleared = async {
        let database = crate::browser::indexed_db::open(DATABASE, STORE).await?;
        let transaction =
            database.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?;
        finished(&transaction.object_store(STORE)?.clear()?).await
    };
    if let Err(error) = cleared.await {
        leptos::logging::warn!("could not clear the offline copy: {}", describe(error));
    }
}
