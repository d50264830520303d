//! The timeline: messages and room notices, newest at the bottom.
//!
//! Everything a user typed is inserted as text nodes, never parsed as HTML. New entries scroll
//! into view only while the reader is at (or near) the bottom; a reader who scrolled up to read
//! older messages is left where they are.

use common::Nickname;
use leptos::html::Ol;
use leptos::prelude::*;

use crate::chat_state::TimelineEntry;
use crate::time_format::{local_clock_time, local_date_time};

/// Within this many pixels of the bottom counts as "at the bottom".
const STICK_THRESHOLD_PX: i32 = 48;

#[component]
pub fn MessageList(
    #[prop(into)] entries: Signal<Vec<TimelineEntry>>,
    #[prop(into)] me: Signal<Option<Nickname>>,
) -> impl IntoView {
    let list = NodeRef::<Ol>::new();
    let stick_to_bottom = StoredValue::new(true);

    let on_scroll = move |_| {
        if let Some(list) = list.get_untracked() {
            let from_bottom = list.scroll_height() - list.scroll_top() - list.client_height();
            stick_to_bottom.set_value(from_bottom <= STICK_THRESHOLD_PX);
        }
    };
    Effect::new(move |_| {
        entries.track();
        if stick_to_bottom.get_value() {
            // After the browser has laid out the new entries.
            request_animation_frame(move || {
                if let Some(list) = list.get_untracked() {
                    list.set_scroll_top(list.scroll_height());
                }
            });
        }
    });

    view! {
        <ol class="timeline" node_ref=list on:scroll=on_scroll aria-live="polite">
            <For each=move || entries.get() key=TimelineEntry::key let:entry>
                {render_entry(entry, me)}
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
