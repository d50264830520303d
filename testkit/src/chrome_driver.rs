//! Headless Chromium driven through chromedriver (WebDriver), for the browser tests and the
//! load generator's page scenario alike, with the DevTools Protocol commands chromedriver
//! passes on (`goog/cdp/execute`).

use std::process::Stdio;
use std::time::Duration;

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Map, Value, json};
use tokio::process::{Child, Command};

use crate::Failure;

/// How long chromedriver may take to listen.
const STARTING: Duration = Duration::from_secs(15);

/// A chromedriver process and the browsers it started, all killed when dropped.
///
/// The driver runs in a process group of its own, which the browsers it launches join; the
/// whole group is killed on drop. A test that fails (panics) before closing its browsers
/// would otherwise leave them running after the driver is gone.
#[derive(Debug)]
pub struct ChromeDriver {
    pub url: String,
    process: Child,
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        if let Some(group) = self.process.id() {
            // Best effort: the group may already be gone.
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{group}")])
                .stderr(Stdio::null())
                .status();
        }
    }
}

impl ChromeDriver {
    /// Starts `$CHROMEDRIVER` (default `/usr/bin/chromedriver`) on a free port and waits until
    /// it listens.
    pub async fn start() -> Result<Self, Failure> {
        let path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let process = Command::new(&path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .process_group(0)
            .spawn()
            .map_err(|error| {
                format!("cannot start {path} (scripts/setup-tests.sh installs it): {error}")
            })?;
        let deadline = tokio::time::Instant::now() + STARTING;
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            if tokio::time::Instant::now() > deadline {
                return Err("chromedriver did not start".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(Self { url: format!("http://127.0.0.1:{port}"), process })
    }

    /// A new browser with an empty profile (nothing cached, no service worker), in a
    /// 1100 × 700 window, in English, with `extra_args` for Chromium; `adjust` may change the
    /// WebDriver capabilities (Chromium's options are under `goog:chromeOptions`).
    pub async fn new_browser(
        &self,
        extra_args: &[&str],
        adjust: impl FnOnce(&mut Map<String, Value>),
    ) -> Result<Client, Failure> {
        let mut args = vec![
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1100,700",
            "--lang=en-US",
        ];
        args.extend_from_slice(extra_args);
        let mut capabilities = Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": "/usr/bin/chromium", "args": args }),
        );
        adjust(&mut capabilities);
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .map_err(|error| format!("starting a browser session: {error}"))?;
        Ok(client)
    }
}

/// Runs a DevTools Protocol command in the browser's current page.
pub async fn devtools(client: &Client, method: &str, params: Value) -> Result<Value, Failure> {
    client
        .issue_cmd(DevTools { method: method.to_owned(), params })
        .await
        .map_err(|error| format!("DevTools command {method}: {error}").into())
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
