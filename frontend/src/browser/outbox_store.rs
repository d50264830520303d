//! The outbox kept in IndexedDB, so messages written offline survive a reload or a browser
//! restart.
//!
//! One object store, `outbox`, holds each waiting message as JSON text under its `client_id`.
//! The page keeps the outbox in memory ([`crate::model::outbox::Outbox`]) and [`OutboxMirror::sync`]
//! writes the difference after every change, in one transaction; IndexedDB runs read-write
//! transactions on the same store in the order they were created, so writes land in order.
//! Without IndexedDB (blocked, private mode) the outbox lives in memory only.

use std::collections::HashMap;

use wasm_bindgen::JsValue;
use web_sys::{IdbDatabase, IdbTransactionMode};

use crate::browser::indexed_db::describe;
use crate::model::outbox::Outgoing;

const DATABASE: &str = "chat";
const STORE: &str = "outbox";

/// The database and what it holds, as last written.
#[derive(Debug, Default)]
pub struct OutboxMirror {
    database: Option<IdbDatabase>,
    /// By client id, as saved (never in flight).
    saved: HashMap<String, Outgoing>,
}

impl OutboxMirror {
    /// Opens the database and reads what an earlier page left in it (in no particular order).
    pub async fn open() -> Result<(Self, Vec<Outgoing>), String> {
        // An entry this version cannot read is left alone rather than lost.
        let (database, entries): (_, Vec<Outgoing>) =
            crate::browser::indexed_db::open_and_read_all(DATABASE, STORE).await?;
        let saved = entries
            .iter()
            .map(|entry| (entry.client_id.as_str().to_owned(), entry.clone()))
            .collect();
        // In no particular order: `Outbox::restore` puts them in the order they were written.
        Ok((Self { database: Some(database), saved }, entries))
    }

    /// Writes what changed since the last call so the database holds exactly `entries`.
    pub fn sync(&mut self, entries: &[Outgoing]) {
        let Some(database) = &self.database else { return };
        let current: HashMap<String, Outgoing> = entries
            .iter()
            .map(|entry| {
                (entry.client_id.as_str().to_owned(), Outgoing { in_flight: None, ..entry.clone() })
            })
            .collect();
        if current == self.saved {
            return;
        }
        if let Err(error) = write_difference(database, &self.saved, &current) {
            leptos::logging::warn!("could not save the outbox: {}", describe(error));
            return;
        }
        self.saved = current;
    }
}

fn write_difference(
    database: &IdbDatabase,
    saved: &HashMap<String, Outgoing>,
    current: &HashMap<String, Outgoing>,
) -> Result<(), JsValue> {
    let transaction =
        database.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?;
    let store = transaction.object_store(STORE)?;
    for (id, entry) in current {
        if saved.get(id) != Some(entry) {
            let json = serde_json::to_string(entry)
                .map_err(|error| JsValue::from_str(&error.to_string()))?;
            store.put_with_key(&JsValue::from_str(&json), &JsValue::from_str(id))?;
        }
    }
    for id in saved.keys().filter(|id| !current.contains_key(*id)) {
        store.delete(&JsValue::from_str(id))?;
    }
    Ok(())
}
