//! Searching messages: a search field (all rooms this person may read, or the room on screen
//! only), the results newest first with the words found marked, more on request, and each
//! result a button that opens its room at that message.
//!
//! The panel opens over the timeline and takes the focus into its field; Escape or the close
//! button closes it and gives the focus back to the button that opened it. The results stay
//! for the next time it opens, until another search. The result count is announced politely.

use common::ChatMessage;
use leptos::html::Input;
use leptos::prelude::*;

use crate::controller::ChatController;
use crate::i18n::{tr, use_lang};
use crate::model::search::{SearchScope, marked_pieces};
use crate::time_format::{local_date_time, local_day_start};

#[component]
pub fn SearchPanel(
    /// Closes the panel (and gives the focus back to what opened it).
    on_close: Callback<()>,
) -> impl IntoView {
    let chat = expect_context::<ChatController>();
    let lang = use_lang();
    let field = NodeRef::<Input>::new();
    let this_room_only = RwSignal::new(false);
    let author = RwSignal::new(String::new());
    let since_day = RwSignal::new(String::new());
    let search = Memo::new(move |_| chat.state.with(|state| state.search.clone()));
    request_animation_frame(move || {
        if let Some(field) = field.get_untracked() {
            let _ = field.focus();
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if let Some(field) = field.get_untracked() {
            let scope = SearchScope {
                this_room_only: this_room_only.get_untracked(),
                author: author.get_untracked(),
                since: local_day_start(&since_day.get_untracked()),
            };
            chat.search(&field.value(), &scope);
        }
    };
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" {
            event.stop_propagation();
            on_close.run(());
        }
    };
    let status = move || {
        let phrases = lang.get().phrases();
        search.with(|search| match search {
            None => String::new(),
            Some(search) if search.waiting_for.is_some() => phrases.searching.to_owned(),
            Some(search) if search.refused.is_some() => {
                search.refused.as_ref().map(|refusal| phrases.refusal(refusal)).unwrap_or_default()
            }
            Some(search) if search.results.is_empty() => phrases.search_no_results.to_owned(),
            Some(_) => String::new(),
        })
    };
    let results = move || search.with(|search| search.as_ref().map(|s| s.results.clone()));
    let words =
        move || search.with(|search| search.as_ref().map(|s| s.words()).unwrap_or_default());
    let more = move || {
        search.with(|search| {
            search
                .as_ref()
                .is_some_and(|s| !s.complete && s.refused.is_none() && !s.results.is_empty())
        })
    };
    view! {
        <section class="search-panel" aria-label=tr(|p| p.search_results) on:keydown=on_keydown>
            <form class="search-form" role="search" on:submit=submit>
                <input
                    type="search"
                    node_ref=field
                    maxlength="200"
                    aria-label=tr(|p| p.search_messages)
                    placeholder=tr(|p| p.search_messages)
                    prop:value=move || search.with(|s| s.as_ref().map(|s| s.query.clone()).unwrap_or_default())
                />
                <label class="search-scope">
                    <input type="checkbox" bind:checked=this_room_only />
                    {tr(|p| p.search_this_room)}
                </label>
                <input
                    type="text"
                    class="search-author"
                    maxlength="32"
                    aria-label=tr(|p| p.search_author)
                    placeholder=tr(|p| p.search_author)
                    bind:value=author
                />
                <label class="search-since">
                    {tr(|p| p.search_since)}
                    <input type="date" bind:value=since_day />
                </label>
                <button type="submit">{tr(|p| p.search)}</button>
                <button type="button" class="secondary close-search" on:click=move |_| on_close.run(())>
                    {tr(|p| p.close_search)}
                </button>
            </form>
            <p class="search-status" role="status" aria-live="polite">{status}</p>
            <ol class="search-results">
                <For
                    each=move || results().unwrap_or_default()
                    key=|message| message.id.clone()
                    let:message
                >
                    {render_result(message, words, lang, chat, on_close)}
                </For>
            </ol>
            <Show when=more>
                <button class="secondary search-more" on:click=move |_| chat.more_results()>
                    {tr(|p| p.search_more)}
                </button>
            </Show>
        </section>
    }
}

fn render_result(
    message: ChatMessage,
    words: impl Fn() -> Vec<String> + Copy + Send + Sync + 'static,
    lang: Signal<crate::lang::Lang>,
    chat: ChatController,
    on_close: Callback<()>,
) -> impl IntoView {
    let (room, seq, sent_at) = (message.room.clone(), message.seq, message.sent_at);
    let text = message.text().to_owned();
    let pieces =
        move || {
            marked_pieces(&text, &words())
                .into_iter()
                .map(|(piece, marked)| {
                    if marked {
                        view! { <mark>{piece}</mark> }.into_any()
                    } else {
                        piece.into_any()
                    }
                })
                .collect_view()
        };
    let open = move |_| {
        chat.open_result(room.clone(), seq);
        on_close.run(());
    };
    view! {
        <li>
            <button class="search-result" on:click=open>
                <span class="search-meta">
                    <span class="search-room">"#" {message.room.to_string()}</span>
                    <span class="author">{message.author.to_string()}</span>
                    <time>{move || local_date_time(sent_at, lang.get())}</time>
                </span>
                <span class="search-text">{pieces}</span>
            </button>
        </li>
    }
}
