//! `MessageList`: markup as text, own messages, days, following new messages, older pages,
//! pending and failed messages, grouping, the jump to new messages, the unread marker and
//! announcements.

use super::*;

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
    history.set(HistoryStatus { loading: true, ..HistoryStatus::default() });
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
    history.set(HistoryStatus { reaches_start: true, ..HistoryStatus::default() });
    settle().await;
    assert!((seq_51(&container) - before).abs() <= 2, "the message in view did not move");
    assert_eq!(
        text_of(&container, ".history-edge"),
        vec!["This is the beginning of the room.".to_owned()]
    );
    scroll_list_to(&list, 0);
    assert_eq!(*loads.lock().expect("lock"), 1, "nothing to load before the start");

    // Where the server's retention removed the older ones, the top says so instead.
    history.set(HistoryStatus { reaches_start: true, older_removed: true, loading: false });
    settle().await;
    assert_eq!(
        text_of(&container, ".history-edge"),
        vec!["Older messages are no longer kept.".to_owned()]
    );
}

#[wasm_bindgen_test]
async fn message_list_shows_pending_messages_last_and_failed_ones_with_retry_and_discard() {
    let entries = RwSignal::new(vec![message(1, "bob", "hi alice")]);
    let outgoing = |id: &str, body: &str, failed: Option<&str>| Outgoing {
        client_id: ClientId::parse(id).expect("valid"),
        room: RoomName::lobby(),
        author: nick("alice"),
        body: MessageBody::parse(body).expect("valid"),
        edits: None,
        reply_to: None,
        written_at: 0,
        failed: failed.map(|message: &str| ServerRefusal {
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

#[wasm_bindgen_test]
async fn message_list_brings_a_reader_who_writes_to_the_bottom() {
    fixed_height_timelines();
    let entries = RwSignal::new((1..=30).map(|n| message(n, "bob", "line")).collect::<Vec<_>>());
    let pending = RwSignal::new(Vec::<Outgoing>::new());
    let container = mount(move || {
        view! {
            <MessageList
                entries=entries
                me=Some(nick("alice"))
                history=start_of_room()
                on_load_older=Callback::new(|()| {})
                pending=pending
            />
        }
    });
    settle().await;
    let list: HtmlElement = all(&container, ".timeline")[0].clone().unchecked_into();
    let at_bottom =
        |list: &HtmlElement| list.scroll_height() - list.scroll_top() - list.client_height() <= 1;
    scroll_list_to(&list, 0);
    entries.update(|list| list.push(message(31, "carol", "while scrolled up")));
    settle().await;
    assert_eq!(text_of(&container, ".jump"), vec!["1 new message ↓"]);

    pending.set(vec![Outgoing {
        client_id: ClientId::parse("c-1").expect("valid"),
        room: RoomName::lobby(),
        author: nick("alice"),
        body: MessageBody::parse("my answer").expect("valid"),
        edits: None,
        reply_to: None,
        written_at: 0,
        failed: None,
        in_flight: None,
    }]);
    settle().await;
    assert!(at_bottom(&list), "writing brings the writer to the bottom");
    assert!(all(&container, ".jump").is_empty(), "and everything is seen");

    // Acknowledged, it joins the timeline: not news to its author even if they scroll up.
    scroll_list_to(&list, 0);
    pending.set(Vec::new());
    entries.update(|list| list.push(message(32, "alice", "my answer")));
    settle().await;
    assert!(all(&container, ".jump").is_empty(), "my own message is not a new message");
}

#[wasm_bindgen_test]
async fn message_list_edits_own_messages_in_place_and_marks_edited_ones() {
    let entries = RwSignal::new(vec![message(1, "alice", "helo"), message(2, "bob", "hi")]);
    let me = RwSignal::new(Some(nick("alice")));
    let edits = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&edits);
    let on_edit =
        Callback::new(move |edit: (u64, String)| recorded.lock().expect("lock").push(edit));
    let container = mount(move || {
        view! {
            <MessageList entries=entries me=me history=start_of_room() on_load_older=Callback::new(|()| {}) on_edit=on_edit />
        }
    });
    settle().await;
    let buttons = all(&container, ".message .edit");
    assert_eq!(buttons.len(), 1, "offered on the user's own message only");

    // Enter saves the changed text, and the box goes.
    buttons[0].unchecked_ref::<HtmlElement>().click();
    settle().await;
    let area = container.query_selector(".editing textarea").expect("query").expect("a box");
    let area: HtmlTextAreaElement = area.unchecked_into();
    assert_eq!(area.value(), "helo", "with the text to change");
    area.set_value("hello");
    press(&area, "Enter");
    settle().await;
    assert_eq!(edits.lock().expect("lock").clone(), vec![(1, "hello".to_owned())]);
    assert!(all(&container, ".editing").is_empty());

    // Escape leaves without saving.
    all(&container, ".message .edit")[0].unchecked_ref::<HtmlElement>().click();
    settle().await;
    let area = container.query_selector(".editing textarea").expect("query").expect("a box");
    area.unchecked_ref::<HtmlTextAreaElement>().set_value("never sent");
    press(&area, "Escape");
    settle().await;
    assert!(all(&container, ".editing").is_empty());
    assert_eq!(edits.lock().expect("lock").len(), 1);

    // Once the edit is in, the message says so.
    entries.update(|list| {
        if let TimelineEntry::Message(first) = &mut list[0] {
            let post = first.post_mut().expect("a post");
            post.body = Some(MessageBody::parse("hello").expect("valid"));
            post.edited = Some(common::Edited { seq: 3, at: 1_700_000_060_000 });
        }
    });
    settle().await;
    assert_eq!(text_of(&container, ".message .body"), vec!["helloedited", "hi"]);
    assert_eq!(text_of(&container, ".message .edited"), vec!["edited"]);
}
