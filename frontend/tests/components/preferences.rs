//! Theme and language (the settings panel), sorting names for the reader, and lower-casing
//! names as the server does.

use frontend::model::chat_state::RoomAction;

use super::*;

fn root() -> Element {
    document().document_element().expect("html")
}

fn choose(container: &HtmlElement, select_css: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = all(container, select_css)[0].clone().unchecked_into();
    select.set_value(value);
    select.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatched");
}

fn saved(name: &str) -> Option<String> {
    let storage = web_sys::window().expect("window").local_storage().expect("ok").expect("storage");
    storage.get_item(&format!("chat.{name}")).expect("readable")
}

#[wasm_bindgen_test]
async fn theme_and_language_switch_apply_at_once_and_are_remembered() {
    let container = mount(|| {
        provide_context(Preferences::load());
        view! {
            <SettingsPanel />
            <Composer on_send=Callback::new(|_: String| true) enabled=true />
        }
    });
    settle().await;
    choose(&container, ".theme-choice", "dark");
    settle().await;
    assert_eq!(root().get_attribute("data-theme").as_deref(), Some("dark"));
    assert_eq!(saved("theme").as_deref(), Some("dark"));
    // The stylesheet keys on this attribute (it is not loaded in this test page; the e2e
    // test checks the colours the real page shows).

    choose(&container, ".language-choice", "zh-CN");
    settle().await;
    assert_eq!(root().get_attribute("lang").as_deref(), Some("zh-CN"));
    assert_eq!(saved("lang").as_deref(), Some("zh-CN"));
    assert_eq!(text_of(&container, ".composer button"), vec!["发送"]);
    assert_eq!(text_of(&container, ".settings label span")[0], "主题");

    choose(&container, ".language-choice", "en");
    choose(&container, ".theme-choice", "system");
    settle().await;
    assert_eq!(text_of(&container, ".composer button"), vec!["Send"]);
    assert_eq!(root().get_attribute("data-theme").as_deref(), Some("system"));
}

#[wasm_bindgen_test]
async fn member_list_sorts_names_for_the_readers_language() {
    let preferences = Arc::new(Mutex::new(None::<Preferences>));
    let keep = Arc::clone(&preferences);
    let members =
        RwSignal::new(vec![nick("张三"), nick("阿明"), nick("Bob"), nick("🦀crab"), nick("alice")]);
    let container = mount(move || {
        let loaded = Preferences::load();
        loaded.lang.set(frontend::lang::Lang::En);
        *keep.lock().expect("lock") = Some(loaded);
        provide_context(loaded);
        view! { <MemberList members=members me=RwSignal::new(None) /> }
    });
    settle().await;
    let names = || text_of(&container, "li .name");
    let english = names();
    let alice = english.iter().position(|n| n == "alice");
    assert_eq!(english.iter().position(|n| n == "Bob"), alice.map(|a| a + 1), "{english:?}");
    let preferences = preferences.lock().expect("lock").expect("loaded");
    preferences.lang.set(frontend::lang::Lang::Zh);
    settle().await;
    let chinese = names();
    let position = |name: &str| chinese.iter().position(|n| n == name).expect("listed");
    assert!(position("阿明") < position("张三"), "pinyin order (a before zh): {chinese:?}");
    assert_eq!(text_of(&container, "li .avatar").len(), 5);
    assert!(text_of(&container, "li .avatar").contains(&"🦀".to_owned()));
    // Back to English, and saved so before the next test loads the preferences.
    preferences.lang.set(frontend::lang::Lang::En);
    settle().await;
}

/// The page lower-cases with the browser (`case_fold`); the server's `Nickname::key` starts from
/// Rust's `str::to_lowercase`. They must agree on every name.
#[wasm_bindgen_test]
#[allow(clippy::disallowed_methods)] // Rust's lower-casing is what the browser's must match.
fn the_browser_lower_cases_names_as_the_server_does() {
    let names = "Alice ÄRGER ΟΔΥΣΣΕΥΣ ΣΑΣ İstanbul \u{212A}elvin ǅemal ẞtraße ДМИТРИЙ Ꭰꭰ ＡＢＣ 小明 🦀Rust Ǆ ᾈ Ⓐlice";
    for name in names.split(' ') {
        let nickname = nick(name);
        assert_eq!(frontend::model::case_fold::name_key(&nickname), name.to_lowercase(), "{name}");
        assert!(
            frontend::model::case_fold::same_name(&nickname, &nick(&name.to_lowercase())),
            "{name}"
        );
    }
    assert!(!frontend::model::case_fold::same_name(&nick("Ärger"), &nick("Arger")));
}

#[wasm_bindgen_test]
async fn the_moderation_menus_tooltip_follows_the_readers_language() {
    let preferences = Arc::new(Mutex::new(None::<Preferences>));
    let keep = Arc::clone(&preferences);
    let members = RwSignal::new(vec![nick("admin"), nick("bob")]);
    let on_moderate = RwSignal::new(Some(Callback::new(|_: (Nickname, RoomAction)| {})));
    let container = mount(move || {
        let loaded = Preferences::load();
        loaded.lang.set(frontend::lang::Lang::En);
        *keep.lock().expect("lock") = Some(loaded);
        provide_context(loaded);
        view! {
            <MemberList members=members me=RwSignal::new(Some(nick("bob"))) on_moderate=on_moderate />
        }
    });
    settle().await;
    let tooltip = || all(&container, "details.moderate summary")[0].get_attribute("title");
    assert_eq!(tooltip().as_deref(), Some("Moderate admin"));
    let preferences = preferences.lock().expect("lock").expect("loaded");
    preferences.lang.set(frontend::lang::Lang::Zh);
    settle().await;
    assert_eq!(tooltip().as_deref(), Some("管理 admin"));
    // Back to English, and saved so before the next test loads the preferences.
    preferences.lang.set(frontend::lang::Lang::En);
    settle().await;
}
