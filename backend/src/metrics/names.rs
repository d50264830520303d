//! Every metric's name, in one place (documented in docs/OPERATIONS.md).

/// Gauge: WebSocket connections open now.
pub const CONNECTIONS_OPEN: &str = "chat_connections_open";
/// Counter: connections that said who they are, by `kind` (`guest`, `account`).
pub const SIGN_INS: &str = "chat_sign_ins_total";
/// Gauge, read when scraped: rooms this node knows.
pub const ROOMS: &str = "chat_rooms";
/// Counter: entries stored in rooms (messages, edits, deletions); repeats of stored ones are
/// not counted.
pub const MESSAGES_STORED: &str = "chat_messages_stored_total";
/// Counter: entries removed by retention (`--retain-days`), on the node that removed them.
pub const MESSAGES_REMOVED: &str = "chat_messages_removed_total";
/// Counter: stored entries pushed to members on this node (one per member and entry).
pub const DELIVERIES: &str = "chat_deliveries_total";
/// Histogram (seconds): from a room's broadcast being handed over, right after its commit and
/// the fan-out, to the end of its write to the members' sockets.
pub const DELIVERY_LAG: &str = "chat_delivery_lag_seconds";
/// Counter: connections closed because they fell too far behind reading (close 4001).
pub const OUTBOX_EVICTIONS: &str = "chat_outbox_evictions_total";
/// Counter: requests refused for going too fast, by `kind` (`message`, `other`).
pub const RATE_LIMITED: &str = "chat_rate_limited_total";
/// Histogram (seconds): one store transaction of the committer (a batch of appends).
pub const STORE_COMMIT: &str = "chat_store_commit_seconds";
/// Histogram: appends per store transaction.
pub const STORE_BATCH_SIZE: &str = "chat_store_batch_size";
/// Histogram (seconds): answering one `history` request.
pub const HISTORY: &str = "chat_history_seconds";
/// Histogram (seconds): answering one `search` request.
pub const SEARCH: &str = "chat_search_seconds";
/// Gauge: 1 while this node indexes older messages for search (and gives older entries their
/// author's key) after it started, 0 once that is done: when search finds everything.
pub const SEARCH_BACKLOG_PENDING: &str = "chat_search_backlog_pending";
/// Histogram (seconds): from this node publishing its heartbeat to hearing it back through
/// Redis: the bus's own lag.
pub const BUS_LAG: &str = "chat_bus_lag_seconds";
/// Counter: outages of a Redis link (each starts with one failure after a success), by
/// `purpose` (`publishing`, `nickname reservations`, `subscription`).
pub const REDIS_OUTAGES: &str = "chat_redis_outages_total";
/// Gauge, read when scraped: the process's resident memory in bytes.
pub const RESIDENT_BYTES: &str = "chat_process_resident_bytes";
/// Gauge, read when scraped: the process's open file descriptors (sockets included).
pub const OPEN_FILES: &str = "chat_process_open_files";
