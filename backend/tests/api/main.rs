//! Integration tests: the real server on 127.0.0.1:0, real WebSocket clients speaking the
//! `common` types. One binary, one module per area, helpers in `helpers`.

mod accounts;
mod admin_view;
mod admission;
mod bad_input;
mod big_rooms;
mod chat;
mod closing;
mod direct_messages;
mod export_import;
mod find_date;
mod flood;
mod heartbeat;
mod helpers;
mod history;
mod http;
mod invites;
mod message_deletion;
mod message_edits;
mod moderation;
mod permission_matrix;
mod pipelining;
mod presence;
mod private_rooms;
mod reactions;
mod replies;
mod resume;
mod retention;
mod room_moderation;
mod rooms;
mod search;
mod shutdown;
mod slow_consumer;
use testkit::test_database;
mod typing;
use testkit::ws_client;
