//! Connections of the load generator: the protocol client's, from a chosen local address
//! with small buffers (a process holds thousands).

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use client::{ConnectOptions, Connection};

/// How long a set-up step (connect, hello, join, a request) may wait for its answer: a server
/// out of file descriptors leaves connections unaccepted, and one under a join storm answers
/// slowly.
pub const SETUP_WAIT: Duration = Duration::from_secs(30);

/// Connects to `server` from `bind` (any port).
pub async fn connect(server: SocketAddr, bind: Option<IpAddr>) -> anyhow::Result<Connection> {
    let options = ConnectOptions { bind, small_buffers: true, within: SETUP_WAIT };
    Ok(Connection::open(server, &options).await?)
}
