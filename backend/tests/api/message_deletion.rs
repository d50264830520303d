//! Deleting messages: a deletion is the room's next entry (so live members, a reconnecting
//! client catching up and a fresh history page all see it), and the text is gone from the
//! store. Each rule is tried by someone without the right to it.

use std::path::Path;

use backend::store::Store;
use common::{ClientId, ClientMessage, ErrorCode, RoomName, ServerMessage};

use crate::helpers::{Client, TestDatabase, TestServer, acked_seq, code, history_entries};

const PASSWORD: &str = "correct horse battery staple";

async fn delete(client: &mut Client, room: &str, seq: u64, client_id: &str) -> ServerMessage {
    let request_id = client.request_id();
    let client_id = ClientId::parse(client_id).expect("valid");
    let room = room.into();
    client.request(&ClientMessage::DeleteMessage { request_id, room, seq, client_id }).await
}

#[tokio::test]
async fn an_author_deletes_their_own_message_for_everyone_and_the_text_leaves_the_store() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    let oops = acked_seq(&alice.say("lobby", "my password is hunter2").await);
    let kept = acked_seq(&alice.say("lobby", "hello").await);
    let deletion = acked_seq(&delete(&mut alice, "lobby", oops, "del-1").await);
    assert_eq!(deletion, kept + 1, "the deletion takes the room's next seq");
    // A retry (same client id) is answered with the same deletion, not a second one.
    assert_eq!(acked_seq(&delete(&mut alice, "lobby", oops, "del-1").await), deletion);

    // Live: bob receives the deletion, naming its target, without text.
    let live = bob
        .recv_until(|m| match m {
            ServerMessage::Message(message) if message.deletes().is_some() => Some(message),
            _ => None,
        })
        .await;
    assert_eq!((live.seq, live.deletes(), live.body().cloned()), (deletion, Some(oops), None));
    assert_eq!(live.author.as_str(), "alice");

    // History (from memory and from the store): the message shows deleted, the rest intact.
    let page = history_entries(&mut bob, "lobby", 0).await;
    let texts: Vec<(u64, &str, Option<u64>)> =
        page.iter().map(|m| (m.seq, m.text(), m.deletes())).collect();
    assert_eq!(texts, [(oops, "", None), (kept, "hello", None), (deletion, "", Some(oops))]);
    server.stop().await;
    let store = Store::open(&database.url()).await.expect("store");
    let lobby = RoomName::lobby();
    let stored = store.message_at(&lobby, oops).await.expect("read").expect("the row stays");
    assert_eq!(stored.body(), None, "the text is gone from the store");
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut carol = server.join_lobby_as("carol").await;
    let page = history_entries(&mut carol, "lobby", 0).await;
    assert!(page.iter().all(|m| !m.text().contains("hunter2")), "{page:?}");
}

#[tokio::test]
async fn nobody_deletes_what_is_not_theirs_to_delete() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    let hers = acked_seq(&alice.say("lobby", "mine").await);
    assert_eq!(code(&delete(&mut bob, "lobby", hers, "b-1").await), ErrorCode::Forbidden);
    assert_eq!(code(&delete(&mut bob, "lobby", 999, "b-2").await), ErrorCode::UnknownMessage);
    let deletion = acked_seq(&delete(&mut alice, "lobby", hers, "a-1").await);
    // A deletion is not a message to delete, and a deleted message is gone.
    let again = delete(&mut alice, "lobby", deletion, "a-2").await;
    assert_eq!(code(&again), ErrorCode::UnknownMessage);
    assert_eq!(code(&delete(&mut alice, "lobby", hers, "a-3").await), ErrorCode::UnknownMessage);
    // Not in the room: not a member's request.
    let mut outsider = Client::connect(server.addr).await;
    outsider.hello("outsider").await;
    let from_outside = delete(&mut outsider, "lobby", hers, "o-1").await;
    assert_eq!(code(&from_outside), ErrorCode::NotInRoom);
    let page = history_entries(&mut bob, "lobby", 0).await;
    assert_eq!(page.len(), 2, "only alice's own deletion was stored: {page:?}");
}

#[tokio::test]
async fn a_moderator_deletes_a_message_and_a_client_catching_up_sees_it_deleted() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut owner = Client::connect(server.addr).await;
    assert!(matches!(owner.register("gardener", PASSWORD).await, ServerMessage::Welcome(_)));
    owner.create_room("garden").await;
    owner.join("garden").await;
    let mut pest = Client::connect(server.addr).await;
    pest.hello("pest").await;
    pest.join("garden").await;
    let spam = acked_seq(&pest.say("garden", "buy cheap watches").await);
    // The pest may not delete the owner's message, but the owner deletes the pest's.
    let owners = acked_seq(&owner.say("garden", "welcome").await);
    assert_eq!(code(&delete(&mut pest, "garden", owners, "p-1").await), ErrorCode::Forbidden);
    // A reader who holds everything up to the spam, and then is away.
    let mut reader = Client::connect(server.addr).await;
    reader.hello("reader").await;
    reader.join("garden").await;
    drop(reader);
    let deletion = acked_seq(&delete(&mut owner, "garden", spam, "o-1").await);

    // The reader comes back and catches up after what it held: the deletion is in it.
    // (Another name: the first is kept for its holder for a while.)
    let mut reader = Client::connect(server.addr).await;
    reader.hello("reader-back").await;
    reader.join("garden").await;
    let caught_up = history_entries(&mut reader, "garden", owners).await;
    assert_eq!(caught_up.len(), 1);
    assert_eq!((caught_up[0].seq, caught_up[0].deletes()), (deletion, Some(spam)));

    let store = Store::open(&database.url()).await.expect("store");
    let (entries, _) = store.audit_page(None, 10).await.expect("audit log");
    assert_eq!(entries[0].action, "delete");
    assert_eq!(entries[0].target.as_str(), "pest");
}

/// Deleted means gone on disk: once a deletion is acknowledged, no byte of the SQLite files
/// holds the deleted message's words, nor those of its edits (in the table, the search
/// index's pages or the log), while the server goes on running and nothing else is written.
#[tokio::test]
async fn a_deleted_messages_words_leave_the_database_files_at_once() {
    let database = TestDatabase::sqlite();
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut alice = server.join_lobby_as("alice").await;
    let secret = acked_seq(&alice.say("lobby", "the vault code is zanzibarquux").await);
    let edited = acked_seq(&alice.say("lobby", "meet at qoppaxylo").await);
    let request_id = alice.request_id();
    let edit = ClientMessage::EditMessage {
        request_id,
        room: "lobby".into(),
        seq: edited,
        client_id: ClientId::parse("edit-1").expect("valid"),
        body: "meet at wyvernplumb".into(),
    };
    acked_seq(&alice.request(&edit).await);
    acked_seq(&alice.say("lobby", "an unrelated keepsake").await);
    for word in ["zanzibarquux", "wyvernplumb", "keepsake"] {
        assert!(database.files_hold(word), "{word} is stored before the deletion");
    }

    acked_seq(&delete(&mut alice, "lobby", secret, "del-secret").await);
    acked_seq(&delete(&mut alice, "lobby", edited, "del-edited").await);
    for word in ["zanzibarquux", "qoppaxylo", "wyvernplumb"] {
        assert!(!database.files_hold(word), "{word} is still in the files after its deletion");
    }
    assert!(database.files_hold("keepsake"), "what was not deleted stays");
    server.stop().await;
}
