//! Headless Chromium for the page scenario: the test kit's chromedriver
//! ([`testkit::chrome_driver`]), with the browser the measurements need.

use fantoccini::Client;
use serde_json::Value;
use testkit::chrome_driver;

/// chromedriver, and the browsers it starts; all killed when dropped.
pub struct ChromeDriver(chrome_driver::ChromeDriver);

impl ChromeDriver {
    pub async fn start() -> anyhow::Result<Self> {
        Ok(Self(chrome_driver::ChromeDriver::start().await.map_err(anyhow::Error::from_boxed)?))
    }

    /// A new browser with an empty profile: nothing cached, no service worker. QUIC is off,
    /// so every byte goes through the wire meter's TCP proxy.
    pub async fn new_browser(&self) -> anyhow::Result<Client> {
        self.0.new_browser(&["--disable-quic"], |_| {}).await.map_err(anyhow::Error::from_boxed)
    }
}

/// Runs a DevTools Protocol command in the browser's current page.
pub async fn devtools(client: &Client, method: &str, params: Value) -> anyhow::Result<Value> {
    chrome_driver::devtools(client, method, params).await.map_err(anyhow::Error::from_boxed)
}
