//! page: what a browser receives and when it can be used, measured in headless Chromium over
//! the real server serving a release build of the page.
//!
//! For each network (none; 9 Mbit/s with 40 ms; 1.6 Mbit/s with 150 ms, emulated by Chromium's
//! `Network.emulateNetworkConditions`), a browser with an empty profile opens the page (a cold
//! visit), then opens it again (a repeat visit, with its cache and service worker). Between
//! browser and server a relay counts every byte the server sends ([`WireMeter`]), the service
//! worker's own fetches included; the page's own `transferSize` sum is reported beside it.
//! Times come from the page's clock: the first contentful paint, and the moment the app's own
//! sign-in form is in the document (seen by a `MutationObserver` installed before any of the
//! page's scripts). The bytes that arrived before that moment are summed from the page's
//! resource timings. A third visit, cold again, enters a nickname as soon as the form takes it
//! and notes when the chat is on screen: the page's chat screen is a module of its own,
//! fetched after the form, so that is where a quick visitor could wait for it.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use fantoccini::Client;
use serde_json::{Value, json};

use crate::browser::{ChromeDriver, devtools};
use crate::report::{Figure, Report};
use crate::scenarios::Setting;
use crate::server::Server;
use crate::wire_meter::WireMeter;

/// The bars of the page-delivery issue.
const COLD_BAR_KB: f64 = 150.0;
const REPEAT_BAR_KB: f64 = 3.0;
const SLOW_PAINT_BAR_MS: f64 = 600.0;
const SLOW_USABLE_BAR_MS: f64 = 1500.0;

#[derive(Debug, clap::Args)]
pub struct Page {
    /// The release build of the page (`trunk build --release`), or any folder with an
    /// `index.html` (the seed's jQuery page, say).
    #[arg(long, default_value = "dist")]
    pub dist: PathBuf,
    /// Visits per network; the median is reported.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// The CSS selector of the sign-in field that tells the page is usable.
    #[arg(long, default_value = "main.login input#nickname")]
    pub ready_selector: String,
    /// The page registers no service worker (the seed's jQuery page): do not wait for one,
    /// and do not sign in (its chat is the same page).
    #[arg(long)]
    pub without_service_worker: bool,
    /// The CSS selector that tells the chat is on screen after signing in.
    #[arg(long, default_value = ".composer textarea")]
    pub in_chat_selector: String,
}

/// A network the browser is put behind.
#[derive(Debug, Clone, Copy)]
struct Network {
    name: &'static str,
    /// `None`: no emulation (loopback).
    conditions: Option<(f64, f64, f64)>,
}

const NETWORKS: [Network; 3] = [
    Network { name: "no throttling", conditions: None },
    Network { name: "9 Mbit/s, 40 ms", conditions: Some((40.0, 9.0, 1.5)) },
    Network { name: "1.6 Mbit/s, 150 ms", conditions: Some((150.0, 1.6, 0.75)) },
];

/// What one visit measured.
#[derive(Debug, Clone, Copy)]
struct Visit {
    http_bytes: u64,
    websocket_bytes: u64,
    transfer_size: f64,
    /// The page's `transferSize` sum of what had arrived when the form was usable.
    before_usable_size: f64,
    first_paint_ms: f64,
    usable_ms: f64,
}

pub async fn run(setting: &Setting, page: &Page) -> anyhow::Result<Report> {
    if !page.dist.join("index.html").is_file() {
        bail!("{} has no index.html (build it with `trunk build --release`)", page.dist.display());
    }
    let mut report = Report::new(
        "page",
        json!({ "dist": page.dist.display().to_string(), "runs": page.runs,
                "server": setting.server_bin.display().to_string() }),
    );
    let driver = ChromeDriver::start().await?;
    for network in NETWORKS {
        let mut cold = Vec::new();
        let mut repeat = Vec::new();
        let mut in_chat = Vec::new();
        for _ in 0..page.runs {
            // A fresh server each time: no guest names or rooms left from the visit before.
            let server = Server::start_serving(&setting.server_bin, &page.dist, &[]).await?;
            let meter = WireMeter::start(server.addr).await?;
            let browser = driver.new_browser().await?;
            let visits = two_visits(&browser, &meter, network, page).await;
            let _ = browser.close().await;
            let signed_in = if page.without_service_worker {
                Ok(None)
            } else {
                sign_in_at_once(&driver, &meter, network, page).await.map(Some)
            };
            server.stop().await;
            let (first, second) = visits?;
            cold.push(first);
            repeat.push(second);
            in_chat.extend(signed_in.context("the visit that signs in")?);
        }
        add_figures(&mut report, network, &cold, "cold");
        add_figures(&mut report, network, &repeat, "repeat");
        if !in_chat.is_empty() {
            report.add(Figure::new(
                &format!(
                    "cold, {}: in the chat, a nickname entered as soon as the form took it",
                    network.name
                ),
                median(in_chat),
                "ms",
            ));
        }
    }
    Ok(report)
}

/// A cold visit and a repeat visit in one browser.
async fn two_visits(
    browser: &Client,
    meter: &WireMeter,
    network: Network,
    page: &Page,
) -> anyhow::Result<(Visit, Visit)> {
    prepare(browser, network, page).await?;
    let url = format!("http://{}/", meter.addr);
    let with_worker = !page.without_service_worker;
    let cold = visit(browser, meter, &url, with_worker).await.context("the cold visit")?;
    let repeat = visit(browser, meter, &url, with_worker).await.context("the repeat visit")?;
    Ok((cold, repeat))
}

/// A cold visit, in a browser of its own, by someone who types a nickname and presses Enter
/// as soon as the app's form is there: when the chat is on screen, on the page's clock (the
/// reaction adds the polling interval, 50 ms at most, and a WebDriver round trip).
async fn sign_in_at_once(
    driver: &ChromeDriver,
    meter: &WireMeter,
    network: Network,
    page: &Page,
) -> anyhow::Result<f64> {
    let browser = driver.new_browser().await?;
    let at = enter_a_nickname_at_once(&browser, meter, network, page).await;
    let _ = browser.close().await;
    at
}

async fn enter_a_nickname_at_once(
    browser: &Client,
    meter: &WireMeter,
    network: Network,
    page: &Page,
) -> anyhow::Result<f64> {
    prepare(browser, network, page).await?;
    // The page's requests skip its service worker: Chromium throttles only the page's own
    // fetches, so a chat module fetched through the worker (which takes over the page as soon
    // as it is installed) would arrive at full speed, as on no real slow link.
    devtools(browser, "Network.setBypassServiceWorker", json!({ "bypass": true })).await?;
    browser.goto(&format!("http://{}/", meter.addr)).await?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    poll(browser, "return window.__chatUsableAt ?? null;", deadline, "the sign-in form").await?;
    let field = browser.find(fantoccini::Locator::Css(&page.ready_selector)).await?;
    field.send_keys("quick\n").await?;
    poll(browser, "return window.__chatInChatAt ?? null;", deadline, "the chat").await
}

/// Polls `script` until it returns a number.
async fn poll(
    browser: &Client,
    script: &str,
    deadline: tokio::time::Instant,
    what: &str,
) -> anyhow::Result<f64> {
    loop {
        if let Some(at) = browser.execute(script, vec![]).await?.as_f64() {
            return Ok(at);
        }
        if tokio::time::Instant::now() > deadline {
            bail!("{what} never appeared");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Puts the browser behind `network` and installs the watcher of the page's moments.
async fn prepare(browser: &Client, network: Network, page: &Page) -> anyhow::Result<()> {
    devtools(browser, "Network.enable", json!({})).await?;
    if let Some((latency_ms, down_mbit, up_mbit)) = network.conditions {
        let bytes_per_second = |mbit: f64| mbit * 1_000_000.0 / 8.0;
        devtools(
            browser,
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": latency_ms,
                "downloadThroughput": bytes_per_second(down_mbit),
                "uploadThroughput": bytes_per_second(up_mbit),
            }),
        )
        .await?;
    }
    let watcher = watch_for(&page.ready_selector, &page.in_chat_selector);
    devtools(browser, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": watcher }))
        .await?;
    Ok(())
}

/// Opens `url` and waits until the page is usable and the network has gone quiet.
async fn visit(
    browser: &Client,
    meter: &WireMeter,
    url: &str,
    with_worker: bool,
) -> anyhow::Result<Visit> {
    meter.take();
    browser.goto(url).await?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let usable_ms =
        poll(browser, "return window.__chatUsableAt ?? null;", deadline, "the sign-in form")
            .await?;
    // The service worker installs after the page is up and fetches the page's files for
    // itself: what it receives is part of the visit.
    let script = "return !!(navigator.serviceWorker && navigator.serviceWorker.controller);";
    while with_worker && browser.execute(script, vec![]).await? != true {
        if tokio::time::Instant::now() > deadline {
            bail!("the service worker never took over");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    wait_until_quiet(meter, deadline).await?;
    let timings = browser.execute(MEASURES, vec![]).await?;
    let received = meter.take();
    Ok(Visit {
        http_bytes: received.http,
        websocket_bytes: received.websocket,
        transfer_size: number(&timings, "transferSize")?,
        before_usable_size: number(&timings, "beforeUsable")?,
        first_paint_ms: number(&timings, "firstPaint")?,
        usable_ms,
    })
}

/// Waits until no byte has come from the server for a second.
async fn wait_until_quiet(meter: &WireMeter, deadline: tokio::time::Instant) -> anyhow::Result<()> {
    let mut last = meter.peek();
    let mut quiet_since = tokio::time::Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = meter.peek();
        if now.http != last.http || now.websocket != last.websocket {
            last = now;
            quiet_since = tokio::time::Instant::now();
        } else if quiet_since.elapsed() >= Duration::from_secs(1) {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            bail!("the network never went quiet");
        }
    }
}

/// The page's own figures: its `transferSize` sum (all, and what had arrived when the form
/// was usable) and its first contentful paint.
const MEASURES: &str = r#"
    const entries = [...performance.getEntriesByType("navigation"),
                     ...performance.getEntriesByType("resource")];
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    const sum = (list) => list.reduce((sum, entry) => sum + entry.transferSize, 0);
    return {
        transferSize: sum(entries),
        beforeUsable: sum(entries.filter((entry) => entry.responseEnd <= window.__chatUsableAt)),
        firstPaint: paint ? paint.startTime : -1,
    };
"#;

/// The script run before the page's own: it notes when an element matching `form` first
/// appears outside the static first screen (`.first-screen`), and when one matching `chat`
/// does, on the page's clock.
fn watch_for(form: &str, chat: &str) -> String {
    let (form, chat) = (Value::from(form), Value::from(chat));
    format!(
        r##"(() => {{
            const found = (selector) => [...document.querySelectorAll(selector)]
                .some((element) => !element.closest(".first-screen"));
            const observer = new MutationObserver(() => {{
                if (window.__chatUsableAt === undefined && found({form})) {{
                    window.__chatUsableAt = performance.now();
                }}
                if (window.__chatInChatAt === undefined && found({chat})) {{
                    window.__chatInChatAt = performance.now();
                    observer.disconnect();
                }}
            }});
            observer.observe(document, {{ childList: true, subtree: true }});
        }})();"##
    )
}

fn number(value: &Value, key: &str) -> anyhow::Result<f64> {
    value.get(key).and_then(Value::as_f64).with_context(|| format!("no {key} in {value}"))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn add_figures(report: &mut Report, network: Network, visits: &[Visit], kind: &str) {
    let pick = |f: fn(&Visit) -> f64| median(visits.iter().map(f).collect());
    let slow = network.conditions.is_some_and(|(latency, ..)| latency >= 150.0);
    let unthrottled = network.conditions.is_none();
    let prefix = format!("{kind}, {}", network.name);
    // Bytes do not depend on the network: held to the bar once, on the unthrottled run.
    let http = Figure::new(
        &format!("{prefix}: received, page (HTTP)"),
        pick(|visit| visit.http_bytes as f64) / 1000.0,
        "KB",
    );
    report.add(match (unthrottled, kind) {
        (true, "cold") => http.at_most(COLD_BAR_KB),
        (true, _) => http.at_most(REPEAT_BAR_KB),
        _ => http,
    });
    if kind == "cold" {
        report.add(Figure::new(
            &format!("{prefix}: received before the sign-in form was usable (transferSize)"),
            pick(|visit| visit.before_usable_size) / 1000.0,
            "KB",
        ));
    }
    if unthrottled {
        report.add(Figure::new(
            &format!("{prefix}: received, WebSocket"),
            pick(|visit| visit.websocket_bytes as f64) / 1000.0,
            "KB",
        ));
        report.add(Figure::new(
            &format!("{prefix}: page's transferSize sum"),
            pick(|visit| visit.transfer_size) / 1000.0,
            "KB",
        ));
    }
    let paint = Figure::new(
        &format!("{prefix}: first screen painted"),
        pick(|visit| visit.first_paint_ms),
        "ms",
    );
    let usable =
        Figure::new(&format!("{prefix}: sign-in form usable"), pick(|visit| visit.usable_ms), "ms");
    if slow && kind == "cold" {
        report.add(paint.at_most(SLOW_PAINT_BAR_MS));
        report.add(usable.at_most(SLOW_USABLE_BAR_MS));
    } else {
        report.add(paint);
        report.add(usable);
    }
}
