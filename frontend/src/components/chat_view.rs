//! The chat: a sidebar with the rooms, the people here and the settings; the room on screen;
//! the composer at the bottom.
//!
//! Under 700 px wide the sidebar folds away behind a menu button and opens over the timeline
//! as a drawer. Escape (or choosing a room, or the backdrop) closes it and gives focus back to
//! the button.

use std::time::Duration;

use leptos::html::{Aside, Button};
use leptos::prelude::*;

use crate::browser::connection::ConnectionStatus;
use crate::components::error_text::error_text;
use crate::components::{
    AccountPanel, Composer, ConnectionIndicator, InviteForm, JumpToDate, MemberList, MessageList,
    ModerationPanel, RoomList, RoomListItem, SearchPanel, SettingsPanel,
};
use crate::controller::ChatController;
use crate::i18n::{tr, use_phrases};
use crate::model::chat_state::{ChatState, RoomAction, RoomState};

#[component]
pub fn ChatView() -> impl IntoView {
    let chat = expect_context::<ChatController>();
    let phrases = use_phrases();
    let entries = from_current_room(chat, |room| room.timeline.clone());
    let members = from_current_room(chat, |room| room.members.clone());
    let guests = from_current_room(chat, |room| room.guests.clone());
    let history = from_current_room(chat, |room| room.history);
    let holes = from_current_room(chat, RoomState::holes);
    let filling = from_current_room(chat, |room| room.filling.is_some());
    let read_marker = from_current_room(chat, |room| room.read_marker);
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
                    private: room.private,
                    dm_with: room.dm_with.clone(),
                })
                .collect::<Vec<_>>()
        })
    });
    let room_name = move || chat.state.with(|state| state.current.to_string());
    let is_private = from_current_room(chat, |room| room.private);
    let can_leave = move || chat.state.with(|state| state.current != common::RoomName::lobby());
    let error = error_text(chat);
    // Typing indicators expire by the clock: re-read it every second.
    let (now, set_now) = signal(js_sys::Date::now() as i64);
    set_interval(move || set_now.set(js_sys::Date::now() as i64), Duration::from_secs(1));
    let typing = move || {
        let now = now.get();
        let phrases = phrases.get();
        chat.state
            .with(|state| state.current_room().and_then(|room| phrases.typing(&room.typists(now))))
    };
    // A mute ends by the clock too (the server says nothing then).
    let muted_until = move || chat.state.with(|state| state.muted_in_current_room(now.get()));
    let lang = crate::i18n::use_lang();
    let reconnecting = move || matches!(chat.status.get(), ConnectionStatus::Reconnecting { .. });
    // Not connected, and not in the room on screen: what shows is this device's copy.
    let offline = Signal::derive(move || {
        !matches!(chat.status.get(), ConnectionStatus::Connected)
            && !chat.state.with(|state| state.current_room().is_some_and(|room| room.joined))
    });
    let pending = Memo::new(move |_| chat.state.with(|state| state.pending_in_current()));
    let unsent = Signal::derive(move || chat.state.with(ChatState::unsent));

    // A search result opened in this room: the message to bring into view.
    let focus = Memo::new(move |_| {
        chat.state.with(|state| {
            state.focus.as_ref().filter(|(room, _)| *room == state.current).map(|(_, seq)| *seq)
        })
    });
    let search_open = RwSignal::new(false);
    let search_button = NodeRef::<Button>::new();
    let close_search = Callback::new(move |()| {
        search_open.set(false);
        if let Some(button) = search_button.get_untracked() {
            let _ = button.focus();
        }
    });
    // The drawer (narrow screens only; on wide ones the sidebar is always there).
    let drawer_open = RwSignal::new(false);
    let menu_button = NodeRef::<Button>::new();
    let sidebar = NodeRef::<Aside>::new();
    let close_drawer = move || {
        if drawer_open.get_untracked() {
            drawer_open.set(false);
            if let Some(button) = menu_button.get_untracked() {
                let _ = button.focus(); // Focus goes back where it came from.
            }
        }
    };
    let open_drawer = move || {
        drawer_open.set(true);
        request_animation_frame(move || {
            if let Some(first) = sidebar.get_untracked().and_then(|sidebar| {
                sidebar.query_selector("a, button, select, input").ok().flatten()
            }) && let Ok(first) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(first)
            {
                let _ = first.focus();
            }
        });
    };
    let _ = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" {
            close_drawer();
        }
    });
    // Choosing a room (a link changes the URL's fragment) closes the drawer.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| close_drawer());

    view! {
        <div class="chat" class:drawer-open=move || drawer_open.get()>
            <header>
                <button
                    class="menu secondary"
                    node_ref=menu_button
                    aria-expanded=move || drawer_open.get().to_string()
                    aria-controls="sidebar"
                    aria-label=tr(|p| p.open_menu)
                    on:click=move |_| if drawer_open.get_untracked() { close_drawer() } else { open_drawer() }
                >
                    <span aria-hidden="true">"☰"</span>
                </button>
                <h1>"#" {room_name}</h1>
                <ConnectionIndicator status=chat.status unsent=unsent />
                <button
                    class="search-toggle secondary"
                    node_ref=search_button
                    aria-expanded=move || search_open.get().to_string()
                    on:click=move |_| search_open.update(|open| *open = !*open)
                >
                    {tr(|p| p.search)}
                </button>
                <JumpToDate on_jump=Callback::new(move |at| chat.jump_to_date(at)) />
                <Show when=reconnecting>
                    <button class="reconnect" on:click=move |_| chat.retry_now()>
                        {tr(|p| p.retry_now)}
                    </button>
                </Show>
                <Show when=can_leave>
                    <button class="leave secondary" on:click=move |_| chat.leave_room()>
                        {tr(|p| p.leave)}
                    </button>
                </Show>
            </header>
            <div class="backdrop" aria-hidden="true" on:click=move |_| close_drawer()></div>
            <aside class="sidebar" id="sidebar" node_ref=sidebar aria-label=tr(|p| p.open_menu)>
                <button class="close-drawer secondary" on:click=move |_| close_drawer()>
                    {tr(|p| p.close_menu)}
                </button>
                <RoomList
                    rooms=rooms
                    on_create=Callback::new(move |(name, private): (String, bool)| {
                        chat.create_room(&name, private)
                    })
                    may_make_private=Signal::derive(move || {
                        chat.state.with(ChatState::may_create_private_rooms)
                    })
                />
                <MemberList
                    members=members
                    count=from_current_room(chat, |room| room.member_count)
                    on_more=Signal::derive(move || {
                        chat.state
                            .with(|state| state.current_room().is_some_and(RoomState::more_members))
                            .then_some(Callback::new(move |()| chat.more_members()))
                    })
                    offline=offline
                    guests=guests
                    me=me
                    on_message=Signal::derive(move || {
                        chat.state.with(ChatState::may_create_private_rooms).then_some(
                            Callback::new(move |other: common::Nickname| chat.open_dm(&other)),
                        )
                    })
                    on_moderate=Signal::derive(move || {
                        chat.state.with(ChatState::moderates_current_room).then_some(Callback::new(
                            move |(who, action): (common::Nickname, RoomAction)| {
                                chat.moderate(&who, action)
                            },
                        ))
                    })
                    appoints=Signal::derive(move || {
                        chat.state.with(ChatState::appoints_in_current_room)
                    })
                />
                <Show when=move || is_private.get()>
                    <InviteForm on_invite=Callback::new(move |name: String| chat.invite(&name)) />
                </Show>
                <Show when=move || chat.state.with(ChatState::may_create_private_rooms)>
                    <AccountPanel />
                </Show>
                <Show when=move || chat.state.with(ChatState::moderates)>
                    <ModerationPanel />
                </Show>
                <SettingsPanel with_notifications=true />
                <button class="sign-out secondary" on:click=move |_| chat.sign_out()>
                    {tr(|p| p.sign_out)}
                </button>
            </aside>
            <main>
                <Show when=move || search_open.get()>
                    <SearchPanel on_close=close_search />
                </Show>
                <MessageList
                    focus=focus
                    entries=entries
                    me=me
                    history=history
                    read_marker=read_marker
                    on_load_older=Callback::new(move |()| chat.load_older())
                    holes=holes
                    filling=filling
                    on_fill_hole=Callback::new(move |(after, from_below): (u64, bool)| {
                        chat.fill_hole(after, from_below);
                    })
                    pending=pending
                    on_retry=Callback::new(move |id: common::ClientId| chat.retry_message(&id))
                    on_delete=Callback::new(move |seq: u64| chat.delete_message(seq))
                    on_edit=Callback::new(move |(seq, text): (u64, String)| chat.edit_message(seq, &text))
                    on_react=Callback::new(move |(seq, emoji): (u64, String)| {
                        chat.react(seq, &emoji);
                    })
                    on_reply=Callback::new(move |seq: u64| chat.reply_to(seq))
                    on_open_quote=Callback::new(move |seq: u64| chat.open_quote(seq))
                    deletes_any=Signal::derive(move || {
                        chat.state.with(ChatState::moderates_current_room)
                    })
                    on_discard=Callback::new(move |id: common::ClientId| chat.discard_message(&id))
                    offline=offline
                />
                <p class="typing" aria-live="polite">{typing}</p>
                <p class="error" role="alert">{error}</p>
                {move || {
                    muted_until()
                        .map(|until| {
                            let until = (until != i64::MAX)
                                .then(|| crate::time_format::local_date_time(until, lang.get()));
                            view! {
                                <p class="muted-note" role="status">
                                    {(phrases.get().muted_note)(until.as_deref())}
                                </p>
                            }
                        })
                }}
                {move || {
                    chat.state.with(|state| state.replying.clone()).map(|quote| {
                        let author = quote.author.to_string();
                        view! {
                            <div class="replying" role="status">
                                <span class="replying-to">{(phrases.get().replying_to)(&author)}</span>
                                <span class="quote-text">{quote.excerpt.unwrap_or_default()}</span>
                                <button
                                    type="button"
                                    class="cancel-reply secondary"
                                    aria-label=tr(|p| p.cancel_reply)
                                    title=tr(|p| p.cancel_reply)
                                    on:click=move |_| chat.cancel_reply()
                                >
                                    <span aria-hidden="true">"×"</span>
                                </button>
                            </div>
                        }
                    })
                }}
                <Composer
                    on_send=Callback::new(move |text: String| chat.send_message(&text))
                    // Messages written while offline wait in the outbox; not while muted.
                    enabled=Signal::derive(move || muted_until().is_none())
                    on_typing=Callback::new(move |()| chat.typing())
                    people=members
                    me=me
                    focus_for=Signal::derive(move || {
                        chat.state.with(|state| state.current.to_string())
                    })
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
