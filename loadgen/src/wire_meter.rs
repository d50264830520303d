//! A TCP relay between the browser and the server that counts the bytes the server sends: what
//! the browser really receives (headers, compressed bodies, `304`s, the service worker's own
//! fetches), which no figure inside the page covers whole.
//!
//! Each connection is told apart by its first request: a WebSocket upgrade (`GET /ws`) or plain
//! HTTP, so the page's files and the chat's frames are counted apart.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Bytes the server sent through the relay since the last [`WireMeter::take`].
#[derive(Debug, Default, Clone, Copy)]
pub struct Received {
    pub http: u64,
    pub websocket: u64,
}

#[derive(Debug, Default)]
struct Counts {
    http: AtomicU64,
    websocket: AtomicU64,
}

/// The relay; it stops when dropped.
pub struct WireMeter {
    pub addr: SocketAddr,
    counts: Arc<Counts>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for WireMeter {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl WireMeter {
    /// Starts relaying a local port to `server`.
    pub async fn start(server: SocketAddr) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let counts = Arc::new(Counts::default());
        let shared = counts.clone();
        let task = tokio::spawn(async move {
            while let Ok((browser, _)) = listener.accept().await {
                tokio::spawn(relay(browser, server, shared.clone()));
            }
        });
        Ok(Self { addr, counts, task })
    }

    /// The bytes counted so far, and a fresh start from zero.
    pub fn take(&self) -> Received {
        Received {
            http: self.counts.http.swap(0, Ordering::Relaxed),
            websocket: self.counts.websocket.swap(0, Ordering::Relaxed),
        }
    }

    /// The bytes counted so far, without resetting.
    pub fn peek(&self) -> Received {
        Received {
            http: self.counts.http.load(Ordering::Relaxed),
            websocket: self.counts.websocket.load(Ordering::Relaxed),
        }
    }
}

/// Relays one connection until either side closes it.
async fn relay(browser: TcpStream, server: SocketAddr, counts: Arc<Counts>) {
    let Ok(upstream) = TcpStream::connect(server).await else { return };
    let _ = browser.set_nodelay(true);
    let _ = upstream.set_nodelay(true);
    let (mut from_browser, mut to_browser) = browser.into_split();
    let (mut from_server, mut to_server) = upstream.into_split();
    // The first bytes of the request say which kind of connection this is.
    let mut first = vec![0_u8; 4096];
    let Ok(read) = from_browser.read(&mut first).await else { return };
    if read == 0 || to_server.write_all(&first[..read]).await.is_err() {
        return;
    }
    let websocket = first[..read].starts_with(b"GET /ws");
    let upload = async {
        let _ = tokio::io::copy(&mut from_browser, &mut to_server).await;
        let _ = to_server.shutdown().await;
    };
    let download = async {
        let mut buffer = vec![0_u8; 64 * 1024];
        loop {
            let read = match from_server.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(read) => read,
            };
            let counter = if websocket { &counts.websocket } else { &counts.http };
            counter.fetch_add(read as u64, Ordering::Relaxed);
            if to_browser.write_all(&buffer[..read]).await.is_err() {
                break;
            }
        }
        let _ = to_browser.shutdown().await;
    };
    tokio::join!(upload, download);
}
