//! A chromedriver process and browser sessions driven through it.

use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use tokio::process::{Child, Command};

use super::PATIENCE;

/// A chromedriver process, killed when dropped.
pub struct ChromeDriver {
    pub url: String,
    _process: Child,
}

impl ChromeDriver {
    pub async fn start() -> Self {
        let path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
            probe.local_addr().expect("addr").port()
        };
        let process = Command::new(&path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {path} (scripts/setup.sh installs it): {e}"));
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(tokio::time::Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { url: format!("http://127.0.0.1:{port}"), _process: process }
    }
}

/// One headless Chromium window on the chat page.
pub struct Browser {
    pub client: Client,
}

impl Browser {
    pub async fn open(driver: &ChromeDriver, page: &str) -> Self {
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1100,700",
        ];
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": "/usr/bin/chromium", "args": args }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .expect("a browser session");
        client.goto(page).await.expect("page loads");
        Self { client }
    }

    pub async fn fill_nickname(&self, nickname: &str) {
        let input = self.wait_for(Locator::Css("#nickname")).await;
        input.clear().await.expect("cleared");
        input.send_keys(nickname).await.expect("typed");
        let button = self.wait_for(Locator::Css(".login button[type=submit]")).await;
        button.click().await.expect("clicked");
    }

    pub async fn sign_in(&self, nickname: &str) {
        self.fill_nickname(nickname).await;
        self.wait_for(Locator::Css(".chat .composer textarea")).await;
    }

    /// Signs in as `nickname`, retrying while the server still holds it for the connection
    /// this page had before a reload (it is freed once the server sees that one close).
    pub async fn sign_in_when_free(&self, nickname: &str) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            self.fill_nickname(nickname).await;
            let entered = self
                .client
                .wait()
                .at_most(Duration::from_secs(2))
                .for_element(Locator::Css(".chat .composer textarea"))
                .await;
            if entered.is_ok() {
                return;
            }
            assert!(tokio::time::Instant::now() < deadline, "{nickname} was never free again");
        }
    }

    pub async fn create_room(&self, name: &str) {
        let input = self.wait_for(Locator::Css(".new-room input")).await;
        input.send_keys(name).await.expect("typed");
        let button = self.wait_for(Locator::Css(".new-room button")).await;
        button.click().await.expect("clicked");
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

    /// The text of every element matching `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await.expect("query") {
            texts.push(element.text().await.expect("text"));
        }
        texts
    }

    /// Waits until some element matching `css` has text containing `needle`.
    pub async fn wait_for_text(&self, css: &str, needle: &str) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
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
