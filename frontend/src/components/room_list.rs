//! The rooms: links that put a room on screen (through the URL), unread badges, and a form to
//! create a room.

use common::RoomName;
use leptos::prelude::*;

use crate::browser::route::hash_for;
use crate::i18n::{Phrases, tr, use_phrases};

/// A room as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoomListItem {
    pub name: RoomName,
    /// Messages by others the user has not seen.
    pub unread: usize,
    /// The room on screen.
    pub current: bool,
    /// Invite-only.
    pub private: bool,
    /// Direct messages: the other person (listed under "Direct messages" by their name).
    pub dm_with: Option<common::Nickname>,
}

#[component]
pub fn RoomList(
    #[prop(into)] rooms: Signal<Vec<RoomListItem>>,
    /// Called with the name typed and whether the room is to be private; returns whether the
    /// request went out (the box then clears).
    on_create: Callback<(String, bool), bool>,
    /// Whether the user may make private rooms (an account, not a guest).
    #[prop(into, default = Signal::stored(false))]
    may_make_private: Signal<bool>,
) -> impl IntoView {
    let phrases = use_phrases();
    let (new_room, set_new_room) = signal(String::new());
    let of_kind = move |dms: bool| {
        rooms.get().into_iter().filter(|item| item.dm_with.is_some() == dms).collect::<Vec<_>>()
    };
    let rooms_only = move || of_kind(false);
    let direct_messages = move || of_kind(true);
    let (private, set_private) = signal(false);
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let private = private.get_untracked() && may_make_private.get_untracked();
        if on_create.run((new_room.get_untracked(), private)) {
            set_new_room.set(String::new());
        }
    };
    view! {
        <nav class="rooms" aria-labelledby="rooms-heading">
            <h2 id="rooms-heading">{tr(|p| p.rooms)}</h2>
            <ul>
                <For each=rooms_only key=|item| item.clone() let:item>
                    <li class:current=item.current>
                        <a
                            href=hash_for(&item.name)
                            aria-current=item.current.then_some("page")
                        >
                            "#"
                            {item.name.to_string()}
                            {item.private.then(|| view! {
                                <span class="lock" aria-hidden="true">" 🔒"</span>
                                <span class="visually-hidden">{tr(|p| p.private_room)}</span>
                            })}
                        </a>
                        {unread_badge(item.unread, phrases)}
                    </li>
                </For>
            </ul>
            <Show when=move || !direct_messages().is_empty()>
                <h2 id="dms-heading">{tr(|p| p.direct_messages)}</h2>
                <ul aria-labelledby="dms-heading">
                    <For each=direct_messages key=|item| item.clone() let:item>
                        <li class:current=item.current>
                            <a href=hash_for(&item.name) aria-current=item.current.then_some("page")>
                                {item.dm_with.as_ref().map(ToString::to_string)}
                            </a>
                            {unread_badge(item.unread, phrases)}
                        </li>
                    </For>
                </ul>
            </Show>
            <form class="new-room" on:submit=create>
                <input
                    aria-label=tr(|p| p.new_room_name)
                    placeholder="new-room"
                    maxlength=RoomName::MAX_CHARS
                    prop:value=new_room
                    on:input=move |event| set_new_room.set(event_target_value(&event))
                />
                <Show when=move || may_make_private.get()>
                    <label class="private-choice">
                        <input
                            type="checkbox"
                            prop:checked=private
                            on:change=move |event| set_private.set(event_target_checked(&event))
                        />
                        {tr(|p| p.private_choice)}
                    </label>
                </Show>
                <button type="submit" disabled=move || new_room.with(|name| name.trim().is_empty())>
                    {tr(|p| p.create)}
                </button>
            </form>
        </nav>
    }
}

/// How many messages of a room the reader has not seen, if any: the number for the eye, a
/// sentence for screen readers.
fn unread_badge(unread: usize, phrases: Signal<&'static Phrases>) -> Option<impl IntoView> {
    (unread > 0).then(|| {
        view! {
            <span class="badge">
                <span aria-hidden="true">{unread}</span>
                <span class="visually-hidden">{move || (phrases.get().unread)(unread)}</span>
            </span>
        }
    })
}
