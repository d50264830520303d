//! Browser tests: mount components in headless Chromium and check what they render and do.
//! Run with `CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome frontend`.
#![cfg(target_arch = "wasm32")]

use std::sync::{Arc, Mutex};

use common::{ChatMessage, ClientId, ErrorCode, Markup, MessageBody, Nickname, RoomName};
use frontend::chat_state::{HistoryStatus, TimelineEntry};
use frontend::components::{
    Composer, ConnectionIndicator, MemberList, MessageList, RichText, RoomList, RoomListItem,
    SettingsPanel, status_label,
};
use frontend::connection::ConnectionStatus;
use frontend::i18n::EN;
use frontend::outbox::Outgoing;
use frontend::preferences::Preferences;
use frontend::problem::Refusal;
use frontend::room_state::NoticeEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlButtonElement, HtmlElement, HtmlTextAreaElement, KeyboardEvent};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().expect("window").document().expect("document")
}

/// Mounts `view` in a fresh container and returns the container.
fn mount<N: IntoView + 'static>(view: impl FnOnce() -> N + 'static) -> HtmlElement {
    let container: HtmlElement = document().create_element("div").expect("div").unchecked_into();
    document().body().expect("body").append_child(&container).expect("appended");
    leptos::mount::mount_to(container.clone(), view).forget();
    container
}

/// Lets effects, animation frames and re-renders run.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 60)
            .expect("timer");
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.expect("timer fired");
}

fn all(container: &HtmlElement, css: &str) -> Vec<Element> {
    let nodes = container.query_selector_all(css).expect("valid selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|node| node.unchecked_into::<Element>())
        .collect()
}

fn text_of(container: &HtmlElement, css: &str) -> Vec<String> {
    all(container, css).iter().map(|e| e.text_content().unwrap_or_default()).collect()
}

fn nick(s: &str) -> Nickname {
    Nickname::parse(s).expect("valid")
}

fn message(seq: u64, author: &str, body: &str) -> TimelineEntry {
    message_at(seq, author, body, 1_700_000_000_000)
}

fn message_at(seq: u64, author: &str, body: &str, sent_at: i64) -> TimelineEntry {
    TimelineEntry::Message(ChatMessage {
        room: RoomName::lobby(),
        seq,
        id: format!("m{seq}"),
        client_id: ClientId::parse(&format!("c{seq}")).expect("valid"),
        author: nick(author),
        body: MessageBody::parse(body).expect("valid"),
        sent_at,
    })
}

// ---- MessageList ----

/// Mounts a message list; returns its container and a count of "load older" requests.
fn mount_list(
    entries: RwSignal<Vec<TimelineEntry>>,
    me: RwSignal<Option<Nickname>>,
    history: RwSignal<HistoryStatus>,
) -> (HtmlElement, Arc<Mutex<u32>>) {
    let loads = Arc::new(Mutex::new(0));
    let count = Arc::clone(&loads);
    let on_load_older = Callback::new(move |()| *count.lock().expect("lock") += 1);
    let container = mount(move || {
        view! { <MessageList entries=entries me=me history=history on_load_older=on_load_older /> }
    });
    (container, loads)
}

fn start_of_room() -> RwSignal<HistoryStatus> {
    RwSignal::new(HistoryStatus { loading: false, reaches_start: true })
}

/// Gives timelines a fixed height so they overflow (the page's stylesheet is not loaded).
fn fixed_height_timelines() {
    let style = document().create_element("style").expect("style");
    style.set_text_content(Some(".timeline { display: block; height: 120px; overflow-y: auto; }"));
    document().head().expect("head").append_child(&style).expect("appended");
}

fn scroll_list_to(list: &HtmlElement, top: i32) {
    list.set_scroll_top(top);
    list.dispatch_event(&web_sys::Event::new("scroll").expect("event")).expect("dispatched");
}

#[wasm_bindgen_test]
async fn message_list_shows_markup_as_text_and_marks_own_messages() {
    let payload = "<img src=x onerror=alert(1)>";
    let entries = RwSignal::new(vec![
        message(1, "alice", "hi bob"),
        message(2, payload, payload),
        TimelineEntry::Notice { id: 1, event: NoticeEvent::Joined(nick(payload)) },
    ]);
    let me = RwSignal::new(Some(nick("alice")));
    let (container, _) = mount_list(entries, me, start_of_room());
    settle().await;

    assert_eq!(text_of(&container, ".message .body"), vec!["hi bob", payload]);
    assert_eq!(text_of(&container, ".message .author"), vec!["alice", payload]);
    assert_eq!(text_of(&container, ".message.mine .body"), vec!["hi bob"]);
    assert_eq!(text_of(&container, ".notice"), vec![format!("{payload} joined")]);
    assert!(all(&container, "img").is_empty(), "user text became an element");
}

#[wasm_bindgen_test]
async fn message_list_adds_messages_as_they_arrive() {
    let entries = RwSignal::new(vec![message(1, "bob", "one")]);
    let me = RwSignal::new(Some(nick("alice")));
    let (container, _) = mount_list(entries, me, start_of_room());
    settle().await;
    entries.update(|list| list.push(message(2, "bob", "two\nlines")));
    settle().await;
    assert_eq!(text_of(&container, ".message .body"), vec!["one", "two\nlines"]);
}

#[wasm_bindgen_test]
async fn message_list_separates_days_in_local_time() {
    let now = js_sys::Date::now() as i64;
    let at = |seq, sent_at| match message(seq, "bob", "hi") {
        TimelineEntry::Message(mut m) => {
            m.sent_at = sent_at;
            TimelineEntry::Message(m)
        }
        other => other,
    };
    let long_ago = 1_700_000_000_000; // 14 November 2023
    let entries = RwSignal::new(vec![at(1, long_ago), at(2, long_ago + 60_000), at(3, now)]);
    let (container, _) = mount_list(entries, RwSignal::new(None), start_of_room());
    settle().await;
    let days = text_of(&container, ".day");
    assert_eq!(days.len(), 2, "{days:?}");
    assert!(days[0].contains("2023"), "{days:?}");
    assert_eq!(days[1], "Today");
    // Old messages show the clock time (the second, a minute after the first by the same
    // person, only on hover); the one just sent says "now".
    let clock = |t: &String| t.len() == 5 && t.as_bytes()[2] == b':';
    let headed = text_of(&container, ".message .meta time");
    assert_eq!(headed.len(), 2, "{headed:?}");
    assert!(clock(&headed[0]), "{headed:?}");
    assert_eq!(headed[1], "now");
    let quiet = text_of(&container, ".message .quiet-time");
    assert!(quiet.len() == 1 && clock(&quiet[0]), "{quiet:?}");
}

#[wasm_bindgen_test]
async fn message_list_follows_new_messages_unless_the_reader_scrolled_up() {
    fixed_height_timelines();
    let entries = RwSignal::new((1..=30).map(|n| message(n, "bob", "line")).collect::<Vec<_>>());
    let (container, _) = mount_list(entries, RwSignal::new(None), start_of_room());
    settle().await;
    let list: HtmlElement = all(&container, ".timeline")[0].clone().unchecked_into();
    let at_bottom =
        |list: &HtmlElement| list.scroll_height() - list.scroll_top() - list.client_height() <= 1;
    assert!(list.scroll_height() > list.client_height(), "the list overflows");

    entries.update(|list| list.push(message(31, "bob", "new")));
    settle().await;
    assert!(at_bottom(&list), "a reader at the bottom follows new messages");

    scroll_list_to(&list, 0);
    entries.update(|list| list.push(message(32, "bob", "newer")));
    settle().await;
    assert_eq!(list.scroll_top(), 0, "a reader who scrolled up stays where they are");
}

#[wasm_bindgen_test]
async fn message_list_asks_for_older_messages_at_the_top_and_keeps_the_view_steady() {
    fixed_height_timelines();
    // Two people take turns, so no message's heading comes or goes when older ones arrive.
    let speaker = |n: u64| if n.is_multiple_of(2) { "bob" } else { "ann" };
    let entries =
        RwSignal::new((51..=80).map(|n| message(n, speaker(n), "line")).collect::<Vec<_>>());
    let history = RwSignal::new(HistoryStatus::default());
    let (container, loads) = mount_list(entries, RwSignal::new(None), history);
    settle().await;
    assert!(text_of(&container, ".history-edge").concat().contains("Load older messages"));
    let list: HtmlElement = all(&container, ".timeline")[0].clone().unchecked_into();

    scroll_list_to(&list, 0);
    assert_eq!(*loads.lock().expect("lock"), 1, "reaching the top asks for the page before");
    history.set(HistoryStatus { loading: true, reaches_start: false });
    scroll_list_to(&list, 0);
    assert_eq!(*loads.lock().expect("lock"), 1, "not again while one is loading");

    // The page arrives above what the reader is looking at: it stays in view.
    let seq_51 = |container: &HtmlElement| -> i32 {
        let row: HtmlElement = all(container, "[data-seq='51']")[0].clone().unchecked_into();
        row.offset_top() - list.scroll_top()
    };
    let before = seq_51(&container);
    entries.update(|list| {
        let mut older: Vec<_> = (21..=50).map(|n| message(n, speaker(n), "older")).collect();
        older.append(list);
        *list = older;
    });
    history.set(HistoryStatus { loading: false, reaches_start: true });
    settle().await;
    assert!((seq_51(&container) - before).abs() <= 2, "the message in view did not move");
    assert_eq!(
        text_of(&container, ".history-edge"),
        vec!["This is the beginning of the room.".to_owned()]
    );
    scroll_list_to(&list, 0);
    assert_eq!(*loads.lock().expect("lock"), 1, "nothing to load before the start");
}

#[wasm_bindgen_test]
async fn message_list_shows_pending_messages_last_and_failed_ones_with_retry_and_discard() {
    let entries = RwSignal::new(vec![message(1, "bob", "hi alice")]);
    let outgoing = |id: &str, body: &str, failed: Option<&str>| Outgoing {
        client_id: ClientId::parse(id).expect("valid"),
        room: RoomName::lobby(),
        author: nick("alice"),
        body: MessageBody::parse(body).expect("valid"),
        written_at: 0,
        failed: failed.map(|message: &str| Refusal {
            code: ErrorCode::InvalidBody,
            message: message.to_owned(),
        }),
        in_flight: None,
    };
    let pending = RwSignal::new(vec![
        outgoing("c-1", "<b>not yet</b>", None),
        outgoing("c-2", "far too long", Some("the message is too long")),
    ]);
    let retried = Arc::new(Mutex::new(Vec::new()));
    let discarded = Arc::new(Mutex::new(Vec::new()));
    let (retry_log, discard_log) = (Arc::clone(&retried), Arc::clone(&discarded));
    let on_retry = Callback::new(move |id: ClientId| retry_log.lock().expect("lock").push(id));
    let on_discard = Callback::new(move |id: ClientId| discard_log.lock().expect("lock").push(id));
    let container = mount(move || {
        view! {
            <MessageList
                entries=entries
                me=RwSignal::new(Some(nick("alice")))
                history=start_of_room()
                on_load_older=Callback::new(|()| {})
                pending=pending
                on_retry=on_retry
                on_discard=on_discard
            />
        }
    });
    settle().await;
    assert_eq!(
        text_of(&container, ".message .body"),
        vec!["hi alice", "<b>not yet</b>", "far too long"],
        "pending messages come last, as text"
    );
    assert_eq!(
        text_of(&container, ".message.pending .status"),
        vec!["Sending…", "Not sent: the message is too long"]
    );
    assert_eq!(all(&container, ".message.pending.failed").len(), 1);
    for (css, log) in [(".failed .retry", &retried), (".failed .discard", &discarded)] {
        let button: HtmlButtonElement = all(&container, css)[0].clone().unchecked_into();
        button.click();
        assert_eq!(log.lock().expect("lock").clone(), vec![ClientId::parse("c-2").expect("valid")]);
    }
    // Acknowledged: it leaves the pending list (and the timeline shows it).
    pending.update(|list| list.retain(|o| o.client_id.as_str() != "c-1"));
    settle().await;
    assert_eq!(text_of(&container, ".message.pending .body"), vec!["far too long"]);
}

// ---- Hostile text ----

/// Known XSS payloads, one per line.
fn xss_payloads() -> Vec<&'static str> {
    include_str!("xss_payloads.txt").lines().filter(|line| !line.is_empty()).collect()
}

/// Makes `alert`, `prompt`, `confirm` and `print` record that they ran instead of blocking.
fn trap_script_execution() {
    let window = web_sys::window().expect("window");
    let trap = js_sys::Function::new_no_args("window.xssFired = true;");
    for name in ["alert", "prompt", "confirm", "print"] {
        js_sys::Reflect::set(&window, &name.into(), &trap).expect("trap set");
    }
}

fn script_ran() -> bool {
    let window = web_sys::window().expect("window");
    js_sys::Reflect::get(&window, &"xssFired".into()).is_ok_and(|fired| fired.is_truthy())
}

#[wasm_bindgen_test]
async fn xss_payloads_as_messages_and_nicknames_stay_text_and_never_run() {
    let payloads = xss_payloads();
    assert!(payloads.len() >= 30, "the corpus has {} payloads", payloads.len());
    trap_script_execution();
    // As nicknames: those short enough to be one (a nickname has at most 32 characters).
    let names: Vec<Nickname> = payloads.iter().filter_map(|p| Nickname::parse(p).ok()).collect();
    assert!(names.len() >= 10, "only {} payloads fit in a nickname", names.len());
    let entries: Vec<TimelineEntry> = payloads
        .iter()
        .enumerate()
        .map(|(n, payload)| {
            let author = names[n % names.len()].as_str();
            message(n as u64 + 1, author, payload)
        })
        .collect();
    let entries = RwSignal::new(entries);
    let members = RwSignal::new(names.clone());
    let me = RwSignal::new(Some(names[0].clone()));
    let container = mount(move || {
        view! {
            <MessageList
                entries=entries
                me=me
                history=start_of_room()
                on_load_older=Callback::new(|()| {})
            />
            <MemberList members=members me=me />
        }
    });
    settle().await;
    settle().await;

    let bodies = all(&container, ".message .body");
    assert_eq!(bodies.len(), payloads.len());
    for (body, payload) in bodies.iter().zip(&payloads) {
        // The text survives (less any Markdown markers it spelled)...
        let text = Markup::parse(payload).plain_text();
        assert_eq!(body.text_content().as_deref(), Some(text.as_str()), "{payload}");
        // ...and the only elements are the renderer's own.
        let elements = body.query_selector_all("*").expect("selector");
        for i in 0..elements.length() {
            let element: Element = elements.item(i).expect("item").unchecked_into();
            let tag = element.tag_name();
            assert!(
                ["P", "STRONG", "EM", "CODE", "PRE", "A"].contains(&tag.as_str()),
                "{payload} made <{tag}>"
            );
            assert_eq!(
                element.get_attribute_names().length(),
                if tag == "A" { 3 } else { 0 },
                "{payload}"
            );
            if tag == "A" {
                let href = element.get_attribute("href").unwrap_or_default().to_ascii_lowercase();
                assert!(href.starts_with("http://") || href.starts_with("https://"), "{href}");
            }
        }
    }
    for author in all(&container, ".message .author") {
        assert_eq!(author.child_element_count(), 0, "a nickname made elements");
    }
    let listed = text_of(&container, ".members li .name");
    for name in &names {
        assert!(listed.iter().any(|item| item == name.as_str()), "{name} listed");
    }
    let injected = "script, img, svg, iframe, object, embed, video, audio, input, details, \
                    form, marquee, meta, base, link, style, select, math, noscript, x";
    assert!(all(&container, injected).is_empty(), "user text became elements");
    assert!(!script_ran(), "a payload ran");

    // Room names cannot carry any of them: the name rules refuse each one before it could
    // reach a page.
    for payload in &payloads {
        assert!(RoomName::parse(payload).is_err(), "{payload} accepted as a room name");
    }
}

// ---- Composer ----

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

// ---- ConnectionIndicator ----

#[wasm_bindgen_test]
async fn connection_indicator_shows_each_state() {
    let status = RwSignal::new(ConnectionStatus::Connecting);
    let container = mount(move || view! { <ConnectionIndicator status=status /> });
    let check = |class: &str, label: &str| {
        let indicator = &all(&container, ".connection")[0];
        assert!(indicator.class_list().contains(class), "class {class}");
        assert_eq!(text_of(&container, ".connection .label"), vec![label.to_owned()]);
        assert_eq!(indicator.get_attribute("role").as_deref(), Some("status"));
    };
    settle().await;
    check("connecting", "Connecting…");
    status.set(ConnectionStatus::Connected);
    settle().await;
    check("connected", "Connected");
    let in_a_while = js_sys::Date::now() as i64 + 60_000;
    status.set(ConnectionStatus::Reconnecting {
        reason: "the server is restarting".into(),
        retry_at_ms: in_a_while,
    });
    settle().await;
    check("reconnecting", "Reconnecting in 60 s");
    let indicator = &all(&container, ".connection")[0];
    assert_eq!(indicator.get_attribute("title").as_deref(), Some("the server is restarting"));
}

#[wasm_bindgen_test]
fn the_connection_label_counts_down_and_counts_unsent_messages() {
    let waiting = ConnectionStatus::Reconnecting { reason: "lost".into(), retry_at_ms: 10_500 };
    assert_eq!(status_label(&EN, &waiting, 10_000, true, 0), "Reconnecting in 1 s");
    assert_eq!(
        status_label(&EN, &waiting, 5_000, true, 1),
        "Reconnecting in 6 s · 1 unsent message"
    );
    assert_eq!(status_label(&EN, &waiting, 5_000, false, 3), "Offline · 3 unsent messages");
    assert_eq!(status_label(&EN, &ConnectionStatus::Connected, 0, true, 2), "Connected");
}

// ---- MemberList ----

#[wasm_bindgen_test]
async fn member_list_shows_everyone_and_marks_me() {
    let members = RwSignal::new(vec![nick("alice"), nick("bob")]);
    let me = RwSignal::new(Some(nick("bob")));
    let container = mount(move || view! { <MemberList members=members me=me /> });
    settle().await;
    assert_eq!(text_of(&container, "li .name"), vec!["alice", "bob"]);
    assert_eq!(text_of(&container, "li.me .name"), vec!["bob"]);
    assert_eq!(text_of(&container, "li .you"), vec!["(you)"]);
    assert_eq!(text_of(&container, "li .avatar"), vec!["a", "b"]);
    members.update(|list| list.retain(|m| m.as_str() != "alice"));
    settle().await;
    assert_eq!(text_of(&container, "li .name"), vec!["bob"]);
    assert!(text_of(&container, "h2")[0].contains('1'));
}

// ---- RoomList ----

#[wasm_bindgen_test]
async fn room_list_links_rooms_marks_the_current_one_and_shows_unread_badges() {
    let item = |name: &str, unread, current| RoomListItem {
        name: RoomName::parse(name).expect("valid"),
        unread,
        current,
    };
    let rooms = RwSignal::new(vec![item("lobby", 0, true), item("rust", 3, false)]);
    let created = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&created);
    let on_create = Callback::new(move |name: String| {
        record.lock().expect("lock").push(name);
        true
    });
    let container = mount(move || view! { <RoomList rooms=rooms on_create=on_create /> });
    settle().await;

    let links = all(&container, "li a");
    let hrefs: Vec<String> = links.iter().filter_map(|a| a.get_attribute("href")).collect();
    assert_eq!(hrefs, vec!["#/r/lobby", "#/r/rust"]);
    assert_eq!(text_of(&container, "li.current a"), vec!["#lobby"]);
    assert_eq!(links[0].get_attribute("aria-current").as_deref(), Some("page"));
    assert_eq!(text_of(&container, ".badge [aria-hidden]"), vec!["3"]);
    assert_eq!(text_of(&container, ".badge .visually-hidden"), vec!["3 unread messages"]);

    rooms.set(vec![item("lobby", 1, false), item("rust", 0, true)]);
    settle().await;
    assert_eq!(text_of(&container, "li.current a"), vec!["#rust"]);
    assert_eq!(
        text_of(&container, ".badge [aria-hidden]"),
        vec!["1"],
        "the room read loses its badge"
    );

    let input: web_sys::HtmlInputElement =
        all(&container, ".new-room input")[0].clone().unchecked_into();
    input.set_value("new-room");
    input.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatched");
    settle().await;
    let button: HtmlButtonElement = all(&container, ".new-room button")[0].clone().unchecked_into();
    button.click();
    settle().await;
    assert_eq!(*created.lock().expect("lock"), vec!["new-room".to_owned()]);
    assert_eq!(input.value(), "", "the box clears once the request went out");
}

// ---- Rich text ----

#[wasm_bindgen_test]
async fn rich_text_renders_the_markdown_subset_as_elements() {
    let text = "**bold *both*** `x < y` see https://example.org/a?b=1.\n```rust\nfn main() {}\n```";
    let container = mount(move || view! { <RichText text=text /> });
    settle().await;
    assert_eq!(text_of(&container, "strong"), vec!["bold both"]);
    assert_eq!(text_of(&container, "strong em"), vec!["both"]);
    assert_eq!(text_of(&container, "p code"), vec!["x < y"]);
    assert_eq!(text_of(&container, "pre code"), vec!["fn main() {}"]);
    assert_eq!(
        all(&container, "pre code")[0].get_attribute("data-language").as_deref(),
        Some("rust")
    );
    let link = &all(&container, "a")[0];
    assert_eq!(link.get_attribute("href").as_deref(), Some("https://example.org/a?b=1"));
    assert_eq!(link.get_attribute("rel").as_deref(), Some("noopener noreferrer"));
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
}

#[wasm_bindgen_test]
async fn rich_text_never_links_anything_but_http() {
    let text =
        "javascript:alert(1) [x](javascript:alert(1)) data:text/html,<b>x</b> <a href=x>y</a>";
    let container = mount(move || view! { <RichText text=text /> });
    settle().await;
    assert!(all(&container, "a, b").is_empty(), "no element came from the text");
    assert_eq!(text_of(&container, "p"), vec![text]);
}

// ---- Grouping, the new-messages button, the unread marker, announcements ----

#[wasm_bindgen_test]
async fn message_list_groups_one_persons_messages_in_a_row() {
    let minute = 60_000;
    let noon = js_sys::Date::new(&wasm_bindgen::JsValue::from_str("2026-11-20T12:00:00")).get_time()
        as i64;
    let entries = RwSignal::new(vec![
        message_at(1, "bob", "one", noon),
        message_at(2, "bob", "two", noon + minute),
        message_at(3, "bob", "three", noon + 2 * minute),
        message_at(4, "ann", "four", noon + 3 * minute),
        message_at(5, "bob", "five", noon + 20 * minute),
    ]);
    let (container, _) = mount_list(entries, RwSignal::new(None), start_of_room());
    settle().await;
    assert_eq!(text_of(&container, ".message .author"), vec!["bob", "ann", "bob"]);
    assert_eq!(text_of(&container, ".message.continues .body"), vec!["two", "three"]);
    assert_eq!(text_of(&container, ".message .avatar"), vec!["b", "a", "b"]);
    // An older message by bob arrives above: the first heading moves up to it.
    entries.update(|list| list.insert(0, message_at(0, "bob", "zero", noon - minute)));
    settle().await;
    assert_eq!(text_of(&container, ".message.continues .body"), vec!["one", "two", "three"]);
}

#[wasm_bindgen_test]
async fn message_list_offers_a_jump_to_new_messages_below_a_reader_who_scrolled_up() {
    fixed_height_timelines();
    let entries = RwSignal::new((1..=30).map(|n| message(n, "bob", "line")).collect::<Vec<_>>());
    let (container, _) = mount_list(entries, RwSignal::new(Some(nick("alice"))), start_of_room());
    settle().await;
    let list: HtmlElement = all(&container, ".timeline")[0].clone().unchecked_into();
    assert!(all(&container, ".jump").is_empty(), "nothing new yet");

    scroll_list_to(&list, 0);
    entries.update(|list| {
        list.push(message(31, "carol", "new one"));
        list.push(message(32, "carol", "new two"));
    });
    settle().await;
    assert_eq!(list.scroll_top(), 0, "the reader was not moved");
    assert_eq!(text_of(&container, ".jump"), vec!["2 new messages ↓"]);

    let jump: HtmlButtonElement = all(&container, ".jump")[0].clone().unchecked_into();
    jump.click();
    settle().await;
    assert!(list.scroll_height() - list.scroll_top() - list.client_height() <= 1, "at the latest");
    assert!(all(&container, ".jump").is_empty(), "the button goes once read");
}

#[wasm_bindgen_test]
async fn message_list_marks_where_the_reader_left_off() {
    let entries = RwSignal::new((1..=4).map(|n| message(n, "bob", "hi")).collect::<Vec<_>>());
    let read_marker = RwSignal::new(Some(2_u64));
    let container = mount(move || {
        view! {
            <MessageList
                entries=entries
                me=RwSignal::new(None)
                history=start_of_room()
                read_marker=read_marker
                on_load_older=Callback::new(|()| {})
            />
        }
    });
    settle().await;
    let marker = &all(&container, ".unread-marker")[0];
    let next: Element = marker.next_element_sibling().expect("a row after the marker");
    assert_eq!(next.get_attribute("data-seq").as_deref(), Some("3"));
    read_marker.set(None);
    settle().await;
    assert!(all(&container, ".unread-marker").is_empty());
}

#[wasm_bindgen_test]
async fn message_list_announces_others_messages_politely() {
    let entries = RwSignal::new(vec![message(1, "bob", "old")]);
    let (container, _) = mount_list(entries, RwSignal::new(Some(nick("alice"))), start_of_room());
    settle().await;
    let region = || text_of(&container, "[aria-live='polite']").concat();
    assert_eq!(region(), "", "what was there already is not read out");
    entries.update(|list| list.push(message(2, "bob", "**hello** there")));
    settle().await;
    assert_eq!(region(), "bob: hello there");
    entries.update(|list| list.push(message(3, "alice", "mine")));
    settle().await;
    assert_eq!(region(), "bob: hello there", "the reader's own message is not read back");
}

// ---- Theme, language, sorting ----

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
        loaded.lang.set(frontend::i18n::Lang::En);
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
    preferences.lang.set(frontend::i18n::Lang::Zh);
    settle().await;
    let chinese = names();
    let position = |name: &str| chinese.iter().position(|n| n == name).expect("listed");
    assert!(position("阿明") < position("张三"), "pinyin order (a before zh): {chinese:?}");
    assert_eq!(text_of(&container, "li .avatar").len(), 5);
    assert!(text_of(&container, "li .avatar").contains(&"🦀".to_owned()));
    preferences.lang.set(frontend::i18n::Lang::En);
}

/// The page lower-cases with the browser (`case_fold`); the server compares nicknames with
/// Rust's `str::to_lowercase` (`Nickname::key`). They must agree on every name's key.
#[wasm_bindgen_test]
#[allow(clippy::disallowed_methods)] // Rust's lower-casing is what the browser's must match.
fn the_browser_lower_cases_names_as_the_server_does() {
    let names = "Alice ÄRGER ΟΔΥΣΣΕΥΣ ΣΑΣ İstanbul \u{212A}elvin ǅemal ẞtraße ДМИТРИЙ Ꭰꭰ ＡＢＣ 小明 🦀Rust Ǆ ᾈ Ⓐlice";
    for name in names.split(' ') {
        let nickname = nick(name);
        assert_eq!(frontend::case_fold::name_key(&nickname), name.to_lowercase(), "{name}");
        assert!(frontend::case_fold::same_name(&nickname, &nick(&name.to_lowercase())), "{name}");
    }
    assert!(!frontend::case_fold::same_name(&nick("Ärger"), &nick("Arger")));
}
