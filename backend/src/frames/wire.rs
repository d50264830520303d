//! What is written to a socket: the items of a connection's queue (text frames, a room's
//! shared batch, a ping, the close frame, raw bytes owed by the reader) and how a round of
//! them is laid out on the wire, headers formatted once and payloads shared. Like
//! mini-redis's `frame.rs`: the wire format here, the queue ([`super::frame_queue`]) and the
//! writing ([`super::frame_writer`]) elsewhere.

use std::io::IoSlice;
use std::ops::Range;
use std::sync::Arc;

use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::frame::coding::{Data, OpCode};
use tungstenite::protocol::frame::{CloseFrame, Frame, FrameHeader};
use tungstenite::{Bytes, Utf8Bytes};

/// At most this many queued items go into one round of writing, so one busy connection
/// still yields to others now and then.
pub const MAX_ITEMS_PER_ROUND: usize = 64;

/// At most this many buffers are handed to one `writev` (the kernel refuses more than 1,024).
pub const MAX_SLICES_PER_WRITE: usize = 512;

/// The longest header of a frame from the server (unmasked, with a 64-bit length).
const MAX_HEADER_BYTES: usize = 10;

/// One item for the writer: a text frame, several text frames that go out together, a
/// heartbeat ping, the close frame that ends the connection, or a frame the WebSocket reader
/// owes the peer (a pong, or the answer to its close), already encoded.
#[derive(Debug)]
pub enum Outbound {
    Text(Utf8Bytes),
    /// A room's messages stored in one batch, shared by every member: one write for all of
    /// them.
    Texts(SharedTexts),
    Ping,
    Close(Goodbye),
    Raw(Bytes),
}

/// Encoded text frames shared by every member of a room (cheap to clone): the texts, the
/// frames as they go on the wire (each text behind its frame header, back to back), and what
/// they weigh against a queue's bound. All computed once per batch rather than once per
/// member: a member's write hands the kernel one buffer for the whole batch.
#[derive(Debug, Clone)]
pub struct SharedTexts {
    texts: Arc<[Utf8Bytes]>,
    wire: Bytes,
    weight: usize,
}

impl SharedTexts {
    pub fn new(texts: Vec<Utf8Bytes>) -> Self {
        let weight = texts.iter().map(|text| text.len() + FRAME_OVERHEAD_BYTES).sum();
        let wire = Bytes::from(text_frames(&texts));
        Self { texts: texts.into(), wire, weight }
    }

    pub fn texts(&self) -> &[Utf8Bytes] {
        &self.texts
    }

    /// The frames, headers included, exactly as they are written.
    pub fn wire(&self) -> &[u8] {
        &self.wire
    }
}

/// The close frame the server ends a connection with: a close code and a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goodbye {
    pub code: u16,
    pub reason: Utf8Bytes,
}

impl Goodbye {
    pub const fn new(code: u16, reason: &'static str) -> Self {
        Self { code, reason: Utf8Bytes::from_static(reason) }
    }

    /// A close frame with a reason made at run time, cut (at a character boundary) to the
    /// 123 bytes a close frame can carry.
    pub fn saying(code: u16, reason: &str) -> Self {
        let mut end = reason.len().min(123);
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        Self { code, reason: Utf8Bytes::from(reason[..end].to_owned()) }
    }
}

/// What each queued frame weighs beyond its bytes: the queue's own bookkeeping, so that even
/// a flood of tiny frames is bounded.
pub const FRAME_OVERHEAD_BYTES: usize = 64;

impl Outbound {
    /// What this item counts for against the queue's bound.
    pub fn weight(&self) -> usize {
        match self {
            Self::Text(text) => text.len() + FRAME_OVERHEAD_BYTES,
            Self::Texts(texts) => texts.weight,
            Self::Ping => FRAME_OVERHEAD_BYTES,
            Self::Close(goodbye) => goodbye.reason.len() + FRAME_OVERHEAD_BYTES,
            Self::Raw(bytes) => bytes.len() + FRAME_OVERHEAD_BYTES,
        }
    }
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
    pub fn closes(&self) -> bool {
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
