//! The chat: who is here, the timeline, the composer, and the connection state.

use leptos::prelude::*;

use crate::components::{Composer, ConnectionIndicator, MemberList, MessageList};
use crate::connection::ConnectionStatus;
use crate::controller::ChatController;

#[component]
pub fn ChatView() -> impl IntoView {
    let chat = expect_context::<ChatController>();
    let entries = Signal::derive(move || chat.state.with(|state| state.timeline.clone()));
    let members = Signal::derive(move || chat.state.with(|state| state.members.clone()));
    let me = Signal::derive(move || chat.state.with(|state| state.me.clone()));
    let history = Signal::derive(move || chat.state.with(|state| state.history));
    let room = move || chat.state.with(|state| state.room().to_string());
    let error = move || chat.state.with(|state| state.error.clone());
    let disconnected = move || matches!(chat.status.get(), ConnectionStatus::Disconnected { .. });
    let connected = Signal::derive(move || chat.status.get() == ConnectionStatus::Connected);
    view! {
        <div class="chat">
            <header>
                <h1>"#" {room}</h1>
                <ConnectionIndicator status=chat.status />
                <Show when=disconnected>
                    <button class="reconnect" on:click=move |_| chat.reconnect()>
                        "Reconnect"
                    </button>
                </Show>
            </header>
            <MemberList members=members me=me />
            <main>
                <MessageList
                    entries=entries
                    me=me
                    history=history
                    on_load_older=Callback::new(move |()| chat.load_older())
                />
                <p class="error" role="alert">{error}</p>
                <Composer
                    on_send=Callback::new(move |text: String| chat.send_message(&text))
                    enabled=connected
                />
            </main>
        </div>
    }
}
