//! Several nodes, one chat: the shared store (PostgreSQL) under writers on several nodes at
//! once, and (in `nodes`) real server processes behind one PostgreSQL and one Redis.
//!
//! Needs the PostgreSQL server this machine runs (see `support/test_database.rs`).

mod store_concurrency;
#[path = "../support/test_database.rs"]
mod test_database;
