//! The page's adapters to the browser: the WebSocket, storage (local storage, IndexedDB), the
//! URL, notifications, the first screen and the reader's browser-given preferences. The model
//! (`crate::model`) knows none of them, so it is tested without a browser; the controller
//! (`crate::controller`) joins the two.

pub mod connection;
pub mod first_screen;
pub mod indexed_db;
pub mod local_store;
pub mod notifications;
pub mod outbox_store;
pub mod preferences;
pub mod room_cache;
pub mod route;
