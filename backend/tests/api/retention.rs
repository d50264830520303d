//! Retention (`--retain-days`): a room's entries older than the setting are removed from the
//! start of its sequence, `history` says where the kept ones start (`first_seq`), sequence
//! numbers go on from where they were, clients catching up from below do not wait for what
//! is gone, sends go on while it works, and an export of a trimmed room imports as it was.
//!
//! Old messages are made by importing a file whose entries were "sent" weeks ago (the server
//! stamps what it stores live with the current time).

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{History, ServerMessage};

use crate::helpers::{Client, NO_STATIC_DIR, PATIENCE, TestDatabase, TestServer, acked_seq};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn now_ms() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    i64::try_from(since.expect("after 1970").as_millis()).expect("fits")
}

/// One room's lines of an export: its entries `1..` sent `days_ago[i]` days ago.
pub(crate) fn room_lines(room: &str, days_ago: &[i64]) -> Vec<String> {
    let now = now_ms();
    let mut lines = vec![format!(r#"{{"type":"room","name":"{room}"}}"#)];
    for (index, days) in days_ago.iter().enumerate() {
        let seq = index + 1;
        let sent_at = now - days * DAY_MS;
        lines.push(format!(
            r#"{{"type":"message","room":"{room}","seq":{seq},"id":"{room}-{seq}","client_id":"{room}-c{seq}","author":"alice","body":"{room} {seq}","sent_at":{sent_at}}}"#
        ));
    }
    lines
}

/// Runs `backend --database-url URL ARGS...` and insists that it succeeds; its output.
fn backend(database: &TestDatabase, args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_backend"))
        .args(["--database-url", &database.url()])
        .args(args)
        .output()
        .expect("the backend binary runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Imports `lines` into `database`.
pub(crate) fn import(database: &TestDatabase, name: &str, lines: &[String]) {
    let file = temp_file(name);
    std::fs::write(&file, lines.join("\n")).expect("written");
    backend(database, &["import", file.to_str().expect("UTF-8")]);
    let _ = std::fs::remove_file(&file);
}

fn temp_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("chat-retention-{name}-{}.jsonl", std::process::id()))
}

fn page(answer: ServerMessage) -> History {
    match answer {
        ServerMessage::History(page) => page,
        other => panic!("not a history page: {other:?}"),
    }
}

fn seqs(page: &History) -> Vec<u64> {
    page.messages.iter().map(|message| message.seq).collect()
}

/// Asks for `room`'s entries after 0 until the server says they start at `first_seq`.
async fn wait_for_start(client: &mut Client, room: &str, first_seq: u64) -> History {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let page = page(client.history_after(room, 0, None).await);
        if page.first_seq == Some(first_seq) {
            return page;
        }
        assert!(tokio::time::Instant::now() < deadline, "retention did not run: {page:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn start(database: &TestDatabase) -> TestServer {
    TestServer::start_configured(database, Path::new(NO_STATIC_DIR), &["--retain-days", "30"]).await
}

#[tokio::test]
async fn old_messages_go_from_the_start_and_history_says_where_the_room_starts_now() {
    let database = TestDatabase::new();
    let mut lines = Vec::new();
    // lobby: 30 old entries, then 10 recent ones.
    let lobby: Vec<i64> = (0..40).map(|index| if index < 30 { 45 } else { 2 }).collect();
    lines.extend(room_lines("lobby", &lobby));
    // quiet: nothing recent at all.
    lines.extend(room_lines("quiet", &[60, 50, 40]));
    // skewed: an old entry after a recent one (another node's clock was behind): only the
    // start goes, so the kept entries keep having no gap.
    lines.extend(room_lines("skewed", &[90, 1, 90, 1]));
    import(&database, "old", &lines);

    let server = start(&database).await;
    let mut alice = server.join_lobby_as("alice").await;
    let caught_up = wait_for_start(&mut alice, "lobby", 31).await;
    assert_eq!(seqs(&caught_up), (31..=40).collect::<Vec<_>>());
    assert!(caught_up.reaches_start && caught_up.reaches_end);

    // The latest page, and one asking below the start, say the same.
    let latest = page(alice.history("lobby", None, Some(50)).await);
    assert_eq!(seqs(&latest), (31..=40).collect::<Vec<_>>());
    assert_eq!(latest.first_seq, Some(31));
    assert!(latest.reaches_start);
    let below = page(alice.history("lobby", Some(31), None).await);
    assert!(below.messages.is_empty() && below.reaches_start);
    assert_eq!(below.first_seq, Some(31));
    // A page that does not reach the start does not mention it.
    let middle = page(alice.history("lobby", None, Some(5)).await);
    assert_eq!(
        (seqs(&middle), middle.reaches_start, middle.first_seq),
        (vec![36, 37, 38, 39, 40], false, None)
    );
    // Catching up from above the start: nothing was removed there.
    let later = page(alice.history_after("lobby", 35, None).await);
    assert_eq!(
        (seqs(&later), later.reaches_start, later.first_seq),
        ((36..=40).collect(), false, None)
    );

    // Numbering goes on where it was: a sequence number is never given twice.
    assert_eq!(acked_seq(&alice.say("lobby", "still here").await), 41);
    alice.join("quiet").await;
    let quiet = wait_for_start(&mut alice, "quiet", 4).await;
    assert!(quiet.messages.is_empty() && quiet.reaches_start);
    assert_eq!(acked_seq(&alice.say("quiet", "anyone?").await), 4);
    alice.join("skewed").await;
    let skewed = wait_for_start(&mut alice, "skewed", 2).await;
    assert_eq!(seqs(&skewed), vec![2, 3, 4], "entry 3 waits until entry 2 goes");
    server.stop().await;
}

#[tokio::test]
async fn a_client_holding_removed_messages_catches_up_without_waiting_for_them() {
    let database = TestDatabase::new();
    let days: Vec<i64> = (0..20).map(|index| if index < 12 { 40 } else { 0 }).collect();
    import(&database, "resume", &room_lines("lobby", &days));
    let server = start(&database).await;
    let mut watcher = server.join_lobby_as("watcher").await;
    wait_for_start(&mut watcher, "lobby", 13).await;

    // A client that knows nothing asks from 0; one that held 1..=5 from before asks from 5.
    let mut client = client::ResilientClient::new("resumer", server.addr, &["lobby"]);
    client.write("lobby", "back again".to_owned());
    tokio::time::timeout(PATIENCE, client.run()).await.expect("caught up and sent, no loop");
    assert_eq!(client.synced_to("lobby"), 21);
    let held: Vec<u64> = client.views["lobby"].keys().copied().collect();
    assert_eq!(held, (13..=21).collect::<Vec<_>>());
    assert_eq!(client.first_kept.get("lobby"), Some(&13));
    assert_eq!(client.live_gaps, 0);
    server.stop().await;
}

#[tokio::test]
async fn sends_go_on_while_retention_removes_a_long_history() {
    // Enough old entries for many batches, so the sends below meet the removal under way.
    const OLD: usize = 6_000;
    let database = TestDatabase::new();
    let mut days = vec![40; OLD];
    days.push(1);
    import(&database, "load", &room_lines("lobby", &days));
    let server = start(&database).await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut acked = Vec::new();
    for n in 0..200 {
        acked.push((
            acked_seq(&alice.say("lobby", &format!("live {n}")).await),
            format!("live {n}"),
        ));
    }
    let expected: Vec<u64> = (OLD as u64 + 2..=OLD as u64 + 201).collect();
    assert_eq!(acked.iter().map(|(seq, _)| *seq).collect::<Vec<_>>(), expected);

    let first_kept = OLD as u64 + 1;
    wait_for_start(&mut alice, "lobby", first_kept).await;
    let mut kept = Vec::new();
    let mut after = 0;
    loop {
        let page = page(alice.history_after("lobby", after, None).await);
        after = page.messages.last().map_or(after, |last| last.seq);
        kept.extend(page.messages);
        if page.reaches_end {
            break;
        }
    }
    let kept_seqs: Vec<u64> = kept.iter().map(|message| message.seq).collect();
    assert_eq!(kept_seqs, (first_kept..=OLD as u64 + 201).collect::<Vec<_>>());
    for ((seq, text), message) in acked.iter().zip(&kept[1..]) {
        assert_eq!((message.seq, message.text()), (*seq, text.as_str()), "every acked send kept");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_trimmed_room_exports_and_imports_with_its_start() {
    let database = TestDatabase::new();
    let days: Vec<i64> = (0..8).map(|index| if index < 5 { 40 } else { 0 }).collect();
    import(&database, "trim", &room_lines("lobby", &days));
    let server = start(&database).await;
    let mut alice = server.join_lobby_as("alice").await;
    wait_for_start(&mut alice, "lobby", 6).await;
    server.stop().await;

    let exported = backend(&database, &["export"]);
    assert!(exported.starts_with(r#"{"type":"room","name":"lobby","first_seq":6}"#), "{exported}");
    let copy = TestDatabase::new();
    let file = temp_file("trimmed-copy");
    std::fs::write(&file, &exported).expect("written");
    backend(&copy, &["import", file.to_str().expect("UTF-8")]);
    let _ = std::fs::remove_file(&file);
    assert_eq!(backend(&copy, &["export"]), exported, "the copy exports to the same bytes");

    // The copy serves the same start and numbers on from it (no retention on this server).
    let server = TestServer::start_with(&copy, Path::new(NO_STATIC_DIR)).await;
    let mut bob = server.join_lobby_as("bob").await;
    let page = page(bob.history_after("lobby", 0, None).await);
    assert_eq!((seqs(&page), page.first_seq), (vec![6, 7, 8], Some(6)));
    assert_eq!(acked_seq(&bob.say("lobby", "after the copy").await), 9);
    server.stop().await;
}

/// Deleted means gone on disk for retention too: once retention has removed a room's old
/// messages, no byte of the SQLite files (the database, its log, its shared memory) holds their
/// words, whether or not the search backlog had indexed them yet.
#[tokio::test]
async fn removed_messages_leave_no_byte_in_the_database_files() {
    let database = TestDatabase::sqlite();
    let now = now_ms();
    let mut lines = vec![r#"{"type":"room","name":"lobby"}"#.to_owned()];
    for (seq, (days, body)) in
        [(45, "the old code xylophonequartz"), (45, "and jabberwockyfig"), (1, "recent keepsake")]
            .iter()
            .enumerate()
            .map(|(index, entry)| (index + 1, entry))
    {
        let sent_at = now - days * DAY_MS;
        lines.push(format!(
            r#"{{"type":"message","room":"lobby","seq":{seq},"id":"l-{seq}","client_id":"l-c{seq}","author":"alice","body":"{body}","sent_at":{sent_at}}}"#
        ));
    }
    import(&database, "gone", &lines);
    let held = |word: &str| database.files_hold(word);
    assert!(held("xylophonequartz") && held("keepsake"), "imported into the files");

    let server = start(&database).await;
    let mut alice = server.join_lobby_as("alice").await;
    wait_for_start(&mut alice, "lobby", 3).await;
    for word in ["xylophonequartz", "jabberwockyfig"] {
        assert!(!held(word), "{word} is still in the files after retention removed it");
    }
    assert!(held("keepsake"), "what retention keeps stays");
    server.stop().await;
}
