//! Known XSS payloads as messages and nicknames: shown as text, never run.

use super::*;

/// Known XSS payloads, one per line.
fn xss_payloads() -> Vec<&'static str> {
    include_str!("../xss_payloads.txt").lines().filter(|line| !line.is_empty()).collect()
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
