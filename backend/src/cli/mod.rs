//! The command-line tools beside the server, each run by `main.rs` instead of serving: managing
//! accounts (`user`), copying the SQLite store while the chat runs (`backup`), and moving a
//! chat between stores as JSON Lines (`transfer`: `export` and `import`). Each works on the
//! store directly, with the same `Settings` as the server.

pub mod backup;
pub mod transfer;
pub mod user;
