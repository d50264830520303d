//! The little of IndexedDB the page uses: opening a database with one object store, and
//! waiting for a request. Shared by the outbox ([`crate::browser::outbox_store`]) and the rooms' offline
//! copy ([`crate::browser::room_cache`]), each in a database of its own (so neither has to upgrade the
//! other's while an older tab holds it open).

use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest};

/// Opens (creating if needed) the database `name` with its one object store `store`.
pub async fn open(name: &str, store: &'static str) -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .indexed_db()?
        .ok_or_else(|| JsValue::from_str("IndexedDB is not available"))?;
    let request: IdbOpenDbRequest = factory.open_with_u32(name, 1)?;
    let upgrading = request.clone();
    let on_upgrade = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Ok(database) = upgrading.result() {
            let database: IdbDatabase = database.unchecked_into();
            // Fails only if the store exists, which is what we want.
            let _ = database.create_object_store(store);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    Ok(finished(&request).await?.unchecked_into())
}

/// Opens the database `name` (see [`open`]) and reads every entry of its store `store` that
/// this version can read as a `T` (JSON text), in no particular order; an entry it cannot read
/// is skipped and left alone.
pub async fn open_and_read_all<T: serde::de::DeserializeOwned>(
    name: &str,
    store: &'static str,
) -> Result<(IdbDatabase, Vec<T>), String> {
    let database = open(name, store).await.map_err(describe)?;
    let transaction = database.transaction_with_str(store).map_err(describe)?;
    let request = transaction.object_store(store).map_err(describe)?.get_all().map_err(describe)?;
    let values: js_sys::Array = finished(&request).await.map_err(describe)?.unchecked_into();
    let entries = values
        .iter()
        .filter_map(|value| value.as_string())
        .filter_map(|json| serde_json::from_str(&json).ok())
        .collect();
    Ok((database, entries))
}

/// Waits for `request` to succeed; its result.
pub async fn finished(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await?;
    request.result()
}

/// An IndexedDB error in words, for the console.
pub fn describe(error: JsValue) -> String {
    error.as_string().unwrap_or_else(|| format!("{error:?}"))
}
