//! Whether the connection is up, in words and colour.

use leptos::prelude::*;

use crate::connection::ConnectionStatus;

#[component]
pub fn ConnectionIndicator(#[prop(into)] status: Signal<ConnectionStatus>) -> impl IntoView {
    let state_class = move || match status.get() {
        ConnectionStatus::Idle => "connection idle",
        ConnectionStatus::Connecting => "connection connecting",
        ConnectionStatus::Connected => "connection connected",
        ConnectionStatus::Disconnected { .. } => "connection disconnected",
    };
    let label = move || match status.get() {
        ConnectionStatus::Idle => "Not connected".to_owned(),
        ConnectionStatus::Connecting => "Connecting…".to_owned(),
        ConnectionStatus::Connected => "Connected".to_owned(),
        ConnectionStatus::Disconnected { reason } => format!("Disconnected: {reason}"),
    };
    view! {
        <span class=state_class role="status">
            <span class="dot" aria-hidden="true"></span>
            <span class="label">{label}</span>
        </span>
    }
}
