//! Background jobs the server starts beside serving (`startup`): removing old messages
//! (`retention`, every ten minutes when `--retain-days` is set) and indexing for search the
//! messages stored before search existed or imported (`search_backlog`, once at start-up).
//! Each works on the store in small transactions and stops with the server.

pub mod retention;
pub mod search_backlog;
