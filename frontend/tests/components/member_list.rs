//! `MemberList`: everyone, with the reader marked.

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
