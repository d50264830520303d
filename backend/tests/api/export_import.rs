//! `backend export` and `backend import`: a store's rooms and messages (edits and deletions
//! included) go out as JSON Lines and back into an empty store unchanged, so exporting the
//! copy gives the same bytes; a file that does not hold together is refused whole, with the
//! line that is wrong, and a store that holds messages is not imported into.

use std::path::Path;
use std::process::Output;

use common::{ClientId, ClientMessage, ServerMessage};

use crate::helpers::{Client, TestDatabase, TestServer, acked_seq};

/// Runs `backend --database-url URL ARGS...`.
fn backend(database_url: &str, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_backend"))
        .args(["--database-url", database_url])
        .args(args)
        .output()
        .expect("the backend binary runs")
}

fn export(database: &TestDatabase) -> String {
    let output = backend(&database.url(), &["export"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[tokio::test]
async fn a_round_trip_through_export_and_import_changes_nothing() {
    let original = TestDatabase::new();
    let server = TestServer::start_with(&original, Path::new("/nonexistent")).await;
    let mut alice = Client::connect(server.addr).await;
    assert!(matches!(
        alice.register("alice", "correct horse battery staple").await,
        ServerMessage::Welcome(_)
    ));
    alice.create_room("rust").await;
    alice.create_private_room("secret").await;
    for room in ["lobby", "rust", "secret"] {
        alice.join(room).await;
    }
    let typo = acked_seq(&alice.say("lobby", "helo, 世界 <b>&amp;</b>\nsecond line").await);
    let gone = acked_seq(&alice.say("lobby", "a mistake").await);
    alice.say("rust", "fearless").await;
    alice.say("secret", "between us").await;
    let request_id = alice.request_id();
    let edit = ClientMessage::EditMessage {
        request_id,
        room: "lobby".into(),
        seq: typo,
        client_id: ClientId::parse("edit-1").expect("valid"),
        body: "hello, 世界".into(),
    };
    acked_seq(&alice.request(&edit).await);
    let request_id = alice.request_id();
    let client_id = ClientId::parse("delete-1").expect("valid");
    let delete =
        ClientMessage::DeleteMessage { request_id, room: "lobby".into(), seq: gone, client_id };
    acked_seq(&alice.request(&delete).await);
    server.stop().await;

    let exported = export(&original);
    let lines: Vec<&str> = exported.lines().collect();
    assert!(lines.iter().any(|line| line.contains("\"edited\"")), "{exported}");
    assert!(lines.contains(&r#"{"type":"room","name":"secret","private":true}"#), "{exported}");

    let copy = TestDatabase::new();
    let file = std::env::temp_dir().join(format!("chat-export-{}.jsonl", std::process::id()));
    std::fs::write(&file, &exported).expect("written");
    let file_arg = file.to_str().expect("UTF-8");
    let imported = backend(&copy.url(), &["import", file_arg]);
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    assert_eq!(String::from_utf8_lossy(&imported.stdout), "imported 3 rooms, 6 messages\n");
    assert_eq!(export(&copy), exported, "the copy exports to the same bytes");

    // Into a store that holds messages: refused, nothing added.
    let again = backend(&copy.url(), &["import", file_arg]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds messages"));
    assert_eq!(export(&copy), exported);

    // The copy serves the same history.
    let server = TestServer::start_with(&copy, Path::new("/nonexistent")).await;
    let mut bob = Client::connect(server.addr).await;
    bob.hello("bob").await;
    bob.join("lobby").await;
    let ServerMessage::History(page) = bob.history_after("lobby", 0, None).await else {
        panic!("no history")
    };
    assert_eq!(page.messages[0].text(), "hello, 世界");
    assert_eq!(page.messages[1].body(), None, "still deleted");
    server.stop().await;
    let _ = std::fs::remove_file(&file);
}

#[tokio::test]
async fn a_file_that_does_not_hold_together_is_refused_whole_with_its_line() {
    let message = |seq: u64| {
        format!(
            r#"{{"type":"message","room":"lobby","seq":{seq},"id":"m{seq}","client_id":"c{seq}","author":"alice","body":"hi","sent_at":1}}"#
        )
    };
    let cases = [
        (vec![r#"{"type":"room","name":"lobby"}"#.to_owned(), message(1), message(3)], "line 3"),
        (vec![message(1)], "line 1"),
        (vec![r#"{"type":"room","name":"lobby"}"#.to_owned(), "{not json".to_owned()], "line 2"),
        (vec![r#"{"type":"room","name":"no spaces allowed"}"#.to_owned()], "line 1"),
    ];
    for (number, (lines, named)) in cases.into_iter().enumerate() {
        let database = TestDatabase::new();
        let file =
            std::env::temp_dir().join(format!("chat-bad-{}-{number}.jsonl", std::process::id()));
        std::fs::write(&file, lines.join("\n")).expect("written");
        let output = backend(&database.url(), &["import", file.to_str().expect("UTF-8")]);
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "case {number} was imported");
        assert!(said.contains(named), "case {number}: {said}");
        let exported = export(&database);
        assert!(!exported.contains("\"message\""), "case {number}: nothing written: {exported}");
        let _ = std::fs::remove_file(&file);
    }
}
