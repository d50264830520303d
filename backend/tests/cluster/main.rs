//! Several nodes, one chat: the shared store (PostgreSQL) under writers on several nodes at
//! once, and real server processes behind one PostgreSQL and one Redis.
//!
//! Needs the PostgreSQL and Redis this machine runs (`scripts/services.sh` starts them).

#![allow(clippy::print_stdout, reason = "the figures of each run are part of what it proves")]

mod big_rooms;
mod edits;
mod listener;
mod moderation;
mod nicknames;
mod nodes;
mod partition;
mod presence;
mod private_rooms;
mod redis_cuts;
mod redis_link;
mod search;
mod store_concurrency;

#[path = "../support/audit.rs"]
mod audit;
#[path = "../support/outage_proxy.rs"]
mod outage_proxy;
#[path = "../support/redis_keys.rs"]
mod redis_keys;
#[path = "../support/server_process.rs"]
mod server_process;
#[path = "../support/test_database.rs"]
mod test_database;
#[path = "../support/ws_client.rs"]
mod ws_client;
