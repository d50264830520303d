//! `MessageList` around a hole (a message far back was opened): the messages not loaded show
//! as a button between those that are, which loads the next page of them from the side the
//! reader is on, and so does scrolling to it.

use frontend::model::room_state::Hole;

use super::*;

#[wasm_bindgen_test]
async fn a_hole_offers_the_messages_in_it_from_the_side_the_reader_is_on() {
    let loaded = (1..=10).chain(90..=120).map(|n| message(n, "bob", "line"));
    let entries = RwSignal::new(loaded.collect::<Vec<_>>());
    let holes = RwSignal::new(vec![Hole { after: 10, before: 90 }]);
    let filling = RwSignal::new(false);
    let asked = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&asked);
    // As the page does: one page of a hole at a time.
    let on_fill_hole = Callback::new(move |ask: (u64, bool)| {
        record.lock().expect("lock").push(ask);
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
    assert_eq!(asked(), Vec::<(u64, bool)>::new(), "the reader is at the bottom, far below it");

    // The hole sits between the last message before it and the first after.
    let rows = all(&container, ".timeline > li");
    let position = |css: &str| rows.iter().position(|row| row.matches(css).unwrap_or(false));
    let hole = position(".history-hole").expect("a hole row");
    assert!(position("[data-seq='10']") < Some(hole) && Some(hole) < position("[data-seq='90']"));
    let button: HtmlButtonElement =
        all(&container, ".history-hole button")[0].clone().unchecked_into();
    assert_eq!(button.text_content().as_deref(), Some("Load later messages"));
    button.click();
    assert_eq!(asked(), [(10, true)], "pressed from below: the end of the hole first");

    // While a page is on its way the button waits, and scrolling to it asks for nothing more.
    settle().await;
    assert!(button.disabled());
    let scrolled = || {
        list.dispatch_event(&web_sys::Event::new("scroll").expect("event")).expect("dispatched");
    };
    rows[hole].scroll_into_view_with_bool(false);
    scrolled();
    assert_eq!(asked(), [(10, true)]);

    // The reader reads on from above it: the page after its start, asked by itself once the
    // one on its way has come (the hole is still in view).
    filling.set(false);
    settle().await;
    assert_eq!(asked(), [(10, true), (10, false)]);
    entries.update(|entries| {
        entries.splice(10..10, (11..=20).map(|n| message(n, "bob", "later")));
    });
    holes.set(vec![Hole { after: 20, before: 90 }]);
    filling.set(false);
    settle().await;
    assert_eq!(asked().len(), 2, "the page pushed the hole out of view: nothing more asked");

    // The reader scrolls up to it from the present: the page before its end goes in above
    // what the reader sees, which stays where it was, so the hole's row goes out of view and
    // nothing more is asked (were the row kept in view, the whole hole would load, page after
    // page, while the reader looked at it).
    let rows = all(&container, ".timeline > li");
    let hole_row = rows.iter().find(|row| row.matches(".history-hole").unwrap_or(false));
    hole_row.expect("a hole row").scroll_into_view();
    scrolled();
    settle().await;
    assert_eq!(asked().last(), Some(&(20, true)));
    let asked_so_far = asked().len();
    let top_of = |seq: u64| {
        let row = all(&container, &format!("[data-seq='{seq}']"))[0].clone();
        row.get_bounding_client_rect().top()
    };
    let before = top_of(90);
    entries.update(|entries| {
        let at = entries.iter().position(|entry| entry.key() == message(90, "bob", "x").key());
        let at = at.expect("90 is loaded");
        entries.splice(at..at, (80..=89).map(|n| message(n, "bob", "earlier")));
    });
    holes.set(vec![Hole { after: 20, before: 80 }]);
    filling.set(false);
    settle().await;
    assert_eq!(asked().len(), asked_so_far, "the hole went out of view: {:?}", asked());
    assert!((top_of(90) - before).abs() <= 2.0, "the first message after the hole stayed in place");

    // Filled: no hole row left.
    entries.update(|entries| {
        entries.splice(20..20, (21..=79).map(|n| message(n, "bob", "x")));
    });
    holes.set(Vec::new());
    settle().await;
    assert!(all(&container, ".history-hole").is_empty());
}
