//! A TCP proxy that can be unplugged: every connection through it is cut at once and new ones
//! are refused until it is plugged back in. Put in front of Redis, it is an outage of Redis
//! for the nodes behind it and for nothing else on the machine. It can also go silent: every
//! connection stays open and new ones are accepted, but nothing is forwarded either way (a
//! partition that drops packets, which TCP does not notice). Or it can refuse: every connection
//! is cut and it stops listening, so new ones are refused by the system (`ECONNREFUSED`), as
//! when Redis's host is up and Redis is not.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinHandle};

const FORWARDING: u8 = 0;
const UNPLUGGED: u8 = 1;
const SILENT: u8 = 2;
const REFUSING: u8 = 3;

/// A running proxy; stops when dropped.
#[derive(Debug)]
pub struct OutageProxy {
    pub addr: SocketAddr,
    target: SocketAddr,
    mode: Arc<AtomicU8>,
    connections: Arc<Mutex<Vec<AbortHandle>>>,
    /// Connections accepted by the proxy so far, those it closed at once included (not those
    /// the system refused while it was not listening).
    attempts: Arc<AtomicU64>,
    /// The task accepting connections (none while refusing).
    task: Mutex<Option<JoinHandle<()>>>,
}

impl OutageProxy {
    /// Listens on a free port and forwards every connection to `target`.
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy binds");
        let addr = listener.local_addr().expect("proxy address");
        let proxy = Self {
            addr,
            target,
            mode: Arc::new(AtomicU8::new(FORWARDING)),
            connections: Arc::default(),
            attempts: Arc::default(),
            task: Mutex::new(None),
        };
        proxy.accept_on(listener);
        proxy
    }

    fn accept_on(&self, listener: TcpListener) {
        let (mode, open, counted) =
            (self.mode.clone(), self.connections.clone(), self.attempts.clone());
        let target = self.target;
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
                let forwarder = match mode.load(Ordering::SeqCst) {
                    UNPLUGGED | REFUSING => continue, // dropped: closed as soon as it is made
                    SILENT => tokio::spawn(swallow(client)),
                    _ => tokio::spawn(forward(client, target, mode.clone())),
                };
                open.lock().expect("not poisoned").push(forwarder.abort_handle());
            }
        });
        *self.task.lock().expect("not poisoned") = Some(task);
    }

    /// Connections accepted through the proxy so far (those closed at once included; not
    /// those refused while it was not listening).
    pub fn attempts(&self) -> u64 {
        self.attempts.load(Ordering::SeqCst)
    }

    /// Cuts every open connection and closes new ones as soon as they are made.
    pub fn unplug(&self) {
        self.mode.store(UNPLUGGED, Ordering::SeqCst);
        self.cut_everything();
    }

    /// Cuts every open connection and stops listening: new ones are refused by the system.
    pub fn refuse(&self) {
        self.mode.store(REFUSING, Ordering::SeqCst);
        if let Some(task) = self.task.lock().expect("not poisoned").take() {
            task.abort(); // drops the listener
        }
        self.cut_everything();
    }

    /// Keeps every connection open but forwards nothing, and accepts new ones the same way.
    pub fn go_silent(&self) {
        self.mode.store(SILENT, Ordering::SeqCst);
    }

    /// Forwards new connections again. Connections that were open while the proxy was silent
    /// are cut (what they sent meanwhile is lost, so they could not go on).
    pub fn plug_in(&self) {
        match self.mode.swap(FORWARDING, Ordering::SeqCst) {
            SILENT => self.cut_everything(),
            REFUSING => {
                // The same port again (the system lets a listener rebind it at once).
                let listener = std::net::TcpListener::bind(self.addr).expect("proxy binds again");
                listener.set_nonblocking(true).expect("non-blocking");
                self.accept_on(TcpListener::from_std(listener).expect("in a runtime"));
            }
            _ => {}
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
        if let Some(task) = self.task.lock().expect("not poisoned").take() {
            task.abort();
        }
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
