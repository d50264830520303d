//! A load balancer as small as it gets: each connection goes to the first upstream that
//! accepts it, in order. With the first node down, everything goes to the next: what a client
//! behind a real load balancer sees when its node dies.

use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A running balancer; stops when dropped (the connections through it go on).
#[derive(Debug)]
pub struct FailoverProxy {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl FailoverProxy {
    /// Listens on a free port and forwards every connection to the first of `upstreams` that
    /// accepts it.
    pub async fn start(upstreams: Vec<SocketAddr>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("balancer binds");
        let addr = listener.local_addr().expect("balancer address");
        let task = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let upstreams = upstreams.clone();
                tokio::spawn(async move {
                    for upstream in upstreams {
                        if let Ok(mut server) = TcpStream::connect(upstream).await {
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                            return;
                        }
                    }
                    // No upstream: the client's connection is dropped, as a balancer with no
                    // healthy backend would.
                });
            }
        });
        Self { addr, task }
    }
}

impl Drop for FailoverProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}
