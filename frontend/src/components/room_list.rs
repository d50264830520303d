//! The rooms: links that put a room on screen (through the URL), unread badges, and a form to
//! create a room.

use common::RoomName;
use leptos::prelude::*;

use crate::i18n::{tr, use_phrases};
use crate::route::hash_for;

/// A room as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoomListItem {
    pub name: RoomName,
    /// Messages by others the user has not seen.
    pub unread: usize,
    /// The room on screen.
    pub current: bool,
}

#[component]
pub fn RoomList(
    #[prop(into)] rooms: Signal<Vec<RoomListItem>>,
    /// Called with the name typed; returns whether the request went out (the box then clears).
    on_create: Callback<String, bool>,
) -> impl IntoView {
    let phrases = use_phrases();
    let (new_room, set_new_room) = signal(String::new());
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if on_create.run(new_room.get_untracked()) {
            set_new_room.set(String::new());
        }
    };
    view! {
        <nav class="rooms" aria-labelledby="rooms-heading">
            <h2 id="rooms-heading">{tr(|p| p.rooms)}</h2>
            <ul>
                <For each=move || rooms.get() key=|item| item.clone() let:item>
                    <li class:current=item.current>
                        <a
                            href=hash_for(&item.name)
                            aria-current=item.current.then_some("page")
                        >
                            "#"
                            {item.name.to_string()}
                        </a>
                        {(item.unread > 0)
                            .then(|| {
                                view! {
                                    <span class="badge">
                                        <span aria-hidden="true">{item.unread}</span>
                                        <span class="visually-hidden">
                                            {move || (phrases.get().unread)(item.unread)}
                                        </span>
                                    </span>
                                }
                            })}
                    </li>
                </For>
            </ul>
            <form class="new-room" on:submit=create>
                <input
                    aria-label=tr(|p| p.new_room_name)
                    placeholder="new-room"
                    maxlength=RoomName::MAX_CHARS
                    prop:value=new_room
                    on:input=move |event| set_new_room.set(event_target_value(&event))
                />
                <button type="submit" disabled=move || new_room.with(|name| name.trim().is_empty())>
                    {tr(|p| p.create)}
                </button>
            </form>
        </nav>
    }
}
