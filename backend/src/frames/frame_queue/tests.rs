//! The frame queue's rules and its direct writes, against real sockets.

use super::*;
use crate::frames::frame_writer::FrameWriter;
use crate::frames::frame_writer::tests::{Client, next, socket_and_client};
use crate::frames::wire::FRAME_OVERHEAD_BYTES;

fn drain(receiver: &mut FrameQueueReceiver) -> Vec<Outbound> {
    let mut items = Vec::new();
    receiver.try_recv_many(&mut items, usize::MAX);
    items
}

#[test]
fn a_full_frame_queue_evicts_instead_of_growing() {
    let frame = Utf8Bytes::from_static("0123456789");
    let weight = frame.len() + FRAME_OVERHEAD_BYTES;
    let (frame_queue, mut receiver) = FrameQueue::new(2 * weight);
    frame_queue.push(frame.clone());
    frame_queue.push(frame.clone());
    assert!(!receiver.evicted.is_cancelled());
    frame_queue.push(frame.clone());
    assert!(receiver.evicted.is_cancelled());
    assert_eq!(drain(&mut receiver).len(), 2);
}

#[test]
fn reading_makes_room_again() {
    let frame = Utf8Bytes::from_static("0123456789");
    let (frame_queue, mut receiver) = FrameQueue::new(2 * (frame.len() + FRAME_OVERHEAD_BYTES));
    for _ in 0..10 {
        frame_queue.push(frame.clone());
        frame_queue.push(frame.clone());
        assert_eq!(drain(&mut receiver).len(), 2);
    }
    assert!(!receiver.evicted.is_cancelled());
}

#[test]
fn one_large_item_fits_an_empty_queue() {
    let (frame_queue, mut receiver) = FrameQueue::new(16);
    frame_queue.push(Utf8Bytes::from("x".repeat(1_000)));
    assert!(!receiver.evicted.is_cancelled());
    assert_eq!(drain(&mut receiver).len(), 1);
}

#[tokio::test]
async fn the_queue_ends_when_the_last_sender_goes_after_what_it_sent() {
    let (frame_queue, mut receiver) = FrameQueue::new(1_000);
    let second = frame_queue.clone();
    frame_queue.push(Utf8Bytes::from_static("a"));
    drop(frame_queue);
    second.push(Utf8Bytes::from_static("b"));
    drop(second);
    let mut items = Vec::new();
    assert!(receiver.recv_many(&mut items, 10).await);
    assert_eq!(items.len(), 2);
    assert!(!receiver.recv_many(&mut items, 10).await, "closed and empty");
}

/// A frame queue that writes directly to one end of a TCP connection, the writer of that
/// connection, and a tungstenite client reading the other end.
async fn connected() -> (FrameQueue, FrameQueueReceiver, FrameWriter, Client) {
    let (socket, reader) = socket_and_client().await;
    let (frame_queue, receiver) = FrameQueue::new(64 << 20);
    frame_queue.write_directly_to(socket.clone());
    (frame_queue, receiver, FrameWriter::new(socket), reader)
}

async fn next_text(reader: &mut Client) -> String {
    match next(reader).await {
        tungstenite::Message::Text(text) => text.as_str().to_owned(),
        other => panic!("expected a text frame, got {other:?}"),
    }
}

fn texts(texts: &[&str]) -> SharedTexts {
    SharedTexts::new(texts.iter().map(|text| Utf8Bytes::from(text.to_string())).collect())
}

#[tokio::test]
async fn an_idle_writer_leaves_the_writing_to_the_pusher() {
    let (frame_queue, mut receiver, _writer, mut reader) = connected().await;
    frame_queue.push_all_unwritten(texts(&["one", "two"])).expect("queued").write_now();
    assert!(drain(&mut receiver).is_empty(), "written, not left for the writer");
    assert_eq!(next_text(&mut reader).await, "one");
    assert_eq!(next_text(&mut reader).await, "two");
}

#[tokio::test]
async fn broadcasts_written_together_write_each_queue_once() {
    let (alice, mut alice_queue, _alice_writer, mut alice_reads) = connected().await;
    let (bob, _bob_queue, _bob_writer, mut bob_reads) = connected().await;
    let first = vec![
        alice.push_all_unwritten(texts(&["one"])).expect("queued"),
        bob.push_all_unwritten(texts(&["one"])).expect("queued"),
    ];
    let second = vec![
        alice.push_all_unwritten(texts(&["two"])).expect("queued"),
        bob.push_all_unwritten(texts(&["two"])).expect("queued"),
    ];
    let mut late = None;
    // A newer broadcast reaches alice's queue while the first writes are under way.
    let batches = [first, second].into_iter().enumerate().map(|(at, batch)| {
        if at == 1 {
            late = alice.push_all_unwritten(texts(&["late"]));
        }
        batch
    });
    write_each_queue_once(batches);
    for reads in [&mut alice_reads, &mut bob_reads] {
        assert_eq!(next_text(reads).await, "one");
        assert_eq!(next_text(reads).await, "two");
    }
    let waiting = drain(&mut alice_queue);
    assert_eq!(waiting.len(), 1, "alice's queue was not written a second time");
    drop(late);
}

#[tokio::test]
async fn a_busy_writer_is_not_overtaken() {
    let (frame_queue, mut receiver, _writer, _reader) = connected().await;
    frame_queue.push(Utf8Bytes::from_static("first"));
    let mut taken = Vec::new();
    assert!(receiver.try_recv_many(&mut taken, 1)); // the writer is writing "first"
    frame_queue.push_all_unwritten(texts(&["second"])).expect("queued").write_now();
    assert_eq!(drain(&mut receiver).len(), 1, "left for the writer, after its round");
}

#[tokio::test]
async fn what_the_socket_does_not_take_is_written_whole_by_the_writer() {
    let (frame_queue, mut receiver, mut writer, mut reader) = connected().await;
    // Far more than a socket buffer takes, so the direct write stops part way.
    let large = "x".repeat(16 << 20);
    frame_queue.push_all_unwritten(texts(&[&large, "after"])).expect("queued").write_now();
    let left = drain(&mut receiver);
    assert!(matches!(left.first(), Some(Outbound::Raw(_))), "the rest waits as bytes");
    let writing = async move {
        writer.start_round(left);
        writer.finish_round().await.expect("written");
        writer
    };
    let reading = async {
        assert_eq!(next_text(&mut reader).await.len(), large.len());
        assert_eq!(next_text(&mut reader).await, "after");
    };
    let (_writer, ()) = tokio::join!(writing, reading);
}
