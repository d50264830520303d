//! The connection's writer task: drains the frame queue into the socket, every frame already
//! waiting in one round (one vectored write), until the queue closes or a close frame is out.

use std::time::Duration;

use crate::frames::close_codes::CLOSE_TOO_SLOW;
use crate::frames::frame_queue::FrameQueueReceiver;
use crate::frames::frame_writer::{FrameWriter, Round};
use crate::frames::wire::{Goodbye, MAX_ITEMS_PER_ROUND, Outbound};

/// How long an evicted connection's writer tries to get the close frame out. A client that is
/// not reading at all never takes it; one that was only slow does, after what it had queued.
const EVICTION_GOODBYE: Duration = Duration::from_secs(1);

/// Drains the queue into the socket until the queue closes or a close frame is sent. If the
/// connection is evicted meanwhile, what is still queued is dropped and the client gets a
/// close frame saying why (if it reads it within [`EVICTION_GOODBYE`]).
pub async fn write_frames(mut writer: FrameWriter, mut queue: FrameQueueReceiver) {
    let evicted = queue.evicted.clone();
    let mut waiting = Vec::new();
    loop {
        let written = tokio::select! {
            // Once evicted, waiting for a reader that does not read helps nobody.
            biased;
            () = evicted.cancelled() => break,
            written = write_waiting(&mut writer, &mut queue, &mut waiting) => written,
        };
        match written {
            Ok(Some(Round::Written)) => {}
            // The close frame is out; or the peer is gone (the reader sees it too); or the
            // session ended without a close frame of its own (the client left). Either way our
            // direction ends: it is shut down when the writer and the queue let go of the
            // socket, on return.
            Ok(Some(Round::Closed) | None) | Err(_) => return,
        }
    }
    let goodbye = queue.ending().unwrap_or_else(|| {
        Goodbye::new(CLOSE_TOO_SLOW, "too slow: messages piled up unread; reconnect to resume")
    });
    // Best effort, as above. A round cut short by the eviction is finished first, so the close
    // frame does not land in the middle of another frame.
    let _ = tokio::time::timeout(EVICTION_GOODBYE, writer.say_goodbye(goodbye)).await;
}

/// Waits for a frame, then writes it and every frame already waiting in one round. `None` once
/// the queue is closed and empty.
async fn write_waiting(
    writer: &mut FrameWriter,
    queue: &mut FrameQueueReceiver,
    waiting: &mut Vec<Outbound>,
) -> std::io::Result<Option<Round>> {
    if !queue.recv_many(waiting, MAX_ITEMS_PER_ROUND).await {
        return Ok(None);
    }
    writer.start_round(waiting.drain(..));
    // An idle connection keeps this list as long as it lives: not a large round's room.
    waiting.shrink_to(2);
    writer.finish_round().await.map(Some)
}
