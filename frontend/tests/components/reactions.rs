//! Reactions in the message list: toggles with counts and who on hover, the picker and its
//! keyboard, nothing offered on a deleted message.

use common::{Emoji, Reaction, Reactions};
use web_sys::HtmlInputElement;

use super::*;

fn reacted(seq: u64, author: &str, body: &str, list: &[(&str, &[&str])]) -> TimelineEntry {
    let TimelineEntry::Message(mut chat) = message(seq, author, body) else {
        unreachable!("message() makes a message")
    };
    let list = list
        .iter()
        .map(|(emoji, by)| Reaction {
            emoji: Emoji::parse(emoji).expect("valid"),
            by: by.iter().map(|name| nick(name)).collect(),
        })
        .collect();
    chat.post_mut().expect("a post").reactions = Some(Reactions { seq: seq + 10, list });
    TimelineEntry::Message(chat)
}

fn type_into(field: &HtmlInputElement, text: &str) {
    field.set_value(text);
    field.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatched");
}

#[wasm_bindgen_test]
async fn reactions_show_who_and_toggle_and_the_picker_adds_any_emoji() {
    let entries = RwSignal::new(vec![
        reacted(1, "bob", "lunch?", &[("👍", &["Alice", "carol"]), ("🎉", &["carol"])]),
        message(2, "carol", "later"),
    ]);
    let me = RwSignal::new(Some(nick("alice")));
    let reactions = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&reactions);
    let on_react =
        Callback::new(move |reaction: (u64, String)| recorded.lock().expect("lock").push(reaction));
    let container = mount(move || {
        view! {
            <MessageList entries=entries me=me history=start_of_room() on_load_older=Callback::new(|()| {}) on_react=on_react />
        }
    });
    settle().await;

    // Each emoji once, with its count; the reader's own pressed; who on hover (and as the
    // description screen readers give).
    let chips = all(&container, ".message .reaction");
    assert_eq!(text_of(&container, ".message .reaction"), vec!["👍2", "🎉1"]);
    let pressed: Vec<String> =
        chips.iter().map(|chip| chip.get_attribute("aria-pressed").unwrap_or_default()).collect();
    assert_eq!(pressed, ["true", "false"], "alice's own 👍 (the server spells her Alice)");
    assert_eq!(chips[0].get_attribute("title").as_deref(), Some("👍, 2 people: Alice, carol"));
    assert_eq!(chips[1].get_attribute("title").as_deref(), Some("🎉: carol"));
    assert!(chips[0].get_attribute("aria-label").is_none(), "named by what it shows");

    // Pressing one toggles it.
    chips[1].unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert_eq!(reactions.lock().expect("lock").clone(), vec![(1, "🎉".to_owned())]);

    // The picker: opened by "+", the first emoji focused, one click reacts and closes it.
    let openers = all(&container, ".message .add-reaction");
    assert_eq!(openers.len(), 2, "offered on every message");
    openers[1].unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert_eq!(openers[1].get_attribute("aria-expanded").as_deref(), Some("true"));
    let quick = all(&container, ".emoji-picker .quick");
    assert_eq!(quick.len(), 8);
    let active = document().active_element().expect("something focused");
    assert!(active.is_same_node(Some(&quick[0])), "the first emoji has the focus");
    quick[3].unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert_eq!(reactions.lock().expect("lock")[1], (2, "🎉".to_owned()));
    assert!(all(&container, ".emoji-picker").is_empty());

    // Any emoji can be typed; text that is not one emoji is refused with a reason.
    openers[1].unchecked_ref::<HtmlElement>().click();
    settle().await;
    let field: HtmlInputElement =
        all(&container, ".emoji-picker .other-emoji")[0].clone().unchecked_into();
    type_into(&field, "nice");
    press(&field, "Enter");
    settle().await;
    assert_eq!(text_of(&container, ".emoji-picker .problem"), vec!["Type one emoji"]);
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(reactions.lock().expect("lock").len(), 2, "nothing sent");
    type_into(&field, "🦀");
    press(&field, "Enter");
    settle().await;
    assert_eq!(reactions.lock().expect("lock")[2], (2, "🦀".to_owned()));

    // Escape closes the picker and gives the focus back to "+".
    openers[0].unchecked_ref::<HtmlElement>().click();
    settle().await;
    press(&all(&container, ".emoji-picker .quick")[0], "Escape");
    settle().await;
    assert!(all(&container, ".emoji-picker").is_empty());
    let active = document().active_element().expect("something focused");
    assert!(active.is_same_node(Some(&openers[0])), "back on the + that opened it");

    // A new reaction re-renders the message; a deleted message offers none.
    entries.update(|list| {
        list[1] = reacted(2, "carol", "later", &[("🦀", &["alice"])]);
        if let TimelineEntry::Message(first) = &mut list[0] {
            *first.post_mut().expect("a post") = common::Post::default();
        }
    });
    settle().await;
    assert_eq!(text_of(&container, ".message .reaction"), vec!["🦀1"]);
    assert_eq!(all(&container, ".message .add-reaction").len(), 1);
}
