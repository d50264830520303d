//! `RoomList`: links, the current room, unread badges.

use super::*;

#[wasm_bindgen_test]
async fn room_list_links_rooms_marks_the_current_one_and_shows_unread_badges() {
    let item = |name: &str, unread, current| RoomListItem {
        name: RoomName::parse(name).expect("valid"),
        unread,
        current,
        private: false,
        dm_with: None,
    };
    let rooms = RwSignal::new(vec![item("lobby", 0, true), item("rust", 3, false)]);
    let created = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&created);
    let on_create = Callback::new(move |(name, _private): (String, bool)| {
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

#[wasm_bindgen_test]
async fn room_list_marks_private_rooms_and_offers_them_to_accounts_only() {
    let rooms = RwSignal::new(vec![
        RoomListItem {
            name: RoomName::lobby(),
            unread: 0,
            current: true,
            private: false,
            dm_with: None,
        },
        RoomListItem {
            name: RoomName::parse("team").expect("valid"),
            unread: 0,
            current: false,
            private: true,
            dm_with: None,
        },
    ]);
    let created = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&created);
    let on_create = Callback::new(move |request: (String, bool)| {
        record.lock().expect("lock").push(request);
        true
    });
    let account = RwSignal::new(false);
    let container = mount(move || {
        view! { <RoomList rooms=rooms on_create=on_create may_make_private=account /> }
    });
    settle().await;
    assert_eq!(text_of(&container, "li a .visually-hidden"), vec!["private room"]);
    assert!(all(&container, ".new-room input[type=checkbox]").is_empty(), "not for guests");

    account.set(true);
    settle().await;
    let checkbox: web_sys::HtmlInputElement =
        all(&container, ".new-room input[type=checkbox]")[0].clone().unchecked_into();
    checkbox.set_checked(true);
    checkbox.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatched");
    let input: web_sys::HtmlInputElement =
        all(&container, ".new-room input:not([type])")[0].clone().unchecked_into();
    input.set_value("secret-plans");
    input.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatched");
    settle().await;
    let button: HtmlButtonElement = all(&container, ".new-room button")[0].clone().unchecked_into();
    button.click();
    settle().await;
    assert_eq!(*created.lock().expect("lock"), vec![("secret-plans".to_owned(), true)]);
}

#[wasm_bindgen_test]
async fn room_list_lists_direct_messages_apart_by_the_other_persons_name() {
    let rooms = RwSignal::new(vec![
        RoomListItem {
            name: RoomName::lobby(),
            unread: 0,
            current: true,
            private: false,
            dm_with: None,
        },
        RoomListItem {
            name: RoomName::parse("dm-1-2").expect("valid"),
            unread: 2,
            current: false,
            private: true,
            dm_with: Some(nick("bob")),
        },
    ]);
    let on_create = Callback::new(|_: (String, bool)| true);
    let container = mount(move || view! { <RoomList rooms=rooms on_create=on_create /> });
    settle().await;
    assert_eq!(text_of(&container, "#dms-heading"), vec!["Direct messages"]);
    let dm_links = all(&container, "ul[aria-labelledby=dms-heading] a");
    assert_eq!(dm_links.len(), 1);
    assert_eq!(dm_links[0].text_content().as_deref(), Some("bob"));
    assert_eq!(dm_links[0].get_attribute("href").as_deref(), Some("#/r/dm-1-2"));
    assert!(!text_of(&container, "nav > ul a").iter().any(|link| link.contains("dm-1-2")));
}
