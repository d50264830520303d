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

use testkit::audit;
use testkit::outage_proxy;
use testkit::redis_keys;
use testkit::server_process;
use testkit::test_database;
use testkit::ws_client;
