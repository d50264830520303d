//! A TCP proxy that cuts every connection through it after a random 0.5 to 3 seconds, to
//! prove that clients lose and double nothing when their connections keep dying.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A running proxy; stops when dropped.
#[derive(Debug)]
pub struct ChaosProxy {
    pub addr: SocketAddr,
    /// Connections cut so far.
    pub cuts: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

impl ChaosProxy {
    /// Listens on a free port and forwards every connection to `server`, cutting each one
    /// after a random lifetime in `lifetimes` (milliseconds).
    pub async fn start(server: SocketAddr, lifetimes: std::ops::Range<u64>, seed: u64) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy binds");
        let addr = listener.local_addr().expect("proxy address");
        let cuts = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&cuts);
        let task = tokio::spawn(async move {
            let mut random = SplitMix(seed);
            while let Ok((client, _)) = listener.accept().await {
                let lifetime =
                    lifetimes.start + random.next_u64() % (lifetimes.end - lifetimes.start);
                let counter = Arc::clone(&counter);
                tokio::spawn(async move {
                    let Ok(upstream) = TcpStream::connect(server).await else { return };
                    let mut client = client;
                    let mut upstream = upstream;
                    let forwarded = tokio::io::copy_bidirectional(&mut client, &mut upstream);
                    if tokio::time::timeout(Duration::from_millis(lifetime), forwarded)
                        .await
                        .is_err()
                    {
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                    // Dropping both sockets here cuts the connection mid-stream: no close frame,
                    // possibly half a frame, like a network that fails.
                });
            }
        });
        Self { addr, cuts, task }
    }
}

impl Drop for ChaosProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A small, seedable random number generator (SplitMix64): enough to vary lifetimes, and a
/// failing run can be repeated with its seed.
#[derive(Debug)]
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
