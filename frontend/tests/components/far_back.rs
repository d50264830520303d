//! `MessageList` around a hole (a message far back was opened): the messages not loaded show
//! as a button between those that are, which loads the next page of them, and so does
//! scrolling to it.

use frontend::model::room_state::Hole;

use super::*;

#[wasm_bindgen_test]
async fn a_hole_offers_the_later_messages_and_loads_them_when_the_reader_reaches_it() {
    let loaded = (1..=10).chain(90..=120).map(|n| message(n, "bob", "line"));
    let entries = RwSignal::new(loaded.collect::<Vec<_>>());
    let holes = RwSignal::new(vec![Hole { after: 10, before: 90 }]);
    let filling = RwSignal::new(false);
    let asked = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&asked);
    // As the page does: one page of a hole at a time.
    let on_fill_hole = Callback::new(move |after: u64| {
        record.lock().expect("lock").push(after);
        filling.set(true);
    });
    let container = mount(move || {
        view! {
            <MessageList
                entries=entries
                me=RwSignal::new(None)
                history=start_of_room()
                on_load_older=Callback::new(|()| {})
                holes=holes
                filling=filling
                on_fill_hole=on_fill_hole
            />
        }
    });
    // A view of a few messages (the page's stylesheet is not loaded here).
    let list: HtmlElement = all(&container, ".timeline")[0].clone().unchecked_into();
    let style = "display: block; height: 400px; overflow-y: auto";
    list.set_attribute("style", style).expect("styled");
    list.set_scroll_top(list.scroll_height());
    settle().await;
    let asked = move || asked.lock().expect("lock").clone();
    assert_eq!(asked(), Vec::<u64>::new(), "the reader is at the bottom, far from the hole");

    // The hole sits between the last message before it and the first after.
    let rows = all(&container, ".timeline > li");
    let position = |css: &str| rows.iter().position(|row| row.matches(css).unwrap_or(false));
    let hole = position(".history-hole").expect("a hole row");
    assert!(position("[data-seq='10']") < Some(hole) && Some(hole) < position("[data-seq='90']"));
    let button: HtmlButtonElement =
        all(&container, ".history-hole button")[0].clone().unchecked_into();
    assert_eq!(button.text_content().as_deref(), Some("Load later messages"));
    button.click();
    assert_eq!(asked(), [10], "the button asks for the page after the hole's start");

    // While a page is on its way the button waits, and scrolling to it asks for nothing more.
    settle().await;
    assert!(button.disabled());
    rows[hole].scroll_into_view();
    list.dispatch_event(&web_sys::Event::new("scroll").expect("event")).expect("dispatched");
    assert_eq!(asked(), [10]);

    // The page arrived, the hole is still in view: the next page is asked for by itself.
    entries.update(|entries| {
        entries.splice(10..10, [message(11, "bob", "later"), message(12, "bob", "later")]);
    });
    holes.set(vec![Hole { after: 12, before: 90 }]);
    filling.set(false);
    settle().await;
    assert_eq!(asked(), [10, 12]);

    // Filled: no hole row left.
    entries.update(|entries| {
        entries.splice(12..12, (13..=89).map(|n| message(n, "bob", "x")));
    });
    holes.set(Vec::new());
    settle().await;
    assert!(all(&container, ".history-hole").is_empty());
}
