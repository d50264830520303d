//! Search: words across the rooms a person may read, newest first, in English and Chinese;
//! never a room they may not read (a private room they are not in, someone else's direct
//! messages, a room they were removed from); edits and deletions change what is found; any
//! query is text or a typed error, never an engine's error.

use std::path::Path;
use std::time::Duration;

use common::{ClientId, ClientMessage, ErrorCode, SearchResults, ServerMessage};

use crate::helpers::{Client, NO_STATIC_DIR, PATIENCE, TestDatabase, TestServer, acked_seq, code};
use crate::retention::{import, room_lines};

const PASSWORD: &str = "correct horse battery staple";

/// What a search asks besides its words.
#[derive(Default, Clone)]
struct Filters {
    room: Option<&'static str>,
    author: Option<&'static str>,
    since: Option<i64>,
    until: Option<i64>,
    before: Option<u64>,
    limit: Option<u64>,
}

async fn search_with(client: &mut Client, query: &str, filters: Filters) -> ServerMessage {
    let request_id = client.request_id();
    client
        .request(&ClientMessage::Search {
            request_id,
            query: query.into(),
            room: filters.room.map(Into::into),
            author: filters.author.map(Into::into),
            since: filters.since,
            until: filters.until,
            before: filters.before,
            limit: filters.limit,
        })
        .await
}

fn results(answer: ServerMessage) -> SearchResults {
    match answer {
        ServerMessage::SearchResults(results) => results,
        other => panic!("expected search_results, got {other:?}"),
    }
}

/// The texts found for `query`, newest first (one page).
async fn found(client: &mut Client, query: &str) -> Vec<String> {
    texts(&results(search_with(client, query, Filters::default()).await))
}

fn texts(results: &SearchResults) -> Vec<String> {
    results.messages.iter().map(|message| message.text().to_owned()).collect()
}

async fn account(server: &TestServer, name: &str) -> Client {
    let mut client = Client::connect(server.addr).await;
    assert!(matches!(client.register(name, PASSWORD).await, ServerMessage::Welcome(_)));
    client
}

#[tokio::test]
async fn words_are_found_newest_first_in_english_and_chinese_and_pages_give_each_once() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new(NO_STATIC_DIR)).await;
    let mut alice = server.join_lobby_as("alice").await;
    for text in [
        "We deploy on Friday",
        "我们明天在北京开会",
        "no match here",
        "DEPLOYING is not deploy-ready? deploy!",
        "北京烤鸭很好吃",
        "meet in 北京tomorrow",
        "东京-大学 and 京大",
    ] {
        acked_seq(&alice.say("lobby", text).await);
    }
    // Not joined to search: a fresh connection finds the lobby's messages.
    let mut bob = Client::connect(server.addr).await;
    bob.hello("bob").await;
    assert_eq!(
        found(&mut bob, "deploy").await,
        ["DEPLOYING is not deploy-ready? deploy!", "We deploy on Friday"]
    );
    assert_eq!(found(&mut bob, "FRIDAY").await, ["We deploy on Friday"]);
    assert_eq!(
        found(&mut bob, "北京").await,
        ["meet in 北京tomorrow", "北京烤鸭很好吃", "我们明天在北京开会"]
    );
    // All of a query's words, each term as a phrase.
    assert_eq!(found(&mut bob, "北京 开会").await, ["我们明天在北京开会"]);
    assert_eq!(found(&mut bob, "京北").await, Vec::<String>::new());
    // A longer word, its characters side by side whatever lies between (as in English).
    assert_eq!(found(&mut bob, "东京大学").await, ["东京-大学 and 京大"]);
    assert_eq!(found(&mut bob, "京大").await, ["东京-大学 and 京大"]);
    assert_eq!(found(&mut bob, "大学京").await, Vec::<String>::new());
    assert_eq!(found(&mut bob, "deploy ready").await, ["DEPLOYING is not deploy-ready? deploy!"]);
    assert_eq!(found(&mut bob, "deploy-ready").await, ["DEPLOYING is not deploy-ready? deploy!"]);
    assert_eq!(found(&mut bob, "上海").await, Vec::<String>::new());

    // Pages of one: every match exactly once, newest first, then no `next_before`.
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let filters = Filters { before, limit: Some(1), ..Filters::default() };
        let page = results(search_with(&mut bob, "北京", filters).await);
        seen.extend(page.messages.iter().map(|m| m.seq));
        match page.next_before {
            Some(next) => before = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, [6, 5, 2]);
    server.stop().await;
}

#[tokio::test]
async fn search_never_finds_a_room_the_reader_may_not_enter() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new(NO_STATIC_DIR)).await;
    let mut owner = account(&server, "owner").await;
    let mut member = account(&server, "member").await;
    let mut stranger = account(&server, "stranger").await;
    let mut guest = Client::connect(server.addr).await;
    guest.hello("guest").await;

    owner.join("lobby").await;
    acked_seq(&owner.say("lobby", "pineapple in public").await);
    assert!(matches!(owner.create_private_room("hideout").await, ServerMessage::Created(_)));
    assert!(matches!(owner.invite("hideout", "member").await, ServerMessage::Invited(_)));
    owner.join("hideout").await;
    acked_seq(&owner.say("hideout", "pineapple in private").await);
    let dm = match owner.open_dm("member").await {
        ServerMessage::DmOpened(opened) => opened.room,
        other => panic!("expected dm_opened, got {other:?}"),
    };
    owner.join(dm.as_str()).await;
    acked_seq(&owner.say(dm.as_str(), "pineapple between us").await);

    let everything = ["pineapple between us", "pineapple in private", "pineapple in public"];
    assert_eq!(found(&mut owner, "pineapple").await, everything);
    assert_eq!(found(&mut member, "pineapple").await, everything);
    assert_eq!(found(&mut stranger, "pineapple").await, ["pineapple in public"]);
    assert_eq!(found(&mut guest, "pineapple").await, ["pineapple in public"]);
    // Naming the room does not let anyone in.
    for (outsider, room) in [(&mut stranger, "hideout"), (&mut guest, "hideout")] {
        let filters = Filters { room: Some(room), ..Filters::default() };
        assert!(results(search_with(outsider, "pineapple", filters).await).messages.is_empty());
    }
    let dm_name: &'static str = Box::leak(dm.as_str().to_owned().into_boxed_str());
    let filters = Filters { room: Some(dm_name), ..Filters::default() };
    assert!(results(search_with(&mut stranger, "pineapple", filters).await).messages.is_empty());

    // Removed from the private room: its messages are no longer found, at once.
    assert!(matches!(
        owner.remove_member("hideout", "member").await,
        ServerMessage::MemberRemoved(_)
    ));
    assert_eq!(
        found(&mut member, "pineapple").await,
        ["pineapple between us", "pineapple in public"]
    );
    server.stop().await;
}

#[tokio::test]
async fn edits_and_deletions_change_what_is_found() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new(NO_STATIC_DIR)).await;
    let mut alice = server.join_lobby_as("alice").await;
    let seq = acked_seq(&alice.say("lobby", "helo wrold").await);
    assert_eq!(found(&mut alice, "wrold").await, ["helo wrold"]);

    let request_id = alice.request_id();
    let client_id = ClientId::parse("edit-1").expect("valid");
    let edit = ClientMessage::EditMessage {
        request_id,
        room: "lobby".into(),
        seq,
        client_id,
        body: "hello world".into(),
    };
    acked_seq(&alice.request(&edit).await);
    assert!(found(&mut alice, "wrold").await.is_empty(), "the old words are gone");
    let page = results(search_with(&mut alice, "world", Filters::default()).await);
    assert_eq!(texts(&page), ["hello world"]);
    assert_eq!(page.messages[0].seq, seq, "found as the message, not as its edit");
    assert!(page.messages[0].edited().is_some());

    let request_id = alice.request_id();
    let client_id = ClientId::parse("delete-1").expect("valid");
    let delete = ClientMessage::DeleteMessage { request_id, room: "lobby".into(), seq, client_id };
    acked_seq(&alice.request(&delete).await);
    assert!(found(&mut alice, "world").await.is_empty(), "a deleted message is not found");
    assert!(found(&mut alice, "hello").await.is_empty());

    // After a restart (the store's index, not the hub's memory).
    server.stop().await;
    let server = TestServer::start_with(&database, Path::new(NO_STATIC_DIR)).await;
    let mut bob = server.join_lobby_as("bob").await;
    assert!(found(&mut bob, "world").await.is_empty());
    assert!(found(&mut bob, "wrold").await.is_empty());
    server.stop().await;
}

#[tokio::test]
async fn filters_narrow_by_room_author_and_time() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new(NO_STATIC_DIR)).await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    alice.create_room("kitchen").await;
    alice.join("kitchen").await;
    acked_seq(&alice.say("lobby", "soup by alice in the lobby").await);
    acked_seq(&bob.say("lobby", "soup by bob in the lobby").await);
    tokio::time::sleep(Duration::from_millis(20)).await;
    let middle = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64;
    tokio::time::sleep(Duration::from_millis(20)).await;
    acked_seq(&alice.say("kitchen", "soup by alice in the kitchen").await);

    let by =
        |room, author, since, until| Filters { room, author, since, until, ..Filters::default() };
    let found_with = async |client: &mut Client, filters| {
        texts(&results(search_with(client, "soup", filters).await))
    };
    assert_eq!(
        found_with(&mut bob, by(Some("lobby"), None, None, None)).await,
        ["soup by bob in the lobby", "soup by alice in the lobby"]
    );
    assert_eq!(
        found_with(&mut bob, by(None, Some("ALICE"), None, None)).await,
        ["soup by alice in the kitchen", "soup by alice in the lobby"]
    );
    // "From" is the person the server takes the name for: a look-alike spelling (Cyrillic
    // "а") is alice, as it is when someone tries to take her name.
    assert_eq!(
        found_with(&mut bob, by(None, Some("\u{0430}lice"), None, None)).await,
        ["soup by alice in the kitchen", "soup by alice in the lobby"]
    );
    assert_eq!(
        found_with(&mut bob, by(None, None, Some(middle), None)).await,
        ["soup by alice in the kitchen"]
    );
    assert_eq!(
        found_with(&mut bob, by(None, None, None, Some(middle))).await,
        ["soup by bob in the lobby", "soup by alice in the lobby"]
    );
    assert_eq!(
        code(&search_with(&mut bob, "soup", by(Some("Not A Room!"), None, None, None)).await),
        ErrorCode::InvalidRoomName
    );
    server.stop().await;
}

#[tokio::test]
async fn any_query_is_text_or_a_typed_error_never_the_engines() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new(NO_STATIC_DIR)).await;
    let mut owner = account(&server, "owner").await;
    assert!(matches!(owner.create_private_room("vault").await, ServerMessage::Created(_)));
    owner.join("vault").await;
    acked_seq(&owner.say("vault", "the vault code is drop table").await);
    let mut mallory = server.join_lobby_as("mallory").await;
    acked_seq(&mallory.say("lobby", "'; DROP TABLE messages; -- \"quoted\" 100% *star*").await);

    let hostile = [
        "drop",
        "'; DROP TABLE messages; --",
        "\"unbalanced",
        "\"quoted\"",
        "NEAR(drop table)",
        "drop OR vault",
        "drop AND NOT vault",
        "words:drop",
        "message_words:drop",
        "^drop",
        "dro*",
        "100%",
        "%",
        "drop ) OR (1=1",
        "drop' | 'vault",
        "drop & !vault",
        "drop <-> table",
        "\\' drop",
        "star*",
    ];
    for query in hostile {
        match search_with(&mut mallory, query, Filters::default()).await {
            ServerMessage::SearchResults(page) => {
                for message in &page.messages {
                    assert_eq!(message.room.as_str(), "lobby", "{query:?} reached {message:?}");
                }
            }
            ServerMessage::Error(error) => {
                assert_eq!(error.code, ErrorCode::InvalidSearch, "{query:?}: {error:?}");
            }
            other => panic!("{query:?}: {other:?}"),
        }
    }
    assert_eq!(found(&mut mallory, "drop table").await.len(), 1);
    assert_eq!(found(&mut mallory, "100").await.len(), 1);
    for empty in ["", "   ", "***", "%%", "\"\"", "-"] {
        assert_eq!(
            code(&search_with(&mut mallory, empty, Filters::default()).await),
            ErrorCode::InvalidSearch
        );
    }
    let long = "a".repeat(10_000);
    assert_eq!(
        code(&search_with(&mut mallory, &long, Filters::default()).await),
        ErrorCode::InvalidSearch
    );
    let huge_limit =
        Filters { limit: Some(u64::MAX), before: Some(u64::MAX), ..Filters::default() };
    assert!(matches!(
        search_with(&mut mallory, "drop", huge_limit).await,
        ServerMessage::SearchResults(_)
    ));
    let bad_author = Filters { author: Some("no such\nname"), ..Filters::default() };
    assert_eq!(
        code(&search_with(&mut mallory, "drop", bad_author).await),
        ErrorCode::InvalidNickname
    );
    // Before hello: nothing.
    let mut anonymous = Client::connect(server.addr).await;
    assert_eq!(
        code(&search_with(&mut anonymous, "drop", Filters::default()).await),
        ErrorCode::NotIdentified
    );
    server.stop().await;
}

#[tokio::test]
async fn entries_stored_before_author_keys_existed_are_found_by_their_author_after_start_up() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new(NO_STATIC_DIR)).await;
    let mut alice = server.join_lobby_as("alice").await;
    acked_seq(&alice.say("lobby", "soup from before").await);
    server.stop().await;
    // As the store was before migration `author_keys`: no entry has its author's key.
    database.execute("UPDATE messages SET author_key = NULL");
    let server = TestServer::start_with(&database, Path::new(NO_STATIC_DIR)).await;
    let mut bob = server.join_lobby_as("bob").await;
    let from_alice = || Filters { author: Some("ALICE"), ..Filters::default() };
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let found = texts(&results(search_with(&mut bob, "soup", from_alice()).await));
        if !found.is_empty() {
            assert_eq!(found, ["soup from before"]);
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "never given its author's key");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.stop().await;
}

#[tokio::test]
async fn messages_stored_before_search_existed_are_indexed_at_start_up_oldest_first() {
    let database = TestDatabase::new();
    // Imported entries carry no words in the index, as if stored before search existed.
    let mut lines = room_lines("lobby", &[9, 8, 7]);
    lines.extend(room_lines("attic", &[10, 3]));
    import(&database, "search-backlog", &lines);
    let server = TestServer::start_with(&database, Path::new(NO_STATIC_DIR)).await;
    let mut alice = server.join_lobby_as("alice").await;
    acked_seq(&alice.say("lobby", "lobby sent now").await);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        // Every entry's text names its room and seq ("lobby 2"); newest first by when sent.
        let page = results(search_with(&mut alice, "lobby attic", Filters::default()).await);
        let all = results(search_with(&mut alice, "lobby", Filters::default()).await);
        if texts(&all).len() == 4 {
            assert_eq!(texts(&all), ["lobby sent now", "lobby 3", "lobby 2", "lobby 1"]);
            assert!(page.messages.is_empty());
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "not indexed: {:?}", texts(&all));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(found(&mut alice, "attic").await, ["attic 2", "attic 1"]);
    server.stop().await;
}
