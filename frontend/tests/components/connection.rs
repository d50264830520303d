//! `connection::open`: a failed attempt is not reported as opened and writes nothing (writing
//! to a closed socket makes Chromium log "WebSocket is already in CLOSING or CLOSED state").

use super::*;

#[wasm_bindgen_test]
async fn a_connection_that_fails_writes_nothing_and_never_says_it_opened() {
    // Counts every send made on a socket that is not open (the browser's console warning).
    js_sys::eval(
        "window.sendsWhileClosed = 0;
         if (!window.sendCounted) {
           window.sendCounted = true;
           const send = WebSocket.prototype.send;
           WebSocket.prototype.send = function (data) {
             if (this.readyState !== WebSocket.OPEN) { window.sendsWhileClosed += 1; }
             return send.call(this, data);
           };
         }",
    )
    .expect("patched");
    // The page's tasks run on Leptos's executor, which mounting a view starts.
    mount(|| ());
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&events);
    // Port 9 (discard) has nothing listening here: the attempt fails.
    let link = frontend::browser::connection::open("ws://127.0.0.1:9/ws", move |event| {
        seen.lock().expect("lock").push(format!("{event:?}"));
    })
    .expect("the browser accepts the address");
    let request = common::ClientMessage::Ping { request_id: 1 };
    assert!(link.send(&request), "queued until the socket opens");
    assert!(link.send(&request));
    for _ in 0..50 {
        if !events.lock().expect("lock").is_empty() {
            break;
        }
        settle().await;
    }
    settle().await;
    let events = events.lock().expect("lock").clone();
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].starts_with("Closed"), "never opened: {events:?}");
    let sends = js_sys::eval("window.sendsWhileClosed").expect("read").as_f64();
    assert_eq!(sends, Some(0.0), "nothing written to the closed socket");
}
