//! A TCP proxy that can be unplugged: every connection through it is cut at once and new ones
//! are refused until it is plugged back in. Put in front of Redis, it is an outage of Redis
//! for the nodes behind it and for nothing else on the machine. It can also go silent: every
//! connection stays open and new ones are accepted, but nothing is forwarded either way (a
//! partition that drops packets, which TCP does not notice).

#![allow(dead_code, reason = "several test binaries include this file; each uses a part")]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinHandle};

const FORWARDING: u8 = 0;
const UNPLUGGED: u8 = 1;
const SILENT: u8 = 2;

/// A running proxy; stops when dropped.
pub struct OutageProxy {
    pub addr: SocketAddr,
    mode: Arc<AtomicU8>,
    connections: Arc<Mutex<Vec<AbortHandle>>>,
    /// Connections attempted through the proxy so far, refused ones included.
    attempts: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

impl OutageProxy {
    /// Listens on a free port and forwards every connection to `target`.
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy binds");
        let addr = listener.local_addr().expect("proxy address");
        let mode = Arc::new(AtomicU8::new(FORWARDING));
        let connections: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let attempts = Arc::new(AtomicU64::new(0));
        let (shared_mode, open, counted) = (mode.clone(), connections.clone(), attempts.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
                let forwarder = match shared_mode.load(Ordering::SeqCst) {
                    UNPLUGGED => continue, // dropped: the connection is refused mid-handshake
                    SILENT => tokio::spawn(swallow(client)),
                    _ => tokio::spawn(forward(client, target, shared_mode.clone())),
                };
                open.lock().expect("not poisoned").push(forwarder.abort_handle());
            }
        });
        Self { addr, mode, connections, attempts, task }
    }

    /// Connections attempted through the proxy so far (refused ones included).
    pub fn attempts(&self) -> u64 {
        self.attempts.load(Ordering::SeqCst)
    }

    /// Cuts every open connection and refuses new ones.
    pub fn unplug(&self) {
        self.mode.store(UNPLUGGED, Ordering::SeqCst);
        self.cut_everything();
    }

    /// Keeps every connection open but forwards nothing, and accepts new ones the same way.
    pub fn go_silent(&self) {
        self.mode.store(SILENT, Ordering::SeqCst);
    }

    /// Forwards new connections again. Connections that were open while the proxy was silent
    /// are cut (what they sent meanwhile is lost, so they could not go on).
    pub fn plug_in(&self) {
        if self.mode.swap(FORWARDING, Ordering::SeqCst) == SILENT {
            self.cut_everything();
        }
    }

    fn cut_everything(&self) {
        for connection in self.connections.lock().expect("not poisoned").drain(..) {
            connection.abort(); // drops both sockets
        }
    }
}

impl Drop for OutageProxy {
    fn drop(&mut self) {
        self.unplug();
        self.task.abort();
    }
}

/// Forwards both ways until either side closes; while the proxy is silent, what arrives is
/// dropped instead.
async fn forward(client: TcpStream, target: SocketAddr, mode: Arc<AtomicU8>) {
    let Ok(upstream) = TcpStream::connect(target).await else { return };
    let (client_read, client_write) = client.into_split();
    let (upstream_read, upstream_write) = upstream.into_split();
    tokio::select! {
        () = relay(client_read, upstream_write, &mode) => {}
        () = relay(upstream_read, client_write, &mode) => {}
    }
}

async fn relay(mut from: impl AsyncRead + Unpin, mut to: impl AsyncWrite + Unpin, mode: &AtomicU8) {
    let mut buffer = vec![0_u8; 16 * 1024];
    loop {
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        if mode.load(Ordering::SeqCst) == SILENT {
            continue;
        }
        if to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
    }
}

/// Holds a connection made while the proxy is silent, reading and dropping what it sends.
async fn swallow(mut client: TcpStream) {
    let mut buffer = vec![0_u8; 16 * 1024];
    while matches!(client.read(&mut buffer).await, Ok(read) if read > 0) {}
}
