//! The timeline: messages and room notices, newest at the bottom.
//!
//! Message bodies are rendered from their Markdown tree as DOM nodes ([`RichText`]); nothing a
//! user typed is parsed as HTML. One person's messages in a row share one heading (avatar,
//! name, time); times are relative while recent ("2 min") with the full date on hover.
//!
//! Reading is never interrupted: new entries scroll into view only while the reader is at
//! (or near) the bottom. A reader who scrolled up stays where they are (until they write: then
//! the view goes to the bottom) and gets a "N new messages" button that jumps to the latest
//! (the user's own messages are not counted). Scrolling to the top asks for the page before
//! (a button does the same, for keyboards); when older messages are put in above, the
//! messages on screen stay where they were. A "new" line marks where the reader had read to.
//! Messages from others that arrive live are also announced through a polite live region.
//!
//! The user's own messages offer editing in place (Enter saves, Escape cancels; an edited
//! message says so, with the time on hover) and deleting; a moderator may delete anyone's.
//! Every message shows its reactions and offers to react ([`ReactionBar`]) and to answer it; a
//! reply shows a quote of the message it answers, which brings that message into view.

mod hole;
mod message_row;

use std::time::Duration;

use common::{ChatMessage, ClientId, Markup, Nickname};
use leptos::html::Ol;
use leptos::prelude::*;

use self::hole::{HoleActions, above_middle, ask_for_hole, keep_in_place, render_hole};
use self::message_row::{Actions, render_message, render_pending};
use crate::i18n::{tr, use_lang};
use crate::lang::Lang;
use crate::model::case_fold::same_name;
use crate::model::chat_state::{EntryKey, HistoryStatus, TimelineEntry};
use crate::model::outbox::Outgoing;
use crate::model::room_state::{Hole, NoticeEvent};
use crate::model::timeline_rows::{Row, timeline_rows};
use crate::time_format::{day_label, local_date_time, local_day};

/// Within this many pixels of the bottom counts as "at the bottom", of the top as "at the top".
const EDGE_PX: i32 = 48;
/// How often relative times ("2 min") are brought up to date.
const CLOCK_TICK: Duration = Duration::from_secs(20);

#[component]
pub fn MessageList(
    #[prop(into)] entries: Signal<Vec<TimelineEntry>>,
    #[prop(into)] me: Signal<Option<Nickname>>,
    #[prop(into)] history: Signal<HistoryStatus>,
    /// Asks for the page of messages before the oldest shown.
    on_load_older: Callback<()>,
    /// Where the reader had read to when they came back (a "new" line goes after it).
    #[prop(optional, into)]
    read_marker: Signal<Option<u64>>,
    /// The user's messages not acknowledged yet, shown after the timeline.
    #[prop(optional, into)]
    pending: Signal<Vec<Outgoing>>,
    /// Sends a failed message again.
    #[prop(optional)]
    on_retry: Option<Callback<ClientId>>,
    /// Gives up on a failed message.
    #[prop(optional)]
    on_discard: Option<Callback<ClientId>>,
    /// Deletes the message with this seq (offered on the user's own messages, and on
    /// everyone's when `deletes_any`).
    #[prop(optional)]
    on_delete: Option<Callback<u64>>,
    /// The user moderates this room: may delete others' messages (the server checks again).
    #[prop(optional, into)]
    deletes_any: Signal<bool>,
    /// Replaces the text of the user's own message with this seq (offered on their messages).
    #[prop(optional)]
    on_edit: Option<Callback<(u64, String)>>,
    /// Toggles the user's emoji on the message with this seq (offered on every message that
    /// has its text).
    #[prop(optional)]
    on_react: Option<Callback<(u64, String)>>,
    /// Starts answering the message with this seq (offered on every message that has its
    /// text).
    #[prop(optional)]
    on_reply: Option<Callback<u64>>,
    /// Brings the message with this seq into view (a reply's quote pressed).
    #[prop(optional)]
    on_open_quote: Option<Callback<u64>>,
    /// The page is not connected: the timeline is what this device kept (said so at its top,
    /// where older messages cannot be fetched now).
    #[prop(optional, into)]
    offline: Signal<bool>,
    /// A message to bring into view and mark (a search result opened), once it is loaded.
    #[prop(optional, into)]
    focus: Signal<Option<u64>>,
    /// Stretches of messages not loaded, between loaded ones (left by opening one far back).
    #[prop(optional, into)]
    holes: Signal<Vec<Hole>>,
    /// A page of a hole is on its way.
    #[prop(optional, into)]
    filling: Signal<bool>,
    /// Asks for the next page of the hole that starts after this seq (the reader reached it),
    /// at its end when the reader is below it (`true`: scrolling up), else at its start.
    #[prop(optional)]
    on_fill_hole: Option<Callback<(u64, bool)>>,
) -> impl IntoView {
    let actions = Actions { on_delete, deletes_any, on_edit, on_react, on_reply, on_open_quote };
    let lang = use_lang();
    let list = NodeRef::<Ol>::new();
    // While a page of a hole is on its way from below: the first message after the hole and
    // how far it was from the top of the view, to keep it there when the page is put in above
    // it (the browser's own scroll anchoring cannot: the rows around it are made anew).
    let hole_anchor = StoredValue::new(None::<(u64, f64)>);
    let hole_actions = HoleActions { filling, on_fill: on_fill_hole, list, anchor: hole_anchor };
    let stick_to_bottom = StoredValue::new(true);
    let distance_from_bottom = StoredValue::new(0);
    let first_key = StoredValue::new(None::<EntryKey>);
    let last_key = StoredValue::new(None::<EntryKey>);
    let unseen = RwSignal::new(0_usize);
    let announcement = RwSignal::new(String::new());
    let now = RwSignal::new(js_sys::Date::now() as i64);
    if let Ok(ticker) =
        set_interval_with_handle(move || now.set(js_sys::Date::now() as i64), CLOCK_TICK)
    {
        on_cleanup(move || ticker.clear());
    }

    let load_older = move || {
        let status = history.get_untracked();
        if !status.loading && !status.reaches_start {
            on_load_older.run(());
        }
    };
    let scroll_to_bottom = move || {
        if let Some(list) = list.get_untracked() {
            list.set_scroll_top(list.scroll_height());
        }
        stick_to_bottom.set_value(true);
        unseen.set(0);
    };
    // Loads the next page of the first hole the reader can see, like older messages at the
    // top: from its end when it is in the upper half of the view (the reader is below it,
    // scrolling up), else from its start (reading on). Either way the page arriving moves the
    // hole's row out of view (it goes in above what the reader sees, which is kept in place,
    // or below it), rather than leaving it there to ask again and again.
    let fill_visible_hole = move || {
        let Some(list) = list.get_untracked() else { return };
        if filling.get_untracked() {
            return;
        }
        let view = list.get_bounding_client_rect();
        let in_view = holes.get_untracked().into_iter().find_map(|hole| {
            let selector = format!("[data-hole-after=\"{}\"]", hole.after);
            let row = list.query_selector(&selector).ok().flatten()?;
            let rect = row.get_bounding_client_rect();
            let visible = rect.top() < view.bottom() && rect.bottom() > view.top();
            visible.then_some((hole, above_middle(&rect, &view)))
        });
        if let Some((hole, from_below)) = in_view {
            ask_for_hole(hole_actions, hole, from_below);
        }
    };
    let on_scroll = move |_| {
        if let Some(list) = list.get_untracked() {
            let from_bottom = list.scroll_height() - list.scroll_top() - list.client_height();
            distance_from_bottom.set_value(from_bottom);
            stick_to_bottom.set_value(from_bottom <= EDGE_PX);
            if from_bottom <= EDGE_PX && unseen.get_untracked() > 0 {
                unseen.set(0);
            }
            if list.scroll_top() <= EDGE_PX {
                load_older();
            }
            fill_visible_hole();
        }
    };
    // A hole still in view once a page of it arrived asks for the next (no scroll comes).
    Effect::new(move |_| {
        if !filling.get() && holes.with(|holes| !holes.is_empty()) {
            request_animation_frame(fill_visible_hole);
        }
    });
    let pending_count = StoredValue::new(0_usize);
    Effect::new(move |_| {
        // A message the user just wrote brings them to the bottom, wherever they were.
        let writing = pending.with(Vec::len);
        if writing > pending_count.get_value() {
            stick_to_bottom.set_value(true);
            unseen.set(0);
        }
        pending_count.set_value(writing);
        let (new_first, new_last) = entries.with(|entries| {
            (entries.first().map(TimelineEntry::key), entries.last().map(TimelineEntry::key))
        });
        let prepended = first_key.with_value(|old| old.is_some() && *old != new_first);
        let appended = entries.with_untracked(|entries| {
            last_key.with_value(|old| appended_messages(entries, old.as_ref()))
        });
        let Some(appended) = appended else {
            // Another room (or the same one loaded afresh): nothing below is unseen.
            unseen.set(0);
            first_key.set_value(new_first);
            last_key.set_value(new_last);
            stick_to_bottom.set_value(true);
            request_animation_frame(move || {
                if let Some(list) = list.get_untracked() {
                    list.set_scroll_top(list.scroll_height());
                }
            });
            return;
        };
        first_key.set_value(new_first);
        last_key.set_value(new_last);
        let mine = |message: &&ChatMessage| {
            me.with_untracked(|me| me.as_ref().is_some_and(|me| same_name(me, &message.author)))
        };
        let shown = |message: &&ChatMessage| message.is_live_post() && !mine(message);
        if let Some(message) = appended.iter().rev().find(shown) {
            let text = Markup::parse(message.text()).plain_text();
            let phrases = lang.get_untracked().phrases();
            announcement.set((phrases.announce_message)(&message.author, &text));
        }
        let stick = stick_to_bottom.get_value();
        if let Some((seq, offset)) = hole_anchor.get_value() {
            if !filling.get_untracked() || stick {
                hole_anchor.set_value(None); // The page has come (or the user wrote): done.
            }
            if !stick {
                request_animation_frame(move || keep_in_place(list, seq, offset));
                // What arrived live meanwhile is below the reader: counted, not scrolled to.
                unseen.update(|count| *count += appended.iter().filter(shown).count());
                return;
            }
        }
        if !stick && !prepended {
            // Appended below a reader who scrolled up: leave the view alone, count them (not
            // the user's own, nor deletions).
            unseen.update(|count| *count += appended.iter().filter(shown).count());
            return;
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

    // Brings the focused message into view once it is in the timeline, once per focus (after
    // the effect above has put the view where it keeps it).
    let brought_into_view = StoredValue::new(None::<u64>);
    Effect::new(move |_| {
        let Some(seq) = focus.get() else {
            brought_into_view.set_value(None);
            return;
        };
        let loaded = entries.with(|entries| {
            entries.iter().any(|entry| matches!(entry, TimelineEntry::Message(m) if m.seq == seq))
        });
        if !loaded || brought_into_view.get_value() == Some(seq) {
            return;
        }
        brought_into_view.set_value(Some(seq));
        stick_to_bottom.set_value(false);
        request_animation_frame(move || {
            let selector = format!("[data-seq=\"{seq}\"]");
            let found =
                list.get_untracked().and_then(|list| list.query_selector(&selector).ok().flatten());
            if let Some(message) = found {
                message.scroll_into_view();
            }
        });
    });

    let timeline = Memo::new(move |_| {
        let marker = read_marker.get();
        let holes = holes.get();
        entries.with(|entries| timeline_rows(entries, marker, &holes, local_day))
    });
    // The user's pending messages are rows of the same list, after the timeline: one keyed
    // list to render instead of two. A send changes only this, not the timeline's rows.
    let rows = Memo::new(move |_| {
        let mut rows = timeline.get();
        pending.with(|pending| rows.extend(pending.iter().cloned().map(Row::Pending)));
        rows
    });
    let phrases = move || lang.get().phrases();
    view! {
        <div class="timeline-frame">
            <ol class="timeline" node_ref=list on:scroll=on_scroll aria-label=tr(|p| p.messages) tabindex="0">
                <li class="history-edge">
                    <Show when=move || offline.get()>
                        <span class="offline-copy">{move || phrases().offline_copy}</span>
                    </Show>
                    <Show
                        when=move || !offline.get() && history.get().reaches_start
                        fallback=move || {
                            (!offline.get()).then(|| view! {
                                <button
                                    class="load-older"
                                    disabled=move || history.get().loading
                                    on:click=move |_| load_older()
                                >
                                    {move || {
                                        if history.get().loading {
                                            phrases().loading_older
                                        } else {
                                            phrases().load_older
                                        }
                                    }}
                                </button>
                            })
                        }
                    >
                        <span class="room-start">
                            {move || {
                                if history.get().older_removed {
                                    phrases().older_removed
                                } else {
                                    phrases().room_start
                                }
                            }}
                        </span>
                    </Show>
                </li>
                <For each=move || rows.get() key=Row::key let:row>
                    {render_row(row, me, now, lang, on_retry, on_discard, actions, hole_actions, focus)}
                </For>
            </ol>
            <Show when=move || { unseen.get() > 0 }>
                <button class="jump" on:click=move |_| scroll_to_bottom()>
                    {move || (phrases().new_messages)(unseen.get())}
                    " ↓"
                </button>
            </Show>
            <div class="visually-hidden" aria-live="polite" aria-atomic="true">
                {move || announcement.get()}
            </div>
        </div>
    }
}

/// The messages after `old_last` (the last entry before the change): none on the first render
/// or when only older entries came in; `None` when `old_last` is gone (another room is on
/// screen, or the room was loaded afresh).
fn appended_messages(
    entries: &[TimelineEntry],
    old_last: Option<&EntryKey>,
) -> Option<Vec<ChatMessage>> {
    let Some(old_last) = old_last else { return Some(Vec::new()) };
    let position = entries.iter().rposition(|entry| entry.key() == *old_last)?;
    let appended = entries[position + 1..]
        .iter()
        .filter_map(|entry| match entry {
            TimelineEntry::Message(message) => Some(message.clone()),
            TimelineEntry::Notice { .. } => None,
        })
        .collect();
    Some(appended)
}

#[allow(clippy::too_many_arguments, reason = "what one row of the list needs, passed down")]
fn render_row(
    row: Row,
    me: Signal<Option<Nickname>>,
    now: RwSignal<i64>,
    lang: Signal<Lang>,
    on_retry: Option<Callback<ClientId>>,
    on_discard: Option<Callback<ClientId>>,
    actions: Actions,
    hole_actions: HoleActions,
    focus: Signal<Option<u64>>,
) -> AnyView {
    match row {
        Row::Hole { hole } => render_hole(hole, hole_actions, lang),
        Row::DaySeparator { at, .. } => view! {
            <li class="day">
                <span>{move || day_label(at, lang.get())}</span>
            </li>
        }
        .into_any(),
        Row::UnreadMarker => view! {
            <li class="unread-marker">
                <span>{tr(|p| p.unread_marker)}</span>
            </li>
        }
        .into_any(),
        Row::Notice { event, .. } => {
            view! { <li class="notice">{move || notice_text(&event, lang.get())}</li> }.into_any()
        }
        Row::Message { message, continues } => {
            render_message(message, continues, me, now, lang, actions, focus)
        }
        Row::Pending(outgoing) => render_pending(outgoing, on_retry, on_discard, lang),
    }
}

fn notice_text(event: &NoticeEvent, lang: Lang) -> String {
    let phrases = lang.phrases();
    match event {
        NoticeEvent::Joined(who) => (phrases.joined)(who),
        NoticeEvent::Left(who) => (phrases.left)(who),
        NoticeEvent::ServerClosing(reason) => (phrases.server_closing)(reason),
        NoticeEvent::KickedMe { by, reason } => (phrases.kicked_me)(by, reason),
        NoticeEvent::MutedMe { until, reason } => {
            let until = until.map(|until| local_date_time(until, lang));
            (phrases.muted_me)(until.as_deref(), reason)
        }
        NoticeEvent::UnmutedMe => phrases.unmuted_me.to_owned(),
    }
}
