//! End to end: the real server serving the real release build of the page, driven in headless
//! Chromium through WebDriver (chromedriver).
//!
//! Needs `dist/` (from `trunk build --release`) and `/usr/bin/chromedriver`; `scripts/test.sh`
//! provides both. Ignored in a plain `cargo test` for that reason: run it with
//! `cargo test -p backend --test e2e -- --include-ignored`.

mod accounts_flow;
mod browser;
mod page_delivery;
mod pleasant_page;
mod several_nodes;

use testkit::failover_proxy;
use testkit::redis_keys;
use testkit::server_process;
use testkit::test_database;

use std::path::PathBuf;
use std::time::Duration;

use backend::{Application, Settings};
use clap::Parser;
use fantoccini::Locator;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use browser::{Browser, ChromeDriver};

const PATIENCE: Duration = Duration::from_secs(15);

fn dist_dir() -> PathBuf {
    let dist = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist");
    assert!(
        dist.join("index.html").is_file(),
        "{} has no index.html: build the page first with `trunk build --release` (scripts/test.sh does)",
        dist.display()
    );
    dist
}

/// The real server (on a database of its own) serving the release page, and a chromedriver.
struct Stage {
    url: String,
    settings: Settings,
    server: Option<(CancellationToken, JoinHandle<std::io::Result<()>>)>,
    driver: ChromeDriver,
}

impl Stage {
    async fn start() -> Self {
        let dist = dist_dir().to_string_lossy().into_owned();
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let database =
            std::env::temp_dir().join("chat-e2e").join(format!("{}-{n}.db", std::process::id()));
        // A leftover from an earlier run with the same pid would leak its history into this one.
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", database.display()));
        }
        let database_url = format!("sqlite://{}", database.display());
        let mut settings = Settings::parse_from([
            "backend",
            "--addr",
            "127.0.0.1:0",
            "--static-dir",
            &dist,
            "--database-url",
            &database_url,
        ]);
        let application = Application::build(&settings).await.expect("server starts");
        // A restart comes back on the same port, where the pages look for it.
        settings.addr = application.local_addr();
        let url = format!("http://{}/", application.local_addr());
        let server = (application.shutdown_token(), tokio::spawn(application.run()));
        Self {
            url,
            settings,
            server: Some(server),
            driver: ChromeDriver::start().await.expect("chromedriver starts"),
        }
    }

    /// Shuts the server down (gracefully: the pages are told and lose their connection).
    async fn stop_server(&mut self) {
        if let Some((shutdown, handle)) = self.server.take() {
            shutdown.cancel();
            let stopped = tokio::time::timeout(PATIENCE, handle).await;
            assert!(matches!(stopped, Ok(Ok(Ok(())))), "server did not stop: {stopped:?}");
        }
    }

    /// Starts the server again, on the same address and database.
    async fn restart_server(&mut self) {
        let application = Application::build(&self.settings).await.expect("server restarts");
        self.server = Some((application.shutdown_token(), tokio::spawn(application.run())));
    }

    /// A new browser session on the page.
    async fn browser(&self) -> Browser {
        Browser::open(&self.driver, &self.url).await
    }

    /// Closes the browsers and stops the server.
    async fn end(self, browsers: Vec<Browser>) {
        for browser in browsers {
            browser.close().await;
        }
        if let Some((shutdown, _)) = &self.server {
            shutdown.cancel();
        }
    }
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn two_people_chat_in_real_browsers_and_markup_stays_text() {
    let stage = Stage::start().await;
    let alice = stage.browser().await;
    // A nickname that would run script if the page pasted it as HTML.
    let evil_name = "<img src=x onerror=alert(1)>";
    let mallory = stage.browser().await;

    alice.sign_in("alice").await;
    mallory.sign_in(evil_name).await;
    alice.wait_for_text(".members", evil_name).await;
    mallory.wait_for_text(".members", "alice").await;
    alice.wait_for_text(".connection", "Connected").await;

    alice.type_into_composer("hello from alice\u{E007}").await; // U+E007 is WebDriver's Enter
    mallory.wait_for_text(".timeline .message .body", "hello from alice").await;
    alice.wait_for_text(".timeline .message.mine .body", "hello from alice").await;

    let payload = r#"<img src=x onerror="window.xssFired=1"><script>window.xssFired=2</script>"#;
    mallory.type_into_composer(&format!("{payload}\u{E007}")).await;
    alice.wait_for_text(".timeline .message .body", payload).await;
    mallory.wait_for_text(".timeline .message.mine .body", payload).await;

    for browser in [&alice, &mallory] {
        let authors = browser.texts(".timeline .message .author").await;
        assert_eq!(authors, vec!["alice".to_owned(), evil_name.to_owned()]);
        let injected = browser
            .client
            .find_all(Locator::Css(".timeline img, .timeline script, .members img"))
            .await
            .expect("query");
        assert!(injected.is_empty(), "user text became elements");
        let fired = browser
            .client
            .execute("return window.xssFired === undefined;", vec![])
            .await
            .expect("script runs");
        assert_eq!(fired, serde_json::Value::Bool(true), "the payload ran");
        assert!(browser.client.get_alert_text().await.is_err(), "an alert opened");
    }
    // Only alice's own message is styled as hers in her page.
    assert_eq!(alice.texts(".timeline .message.mine .body").await, vec!["hello from alice"]);

    stage.end(vec![alice, mallory]).await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn two_people_meet_in_a_new_room_and_a_reload_keeps_the_conversation() {
    let stage = Stage::start().await;
    let alice = stage.browser().await;
    let bob = stage.browser().await;
    alice.sign_in("alice").await;
    bob.sign_in("bob").await;

    alice.create_room("meet").await;
    alice.wait_for_text(".chat header h1", "#meet").await;
    assert!(alice.client.current_url().await.expect("url").as_str().ends_with("#/r/meet"));
    bob.wait_for_text(".rooms", "#meet").await;
    bob.click("a[href='#/r/meet']").await;
    bob.wait_for_text(".chat header h1", "#meet").await;
    alice.wait_for_text(".members", "bob").await;

    alice.type_into_composer("first, from alice\u{E007}").await;
    bob.wait_for_text(".timeline .message .body", "first, from alice").await;
    bob.type_into_composer("second, from bob").await;
    alice.wait_for_text(".typing", "bob is typing").await;
    bob.type_into_composer("\u{E007}").await;
    alice.wait_for_text(".timeline .message .body", "second, from bob").await;
    alice.wait_for_text(".typing", "").await;
    assert!(alice.texts(".typing").await.concat().is_empty(), "bob's message ends his typing");

    // A message in the lobby, where alice is not looking, shows as unread for her.
    bob.click("a[href='#/r/lobby']").await;
    bob.wait_for_text(".chat header h1", "#lobby").await;
    bob.type_into_composer("psst, in the lobby\u{E007}").await;
    alice.wait_for_text(".rooms li .badge", "1").await;

    // A reload signs alice in again by herself, with the token her browser kept.
    alice.client.refresh().await.expect("reloaded");
    alice.wait_for_text(".chat header h1", "#meet").await;
    alice.wait_for_text(".members li.me .name", "alice").await;
    alice.wait_for_text(".timeline .message .body", "second, from bob").await;
    assert_eq!(
        alice.texts(".timeline .message .body").await,
        vec!["first, from alice".to_owned(), "second, from bob".to_owned()]
    );
    assert_eq!(alice.texts(".timeline .message.mine .body").await, vec!["first, from alice"]);
    alice.wait_for_text(".history-edge", "beginning of the room").await;
    // The page remembered the lobby and what alice had read there: the badge is back.
    alice.wait_for_text(".rooms li .badge", "1").await;

    // Back goes to the room before.
    alice.click("a[href='#/r/lobby']").await;
    alice.wait_for_text(".timeline .message .body", "psst, in the lobby").await;
    alice.client.back().await.expect("went back");
    alice.wait_for_text(".chat header h1", "#meet").await;

    stage.end(vec![alice, bob]).await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn a_second_tab_is_the_same_person() {
    let stage = Stage::start().await;
    let alice = stage.browser().await;
    let bob = stage.browser().await;
    alice.sign_in("alice").await;
    bob.sign_in("bob").await;
    bob.wait_for_text(".members", "alice").await;

    // Same browser, second tab: it shares local storage, so it holds alice's token.
    let first_tab = alice.client.window().await.expect("window");
    let second_tab = alice.client.new_window(true).await.expect("new tab").handle;
    alice.client.switch_to_window(second_tab).await.expect("switched");
    alice.client.goto(&stage.url).await.expect("page loads");
    // Signed in at once, as alice: the tab finds her token.
    alice.wait_for_text(".members li.me .name", "alice").await;
    assert_eq!(alice.texts(".members li .name").await, vec!["alice", "bob"]);
    assert_eq!(alice.texts(".members li.me .name").await, vec!["alice"]);
    assert_eq!(bob.texts(".members li .name").await, vec!["alice", "bob"]);
    assert_eq!(bob.texts(".members li.me .name").await, vec!["bob"]);

    alice.type_into_composer("from the second tab\u{E007}").await;
    bob.wait_for_text(".timeline .message .author", "alice").await;
    alice.client.close_window().await.expect("closed the second tab");
    alice.client.switch_to_window(first_tab).await.expect("switched back");
    alice.wait_for_text(".timeline .message.mine .body", "from the second tab").await;
    // Closing one tab does not make alice leave.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(bob.texts(".members li .name").await, vec!["alice", "bob"]);

    stage.end(vec![alice, bob]).await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn a_taken_nickname_is_explained_and_another_can_be_picked() {
    let stage = Stage::start().await;
    let first = stage.browser().await;
    let second = stage.browser().await;
    first.sign_in("sam").await;
    first.wait_for_text(".members", "sam").await;

    second.fill_nickname("SAM").await;
    second.wait_for_text(".login .error", "already in use").await;
    second.sign_in("sam2").await;
    second.wait_for_text(".members", "sam2").await;
    first.wait_for_text(".members", "sam2").await;

    stage.end(vec![first, second]).await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn messages_written_offline_survive_a_reload_and_arrive_once_in_order() {
    let mut stage = Stage::start().await;
    let alice = stage.browser().await;
    alice.sign_in("alice").await;
    alice.wait_for_text(".connection", "Connected").await;
    alice.wait_for_offline_copy().await;
    alice.type_into_composer("before the outage\u{E007}").await;
    alice.wait_for_text(".timeline .message:not(.pending) .body", "before the outage").await;
    // The page writes its rooms' copy at most 2 s after a change (room_cache::SAVE_EVERY).
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while alice.saved_rooms_len().await < 1 {
        assert!(tokio::time::Instant::now() < deadline, "the rooms' copy was never saved");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    stage.stop_server().await;
    alice.wait_for_text(".connection", "Reconnecting").await;
    let written = ["offline one", "offline two", "offline three"];
    for text in written {
        alice.type_into_composer(&format!("{text}\u{E007}")).await;
    }
    alice.wait_for_text(".timeline .message.pending .status", "Sending").await;
    assert_eq!(alice.texts(".timeline .message.pending .body").await, written);
    alice.wait_for_text(".connection", "3 unsent messages").await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while alice.saved_outbox_len().await != 3 {
        assert!(tokio::time::Instant::now() < deadline, "the outbox was never saved");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The page comes back with the server still down (from the service worker's copy), and
    // the messages are still there: those waiting, and those the room had (this device's
    // copy, said to be one), with the people "Offline" rather than nobody.
    alice.client.refresh().await.expect("reloaded");
    alice.wait_for_text(".timeline .message.pending .body", "offline three").await;
    assert_eq!(alice.texts(".timeline .message.pending .body").await, written);
    // (Read from IndexedDB after the page starts, like the outbox: wait for it.)
    alice.wait_for_text(".timeline .message:not(.pending) .body", "before the outage").await;
    let kept = alice.texts(".timeline .message:not(.pending) .body").await;
    assert_eq!(kept, ["before the outage"]);
    alice.wait_for_text(".timeline .offline-copy", "saved on this device").await;
    assert_eq!(alice.texts(".members h2").await, ["OFFLINE"], "(headings show in capitals)");
    assert!(alice.texts(".timeline .load-older").await.is_empty(), "no button that cannot work");
    assert!(
        alice.texts(".rooms").await.iter().any(|rooms| rooms.contains("lobby")),
        "the room list is back"
    );

    stage.restart_server().await;
    // The page retries by itself (with backoff: up to a few seconds after the server is back).
    let patience = Duration::from_secs(45);
    alice.wait_for_text_within(".connection", "Connected", patience).await;
    alice
        .wait_for_text_within(".timeline .message:not(.pending) .body", "offline three", patience)
        .await;
    let mut expected = vec!["before the outage"];
    expected.extend(written);
    assert_eq!(alice.texts(".timeline .message .body").await, expected, "once each, in order");
    assert!(alice.texts(".timeline .message.pending").await.is_empty());
    assert_eq!(alice.saved_outbox_len().await, 0, "the saved outbox is emptied");

    // What the server stored is exactly that, as someone else sees it.
    let bob = stage.browser().await;
    bob.sign_in("bob").await;
    bob.wait_for_text(".timeline .message .body", "offline three").await;
    assert_eq!(bob.texts(".timeline .message .body").await, expected);

    stage.end(vec![alice, bob]).await;
}
