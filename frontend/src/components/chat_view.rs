//! The chat: rooms and who is here on the side, the room on screen, the composer, and the
//! connection state.

use std::time::Duration;

use leptos::prelude::*;

use crate::chat_state::{ChatState, RoomState};
use crate::components::{
    Composer, ConnectionIndicator, MemberList, MessageList, RoomList, RoomListItem,
};
use crate::connection::ConnectionStatus;
use crate::controller::ChatController;
use crate::room_state::typing_sentence;

#[component]
pub fn ChatView() -> impl IntoView {
    let chat = expect_context::<ChatController>();
    let entries = from_current_room(chat, |room| room.timeline.clone());
    let members = from_current_room(chat, |room| room.members.clone());
    let history = from_current_room(chat, |room| room.history);
    let me = Signal::derive(move || chat.state.with(|state| state.me.clone()));
    let rooms = Signal::derive(move || {
        chat.state.with(|state| {
            state
                .rooms
                .iter()
                .map(|(name, room)| RoomListItem {
                    name: name.clone(),
                    unread: room.unread(state.me.as_ref()),
                    current: *name == state.current,
                })
                .collect::<Vec<_>>()
        })
    });
    let room_name = move || chat.state.with(|state| state.current.to_string());
    let can_leave = move || chat.state.with(|state| state.current != common::RoomName::lobby());
    let error = move || chat.state.with(|state| state.error.clone());
    // Typing indicators expire by the clock: re-read it every second.
    let (now, set_now) = signal(js_sys::Date::now() as i64);
    set_interval(move || set_now.set(js_sys::Date::now() as i64), Duration::from_secs(1));
    let typing = move || {
        let now = now.get();
        chat.state
            .with(|state| state.current_room().and_then(|room| typing_sentence(&room.typists(now))))
    };
    let reconnecting = move || matches!(chat.status.get(), ConnectionStatus::Reconnecting { .. });
    let pending = Memo::new(move |_| chat.state.with(|state| state.pending_in_current()));
    let unsent = Signal::derive(move || chat.state.with(ChatState::unsent));
    view! {
        <div class="chat">
            <header>
                <h1>"#" {room_name}</h1>
                <Show when=can_leave>
                    <button class="leave" on:click=move |_| chat.leave_room()>"Leave"</button>
                </Show>
                <ConnectionIndicator status=chat.status unsent=unsent />
                <Show when=reconnecting>
                    <button class="reconnect" on:click=move |_| chat.retry_now()>
                        "Retry now"
                    </button>
                </Show>
                <button class="sign-out" on:click=move |_| chat.sign_out()>"Sign out"</button>
            </header>
            <div class="sidebar">
                <RoomList
                    rooms=rooms
                    on_create=Callback::new(move |name: String| chat.create_room(&name))
                />
                <MemberList members=members me=me />
            </div>
            <main>
                <MessageList
                    entries=entries
                    me=me
                    history=history
                    on_load_older=Callback::new(move |()| chat.load_older())
                    pending=pending
                    on_retry=Callback::new(move |id: common::ClientId| chat.retry_message(&id))
                    on_discard=Callback::new(move |id: common::ClientId| chat.discard_message(&id))
                />
                <p class="typing" aria-live="polite">{typing}</p>
                <p class="error" role="alert">{error}</p>
                <Composer
                    on_send=Callback::new(move |text: String| chat.send_message(&text))
                    // Messages written while offline wait in the outbox.
                    enabled=Signal::derive(|| true)
                    on_typing=Callback::new(move |()| chat.typing())
                />
            </main>
        </div>
    }
}

/// Something about the room on screen (its default before the room is known). Memoised: the
/// state changes for every event in every room, and only a change to this value should make
/// the views that show it re-render (the message list diffs the whole timeline).
fn from_current_room<T>(chat: ChatController, read: fn(&RoomState) -> T) -> Signal<T>
where
    T: Default + Clone + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| chat.state.with(|state| state.current_room().map(read).unwrap_or_default()))
        .into()
}
