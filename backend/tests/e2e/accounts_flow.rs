//! Accounts, private rooms and moderation in real browsers: the first admin invites someone
//! by link, who registers from it; a private room a guest cannot see; direct messages;
//! reactions; a reply; jumping to a date; search finding only what each may read; a moderator's deletion reaching every
//! browser; a ban closing the banned person's page with the reason shown. axe-core checks the
//! new forms.

use backend::accounts::{AccountPolicy, Accounts, Guests, Registration, SignInRates};
use backend::store::Store;
use common::{Nickname, Role, Secret};
use fantoccini::Locator;

use super::Stage;
use super::browser::Browser;

const PASSWORD: &str = "correct horse battery staple";

/// Signs in to (or, `register`, registers) an account from the sign-in form.
async fn with_password(browser: &Browser, username: &str, register: bool) {
    // The ways in, in order: guest, sign in, register.
    let way = if register { 3 } else { 2 };
    browser.click(&format!(".login .ways label:nth-of-type({way}) input")).await;
    let name = browser.wait_for(Locator::Css("#nickname")).await;
    name.clear().await.expect("cleared");
    name.send_keys(username).await.expect("typed");
    let password = browser.wait_for(Locator::Css("#password")).await;
    password.send_keys(PASSWORD).await.expect("typed");
    browser.click(".login button[type=submit]").await;
    browser.wait_for(Locator::Css(".chat .composer textarea")).await;
}

async fn script(browser: &Browser, source: &str) -> serde_json::Value {
    browser.client.execute(source, vec![]).await.expect("script runs")
}

fn assert_no_violations(view: &str, violations: &[String]) {
    assert!(violations.is_empty(), "axe-core found problems on {view}:\n{}", violations.join("\n"));
}

#[tokio::test]
#[ignore = "needs dist/ and chromedriver; run by scripts/test.sh"]
async fn an_invited_person_registers_and_private_rooms_dms_edits_deletions_and_bans_work_in_browsers()
 {
    let stage = Stage::start().await;
    // The first admin, made as `backend user add` makes it.
    let store = Store::open(&stage.settings.database_url).await.expect("store");
    let policy = AccountPolicy {
        registration: Registration::Open,
        guests: Guests::On,
        sign_in_rates: SignInRates { per_address_per_minute: 100, per_account_per_minute: 100 },
    };
    let boss_name = Nickname::parse("boss").expect("valid");
    let accounts = Accounts::new(store, policy);
    accounts.create(&boss_name, &Secret::new(PASSWORD), Role::Admin).await.expect("admin made");

    let boss = stage.browser().await;
    with_password(&boss, "boss", false).await;
    boss.click("details.moderation > summary").await;
    boss.click(".new-invite button[type=submit]").await;
    boss.wait_for(Locator::Css(".new-link input")).await;
    let link = script(&boss, "return document.querySelector('.new-link input').value;").await;
    let link = link.as_str().expect("the link").to_owned();
    assert!(link.contains("#/invite/"), "{link}");

    // The invited person lands on the register form and registers.
    let bob = Browser::open(&stage.driver, &link).await;
    bob.wait_for_text(".login .invited", "invited").await;
    assert_no_violations("the invited register form", &bob.accessibility_violations().await);
    let name = bob.wait_for(Locator::Css("#nickname")).await;
    name.send_keys("bob").await.expect("typed");
    bob.wait_for(Locator::Css("#password")).await.send_keys(PASSWORD).await.expect("typed");
    bob.click(".login button[type=submit]").await;
    bob.wait_for(Locator::Css(".chat .composer textarea")).await;

    // A private room with bob in it, which a guest never sees.
    boss.click(".new-room .private-choice input").await;
    boss.create_room("team").await;
    let invite = boss.wait_for(Locator::Css("form.invite input")).await;
    invite.send_keys("bob").await.expect("typed");
    boss.click("form.invite button").await;
    bob.wait_for_text(".rooms", "team").await;
    let carol = stage.browser().await;
    carol.sign_in("carol").await;
    carol.wait_for_text(".rooms", "lobby").await;
    assert!(carol.texts(".rooms").await.iter().all(|text| !text.contains("team")));

    // Direct messages, started from bob's name in the lobby.
    boss.click(".rooms a[href='#/r/lobby']").await;
    boss.wait_for_text(".members", "bob").await;
    boss.click(".members button[aria-label='Message bob directly']").await;
    bob.wait_for_text(".rooms", "boss").await;
    boss.click(".rooms a[href='#/r/lobby']").await; // The DM opened on screen: back to the lobby.

    // Bob fixes a typo in place (the edit button, the text in a box, Enter): everyone sees the
    // new text, marked edited.
    bob.click(".rooms a[href='#/r/lobby']").await;
    bob.type_into_composer("helo everyone\u{E007}").await;
    for browser in [&boss, &carol] {
        browser.wait_for_text(".timeline .message .body", "helo everyone").await;
    }
    script(
        &bob,
        "const message = Array.from(document.querySelectorAll('.timeline .message')) \
             .find(m => m.innerText.includes('helo everyone')); \
         message.querySelector('button.edit').click(); return true;",
    )
    .await;
    let editor = bob.wait_for(Locator::Css(".timeline .editing textarea")).await;
    editor.clear().await.expect("cleared");
    editor.send_keys("hello everyone\u{E007}").await.expect("typed");
    for browser in [&boss, &bob, &carol] {
        browser.wait_for_text(".timeline .message .body", "hello everyone").await;
        browser.wait_for_text(".timeline .message .edited", "edited").await;
        assert!(browser.texts(".timeline").await.iter().all(|text| !text.contains("helo ")));
    }

    // Reactions: carol (a guest) picks 🎉 for bob's message from the ☺+ picker; everyone sees
    // it with her name on hover; bob adds his by pressing it, carol takes hers back.
    script(
        &carol,
        "const message = Array.from(document.querySelectorAll('.timeline .message')) \
             .find(m => m.innerText.includes('hello everyone')); \
         message.querySelector('button.add-reaction').click(); return true;",
    )
    .await;
    carol.wait_for(Locator::Css(".emoji-picker .quick")).await;
    assert_no_violations("the emoji picker", &carol.accessibility_violations().await);
    script(
        &carol,
        "Array.from(document.querySelectorAll('.emoji-picker .quick')) \
             .find(b => b.innerText.includes('🎉')).click(); return true;",
    )
    .await;
    for browser in [&boss, &bob, &carol] {
        browser.wait_for_text(".timeline .message .reaction", "🎉").await;
        browser.wait_for_text(".timeline .message .reaction .count", "1").await;
    }
    let reaction = bob.wait_for(Locator::Css(".timeline .message .reaction")).await;
    let who = reaction.attr("title").await.expect("a title");
    assert_eq!(who.as_deref(), Some("🎉: carol"));
    bob.click(".timeline .message .reaction").await;
    for browser in [&boss, &bob, &carol] {
        browser.wait_for_text(".timeline .message .reaction .count", "2").await;
    }
    carol.click(".timeline .message .reaction[aria-pressed='true']").await;
    for browser in [&boss, &bob, &carol] {
        browser.wait_for_text(".timeline .message .reaction .count", "1").await;
    }
    let reaction = boss.wait_for(Locator::Css(".timeline .message .reaction")).await;
    assert_eq!(reaction.attr("title").await.expect("a title").as_deref(), Some("🎉: bob"));

    // A reply: boss answers bob's message; everyone sees the quote, and pressing it brings
    // the original into view.
    script(
        &boss,
        "const message = Array.from(document.querySelectorAll('.timeline .message')) \
             .find(m => m.innerText.includes('hello everyone')); \
         message.querySelector('button.reply').click(); return true;",
    )
    .await;
    boss.wait_for_text(".replying", "bob").await;
    boss.type_into_composer("welcome, bob\u{E007}").await;
    for browser in [&boss, &bob, &carol] {
        browser.wait_for_text(".timeline .message .quote", "hello everyone").await;
    }
    assert!(boss.texts(".replying").await.is_empty(), "sent: no longer replying");
    carol.click(".timeline .message .quote").await;
    carol.wait_for_text(".timeline .message.focused .body", "hello everyone").await;

    // Jump to a date: today opens the lobby at its first message of the day (outlined); a day
    // to come says nothing was written since.
    let pick_day = |days_ahead: i32| {
        format!(
            "const field = document.querySelector('.jump-to-date'); \
             const day = new Date(Date.now() + {days_ahead} * 86400000); \
             field.value = day.getFullYear() + '-' + String(day.getMonth() + 1).padStart(2, '0') \
                 + '-' + String(day.getDate()).padStart(2, '0'); \
             field.dispatchEvent(new Event('change', {{ bubbles: true }})); return true;"
        )
    };
    script(&carol, &pick_day(0)).await;
    carol.wait_for(Locator::Css(".timeline .message.focused")).await;
    script(&carol, &pick_day(2)).await;
    carol.wait_for_text(".error", "Nothing was written in this room on or after that day.").await;

    // Search: boss writes "hello" in the private room; carol (a guest) finds bob's edited lobby
    // message with the word marked, never the private one, and opening it shows it.
    boss.click(".rooms a[href='#/r/team']").await;
    boss.type_into_composer("hello team, private plans\u{E007}").await;
    boss.wait_for_text(".timeline .message .body", "private plans").await;
    boss.click(".rooms a[href='#/r/lobby']").await;
    carol.click(".search-toggle").await;
    let field = carol.wait_for(Locator::Css(".search-panel input[type=search]")).await;
    field.send_keys("HELLO\u{E007}").await.expect("typed");
    carol.wait_for_text(".search-results mark", "hello").await;
    let found = carol.texts(".search-results .search-text").await;
    assert_eq!(found, ["hello everyone"], "the guest finds only the public message");
    assert_no_violations("the search panel", &carol.accessibility_violations().await);
    carol.click(".search-result").await;
    carol.wait_for_text(".timeline .message.focused .body", "hello everyone").await;
    boss.click(".search-toggle").await;
    let field = boss.wait_for(Locator::Css(".search-panel input[type=search]")).await;
    field.send_keys("hello\u{E007}").await.expect("typed");
    boss.wait_for_text(".search-results", "private plans").await;
    boss.click(".search-panel .close-search").await;

    // A moderator (the admin, in a public room) deletes bob's message: gone everywhere.
    bob.type_into_composer("oops, wrong room\u{E007}").await;
    for browser in [&boss, &carol] {
        browser.wait_for_text(".timeline .message .body", "oops, wrong room").await;
    }
    // The admin view open: people, invite links, the moderation menu beside each person.
    boss.click(".people-admin button").await;
    boss.wait_for_text(".people", "bob").await;
    assert_no_violations("the chat view of an admin", &boss.accessibility_violations().await);
    script(
        &boss,
        "window.confirm = () => true; \
         const message = Array.from(document.querySelectorAll('.timeline .message')) \
             .find(m => m.innerText.includes('oops, wrong room')); \
         message.querySelector('button.delete').click(); return true;",
    )
    .await;
    for browser in [&boss, &bob, &carol] {
        browser.wait_for_text(".timeline .message .body.deleted", "Message deleted").await;
        assert!(browser.texts(".timeline").await.iter().all(|text| !text.contains("oops")));
    }

    // A ban closes bob's page and says why.
    let ban = boss.wait_for(Locator::Css(".moderation .ban input")).await;
    ban.send_keys("bob").await.expect("typed");
    let reason = boss.wait_for(Locator::Css(".moderation .ban label:nth-of-type(2) input")).await;
    reason.send_keys("posting spam").await.expect("typed");
    boss.click(".moderation .ban button[type=submit]").await;
    bob.wait_for_text(".login .error", "posting spam").await;

    stage.end(vec![boss, bob, carol]).await;
}
