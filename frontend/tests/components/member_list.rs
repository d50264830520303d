//! `MemberList`: everyone, with the reader marked.

use frontend::model::chat_state::RoomAction;

use super::*;

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

#[wasm_bindgen_test]
async fn a_counted_room_shows_its_count_and_offers_more_of_its_people() {
    let members = RwSignal::new(vec![nick("alice"), nick("bob")]);
    let count = RwSignal::new(Some(20_000_u64));
    let asked = Arc::new(Mutex::new(0));
    let record = Arc::clone(&asked);
    let more = Callback::new(move |()| *record.lock().expect("lock") += 1);
    let on_more = RwSignal::new(Some(more));
    let container = mount(move || {
        view! { <MemberList members=members me=RwSignal::new(None) count=count on_more=on_more /> }
    });
    settle().await;
    assert_eq!(text_of(&container, "h2"), vec!["Online — 20000"], "the count, not the page");
    assert_eq!(text_of(&container, "li .name"), vec!["alice", "bob"]);
    let button: HtmlButtonElement =
        all(&container, "button.more-people")[0].clone().unchecked_into();
    assert_eq!(button.text_content().as_deref(), Some("Show more people"));
    button.click();
    assert_eq!(*asked.lock().expect("lock"), 1);
    // Every page read, or the room listed again: no more to show, and the list is the count.
    on_more.set(None);
    count.set(None);
    settle().await;
    assert!(all(&container, "button.more-people").is_empty());
    assert_eq!(text_of(&container, "h2"), vec!["Online — 2"]);
}

#[wasm_bindgen_test]
async fn member_list_offers_direct_messages_with_others_when_allowed() {
    let members = RwSignal::new(vec![nick("alice"), nick("bob")]);
    let me = RwSignal::new(Some(nick("bob")));
    let opened = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&opened);
    let on_message = RwSignal::new(None::<Callback<Nickname>>);
    let container = mount(move || {
        view! { <MemberList members=members me=me on_message=on_message /> }
    });
    settle().await;
    assert!(all(&container, "button.dm").is_empty(), "not for guests");
    on_message
        .set(Some(Callback::new(move |who: Nickname| record.lock().expect("lock").push(who))));
    settle().await;
    let buttons = all(&container, "button.dm");
    assert_eq!(buttons.len(), 1, "only beside someone else");
    assert_eq!(buttons[0].get_attribute("aria-label").as_deref(), Some("Message alice directly"));
    let button: HtmlButtonElement = buttons[0].clone().unchecked_into();
    button.click();
    assert_eq!(*opened.lock().expect("lock"), vec![nick("alice")]);
}

#[wasm_bindgen_test]
async fn member_list_offers_the_rooms_moderators_a_menu_beside_everyone_else() {
    let members = RwSignal::new(vec![nick("alice"), nick("bob")]);
    let me = RwSignal::new(Some(nick("bob")));
    let done = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&done);
    let on_moderate = RwSignal::new(None::<Callback<(Nickname, RoomAction)>>);
    let appoints = RwSignal::new(false);
    let container = mount(move || {
        view! { <MemberList members=members me=me on_moderate=on_moderate appoints=appoints /> }
    });
    settle().await;
    assert!(all(&container, "details.moderate").is_empty(), "not for those who do not moderate");
    on_moderate.set(Some(Callback::new(move |(who, action): (Nickname, RoomAction)| {
        record.lock().expect("lock").push((who, action))
    })));
    settle().await;
    let menus = all(&container, "details.moderate");
    assert_eq!(menus.len(), 1, "only beside someone else");
    let summary = all(&container, "details.moderate summary");
    assert_eq!(summary[0].get_attribute("aria-label").as_deref(), Some("Moderate alice"));
    assert_eq!(all(&container, ".moderate-actions button").len(), 4, "mute x2, unmute, kick");
    appoints.set(true);
    settle().await;
    let buttons = all(&container, ".moderate-actions button");
    assert_eq!(buttons.len(), 6, "and, for the owner, appointing");
    let kick: HtmlButtonElement = buttons[3].clone().unchecked_into();
    kick.click();
    assert_eq!(*done.lock().expect("lock"), vec![(nick("alice"), RoomAction::Kick)]);
}

#[wasm_bindgen_test]
async fn member_list_marks_guests() {
    let members = RwSignal::new(vec![nick("alice"), nick("bob")]);
    let guests = RwSignal::new(vec![nick("bob")]);
    let me = RwSignal::new(None::<Nickname>);
    let container = mount(move || view! { <MemberList members=members me=me guests=guests /> });
    settle().await;
    assert_eq!(text_of(&container, "li .guest-tag"), vec!["guest"]);
    let marked: Vec<String> = all(&container, "li")
        .iter()
        .filter(|li| li.query_selector(".guest-tag").ok().flatten().is_some())
        .map(|li| {
            li.query_selector(".name")
                .ok()
                .flatten()
                .and_then(|n| n.text_content())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(marked, vec!["bob"]);
}

#[wasm_bindgen_test]
async fn member_list_offers_no_direct_messages_with_a_guest() {
    let members = RwSignal::new(vec![nick("alice"), nick("bob"), nick("carol")]);
    let guests = RwSignal::new(vec![nick("carol")]);
    let me = RwSignal::new(Some(nick("bob")));
    let on_message = RwSignal::new(Some(Callback::new(|_: Nickname| {})));
    let container = mount(move || {
        view! { <MemberList members=members me=me guests=guests on_message=on_message /> }
    });
    settle().await;
    let labels: Vec<Option<String>> =
        all(&container, "button.dm").iter().map(|b| b.get_attribute("aria-label")).collect();
    assert_eq!(labels, vec![Some("Message alice directly".to_owned())], "a guest has no account");
}
