//! Whether the connection is up, in words and colour: connected, connecting, reconnecting
//! (with a countdown to the next attempt), or offline, and how many messages wait to be sent.

use std::time::Duration;

use leptos::prelude::*;

use crate::browser::connection::ConnectionStatus;
use crate::i18n::{Phrases, use_phrases};

#[component]
pub fn ConnectionIndicator(
    #[prop(into)] status: Signal<ConnectionStatus>,
    /// Messages written but not yet acknowledged.
    #[prop(optional, into)]
    unsent: Signal<usize>,
) -> impl IntoView {
    // The countdown to the next attempt moves with the clock: re-read it every second.
    let phrases = use_phrases();
    let tick = Trigger::new();
    if let Ok(ticker) = set_interval_with_handle(move || tick.notify(), Duration::from_secs(1)) {
        on_cleanup(move || ticker.clear());
    }
    let state_class = move || match status.get() {
        ConnectionStatus::Idle => "connection idle",
        ConnectionStatus::Connecting => "connection connecting",
        ConnectionStatus::Connected => "connection connected",
        ConnectionStatus::Reconnecting { .. } => "connection reconnecting",
    };
    let label = move || {
        tick.track();
        let now = js_sys::Date::now() as i64;
        status_label(phrases.get(), &status.get(), now, browser_online(), unsent.get())
    };
    let short =
        move || status_short_label(phrases.get(), &status.get(), browser_online(), unsent.get());
    let reason = move || match status.get() {
        ConnectionStatus::Reconnecting { reason, .. } => Some((phrases.get().lost_reason)(&reason)),
        _ => None,
    };
    view! {
        <span class=state_class role="status" title=reason>
            <span class="dot" aria-hidden="true"></span>
            <span class="label">{label}</span>
            // On a phone, where the full label does not fit: what matters, without countdown.
            <span class="short" aria-hidden="true">{short}</span>
        </span>
    }
}

/// The few words a phone's header shows for `status` (nothing while all is well).
pub fn status_short_label(
    phrases: &Phrases,
    status: &ConnectionStatus,
    online: bool,
    unsent: usize,
) -> String {
    let state = match status {
        ConnectionStatus::Connected => return String::new(),
        ConnectionStatus::Idle => phrases.not_connected,
        ConnectionStatus::Connecting => phrases.connecting,
        ConnectionStatus::Reconnecting { .. } if !online => phrases.offline,
        ConnectionStatus::Reconnecting { .. } => phrases.reconnecting,
    };
    match unsent {
        0 => state.to_owned(),
        _ => format!("{state} · {}", (phrases.unsent_short)(unsent)),
    }
}

/// The words for `status` at `now_ms`, when the browser is `online` (or not) and `unsent`
/// messages wait.
pub fn status_label(
    phrases: &Phrases,
    status: &ConnectionStatus,
    now_ms: i64,
    online: bool,
    unsent: usize,
) -> String {
    let state = match status {
        ConnectionStatus::Idle => phrases.not_connected.to_owned(),
        ConnectionStatus::Connecting => phrases.connecting.to_owned(),
        ConnectionStatus::Connected => return phrases.connected.to_owned(),
        ConnectionStatus::Reconnecting { .. } if !online => phrases.offline.to_owned(),
        ConnectionStatus::Reconnecting { retry_at_ms, .. } => {
            let seconds = ((retry_at_ms - now_ms).max(0) + 999).div_euclid(1_000).max(1);
            (phrases.reconnecting_in)(seconds)
        }
    };
    match unsent {
        0 => state,
        _ => format!("{state} · {}", (phrases.unsent)(unsent)),
    }
}

/// What the browser says about the network (assume online if it cannot say).
fn browser_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}
