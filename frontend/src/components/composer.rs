//! Writing a message: Enter sends, Shift+Enter starts a new line, blank messages are not sent,
//! and near the length limit a counter says how much room is left (an over-long message is
//! refused with the reason, never cut).

use common::MessageBody;
use leptos::html::Textarea;
use leptos::prelude::*;

use crate::i18n::{tr, use_phrases};

/// The counter shows from this many characters on.
const COUNT_FROM: usize = MessageBody::MAX_CHARS - 500;

#[component]
pub fn Composer(
    /// Called with the text to send; returns whether it was taken (the box is then cleared).
    on_send: Callback<String, bool>,
    /// Whether sending is possible now (the connection is up).
    #[prop(into)]
    enabled: Signal<bool>,
    /// Called on every edit that leaves text in the box (the caller throttles).
    #[prop(optional)]
    on_typing: Option<Callback<()>>,
    /// The box takes the keyboard focus when it appears and whenever this changes (the room
    /// on screen), except on touch screens, where that would pop up the keyboard.
    #[prop(optional, into)]
    focus_for: Option<Signal<String>>,
) -> impl IntoView {
    let phrases = use_phrases();
    let (draft, set_draft) = signal(String::new());
    let textarea = NodeRef::<Textarea>::new();
    let blank = move || draft.with(|text| text.trim().is_empty());
    // Characters as the server counts them (Unicode scalar values, not UTF-16 units).
    let length = Memo::new(move |_| draft.with(|text| text.chars().count()));
    let too_long = move || length.get() > MessageBody::MAX_CHARS;

    Effect::new(move |_| {
        if let Some(focus_for) = focus_for {
            focus_for.track();
        }
        if let Some(textarea) = textarea.get()
            && !touch_screen()
        {
            let _ = textarea.focus(); // A failed focus changes nothing.
        }
    });

    let submit = move || {
        let text = draft.get_untracked();
        if text.trim().is_empty() || !enabled.get_untracked() {
            return;
        }
        if on_send.run(text) {
            set_draft.set(String::new());
        }
    };
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        // While an input method is composing (Chinese, Japanese, ...), Enter confirms the
        // composition and must not send.
        if event.key() == "Enter" && !event.shift_key() && !event.is_composing() {
            event.prevent_default();
            submit();
        }
    };

    view! {
        <form
            class="composer"
            on:submit=move |event| {
                event.prevent_default();
                submit();
                if let Some(textarea) = textarea.get_untracked() {
                    // Keep typing after clicking Send; a failed focus changes nothing.
                    let _ = textarea.focus();
                }
            }
        >
            <textarea
                node_ref=textarea
                aria-label=tr(|p| p.message_label)
                placeholder=tr(|p| p.composer_hint)
                rows="2"
                aria-describedby="composer-count"
                aria-invalid=move || too_long().then_some("true")
                prop:value=draft
                on:input=move |event| {
                    let text = event_target_value(&event);
                    if let Some(on_typing) = on_typing
                        && !text.trim().is_empty()
                    {
                        on_typing.run(());
                    }
                    set_draft.set(text);
                }
                on:keydown=on_keydown
            ></textarea>
            <button type="submit" disabled=move || blank() || too_long() || !enabled.get()>
                {tr(|p| p.send)}
            </button>
            <p id="composer-count" class="composer-count" class:over=too_long>
                {move || {
                    let length = length.get();
                    (length >= COUNT_FROM)
                        .then(|| (phrases.get().characters_left)(length, MessageBody::MAX_CHARS))
                }}
            </p>
        </form>
    }
}

/// Whether the main pointer is a finger (a phone or tablet).
fn touch_screen() -> bool {
    web_sys::window()
        .and_then(|window| window.match_media("(pointer: coarse)").ok().flatten())
        .is_some_and(|query| query.matches())
}
