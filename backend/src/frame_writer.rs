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
use std::ops::Range;
use std::sync::Arc;

use tokio::net::tcp::OwnedWriteHalf;
use tungstenite::Utf8Bytes;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::frame::coding::{Data, OpCode};
use tungstenite::protocol::frame::{CloseFrame, Frame, FrameHeader};

use crate::outbox::{Goodbye, Outbound};

/// At most this many queued items go into one round of writing, so one busy connection
/// still yields to others now and then.
pub const MAX_ITEMS_PER_ROUND: usize = 64;

/// At most this many buffers are handed to one `writev` (the kernel refuses more than 1,024).
pub const MAX_SLICES_PER_WRITE: usize = 512;

/// The longest header of a frame from the server (unmasked, with a 64-bit length).
const MAX_HEADER_BYTES: usize = 10;

/// How a round of writing ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Round {
    /// Everything was written; there may be more to come.
    Written,
    /// A close frame was written: nothing may follow it.
    Closed,
}

/// One frame of a round (or a whole batch of them): where its header is in the round's
/// `headers` (empty for a batch or raw bytes, which carry their own), and where its payload
/// is (none for control frames, which sit whole in `headers`).
#[derive(Debug)]
struct PlannedFrame {
    header: Range<usize>,
    /// The item of the round whose bytes follow the header.
    payload: Option<usize>,
}

/// Text frames as they go on the wire: each text behind its header, back to back.
pub fn text_frames(texts: &[Utf8Bytes]) -> Vec<u8> {
    let length = texts.iter().map(|text| MAX_HEADER_BYTES + text.len()).sum();
    let mut wire = Vec::with_capacity(length);
    for text in texts {
        format_text_header(text.len(), &mut wire);
        wire.extend_from_slice(text.as_bytes());
    }
    wire
}

fn format_text_header(length: usize, into: &mut Vec<u8>) {
    let header = FrameHeader { opcode: OpCode::Data(Data::Text), ..FrameHeader::default() };
    // Writing into a Vec cannot fail.
    let _ = header.format(length as u64, into);
}

/// The frames of one round of writing, planned: each one's header formatted, its payload
/// shared with the queued item it came from.
#[derive(Debug, Default)]
pub struct RoundPlan {
    /// The items of the round, in queue order.
    round: Vec<Outbound>,
    /// Every frame header of the round (and the whole of each control frame), back to back.
    headers: Vec<u8>,
    /// Each frame of the round, in order.
    frames: Vec<PlannedFrame>,
}

impl RoundPlan {
    /// Plans a round of `items` (forgetting the previous one). Nothing may follow a close
    /// frame: whatever comes after one is dropped.
    pub fn start(&mut self, items: impl IntoIterator<Item = Outbound>) {
        self.forget();
        for item in items {
            let closes = matches!(item, Outbound::Close(_));
            self.add(item);
            if closes {
                break;
            }
        }
    }

    /// The round as buffers for `writev`: each frame's header, then its payload.
    pub fn slices(&self) -> Vec<IoSlice<'_>> {
        slices(&self.round, &self.headers, &self.frames)
    }

    /// Whether the round ends the connection.
    fn closes(&self) -> bool {
        matches!(self.round.last(), Some(Outbound::Close(_)))
    }

    /// Gives back the round's items, unwritten, in order.
    pub fn take_items(&mut self) -> Vec<Outbound> {
        let items = std::mem::take(&mut self.round);
        self.forget();
        items
    }

    /// Lets go of a round: its frames (a large one, like the welcome, would otherwise stay
    /// referenced until the next round) and any room its bookkeeping grew beyond what a usual
    /// round needs, since an idle connection keeps its plan for as long as it lives.
    pub fn forget(&mut self) {
        // A usual round in a busy room: one item, the batch of a few messages.
        const USUAL_ITEMS: usize = 2;
        const USUAL_FRAMES: usize = 4;
        self.round.clear();
        self.headers.clear();
        self.frames.clear();
        self.round.shrink_to(USUAL_ITEMS);
        self.headers.shrink_to(USUAL_FRAMES * MAX_HEADER_BYTES);
        self.frames.shrink_to(USUAL_FRAMES);
    }

    fn add(&mut self, item: Outbound) {
        let index = self.round.len();
        match &item {
            Outbound::Text(text) => self.add_text(index, text.len()),
            // Already on the wire's terms: a batch's frames, encoded once with their headers
            // for every member, or bytes owed as they are (a pong, or what a direct write left).
            Outbound::Texts(_) | Outbound::Raw(_) => {
                let at = self.headers.len();
                self.frames.push(PlannedFrame { header: at..at, payload: Some(index) });
            }
            Outbound::Ping => self.add_control(Frame::ping(Vec::new())),
            Outbound::Close(goodbye) => self.add_control(Frame::close(Some(CloseFrame {
                code: CloseCode::from(goodbye.code),
                reason: goodbye.reason.clone(),
            }))),
        }
        self.round.push(item);
    }

    fn add_text(&mut self, item: usize, length: usize) {
        let start = self.headers.len();
        format_text_header(length, &mut self.headers);
        self.frames.push(PlannedFrame { header: start..self.headers.len(), payload: Some(item) });
    }

    fn add_control(&mut self, frame: Frame) {
        let start = self.headers.len();
        // Writing into a Vec cannot fail.
        let _ = frame.format(&mut self.headers);
        self.frames.push(PlannedFrame { header: start..self.headers.len(), payload: None });
    }
}

/// The write half of one connection and the round of frames it is writing. The socket is
/// shared with the connection's outbox, which writes to it directly while this writer is idle
/// (see `outbox`); the sending direction ends when both have let go of it.
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

fn slices<'a>(
    round: &'a [Outbound],
    headers: &'a [u8],
    frames: &[PlannedFrame],
) -> Vec<IoSlice<'a>> {
    let mut slices = Vec::with_capacity(frames.len() * 2);
    for PlannedFrame { header, payload } in frames {
        if !header.is_empty() {
            slices.push(IoSlice::new(&headers[header.clone()]));
        }
        let payload: &[u8] = match payload {
            Some(item) => match &round[*item] {
                Outbound::Text(text) => text.as_bytes(),
                Outbound::Texts(texts) => texts.wire(),
                Outbound::Raw(bytes) => bytes,
                Outbound::Ping | Outbound::Close(_) => &[],
            },
            None => &[],
        };
        if !payload.is_empty() {
            slices.push(IoSlice::new(payload));
        }
    }
    slices
}

#[cfg(test)]
pub(crate) mod tests {
    use futures_util::StreamExt;
    use tokio::net::{TcpListener, TcpStream};
    use tokio_tungstenite::WebSocketStream;
    use tungstenite::protocol::Role;
    use tungstenite::{Message, Utf8Bytes};

    use super::*;
    use crate::outbox::{Goodbye, SharedTexts};

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
