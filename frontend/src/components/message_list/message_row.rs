//! One message's row in the timeline: heading, quote, body (edited in place), reactions and
//! the actions it offers; and a row for a message still waiting in the outbox.

use common::{ChatMessage, ClientId, Nickname, ReplyTo};
use leptos::prelude::*;

use crate::components::{Avatar, ReactionBar, RichText};
use crate::i18n::tr;
use crate::lang::Lang;
use crate::model::case_fold::same_name;
use crate::model::outbox::Outgoing;
use crate::time_format::{local_clock_time, local_date_time, short_time};

/// What the list offers to do to a message: delete it, edit it, react to it, answer it, open
/// the message it answers.
#[derive(Clone, Copy)]
pub(super) struct Actions {
    pub(super) on_delete: Option<Callback<u64>>,
    pub(super) deletes_any: Signal<bool>,
    pub(super) on_edit: Option<Callback<(u64, String)>>,
    pub(super) on_react: Option<Callback<(u64, String)>>,
    pub(super) on_reply: Option<Callback<u64>>,
    pub(super) on_open_quote: Option<Callback<u64>>,
}

pub(super) fn render_message(
    message: ChatMessage,
    continues: bool,
    me: Signal<Option<Nickname>>,
    now: RwSignal<i64>,
    lang: Signal<Lang>,
    actions: Actions,
    focus: Signal<Option<u64>>,
) -> AnyView {
    let author = message.author.clone();
    let author_key = StoredValue::new(author.clone());
    let mine = move || {
        me.with(|me| me.as_ref().is_some_and(|me| author_key.with_value(|a| same_name(me, a))))
    };
    let sent_at = message.sent_at;
    let full_time = move || local_date_time(sent_at, lang.get());
    let heading = (!continues).then(|| {
        let author = message.author.clone();
        view! {
            <Avatar nickname=author.clone() />
            <div class="meta">
                <span class="author">{author.to_string()}</span>
                <time title=full_time>{move || short_time(sent_at, now.get(), lang.get().phrases())}</time>
            </div>
        }
    });
    let quiet_time = continues.then(
        || view! { <time class="quiet-time" title=full_time>{local_clock_time(sent_at)}</time> },
    );
    let editing = RwSignal::new(false);
    let seq = message.seq;
    let post = message.post();
    let live = message.is_live_post();
    let edited = post.and_then(|post| post.edited);
    let edited_mark = move || {
        edited.map(|edited| {
            let at = move || local_date_time(edited.at, lang.get());
            view! { <span class="edited" title=at>{tr(|p| p.edited)}</span> }
        })
    };
    let body = match post.and_then(|post| post.body.as_ref()) {
        Some(body) => {
            let text = body.to_string();
            let shown = {
                let text = text.clone();
                move || view! { <div class="body"><RichText text=text.clone() />{edited_mark()}</div> }
            };
            match actions.on_edit {
                Some(on_edit) => view! {
                    <Show when=move || editing.get() fallback=shown>
                        {edit_box(seq, text.clone(), editing, on_edit)}
                    </Show>
                }
                .into_any(),
                None => shown().into_any(),
            }
        }
        None => view! { <div class="body deleted">{tr(|p| p.message_deleted)}</div> }.into_any(),
    };
    let edit_button = actions.on_edit.filter(|_| live).map(|_| {
        view! {
            <Show when=move || mine() && !editing.get()>
                <button
                    type="button"
                    class="edit secondary"
                    aria-label=tr(|p| p.edit_message)
                    title=tr(|p| p.edit_message)
                    on:click=move |_| editing.set(true)
                >
                    <span aria-hidden="true">"✎"</span>
                </button>
            </Show>
        }
    });
    let on_delete = actions.on_delete.filter(|_| live);
    let quote = post
        .and_then(|post| post.reply_to.clone())
        .map(|quote| render_quote(*quote, actions.on_open_quote));
    let reply_button = actions.on_reply.filter(|_| live).map(|on_reply| {
        view! {
            <button
                type="button"
                class="reply secondary"
                aria-label=tr(|p| p.reply)
                title=tr(|p| p.reply)
                on:click=move |_| on_reply.run(seq)
            >
                <span aria-hidden="true">"↩"</span>
            </button>
        }
    });
    let reactions = actions.on_react.filter(|_| live).map(|on_react| {
        let reactions = post.and_then(|post| post.reactions.clone());
        view! { <ReactionBar seq reactions me on_react /> }
    });
    view! {
        <li class="message" class:continues=continues class:mine=mine class:focused=move || focus.get() == Some(seq) data-seq=message.seq>
            {heading}
            {quiet_time}
            {quote}
            {body}
            {reactions}
            {reply_button}
            {edit_button}
            {on_delete.map(|on_delete| {
                let deletes_any = actions.deletes_any;
                let offered = move || mine() || deletes_any.get();
                view! {
                    <Show when=offered>
                        <button
                            type="button"
                            class="delete secondary"
                            aria-label=tr(|p| p.delete_message)
                            title=tr(|p| p.delete_message)
                            on:click=move |_| {
                                let sure = lang.get_untracked().phrases().delete_message_confirm;
                                let confirmed = window().confirm_with_message(sure).unwrap_or(false);
                                if confirmed {
                                    on_delete.run(seq);
                                }
                            }
                        >
                            <span aria-hidden="true">"🗑"</span>
                        </button>
                    </Show>
                }
            })}
        </li>
    }
    .into_any()
}

/// A reply's quote of the message it answers, as that message is now; pressing it brings the
/// message into view.
fn render_quote(quote: ReplyTo, on_open: Option<Callback<u64>>) -> impl IntoView {
    let original = quote.seq;
    let text = match quote.excerpt {
        Some(excerpt) => view! { <span class="quote-text">{excerpt}</span> }.into_any(),
        None => {
            view! { <span class="quote-text deleted">{tr(|p| p.message_deleted)}</span> }.into_any()
        }
    };
    let edited = quote.edited.then(|| view! { <span class="edited">{tr(|p| p.edited)}</span> });
    view! {
        <button
            type="button"
            class="quote"
            title=tr(|p| p.show_original)
            on:click=move |_| {
                if let Some(on_open) = on_open {
                    on_open.run(original);
                }
            }
        >
            <span class="quote-author">{quote.author.to_string()}</span>
            {text}
            {edited}
        </button>
    }
}

/// The user's message `seq` being edited in place: its text in a box, saved with Enter or the
/// button (if changed), left with Escape or the other button.
fn edit_box(
    seq: u64,
    text: String,
    editing: RwSignal<bool>,
    on_edit: Callback<(u64, String)>,
) -> impl IntoView {
    let area = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(area) = area.get() {
            let _ = area.focus();
        }
    });
    let original = StoredValue::new(text.clone());
    let save = move || {
        let Some(area) = area.get_untracked() else { return };
        let changed = area.value();
        if !changed.trim().is_empty() && original.with_value(|text| *text != changed) {
            on_edit.run((seq, changed));
        }
        editing.set(false);
    };
    view! {
        <div class="body editing">
            <textarea
                node_ref=area
                aria-label=tr(|p| p.edit_message)
                prop:value=text
                on:keydown=move |event| match event.key().as_str() {
                    "Enter" if !event.shift_key() && !event.is_composing() => {
                        event.prevent_default();
                        save();
                    }
                    "Escape" => editing.set(false),
                    _ => {}
                }
            ></textarea>
            <div class="actions">
                <button type="button" class="save" on:click=move |_| save()>{tr(|p| p.save)}</button>
                <button type="button" class="cancel secondary" on:click=move |_| editing.set(false)>
                    {tr(|p| p.cancel)}
                </button>
            </div>
        </div>
    }
}

/// A message of the user's that the server has not acknowledged: "Sending…", or why it was
/// refused with buttons to retry or give up.
pub(super) fn render_pending(
    outgoing: Outgoing,
    on_retry: Option<Callback<ClientId>>,
    on_discard: Option<Callback<ClientId>>,
    lang: Signal<Lang>,
) -> AnyView {
    let Outgoing { client_id, author, body, failed, edits, .. } = outgoing;
    // An edit waiting to go: marked as one (its message shows the old text until it is in).
    let edit_tag = edits.map(|_| view! { <span class="edited">{tr(|p| p.edited)}</span> });
    let is_failed = failed.is_some();
    let status = {
        let failed = failed.clone();
        move || {
            let phrases = lang.get().phrases();
            match &failed {
                Some(refusal) => (phrases.not_sent)(&phrases.refusal(refusal)),
                None => phrases.sending.to_owned(),
            }
        }
    };
    let actions = failed.map(|_| {
        view! {
            <div class="actions">
                {action_button("retry", tr(|p| p.retry), on_retry, client_id.clone())}
                {action_button("discard", tr(|p| p.discard), on_discard, client_id.clone())}
            </div>
        }
    });
    view! {
        <li class="message mine pending" class:failed=is_failed data-client-id=client_id.as_str().to_owned()>
            <Avatar nickname=author.clone() />
            <div class="meta">
                <span class="author">{author.to_string()}</span>
                {edit_tag}
                <span class="status">{status}</span>
            </div>
            <div class="body">
                <RichText text=body.to_string() />
            </div>
            {actions}
        </li>
    }
    .into_any()
}

/// A button that calls `action` (if given) with the message's client id.
fn action_button(
    class: &'static str,
    label: impl Fn() -> &'static str + Send + Sync + 'static,
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
