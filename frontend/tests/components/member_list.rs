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
