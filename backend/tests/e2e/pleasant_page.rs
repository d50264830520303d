//! The page as people see it: accessibility (axe-core finds nothing), the phone layout at
//! 390 × 844, theme and language switching, and getting the reader's attention from a
//! hidden tab. With `CHAT_SCREENSHOT_DIR` set, the screenshots in the README are taken here
//! (`scripts/screenshots.sh`).

use std::path::PathBuf;

use fantoccini::Locator;

use crate::Stage;
use crate::browser::{Browser, Viewport};

/// Where to save a screenshot named `name`, if screenshots were asked for.
fn screenshot_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("CHAT_SCREENSHOT_DIR")
        .map(|dir| PathBuf::from(dir).join(format!("{name}.png")))
}

/// Sends `text` from `browser`'s composer (Shift+Enter for each line break).
async fn say(browser: &Browser, text: &str) {
    let keys = text.replace('\n', "\u{E008}\u{E007}\u{E008}"); // Shift down, Enter, Shift up
    browser.type_into_composer(&format!("{keys}\u{E007}")).await;
}

/// A short conversation with the Markdown subset, a link, Chinese and emoji.
async fn converse(alice: &Browser, bob: &Browser) {
    say(alice, "Hi **bob**! Did the *release* go out?").await;
    bob.wait_for_text(".timeline .message .body", "Did the release go out?").await;
    say(bob, "Yes: `v1.4.0` is live, notes at https://example.org/releases").await;
    say(bob, "```\ncargo install chat --version 1.4.0\n```").await;
    alice.wait_for_text(".timeline .message .body pre", "cargo install").await;
    say(alice, "太好了 🎉 thanks!").await;
    bob.wait_for_text(".timeline .message .body", "太好了").await;
}

fn assert_no_violations(view: &str, violations: &[String]) {
    assert!(violations.is_empty(), "axe-core found problems on {view}:\n{}", violations.join("\n"));
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn axe_finds_no_accessibility_violations_on_sign_in_chat_and_phone() {
    let stage = Stage::start().await;
    let alice = stage.browser().await;
    alice.wait_for(Locator::Css("#nickname")).await;
    assert_no_violations("the sign-in view", &alice.accessibility_violations().await);

    let bob = stage.browser().await;
    alice.sign_in("alice").await;
    bob.sign_in("小明🐼").await;
    converse(&alice, &bob).await;
    alice.wait_for_text(".members", "小明🐼").await;
    assert_no_violations("the chat view, light", &alice.accessibility_violations().await);
    if let Some(path) = screenshot_path("light") {
        alice.screenshot_to(&path).await;
    }

    choose(&alice, ".theme-choice", "dark").await;
    assert_no_violations("the chat view, dark", &alice.accessibility_violations().await);
    if let Some(path) = screenshot_path("dark") {
        alice.screenshot_to(&path).await;
    }

    let phone = Browser::open_with(&stage.driver, &stage.url, Viewport::Phone).await;
    phone.sign_in("carol").await;
    phone.wait_for_text(".timeline .message .body", "太好了").await;
    assert_no_violations("the phone layout", &phone.accessibility_violations().await);
    if let Some(path) = screenshot_path("phone") {
        phone.screenshot_to(&path).await;
    }
    phone.click(".chat header .menu").await;
    phone.wait_for(Locator::Css(".chat.drawer-open .sidebar")).await;
    assert_no_violations("the phone layout, drawer open", &phone.accessibility_violations().await);

    stage.end(vec![alice, bob, phone]).await;
}

/// Picks `value` in the `<select>` matching `css`, as a person would.
async fn choose(browser: &Browser, css: &str, value: &str) {
    let select = browser.wait_for(Locator::Css(css)).await;
    select.select_by_value(value).await.expect("option chosen");
}

/// Presses Tab on whatever has focus, as the keyboard does.
async fn press_tab(browser: &Browser) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let tab = '\u{E004}';
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: tab })
        .then(KeyAction::Up { value: tab });
    browser.client.perform_actions(keys).await.expect("Tab pressed");
}

async fn script(browser: &Browser, source: &str) -> serde_json::Value {
    browser.client.execute(source, vec![]).await.expect("script runs")
}

/// Whether `source` returns `expected` within a second (asked every 50 ms): for what the page
/// does in its next animation frame or reactive update.
async fn script_turns(browser: &Browser, source: &str, expected: bool) -> bool {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(1);
    loop {
        if script(browser, source).await == serde_json::Value::Bool(expected) {
            return true;
        }
        if tokio::time::Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn on_a_phone_the_sidebar_is_a_drawer_and_nothing_overflows() {
    let stage = Stage::start().await;
    let bob = stage.browser().await;
    bob.sign_in("bob").await;
    bob.create_room("design").await;
    bob.wait_for_text(".chat header h1", "#design").await;

    let phone = Browser::open_with(&stage.driver, &stage.url, Viewport::Phone).await;
    assert_eq!(
        script(&phone, "return [innerWidth, innerHeight];").await,
        serde_json::json!([390, 844])
    );
    phone.sign_in("alice").await;
    // Wide content cannot push the page sideways: a long word, a long code line.
    say(&phone, &format!("{} and `{}`", "a".repeat(120), "x".repeat(120))).await;
    phone.wait_for_text(".timeline .message.mine .body", "aaaa").await;
    let page_width = script(&phone, "return document.documentElement.scrollWidth;").await;
    assert_eq!(page_width, 390, "the page scrolls sideways");

    // The sidebar is folded away; the menu button opens it over the timeline.
    let sidebar_shown =
        "return getComputedStyle(document.querySelector('.sidebar')).display !== 'none';";
    assert_eq!(script(&phone, sidebar_shown).await, false);
    let menu = phone.wait_for(Locator::Css(".chat header .menu")).await;
    assert_eq!(menu.attr("aria-expanded").await.expect("attr").as_deref(), Some("false"));
    phone.click(".chat header .menu").await;
    assert_eq!(script(&phone, sidebar_shown).await, true);
    assert_eq!(menu.attr("aria-expanded").await.expect("attr").as_deref(), Some("true"));
    let focused_inside =
        "return document.querySelector('.sidebar').contains(document.activeElement);";
    // The page moves focus in the next animation frame: wait for it, briefly.
    assert!(script_turns(&phone, focused_inside, true).await, "focus moves into the drawer");

    // Escape closes it and gives focus back to the button.
    phone
        .client
        .active_element()
        .await
        .expect("focus")
        .send_keys("\u{E00C}")
        .await
        .expect("Escape");
    assert!(script_turns(&phone, sidebar_shown, false).await, "Escape folds the drawer");
    let menu_focused =
        "return document.activeElement === document.querySelector('.chat header .menu');";
    assert!(script_turns(&phone, menu_focused, true).await, "focus returns to the menu button");

    // Choosing a room in the drawer shows it and folds the drawer away.
    phone.click(".chat header .menu").await;
    phone.click(".rooms a[href='#/r/design']").await;
    phone.wait_for_text(".chat header h1", "#design").await;
    assert_eq!(script(&phone, sidebar_shown).await, false);
    say(&bob, "welcome to *design*").await;
    phone.wait_for_text(".timeline .message .body em", "design").await;
    say(&phone, "thanks!").await;
    bob.wait_for_text(".timeline .message .body", "thanks!").await;

    stage.end(vec![bob, phone]).await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn theme_and_language_switch_on_the_real_page_and_survive_a_reload() {
    let stage = Stage::start().await;
    let alice = stage.browser().await;
    alice.sign_in("alice").await;
    let background = "return getComputedStyle(document.documentElement).backgroundColor;";
    let light = script(&alice, background).await;

    choose(&alice, ".theme-choice", "dark").await;
    let dark = script(&alice, background).await;
    assert_ne!(light, dark, "the dark theme changes the colours");
    choose(&alice, ".language-choice", "zh-CN").await;
    alice.wait_for_text(".composer button", "发送").await;
    alice.wait_for_text(".rooms h2", "房间").await;
    assert_eq!(script(&alice, "return document.documentElement.lang;").await, "zh-CN");

    alice.client.refresh().await.expect("reloads");
    alice.wait_for_text(".composer button", "发送").await;
    assert_eq!(script(&alice, background).await, dark, "the theme is remembered");

    choose(&alice, ".language-choice", "en").await;
    alice.wait_for_text(".composer button", "Send").await;
    choose(&alice, ".theme-choice", "system").await;
    assert_eq!(script(&alice, background).await, light, "back to the system's (light) theme");
    stage.end(vec![alice]).await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn a_hidden_tab_counts_new_messages_in_its_title_and_notifies_mentions() {
    let stage = Stage::start().await;
    let alice = stage.browser().await;
    let bob = stage.browser().await;
    alice.sign_in("alice").await;
    bob.sign_in("bob").await;
    alice.wait_for_text(".members", "bob").await;
    // Headless Chromium has no desktop to show notifications on, and its tabs are always
    // visible: stand in for both, the way the page sees them (the permission granted, the
    // tab hidden).
    script(
        &alice,
        r#"
        window.notified = [];
        window.Notification = class {
            constructor(title, options) { window.notified.push([title, options.body, options.tag]); }
            static get permission() { return "granted"; }
            static requestPermission() { return Promise.resolve("granted"); }
        };
        window.setHidden = hidden => {
            Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
            document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
        };
        setHidden(true);
        "#,
    )
    .await;

    say(&bob, "lunch?").await;
    say(&bob, "@alice are you coming?").await;
    alice.wait_for_text(".timeline .message .body", "are you coming").await;
    assert_eq!(script(&alice, "return document.title;").await, "(2) Chat");
    let notified = script(&alice, "return window.notified;").await;
    assert_eq!(
        notified,
        serde_json::json!([[
            "bob mentioned you in #lobby",
            "@alice are you coming?",
            notified[0][2]
        ]]),
        "only the mention notifies"
    );

    script(&alice, "setHidden(false);").await;
    assert_eq!(script(&alice, "return document.title;").await, "Chat", "read: the count goes");
    say(&bob, "@alice ok, see you there").await;
    alice.wait_for_text(".timeline .message .body", "see you there").await;
    let notified = script(&alice, "return window.notified.length;").await;
    assert_eq!(notified, 1, "no notification for what is on screen");
    stage.end(vec![alice, bob]).await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn everything_can_be_reached_with_the_keyboard_and_shows_where_focus_is() {
    let stage = Stage::start().await;
    let alice = stage.browser().await;
    alice.sign_in("alice").await;
    say(&alice, "hello").await;
    alice.wait_for_text(".timeline .message.mine .body", "hello").await;
    // From the first room link, Tab visits every control in reading order, and each one
    // shows a focus outline.
    script(&alice, "document.querySelector('.rooms a').focus();").await;
    let describe = r#"
        const e = document.activeElement;
        const style = getComputedStyle(e);
        const name = e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : "");
        return [name, style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0];
    "#;
    let mut visited = Vec::new();
    for step in 0..20 {
        if step > 0 {
            press_tab(&alice).await;
        }
        let focused = script(&alice, describe).await;
        let name = focused[0].as_str().unwrap_or_default().to_owned();
        if name == "body" {
            break; // Past the last control: focus left the page.
        }
        assert_eq!(focused[1], true, "{name} shows no focus outline (after {visited:?})");
        visited.push(name);
    }
    for expected in [
        "a",     // the lobby's link
        "input", // the new room's name
        "select.theme-choice",
        "select.language-choice",
        "button.notify",
        "button.sign-out",
        "ol.timeline", // scrolls with the arrow keys
        "textarea",
    ] {
        assert!(
            visited.iter().any(|name| name == expected),
            "Tab never reached {expected}: {visited:?}"
        );
    }
    let position = |name: &str| visited.iter().position(|n| n == name).unwrap_or(usize::MAX);
    assert!(
        position("a") < position("ol.timeline") && position("ol.timeline") < position("textarea")
    );
    stage.end(vec![alice]).await;
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn the_layout_holds_still_for_long_names_and_leave_buttons() {
    let stage = Stage::start().await;
    let browser = stage.browser().await;
    browser.wait_for(Locator::Css("#nickname")).await;
    // The sign-in card does not make the page scroll (its top margin used to push the body
    // down by 12 % of the window).
    let overflow = "const page = document.scrollingElement; \
                    return page.scrollHeight - page.clientHeight;";
    assert_eq!(script(&browser, overflow).await, 0, "the sign-in page scrolls");

    let longest = "w".repeat(32);
    browser.sign_in(&longest).await;
    browser.wait_for_text(".members li.me .you", "you").await;
    // "(you)" stays on one line beside the longest nickname.
    let you_on_one_line = "const you = document.querySelector('.members li.me .you'); \
                           return you.getBoundingClientRect().height \
                             < 2 * parseFloat(getComputedStyle(you).fontSize);";
    assert_eq!(script(&browser, you_on_one_line).await, true, "(you) breaks over lines");

    let header_height =
        "return Math.round(document.querySelector('.chat header').getBoundingClientRect().height);";
    let in_lobby = script(&browser, header_height).await;
    browser.create_room("design").await;
    browser.wait_for(Locator::Css(".chat header .leave")).await;
    assert_eq!(
        script(&browser, header_height).await,
        in_lobby,
        "the Leave button grows the header"
    );

    stage.end(vec![browser]).await;
}
