//! The server's logs as a log collector reads them (`--log-format json`): one JSON object per
//! line, an event for each connection opened and closed, sign-in and moderation action, and
//! never a message's text, a password or a token, even at `RUST_LOG=debug`.

use std::time::Duration;

use common::{ServerMessage, Welcome};
use serde_json::Value;

use crate::server_process::{ServerProcess, free_local_addr};
use crate::test_database::TestDatabase;
use crate::ws_client::Client;

const PASSWORD: &str = "correct horse battery staple 4417";
const BODY: &str = "the plan is under the third stone 9151";

fn welcome(answer: ServerMessage) -> Welcome {
    match answer {
        ServerMessage::Welcome(welcome) => welcome,
        other => panic!("expected a welcome, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_have_an_event_per_connection_sign_in_and_moderation_and_no_secrets() {
    let database = TestDatabase::new();
    let flags = ["--log-format", "json"];
    let (server, log) =
        ServerProcess::start_logged(free_local_addr(), &database, &flags, "debug").await;

    let mut owner = Client::connect(server.addr).await;
    let owner_welcome = welcome(owner.register("gardener", PASSWORD).await);
    owner.create_room("garden").await;
    owner.join("garden").await;
    let mut guest = Client::connect(server.addr).await;
    let guest_welcome = welcome(guest.hello("visitor").await);
    guest.join("garden").await;
    assert!(matches!(guest.say("garden", BODY).await, ServerMessage::Ack(_)));
    assert!(matches!(owner.kick("garden", "visitor", "testing").await, ServerMessage::KickDone(_)));
    drop((owner, guest));
    // The closes are logged once the server has seen them.
    tokio::time::sleep(Duration::from_millis(500)).await;
    drop(server);

    let lines = log.lines();
    let events: Vec<Value> = lines
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let messages: Vec<&str> =
        events.iter().filter_map(|event| event.get("message")?.as_str()).collect();
    for expected in ["connected", "disconnected", "identified", "identified as a guest", "kicked"] {
        assert!(messages.contains(&expected), "no {expected:?} event in {messages:?}");
    }
    let connected = events.iter().find(|event| event["message"] == "connected").expect("one");
    assert!(connected["span"]["peer"].is_string(), "with the address: {connected}");
    assert!(
        events.iter().all(|event| event["level"].is_string() && event["timestamp"].is_string())
    );

    let session = owner_welcome.session.expect("a session token");
    let secrets = [PASSWORD, BODY, guest_welcome.token.as_str(), session.expose()];
    for line in &lines {
        for secret in secrets {
            assert!(!line.contains(secret), "a secret in the logs: {line}");
        }
    }
    println!("{} log lines, none with a secret", lines.len());
}
