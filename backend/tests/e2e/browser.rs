//! Browser sessions on the chat page, through the test kit's chromedriver.

use std::time::Duration;

use fantoccini::{Client, Locator};
pub use testkit::chrome_driver::ChromeDriver;
use testkit::chrome_driver::devtools;

use super::PATIENCE;

/// One headless Chromium window on the chat page.
pub struct Browser {
    pub client: Client,
}

/// The size of the window a page is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewport {
    /// A laptop window, 1100 × 700.
    Desktop,
    /// A phone, 390 × 844 CSS pixels at 2× (Chromium's mobile emulation: touch, no
    /// scrollbars, the mobile viewport).
    Phone,
}

impl Browser {
    pub async fn open(driver: &ChromeDriver, page: &str) -> Self {
        Self::open_with(driver, page, Viewport::Desktop).await
    }

    /// Opens `page` and waits until the app has replaced the page's static first screen.
    pub async fn open_with(driver: &ChromeDriver, page: &str, viewport: Viewport) -> Self {
        let browser = Self::start(driver, viewport, "normal").await;
        browser.client.goto(page).await.expect("page loads");
        browser.wait_for_app().await;
        browser
    }

    /// A browser on a blank page whose navigations return as soon as the HTML is parsed
    /// (WebDriver's `eager` page load strategy), before the page's WASM has arrived.
    pub async fn open_blank(driver: &ChromeDriver) -> Self {
        Self::start(driver, Viewport::Desktop, "eager").await
    }

    /// Waits until the app has started: it removes the static first screen of `index.html`
    /// (whose form is not the app's) when it does.
    pub async fn wait_for_app(&self) {
        let script =
            "return document.readyState !== 'loading' && !document.querySelector('.first-screen');";
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while self.client.execute(script, vec![]).await.expect("script runs") != true {
            assert!(tokio::time::Instant::now() < deadline, "the app never started");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs a DevTools Protocol command (through chromedriver) in the current page.
    pub async fn devtools(&self, method: &str, params: serde_json::Value) -> serde_json::Value {
        devtools(&self.client, method, params).await.unwrap_or_else(|e| panic!("{e}"))
    }

    async fn start(driver: &ChromeDriver, viewport: Viewport, page_load: &str) -> Self {
        let adjust = |capabilities: &mut serde_json::Map<String, serde_json::Value>| {
            if viewport == Viewport::Phone {
                capabilities["goog:chromeOptions"]["mobileEmulation"] = serde_json::json!({
                    "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 2.0, "touch": true },
                });
            }
            capabilities.insert("pageLoadStrategy".into(), page_load.into());
        };
        let client = driver
            .new_browser(&["--hide-scrollbars"], adjust)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        Self { client }
    }

    /// Runs axe-core (from npm, see `scripts/setup.sh`) on the page as it is and returns its
    /// violations, one line each: rule, impact, and the elements at fault.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        let path = std::env::var("CHAT_AXE_JS").unwrap_or_else(|_| {
            let home = std::env::var("HOME").unwrap_or_default();
            format!(
                "{home}/.local/share/chat-tools/axe-core-4.14.1/node_modules/axe-core/axe.min.js"
            )
        });
        let axe = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("cannot read axe-core at {path} (scripts/setup.sh installs it): {e}")
        });
        self.client.execute(&format!("{axe}\nreturn true;"), vec![]).await.expect("axe loads");
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ["violations"] })
              .then(results => done(results.violations.map(v =>
                  `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)))
              .catch(error => done([`axe failed: ${error}`]));
        "#;
        let violations = self.client.execute_async(script, vec![]).await.expect("axe runs");
        serde_json::from_value(violations).expect("a list of strings")
    }

    /// Saves a screenshot of the page as PNG.
    pub async fn screenshot_to(&self, path: &std::path::Path) {
        let png = self.client.screenshot().await.expect("screenshot");
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("screenshot folder");
        }
        std::fs::write(path, png).expect("screenshot written");
    }

    pub async fn fill_nickname(&self, nickname: &str) {
        let input = self.wait_for(Locator::Css("#nickname")).await;
        input.clear().await.expect("cleared");
        input.send_keys(nickname).await.expect("typed");
        self.click(".login button[type=submit]").await;
    }

    pub async fn sign_in(&self, nickname: &str) {
        self.fill_nickname(nickname).await;
        self.wait_for(Locator::Css(".chat .composer textarea")).await;
    }

    /// Waits until the page's service worker controls it (it has kept a copy of the page, so a
    /// reload works while the server is down).
    pub async fn wait_for_offline_copy(&self) {
        let script = "return !!(navigator.serviceWorker && navigator.serviceWorker.controller);";
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while self.client.execute(script, vec![]).await.expect("script runs") != true {
            assert!(tokio::time::Instant::now() < deadline, "the service worker never took over");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// How many messages the page's outbox holds in IndexedDB (what survives a reload).
    pub async fn saved_outbox_len(&self) -> i64 {
        self.indexed_db_count("chat", "outbox").await
    }

    /// How many rooms the page's offline copy holds in IndexedDB.
    pub async fn saved_rooms_len(&self) -> i64 {
        self.indexed_db_count("chat-rooms", "rooms").await
    }

    /// How many entries the object store `store` of the page's database `database` holds.
    async fn indexed_db_count(&self, database: &str, store: &str) -> i64 {
        let script = r#"
            const [name, store, done] = arguments;
            const opening = indexedDB.open(name, 1);
            opening.onerror = () => done(-1);
            opening.onsuccess = () => {
                const database = opening.result;
                const counting = database.transaction(store).objectStore(store).count();
                counting.onsuccess = () => { database.close(); done(counting.result); };
                counting.onerror = () => { database.close(); done(-1); };
            };
        "#;
        let args = vec![database.into(), store.into()];
        let count = self.client.execute_async(script, args).await.expect("script runs");
        count.as_i64().expect("a count")
    }

    pub async fn create_room(&self, name: &str) {
        let input = self.wait_for(Locator::Css(".new-room input")).await;
        input.send_keys(name).await.expect("typed");
        self.click(".new-room button").await;
    }

    pub async fn type_into_composer(&self, keys: &str) {
        let textarea = self.wait_for(Locator::Css(".composer textarea")).await;
        textarea.send_keys(keys).await.expect("typed");
    }

    pub async fn wait_for(&self, locator: Locator<'_>) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(locator)
            .await
            .unwrap_or_else(|e| panic!("element {locator:?} did not appear: {e}"))
    }

    /// Clicks the element matching `css`, waiting for it to appear. The page may re-render it
    /// between finding and clicking (a room's unread badge changing, say), so a stale element
    /// is looked up again.
    pub async fn click(&self, css: &str) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let element = self.wait_for(Locator::Css(css)).await;
            match element.click().await {
                Ok(()) => return,
                // Stale, or not clickable yet: look it up again.
                Err(_) if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(error) => panic!("cannot click {css}: {error}"),
            }
        }
    }

    /// The text of every element matching `css`, read in one script so that a re-render in
    /// between cannot leave a stale element half-way through.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let script =
            "return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText);";
        let texts = self.client.execute(script, vec![css.into()]).await.expect("query runs");
        serde_json::from_value(texts).expect("a list of strings")
    }

    /// Waits until some element matching `css` has text containing `needle`.
    pub async fn wait_for_text(&self, css: &str, needle: &str) {
        self.wait_for_text_within(css, needle, PATIENCE).await;
    }

    /// [`Browser::wait_for_text`] with a patience of its own.
    pub async fn wait_for_text_within(&self, css: &str, needle: &str, patience: Duration) {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            let texts = self.texts(css).await;
            if texts.iter().any(|text| text.contains(needle)) {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no {css} containing {needle:?}; found {texts:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn close(self) {
        // The session ends with the test either way; a failure here hides nothing.
        let _ = self.client.close().await;
    }
}
