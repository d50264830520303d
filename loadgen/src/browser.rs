//! Headless Chromium driven through chromedriver (WebDriver), with the DevTools Protocol
//! commands chromedriver passes on (`goog/cdp/execute`): network emulation and scripts that
//! run before the page's own.

use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

/// A chromedriver process; it and the browsers it started are killed when dropped.
pub struct ChromeDriver {
    url: String,
    process: Child,
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // The browsers joined the driver's process group: kill the whole group.
        if let Some(group) = self.process.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{group}")])
                .stderr(Stdio::null())
                .status();
        }
    }
}

impl ChromeDriver {
    pub async fn start() -> anyhow::Result<Self> {
        let path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let process = Command::new(&path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting {path} (scripts/setup-tests.sh installs it)"))?;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            if tokio::time::Instant::now() > deadline {
                bail!("chromedriver did not start");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(Self { url: format!("http://127.0.0.1:{port}"), process })
    }

    /// A new browser with an empty profile: nothing cached, no service worker.
    pub async fn new_browser(&self) -> anyhow::Result<Client> {
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--window-size=1100,700",
            "--lang=en-US",
        ];
        let options = json!({ "binary": "/usr/bin/chromium", "args": args });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .context("starting a browser session")
    }
}

/// Runs a DevTools Protocol command in the browser's current page.
pub async fn devtools(client: &Client, method: &str, params: Value) -> anyhow::Result<Value> {
    client
        .issue_cmd(DevTools { method: method.to_owned(), params })
        .await
        .with_context(|| format!("DevTools command {method}"))
}

/// chromedriver's passage to the DevTools Protocol.
#[derive(Debug)]
struct DevTools {
    method: String,
    params: Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.method, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}
