//! How the page arrives: its files precompressed with their cache policy (the real release
//! build), and the static first screen of `index.html` that stands until the app replaces it.

use std::time::Duration;

use fantoccini::Locator;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::browser::Browser;
use crate::{PATIENCE, Stage, dist_dir};

/// A GET of `path` with `accept` as `Accept-Encoding` (none if empty): the status line and
/// headers (lower-cased names), and the body's bytes.
async fn fetch(
    addr: &str,
    path: &str,
    accept: &str,
) -> (String, std::collections::HashMap<String, String>, Vec<u8>) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connects");
    let accept =
        if accept.is_empty() { String::new() } else { format!("Accept-Encoding: {accept}\r\n") };
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{accept}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("request written");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("response read");
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a head") + 4;
    let head = String::from_utf8(response[..split].to_vec()).expect("an ASCII head");
    let mut lines = head.lines();
    let status = lines.next().unwrap_or_default().to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    (status, headers, response[split..].to_vec())
}

/// The release build's file named `<prefix><hash><suffix>` (Trunk names them by hash).
fn built_file(prefix: &str, suffix: &str) -> String {
    let dist = dist_dir();
    let mut names = std::fs::read_dir(&dist)
        .expect("dist/")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(prefix) && name.ends_with(suffix));
    let name = names.next().unwrap_or_else(|| panic!("no *{suffix} in {}", dist.display()));
    assert!(names.next().is_none(), "two *{suffix} in {}", dist.display());
    name
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn the_release_files_come_precompressed_typed_and_cached_for_a_year() {
    let stage = Stage::start().await;
    let addr = stage.settings.addr.to_string();
    let dist = dist_dir();
    for (prefix, suffix, content_type) in [
        ("frontend-", "_bg.wasm", "application/wasm"),
        ("frontend-", ".js", "text/javascript"),
        // The chat screen's module and the loader that links it (scripts/split-page.sh).
        ("chat_screen-", ".wasm", "application/wasm"),
        ("wasm_split-", ".js", "text/javascript"),
        ("style-", ".css", "text/css"),
        ("icon-", ".svg", "image/svg+xml"),
    ] {
        let name = built_file(prefix, suffix);
        let path = format!("/{name}");
        for (accept, encoding, file) in [
            ("br, gzip", Some("br"), format!("{name}.br")),
            ("gzip", Some("gzip"), format!("{name}.gz")),
            ("", None, name.clone()),
        ] {
            let (status, headers, body) = fetch(&addr, &path, accept).await;
            assert!(status.starts_with("HTTP/1.1 200"), "{path} {accept:?}: {status}");
            assert_eq!(
                headers.get("content-encoding").map(String::as_str),
                encoding,
                "{path} {accept:?}"
            );
            let on_disk = std::fs::read(dist.join(&file)).expect("the copy exists");
            assert!(body == on_disk, "{path} {accept:?} is not {file}");
            assert_eq!(
                headers.get("content-type").map(String::as_str),
                Some(content_type),
                "{path}"
            );
            assert_eq!(
                headers.get("cache-control").map(String::as_str),
                Some("public, max-age=31536000, immutable"),
                "{path}"
            );
        }
    }
    // The page itself: compressed too, but asked for again on every visit.
    let (status, headers, _) = fetch(&addr, "/", "br, gzip").await;
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    assert_eq!(headers.get("content-encoding").map(String::as_str), Some("br"));
    assert_eq!(headers.get("cache-control").map(String::as_str), Some("no-cache"));
    let index = std::fs::read_to_string(dist.join("index.html")).expect("index.html");
    assert!(index.contains(&built_file("icon-", ".svg")), "index.html links the icon");
    stage.end(Vec::new()).await;
}

/// Records every Content-Security-Policy violation of the page, from before its first script.
const RECORD_CSP_VIOLATIONS: &str = "window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation',
        (event) => window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));";

/// From the next page load on, records the page's Content-Security-Policy violations.
async fn record_csp_violations(browser: &Browser) {
    let script = json!({ "source": RECORD_CSP_VIOLATIONS });
    browser.devtools("Page.addScriptToEvaluateOnNewDocument", script).await;
}

/// The page's `Content-Security-Policy` violations so far.
async fn csp_violations(browser: &Browser) -> Vec<String> {
    let found = browser.client.execute("return window.__cspViolations;", vec![]).await;
    serde_json::from_value(found.expect("script runs")).expect("a list")
}

/// The position and size of the element matching `css`, once the stylesheet is applied.
async fn rect_of(browser: &Browser, css: &str) -> [f64; 4] {
    let script = "const r = document.querySelector(arguments[0]).getBoundingClientRect();
                  return [r.x, r.y, r.width, r.height];";
    let found = browser.client.execute(script, vec![css.into()]).await.expect("script runs");
    serde_json::from_value(found).expect("four numbers")
}

/// Waits until the stylesheet applies to the first screen (the sign-in card has its border).
async fn wait_for_styles(browser: &Browser) {
    let script = "const screen = document.querySelector('.first-screen');
                  if (!screen) return false;
                  const style = getComputedStyle(screen);
                  return style.display === 'grid' || style.borderTopStyle === 'solid';";
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while browser.client.execute(script, vec![]).await.expect("script runs") != true {
        assert!(tokio::time::Instant::now() < deadline, "the stylesheet never applied");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Slows the browser's network to `bytes_per_second` down (0: back to full speed).
async fn throttle(browser: &Browser, bytes_per_second: f64) {
    let throughput = if bytes_per_second > 0.0 { bytes_per_second } else { -1.0 };
    browser.devtools("Network.enable", json!({})).await;
    browser
        .devtools(
            "Network.emulateNetworkConditions",
            json!({ "offline": false, "latency": 0, "downloadThroughput": throughput,
                    "uploadThroughput": -1 }),
        )
        .await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn the_sign_in_form_needs_only_the_first_module_the_chat_module_comes_on_signing_in_and_a_failed_one_is_fetched_again()
 {
    let stage = Stage::start().await;
    let browser = Browser::open_blank(&stage.driver).await;
    let chat_module = format!("*/{}", built_file("chat_screen-", ".wasm"));
    browser.client.goto(&stage.url).await.expect("page opens");
    browser.wait_for_app().await;
    browser.wait_for(Locator::Css("#nickname")).await;
    // A visit that only looks at the sign-in form does not fetch the chat module (a fetch
    // from this server would have finished well within the wait).
    tokio::time::sleep(Duration::from_millis(500)).await;
    let fetched = "return performance.getEntriesByType('resource')
                       .filter(e => e.name.includes('/chat_screen-')).length;";
    assert_eq!(browser.client.execute(fetched, vec![]).await.expect("runs"), 0);
    browser.devtools("Network.enable", json!({})).await;
    browser.devtools("Network.setBlockedURLs", json!({ "urls": [chat_module] })).await;
    // Signing in asks for it; the form still sends the nickname, says the module is missing,
    // and the server's answer waits for the module's reader.
    browser.fill_nickname("alice").await;
    browser.wait_for_text(".banner[role=alert]", "The chat could not be loaded.").await;
    browser.wait_for(Locator::Css(".login button[type=submit][disabled]")).await;
    assert!(browser.texts(".chat .composer textarea").await.is_empty());
    // Once the module can be fetched, trying again reads the answer that waited and shows the
    // chat; nothing had to reload.
    browser.devtools("Network.setBlockedURLs", json!({ "urls": [] })).await;
    browser.click(".banner[role=alert] button").await;
    browser.wait_for(Locator::Css(".chat .composer textarea")).await;
    browser.type_into_composer("made it\n").await;
    browser.wait_for_text(".timeline .message .body", "made it").await;
    browser.close().await;
    stage.end(Vec::new()).await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn the_first_screen_stands_before_the_app_and_the_app_takes_its_place_without_a_jump() {
    let stage = Stage::start().await;
    let browser = Browser::open_blank(&stage.driver).await;
    record_csp_violations(&browser).await;
    // 20 KB/s: the page's WASM takes many seconds, its HTML and stylesheet a moment.
    throttle(&browser, 20_000.0).await;
    browser.client.goto(&stage.url).await.expect("page opens");
    browser.wait_for(Locator::Css("#first-nickname")).await;
    wait_for_styles(&browser).await;
    let still_there = "return !!document.querySelector('.first-screen');";
    assert!(
        browser.client.execute(still_there, vec![]).await.expect("runs") == true,
        "the app started before the test could look at the first screen: slow it down more"
    );
    assert_eq!(browser.texts(".first-screen h1").await, vec!["Chat"]);
    assert_eq!(
        browser.texts(".first-screen label[for=first-nickname]").await,
        vec!["Pick a nickname"]
    );
    let focused = "return document.activeElement && document.activeElement.id;";
    assert_eq!(browser.client.execute(focused, vec![]).await.expect("runs"), "first-nickname");
    let before = rect_of(&browser, "#first-nickname").await;
    let card_before = rect_of(&browser, "main.login").await;

    throttle(&browser, 0.0).await;
    browser.wait_for_app().await;
    browser.wait_for(Locator::Css("#nickname")).await;
    let after = rect_of(&browser, "#nickname").await;
    let card_after = rect_of(&browser, "main.login").await;
    for i in 0..4 {
        assert!((before[i] - after[i]).abs() <= 1.0, "the field moved: {before:?} -> {after:?}");
        assert!(
            (card_before[i] - card_after[i]).abs() <= 1.0,
            "the card moved or changed size: {card_before:?} -> {card_after:?}"
        );
    }
    assert_eq!(browser.client.execute(focused, vec![]).await.expect("runs"), "nickname");
    assert_eq!(csp_violations(&browser).await, Vec::<String>::new());
    browser.close().await;
    stage.end(Vec::new()).await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn a_nickname_entered_before_the_app_arrives_signs_in_once_it_does() {
    let stage = Stage::start().await;
    let browser = Browser::open_blank(&stage.driver).await;
    throttle(&browser, 20_000.0).await;
    browser.client.goto(&stage.url).await.expect("page opens");
    let field = browser.wait_for(Locator::Css("#first-nickname")).await;
    field.send_keys("early\u{E007}").await.expect("typed, and Enter"); // U+E007: Enter
    // The press of Enter did not reload the page (nothing was lost), it was noted.
    let noted = "return !!document.querySelector('.first-screen form[data-submitted]');";
    if browser.client.execute(noted, vec![]).await.expect("runs") != true {
        // Only when the app had already taken over is there nothing to note.
        let gone = "return !document.querySelector('.first-screen');";
        assert!(
            browser.client.execute(gone, vec![]).await.expect("runs") == true,
            "Enter was not noted on the first screen"
        );
    }
    assert_eq!(browser.client.current_url().await.expect("url").as_str(), stage.url);
    throttle(&browser, 0.0).await;
    browser.wait_for_app().await;
    browser.wait_for(Locator::Css(".chat .composer textarea")).await;
    browser.wait_for_text(".members li.me .name", "early").await;
    browser.close().await;
    stage.end(Vec::new()).await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn someone_signed_in_before_sees_the_chat_frame_in_their_language_until_the_app_is_here() {
    let stage = Stage::start().await;
    let browser = Browser::open_blank(&stage.driver).await;
    browser.client.goto(&stage.url).await.expect("page opens");
    browser.wait_for_app().await;
    browser
        .client
        .execute(
            "localStorage.setItem('chat.identity', 'zhang\\nsome-token');
             localStorage.setItem('chat.lang', 'zh-CN');",
            vec![],
        )
        .await
        .expect("saved");
    // Without its WASM the app never starts: the first screen stays.
    browser.devtools("Network.enable", json!({})).await;
    browser.devtools("Network.setBlockedURLs", json!({ "urls": ["*.wasm"] })).await;
    record_csp_violations(&browser).await;
    browser.client.refresh().await.expect("reloads");
    browser.wait_for(Locator::Css(".chat.first-screen")).await;
    wait_for_styles(&browser).await;
    assert_eq!(browser.texts(".first-screen .connection .label").await, vec!["正在连接…"]);
    assert!(browser.texts(".login").await.is_empty(), "no sign-in form for someone signed in");
    let header = rect_of(&browser, ".chat.first-screen header").await;
    assert!(header[3] > 30.0, "the frame's header is laid out: {header:?}");
    assert_eq!(csp_violations(&browser).await, Vec::<String>::new());
    browser.close().await;
    stage.end(Vec::new()).await;
}
