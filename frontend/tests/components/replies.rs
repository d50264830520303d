//! Replies in the message list: the quote of the message answered (as it is now), which opens
//! it, and the button that answers a message.

use common::ReplyTo;

use super::*;

fn reply(seq: u64, author: &str, body: &str, quote: ReplyTo) -> TimelineEntry {
    let TimelineEntry::Message(mut chat) = message(seq, author, body) else {
        unreachable!("message() makes a message")
    };
    chat.post_mut().expect("a post").reply_to = Some(Box::new(quote));
    TimelineEntry::Message(chat)
}

#[wasm_bindgen_test]
async fn a_reply_quotes_its_original_and_the_quote_opens_it() {
    let quote = |excerpt: Option<&str>, edited| ReplyTo {
        seq: 1,
        author: nick("bob"),
        excerpt: excerpt.map(str::to_owned),
        edited,
    };
    let entries = RwSignal::new(vec![
        message(1, "bob", "<b>who</b> has the keys?"),
        reply(2, "alice", "I do", quote(Some("<b>who</b> has the keys?"), false)),
    ]);
    let me = RwSignal::new(Some(nick("alice")));
    let opened = Arc::new(Mutex::new(Vec::new()));
    let answered = Arc::new(Mutex::new(Vec::new()));
    let (open_log, answer_log) = (Arc::clone(&opened), Arc::clone(&answered));
    let on_open_quote = Callback::new(move |seq: u64| open_log.lock().expect("lock").push(seq));
    let on_reply = Callback::new(move |seq: u64| answer_log.lock().expect("lock").push(seq));
    let container = mount(move || {
        view! {
            <MessageList entries=entries me=me history=start_of_room() on_load_older=Callback::new(|()| {}) on_reply=on_reply on_open_quote=on_open_quote />
        }
    });
    settle().await;

    // The quote: who and the start of their text, as text (never markup).
    assert_eq!(text_of(&container, ".message .quote"), vec!["bob<b>who</b> has the keys?"]);
    assert!(all(&container, ".message .quote b").is_empty());
    all(&container, ".message .quote")[0].unchecked_ref::<HtmlElement>().click();
    assert_eq!(opened.lock().expect("lock").clone(), vec![1]);

    // Every message can be answered.
    let buttons = all(&container, ".message .reply");
    assert_eq!(buttons.len(), 2);
    assert_eq!(buttons[0].get_attribute("aria-label").as_deref(), Some("Reply"));
    buttons[0].unchecked_ref::<HtmlElement>().click();
    assert_eq!(answered.lock().expect("lock").clone(), vec![1]);

    // Edited, then deleted: the quote says so; a deleted message offers no reply.
    entries.update(|list| list[1] = reply(2, "alice", "I do", quote(Some("who?"), true)));
    settle().await;
    assert_eq!(text_of(&container, ".message .quote"), vec!["bobwho?edited"]);
    entries.update(|list| {
        list[1] = reply(2, "alice", "I do", quote(None, false));
        if let TimelineEntry::Message(first) = &mut list[0] {
            first.post_mut().expect("a post").body = None;
        }
    });
    settle().await;
    assert_eq!(text_of(&container, ".message .quote"), vec!["bobMessage deleted"]);
    assert_eq!(all(&container, ".message .reply").len(), 1);
}
