//! A TCP proxy that can be unplugged: every connection through it is cut at once and new ones
//! are refused until it is plugged back in. Put in front of Redis, it is an outage of Redis
//! for the nodes behind it and for nothing else on the machine.

#![allow(dead_code, reason = "several test binaries include this file; each uses a part")]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinHandle};

/// A running proxy; stops when dropped.
pub struct OutageProxy {
    pub addr: SocketAddr,
    plugged_in: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<AbortHandle>>>,
    task: JoinHandle<()>,
}

impl OutageProxy {
    /// Listens on a free port and forwards every connection to `target`.
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy binds");
        let addr = listener.local_addr().expect("proxy address");
        let plugged_in = Arc::new(AtomicBool::new(true));
        let connections: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let (plugged, open) = (plugged_in.clone(), connections.clone());
        let task = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !plugged.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is refused mid-handshake
                }
                let forwarder = tokio::spawn(async move {
                    let Ok(mut upstream) = TcpStream::connect(target).await else { return };
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                });
                open.lock().expect("not poisoned").push(forwarder.abort_handle());
            }
        });
        Self { addr, plugged_in, connections, task }
    }

    /// Cuts every open connection and refuses new ones.
    pub fn unplug(&self) {
        self.plugged_in.store(false, Ordering::SeqCst);
        for connection in self.connections.lock().expect("not poisoned").drain(..) {
            connection.abort(); // drops both sockets
        }
    }

    /// Forwards new connections again.
    pub fn plug_in(&self) {
        self.plugged_in.store(true, Ordering::SeqCst);
    }
}

impl Drop for OutageProxy {
    fn drop(&mut self) {
        self.unplug();
        self.task.abort();
    }
}
