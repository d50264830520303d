//! `Composer`: Enter sends, Shift+Enter breaks the line, blank and offline sends are held.

use super::*;

struct ComposerHarness {
    container: HtmlElement,
    sent: Arc<Mutex<Vec<String>>>,
}

impl ComposerHarness {
    fn mount(accept: bool, enabled: bool) -> Self {
        let sent = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&sent);
        let on_send = Callback::new(move |text: String| {
            record.lock().expect("lock").push(text);
            accept
        });
        let container = mount(move || view! { <Composer on_send=on_send enabled=enabled /> });
        Self { container, sent }
    }

    fn textarea(&self) -> HtmlTextAreaElement {
        all(&self.container, "textarea")[0].clone().unchecked_into()
    }

    fn button(&self) -> HtmlButtonElement {
        all(&self.container, "button")[0].clone().unchecked_into()
    }

    fn type_text(&self, text: &str) {
        let textarea = self.textarea();
        textarea.set_value(text);
        textarea.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatched");
    }

    /// Presses Enter (with Shift if asked); returns whether the page prevented the default
    /// (which, for a textarea, is inserting a new line).
    fn press_enter(&self, shift: bool) -> bool {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("Enter");
        init.set_shift_key(shift);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event =
            KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
        self.textarea().dispatch_event(&event).expect("dispatched");
        event.default_prevented()
    }

    fn sent(&self) -> Vec<String> {
        self.sent.lock().expect("lock").clone()
    }
}

#[wasm_bindgen_test]
async fn composer_enter_sends_and_clears() {
    let composer = ComposerHarness::mount(true, true);
    composer.type_text("hello\nworld");
    settle().await;
    assert!(composer.press_enter(false), "Enter must not also insert a new line");
    settle().await;
    assert_eq!(composer.sent(), vec!["hello\nworld"]);
    assert_eq!(composer.textarea().value(), "");
}

#[wasm_bindgen_test]
async fn composer_shift_enter_makes_a_new_line_instead_of_sending() {
    let composer = ComposerHarness::mount(true, true);
    composer.type_text("first line");
    settle().await;
    assert!(!composer.press_enter(true), "Shift+Enter keeps the browser's new line");
    settle().await;
    assert!(composer.sent().is_empty());
    assert_eq!(composer.textarea().value(), "first line");
}

#[wasm_bindgen_test]
async fn composer_never_sends_a_blank_message() {
    let composer = ComposerHarness::mount(true, true);
    assert!(composer.button().disabled(), "Send is disabled while empty");
    composer.type_text("  \n ");
    settle().await;
    assert!(composer.button().disabled(), "Send is disabled while blank");
    composer.press_enter(false);
    settle().await;
    assert!(composer.sent().is_empty());
    composer.type_text("x");
    settle().await;
    assert!(!composer.button().disabled());
}

#[wasm_bindgen_test]
async fn composer_reports_typing_only_while_there_is_text() {
    let typed = Arc::new(Mutex::new(0));
    let count = Arc::clone(&typed);
    let on_typing = Callback::new(move |()| *count.lock().expect("lock") += 1);
    let on_send = Callback::new(|_: String| true);
    let container =
        mount(move || view! { <Composer on_send=on_send enabled=true on_typing=on_typing /> });
    let textarea: HtmlTextAreaElement = all(&container, "textarea")[0].clone().unchecked_into();
    for text in ["h", "hi", "   ", ""] {
        textarea.set_value(text);
        textarea.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("sent");
    }
    settle().await;
    assert_eq!(*typed.lock().expect("lock"), 2, "two edits left text; blanking it is not typing");
}

#[wasm_bindgen_test]
async fn composer_keeps_the_text_when_sending_is_refused() {
    let composer = ComposerHarness::mount(false, true);
    composer.type_text("keep me");
    settle().await;
    composer.press_enter(false);
    settle().await;
    assert_eq!(composer.sent(), vec!["keep me"]);
    assert_eq!(composer.textarea().value(), "keep me");
}

#[wasm_bindgen_test]
async fn composer_does_not_send_while_disconnected() {
    let composer = ComposerHarness::mount(true, false);
    composer.type_text("later");
    settle().await;
    assert!(composer.button().disabled());
    composer.press_enter(false);
    settle().await;
    assert!(composer.sent().is_empty());
    assert_eq!(composer.textarea().value(), "later");
}

#[wasm_bindgen_test]
async fn composer_counts_down_near_the_limit_and_refuses_an_over_long_message_whole() {
    let composer = ComposerHarness::mount(true, true);
    let counter =
        || composer.container.query_selector(".composer-count").expect("ok").expect("there");
    composer.type_text(&"x".repeat(100));
    settle().await;
    assert_eq!(counter().text_content().as_deref(), Some(""), "no counter far from the limit");

    // Emoji count as one character each, as the server counts them.
    composer.type_text(&"🙂".repeat(3_999));
    settle().await;
    assert_eq!(counter().text_content().as_deref(), Some("1 character left"));
    assert!(!composer.button().disabled());

    let over = "🙂".repeat(4_012);
    composer.type_text(&over);
    settle().await;
    assert_eq!(
        counter().text_content().as_deref(),
        Some("12 characters too many: shorten it to send")
    );
    assert!(composer.button().disabled(), "Send is disabled while too long");
    assert_eq!(composer.textarea().value(), over, "nothing is cut off");
    assert_eq!(composer.textarea().get_attribute("aria-invalid").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn composer_takes_the_focus_when_it_appears_and_when_the_room_changes() {
    let (room, set_room) = signal("lobby".to_owned());
    let on_send = Callback::new(|_: String| true);
    let container = mount(move || {
        view! {
            <button>"elsewhere"</button>
            <Composer on_send=on_send enabled=true focus_for=room />
        }
    });
    settle().await;
    let textarea: HtmlTextAreaElement = all(&container, "textarea")[0].clone().unchecked_into();
    let focused = || document().active_element().is_some_and(|active| active == **textarea);
    assert!(focused(), "focused when it appears");
    let other: HtmlElement = all(&container, "button")[0].clone().unchecked_into();
    other.focus().expect("focus");
    assert!(!focused());
    set_room.set("rust".to_owned());
    settle().await;
    assert!(focused(), "focused again in the next room");
}

#[wasm_bindgen_test]
async fn composer_offers_the_rooms_people_after_an_at_and_puts_the_chosen_name_in() {
    let sent = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&sent);
    let on_send = Callback::new(move |text: String| {
        record.lock().expect("lock").push(text);
        true
    });
    let people = vec![nick("alice"), nick("Albert"), nick("bob")];
    let me = Some(nick("alice"));
    let container = mount(move || {
        view! { <Composer on_send=on_send enabled=true people=people.clone() me=me.clone() /> }
    });
    let textarea: HtmlTextAreaElement = all(&container, "textarea")[0].clone().unchecked_into();
    let key = |key: &str| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event =
            KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
        textarea.dispatch_event(&event).expect("dispatched");
        event.default_prevented()
    };
    let type_text = |text: &str| {
        textarea.set_value(text);
        textarea.set_selection_range(text.len() as u32, text.len() as u32).expect("caret");
        textarea.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("sent");
    };

    type_text("hi @");
    settle().await;
    assert_eq!(text_of(&container, ".mentions [role=option]"), vec!["@Albert", "@bob"], "not me");
    type_text("hi @b");
    settle().await;
    assert_eq!(text_of(&container, ".mentions [role=option]"), vec!["@bob"]);
    assert_eq!(
        textarea.get_attribute("aria-activedescendant").as_deref(),
        Some("mention-option-0")
    );

    // Enter takes the name instead of sending.
    assert!(key("Enter"));
    settle().await;
    assert_eq!(textarea.value(), "hi @bob ");
    assert!(all(&container, ".mentions").is_empty());
    assert!(sent.lock().expect("lock").is_empty(), "nothing sent yet");

    // Arrows choose; Escape closes and Enter then sends.
    type_text("hi @bob and @");
    settle().await;
    assert!(key("ArrowDown"));
    settle().await;
    let chosen = all(&container, ".mentions [aria-selected=true]");
    assert_eq!(chosen[0].text_content().as_deref(), Some("@bob"));
    assert!(key("Escape"));
    settle().await;
    assert!(all(&container, ".mentions").is_empty());
    assert!(key("Enter"));
    settle().await;
    assert_eq!(sent.lock().expect("lock").clone(), vec!["hi @bob and @".to_owned()]);
}
