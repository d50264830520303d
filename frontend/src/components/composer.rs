//! Writing a message: Enter sends, Shift+Enter starts a new line, blank messages are not sent.

use leptos::html::Textarea;
use leptos::prelude::*;

use crate::i18n::tr;

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
) -> impl IntoView {
    let (draft, set_draft) = signal(String::new());
    let textarea = NodeRef::<Textarea>::new();
    let blank = move || draft.with(|text| text.trim().is_empty());

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
                maxlength=common::MessageBody::MAX_CHARS
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
            <button type="submit" disabled=move || blank() || !enabled.get()>
                {tr(|p| p.send)}
            </button>
        </form>
    }
}
