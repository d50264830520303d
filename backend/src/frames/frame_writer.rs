//! Writes a connection's queued frames to its socket: every frame that is waiting goes out in
//! one vectored write, straight from the bytes the hub encoded once and shares with every
//! member.
//!
//! Only the writing is ours; reading (unmasking, fragments, limits, UTF-8) stays with
//! tungstenite, and so does the frame header format (its `FrameHeader`). Owning the write
//! side is what lets the server write several frames per system call without copying them
//! into a per-connection buffer: with tungstenite's own writer each frame was copied into a
//! buffer that then kept the capacity of the largest frame ever sent (the welcome, which lists
//! every room) for as long as the connection lived.

use std::io::{self, IoSlice};
use std::sync::Arc;

use tokio::net::tcp::OwnedWriteHalf;

use super::wire::{Goodbye, MAX_SLICES_PER_WRITE, Outbound, RoundPlan};

/// How a round of writing ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Round {
    /// Everything was written; there may be more to come.
    Written,
    /// A close frame was written: nothing may follow it.
    Closed,
}

/// The write half of one connection and the round of frames it is writing. The socket is
/// shared with the connection's frame queue, which writes to it directly while this writer is idle
/// (see [`super::frame_queue`]); the sending direction ends when both have let go of it.
#[derive(Debug)]
pub struct FrameWriter {
    socket: Arc<OwnedWriteHalf>,
    plan: RoundPlan,
    /// Bytes of the round already written: a round interrupted (by an eviction) resumes where
    /// it stopped, so no frame is ever cut in half on the wire.
    written: usize,
}

impl FrameWriter {
    pub fn new(socket: Arc<OwnedWriteHalf>) -> Self {
        Self { socket, plan: RoundPlan::default(), written: 0 }
    }

    /// Starts a round with `items` (the previous round must have been written). Nothing may
    /// follow a close frame: whatever comes after one is dropped.
    pub fn start_round(&mut self, items: impl IntoIterator<Item = Outbound>) {
        self.written = 0;
        self.plan.start(items);
    }

    /// Writes what is left of any unfinished round, then the close frame `goodbye`.
    pub async fn say_goodbye(&mut self, goodbye: Goodbye) -> io::Result<()> {
        self.finish_round().await?;
        self.start_round([Outbound::Close(goodbye)]);
        self.finish_round().await.map(|_| ())
    }

    /// Writes what is left of the current round.
    pub async fn finish_round(&mut self) -> io::Result<Round> {
        loop {
            let mut slices = self.plan.slices();
            let mut remaining: &mut [IoSlice<'_>] = &mut slices;
            IoSlice::advance_slices(&mut remaining, self.written);
            if remaining.is_empty() {
                break;
            }
            let batch = remaining.len().min(MAX_SLICES_PER_WRITE);
            match self.socket.try_write_vectored(&remaining[..batch]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(just_written) => self.written += just_written,
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    drop(slices);
                    self.socket.writable().await?;
                }
                Err(error) => return Err(error),
            }
        }
        let ended = if self.plan.closes() { Round::Closed } else { Round::Written };
        self.plan.forget();
        self.written = 0;
        Ok(ended)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use futures_util::StreamExt;
    use tokio::net::{TcpListener, TcpStream};
    use tokio_tungstenite::WebSocketStream;
    use tungstenite::protocol::Role;
    use tungstenite::{Message, Utf8Bytes};

    use super::*;
    use crate::frames::wire::{Goodbye, SharedTexts};

    /// A tungstenite client, reading what the server side writes.
    pub(crate) type Client = WebSocketStream<TcpStream>;

    /// The write half of one end of a TCP connection, and a client reading the other end.
    pub(crate) async fn socket_and_client() -> (Arc<OwnedWriteHalf>, Client) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let client = TcpStream::connect(listener.local_addr().expect("addr"));
        let (client, accepted) = tokio::join!(client, listener.accept());
        let (server, _) = accepted.expect("accepted");
        let (_read, write) = server.into_split();
        let reader =
            WebSocketStream::from_raw_socket(client.expect("connected"), Role::Client, None).await;
        (Arc::new(write), reader)
    }

    /// A writer on one end of a TCP connection and a client reading the other.
    async fn connected() -> (FrameWriter, Client) {
        let (socket, reader) = socket_and_client().await;
        (FrameWriter::new(socket), reader)
    }

    pub(crate) async fn next(reader: &mut Client) -> Message {
        reader.next().await.expect("a frame").expect("a valid frame")
    }

    #[tokio::test]
    async fn a_round_of_every_kind_arrives_as_valid_frames_in_order() {
        let (mut writer, mut reader) = connected().await;
        let long = "x".repeat(70_000); // a 64-bit length in the header
        let batch = SharedTexts::new(vec![Utf8Bytes::from("b1"), Utf8Bytes::from(long.clone())]);
        writer.start_round([
            Outbound::Text(Utf8Bytes::from("a")),
            Outbound::Texts(batch),
            Outbound::Ping,
            Outbound::Text(Utf8Bytes::from("c".repeat(300))), // a 16-bit length
            Outbound::Close(Goodbye::new(4001, "too slow")),
            Outbound::Text(Utf8Bytes::from("never: nothing follows a close")),
        ]);
        assert_eq!(writer.finish_round().await.expect("written"), Round::Closed);
        assert_eq!(next(&mut reader).await, Message::text("a"));
        assert_eq!(next(&mut reader).await, Message::text("b1"));
        assert_eq!(next(&mut reader).await, Message::text(long));
        assert!(matches!(next(&mut reader).await, Message::Ping(_)));
        assert_eq!(next(&mut reader).await, Message::text("c".repeat(300)));
        match next(&mut reader).await {
            Message::Close(Some(frame)) => {
                assert_eq!(u16::from(frame.code), 4001);
                assert_eq!(frame.reason.as_str(), "too slow");
            }
            other => panic!("expected the close frame, got {other:?}"),
        }
    }
}
