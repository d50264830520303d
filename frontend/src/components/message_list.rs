//! The timeline: messages and room notices, newest at the bottom.
//!
//! Everything a user typed is inserted as text nodes, never parsed as HTML. New entries scroll
//! into view only while the reader is at (or near) the bottom; a reader who scrolled up to read
//! older messages is left where they are. Scrolling to the top asks for the page before (and a
//! button does the same, for keyboards); when older messages are put in above, the messages on
//! screen stay where they were. The top says so once the room's first message is shown.

use common::{ClientId, Nickname};
use leptos::html::Ol;
use leptos::prelude::*;

use crate::chat_state::{EntryKey, HistoryStatus, TimelineEntry};
use crate::outbox::Outgoing;
use crate::time_format::{day_label, local_clock_time, local_date_time, local_day};
use crate::timeline_rows::{Row, with_day_separators};

/// Within this many pixels of the bottom counts as "at the bottom", of the top as "at the top".
const EDGE_PX: i32 = 48;

#[component]
pub fn MessageList(
    #[prop(into)] entries: Signal<Vec<TimelineEntry>>,
    #[prop(into)] me: Signal<Option<Nickname>>,
    #[prop(into)] history: Signal<HistoryStatus>,
    /// Asks for the page of messages before the oldest shown.
    on_load_older: Callback<()>,
    /// The user's messages not acknowledged yet, shown after the timeline.
    #[prop(optional, into)]
    pending: Signal<Vec<Outgoing>>,
    /// Sends a failed message again.
    #[prop(optional)]
    on_retry: Option<Callback<ClientId>>,
    /// Gives up on a failed message.
    #[prop(optional)]
    on_discard: Option<Callback<ClientId>>,
) -> impl IntoView {
    let list = NodeRef::<Ol>::new();
    let stick_to_bottom = StoredValue::new(true);
    let distance_from_bottom = StoredValue::new(0);
    let first_key = StoredValue::new(None::<EntryKey>);

    let load_older = move || {
        let status = history.get_untracked();
        if !status.loading && !status.reaches_start {
            on_load_older.run(());
        }
    };
    let on_scroll = move |_| {
        if let Some(list) = list.get_untracked() {
            let from_bottom = list.scroll_height() - list.scroll_top() - list.client_height();
            distance_from_bottom.set_value(from_bottom);
            stick_to_bottom.set_value(from_bottom <= EDGE_PX);
            if list.scroll_top() <= EDGE_PX {
                load_older();
            }
        }
    };
    Effect::new(move |_| {
        pending.track(); // A message the user just wrote comes into view too.
        let new_first = entries.with(|entries| entries.first().map(TimelineEntry::key));
        let prepended = first_key.with_value(|old| old.is_some() && *old != new_first);
        first_key.set_value(new_first);
        let stick = stick_to_bottom.get_value();
        if !stick && !prepended {
            return; // Appended below a reader who scrolled up: leave the view alone.
        }
        let keep_from_bottom = distance_from_bottom.get_value();
        // After the browser has laid out the new entries.
        request_animation_frame(move || {
            if let Some(list) = list.get_untracked() {
                let target = if stick {
                    list.scroll_height()
                } else {
                    list.scroll_height() - list.client_height() - keep_from_bottom
                };
                list.set_scroll_top(target);
            }
        });
    });

    view! {
        <ol class="timeline" node_ref=list on:scroll=on_scroll aria-live="polite">
            <li class="history-edge">
                <Show
                    when=move || history.get().reaches_start
                    fallback=move || {
                        view! {
                            <button
                                class="load-older"
                                disabled=move || history.get().loading
                                on:click=move |_| load_older()
                            >
                                {move || {
                                    if history.get().loading {
                                        "Loading older messages…"
                                    } else {
                                        "Load older messages"
                                    }
                                }}
                            </button>
                        }
                    }
                >
                    <span class="room-start">"This is the beginning of the room."</span>
                </Show>
            </li>
            <For
                each=move || entries.with(|entries| with_day_separators(entries, local_day))
                key=Row::key
                let:row
            >
                {match row {
                    Row::DaySeparator { at, .. } => {
                        view! {
                            <li class="day" role="separator">
                                <span>{day_label(at)}</span>
                            </li>
                        }
                            .into_any()
                    }
                    Row::Entry(entry) => render_entry(entry, me),
                }}
            </For>
            <For
                each=move || pending.get()
                key=|outgoing| (outgoing.client_id.clone(), outgoing.failed.clone())
                let:outgoing
            >
                {render_pending(outgoing, on_retry, on_discard)}
            </For>
        </ol>
    }
}

fn render_entry(entry: TimelineEntry, me: Signal<Option<Nickname>>) -> AnyView {
    match entry {
        TimelineEntry::Notice { text, .. } => view! { <li class="notice">{text}</li> }.into_any(),
        TimelineEntry::Message(message) => {
            let author_key = message.author.key();
            let mine =
                move || me.with(|me| me.as_ref().map(Nickname::key).as_ref() == Some(&author_key));
            view! {
                <li class="message" class:mine=mine data-seq=message.seq>
                    <div class="meta">
                        <span class="author">{message.author.to_string()}</span>
                        <time title=local_date_time(message.sent_at)>
                            {local_clock_time(message.sent_at)}
                        </time>
                    </div>
                    <div class="body">{message.body.to_string()}</div>
                </li>
            }
            .into_any()
        }
    }
}

/// A message of the user's that the server has not acknowledged: "Sending…", or why it was
/// refused with buttons to retry or give up.
fn render_pending(
    outgoing: Outgoing,
    on_retry: Option<Callback<ClientId>>,
    on_discard: Option<Callback<ClientId>>,
) -> AnyView {
    let Outgoing { client_id, author, body, failed, .. } = outgoing;
    let is_failed = failed.is_some();
    let status = match &failed {
        Some(reason) => format!("Not sent: {reason}"),
        None => "Sending…".to_owned(),
    };
    let actions = failed.map(|_| {
        view! {
            <div class="actions">
                {action_button("retry", "Retry", on_retry, client_id.clone())}
                {action_button("discard", "Discard", on_discard, client_id.clone())}
            </div>
        }
    });
    view! {
        <li class="message mine pending" class:failed=is_failed data-client-id=client_id.as_str().to_owned()>
            <div class="meta">
                <span class="author">{author.to_string()}</span>
                <span class="status">{status}</span>
            </div>
            <div class="body">{body.to_string()}</div>
            {actions}
        </li>
    }
    .into_any()
}

/// A button that calls `action` (if given) with the message's client id.
fn action_button(
    class: &'static str,
    label: &'static str,
    action: Option<Callback<ClientId>>,
    client_id: ClientId,
) -> impl IntoView {
    view! {
        <button
            class=class
            on:click=move |_| {
                if let Some(action) = action {
                    action.run(client_id.clone());
                }
            }
        >
            {label}
        </button>
    }
}
