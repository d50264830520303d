//! A message's reactions, and the way to add one.
//!
//! Each emoji on the message is a toggle button (`aria-pressed` when the reader put it there)
//! named by what it shows (the emoji and its count); who put it there is its title, on hover
//! and as its description for screen readers; pressing it adds or takes back the reader's own. A "+" button opens a small group of common emoji and a
//! field for any other; Escape closes it and puts the focus back on the "+".

use common::{Nickname, Reactions};
use leptos::html::Button;
use leptos::prelude::*;

use crate::i18n::{tr, use_lang};
use crate::model::case_fold::same_name;

/// The emoji offered at once (any other can be typed).
const QUICK: [&str; 8] = ["👍", "❤️", "😂", "🎉", "😮", "😢", "🙏", "👀"];

#[component]
pub fn ReactionBar(
    /// The message's seq.
    seq: u64,
    /// Its reactions (`None` when nobody reacted).
    reactions: Option<Reactions>,
    #[prop(into)] me: Signal<Option<Nickname>>,
    /// Toggles the reader's emoji on the message.
    on_react: Callback<(u64, String)>,
) -> impl IntoView {
    let lang = use_lang();
    let picking = RwSignal::new(false);
    let opener = NodeRef::<Button>::new();
    let close = move || {
        picking.set(false);
        if let Some(opener) = opener.get_untracked() {
            let _ = opener.focus();
        }
    };
    let chips =
        reactions.map(|reactions| reactions.list).unwrap_or_default().into_iter().map(|reaction| {
            let emoji = reaction.emoji.as_str().to_owned();
            let count = reaction.by.len();
            let names = reaction.by.iter().map(Nickname::as_str).collect::<Vec<_>>().join(", ");
            let by = StoredValue::new(reaction.by);
            let mine = move || {
                me.with(|me| {
                    me.as_ref()
                        .is_some_and(|me| by.with_value(|by| by.iter().any(|n| same_name(n, me))))
                })
            };
            let who = {
                let emoji = emoji.clone();
                move || (lang.get().phrases().reaction_by)(&emoji, count, &names)
            };
            let toggle = emoji.clone();
            view! {
                <button
                    type="button"
                    class="reaction secondary"
                    class:mine=mine
                    aria-pressed=move || if mine() { "true" } else { "false" }
                    title=who
                    on:click=move |_| {
                        on_react.run((seq, toggle.clone()));
                    }
                >
                    <span>{emoji}</span>
                    <span class="count">{count}</span>
                </button>
            }
        });
    view! {
        <div class="reactions">
            {chips.collect_view()}
            <button
                type="button"
                class="add-reaction secondary"
                node_ref=opener
                aria-label=tr(|p| p.add_reaction)
                title=tr(|p| p.add_reaction)
                aria-expanded=move || if picking.get() { "true" } else { "false" }
                on:click=move |_| picking.update(|open| *open = !*open)
            >
                <span aria-hidden="true">"☺+"</span>
            </button>
            <Show when=move || picking.get()>
                <EmojiPicker seq on_react on_close=Callback::new(move |()| close()) />
            </Show>
        </div>
    }
}

/// The common emoji and a field for any other. Choosing one reacts and closes it.
#[component]
fn EmojiPicker(
    seq: u64,
    on_react: Callback<(u64, String)>,
    on_close: Callback<()>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let invalid = RwSignal::new(false);
    let first = NodeRef::<Button>::new();
    Effect::new(move |_| {
        if let Some(first) = first.get() {
            let _ = first.focus();
        }
    });
    let choose = move |emoji: String| {
        on_react.run((seq, emoji));
        on_close.run(());
    };
    let quick = QUICK.iter().enumerate().map(|(index, &emoji)| {
        let node_ref = if index == 0 { first } else { NodeRef::new() };
        view! {
            <button type="button" class="quick secondary" node_ref=node_ref on:click=move |_| choose(emoji.to_owned())>
                {emoji}
            </button>
        }
    });
    let submit_typed = move || {
        let raw = typed.get_untracked();
        if common::Emoji::parse(raw.trim()).is_ok() {
            choose(raw.trim().to_owned());
        } else {
            invalid.set(true);
        }
    };
    view! {
        <div
            class="emoji-picker"
            role="group"
            aria-label=tr(|p| p.add_reaction)
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    event.prevent_default();
                    on_close.run(());
                }
            }
        >
            {quick.collect_view()}
            <input
                type="text"
                class="other-emoji"
                size="4"
                maxlength="16"
                aria-label=tr(|p| p.other_emoji)
                placeholder=tr(|p| p.other_emoji)
                aria-invalid=move || if invalid.get() { "true" } else { "false" }
                prop:value=move || typed.get()
                on:input=move |event| {
                    typed.set(event_target_value(&event));
                    invalid.set(false);
                }
                on:keydown=move |event| {
                    if event.key() == "Enter" && !event.is_composing() {
                        event.prevent_default();
                        submit_typed();
                    }
                }
            />
            <Show when=move || invalid.get()>
                <span class="problem" role="alert">{tr(|p| p.not_one_emoji)}</span>
            </Show>
        </div>
    }
}
