//! `ConnectionIndicator`: each state and its label.

use super::*;

#[wasm_bindgen_test]
async fn connection_indicator_shows_each_state() {
    let status = RwSignal::new(ConnectionStatus::Connecting);
    let container = mount(move || view! { <ConnectionIndicator status=status /> });
    let check = |class: &str, label: &str| {
        let indicator = &all(&container, ".connection")[0];
        assert!(indicator.class_list().contains(class), "class {class}");
        assert_eq!(text_of(&container, ".connection .label"), vec![label.to_owned()]);
        assert_eq!(indicator.get_attribute("role").as_deref(), Some("status"));
    };
    settle().await;
    check("connecting", "Connecting…");
    status.set(ConnectionStatus::Connected);
    settle().await;
    check("connected", "Connected");
    let in_a_while = js_sys::Date::now() as i64 + 60_000;
    status.set(ConnectionStatus::Reconnecting {
        reason: LostReason::Restarting,
        retry_at_ms: in_a_while,
    });
    settle().await;
    check("reconnecting", "Reconnecting in 60 s");
    let indicator = &all(&container, ".connection")[0];
    assert_eq!(indicator.get_attribute("title").as_deref(), Some("The server is restarting"));
    assert_eq!(text_of(&container, ".connection .short"), vec!["Reconnecting".to_owned()]);
}

#[wasm_bindgen_test]
fn a_phone_shows_the_state_in_few_words_and_nothing_while_connected() {
    let waiting = ConnectionStatus::Reconnecting { reason: LostReason::Silent, retry_at_ms: 0 };
    assert_eq!(status_short_label(&EN, &waiting, true, 3), "Reconnecting · 3 unsent");
    assert_eq!(status_short_label(&EN, &waiting, false, 0), "Offline");
    assert_eq!(status_short_label(&EN, &ConnectionStatus::Connecting, true, 0), "Connecting…");
    assert_eq!(status_short_label(&EN, &ConnectionStatus::Connected, true, 2), "");
}

#[wasm_bindgen_test]
fn the_connection_label_counts_down_and_counts_unsent_messages() {
    let waiting =
        ConnectionStatus::Reconnecting { reason: LostReason::Unreachable, retry_at_ms: 10_500 };
    assert_eq!(status_label(&EN, &waiting, 10_000, true, 0), "Reconnecting in 1 s");
    assert_eq!(
        status_label(&EN, &waiting, 5_000, true, 1),
        "Reconnecting in 6 s · 1 unsent message"
    );
    assert_eq!(status_label(&EN, &waiting, 5_000, false, 3), "Offline · 3 unsent messages");
    assert_eq!(status_label(&EN, &ConnectionStatus::Connected, 0, true, 2), "Connected");
}
