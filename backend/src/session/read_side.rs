//! The socket as tungstenite's reader sees it: reads come from the connection's read half;
//! writes (the pong or close answer it owes the peer) go into the connection's frame queue, so the
//! one writer task sends them in order with everything else (see `crate::frames::frame_writer`).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::tcp::OwnedReadHalf;
use tungstenite::Bytes;

use crate::frames::frame_queue::FrameQueue;

#[derive(Debug)]
pub struct ReadSide {
    socket: OwnedReadHalf,
    replies: FrameQueue,
}

impl ReadSide {
    pub fn new(socket: OwnedReadHalf, replies: FrameQueue) -> Self {
        Self { socket, replies }
    }
}

impl AsyncRead for ReadSide {
    fn poll_read(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.socket).poll_read(context, buffer)
    }
}

impl AsyncWrite for ReadSide {
    /// Queues the bytes for the writer; never waits (a peer too far behind to take them is
    /// evicted, as for any other frame).
    fn poll_write(
        self: Pin<&mut Self>,
        _context: &mut Context<'_>,
        bytes: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.replies.push_raw(Bytes::copy_from_slice(bytes));
        Poll::Ready(Ok(bytes.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
