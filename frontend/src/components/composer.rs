//! Writing a message: Enter sends, Shift+Enter starts a new line, blank messages are not sent,
//! and near the length limit a counter says how much room is left (an over-long message is
//! refused with the reason, never cut). Typing `@` offers the room's people: arrow keys choose,
//! Enter or Tab puts the name in, Escape closes the list (a listbox the text box points at, so
//! screen readers announce the choice).

use common::{MessageBody, Nickname};
use leptos::html::Textarea;
use leptos::prelude::*;

use crate::i18n::{tr, use_phrases};
use crate::model::mention_suggestions::{
    TypedMention, byte_offset, complete, suggestions, typed_mention, utf16_offset,
};

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
    /// The room's people, offered after `@`.
    #[prop(optional, into)]
    people: Signal<Vec<Nickname>>,
    /// The user (not offered to themselves).
    #[prop(optional, into)]
    me: Signal<Option<Nickname>>,
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

    // The `@name` being typed (with the caret's byte offset) and who it could be.
    let mention = StoredValue::new(None::<(TypedMention, usize)>);
    let offered = RwSignal::new(Vec::<Nickname>::new());
    let chosen = RwSignal::new(0_usize);
    let close_list = move || {
        mention.set_value(None);
        offered.set(Vec::new());
    };
    let look_for_mention = move |text: &str| {
        let caret = textarea
            .get_untracked()
            .and_then(|area| area.selection_start().ok().flatten())
            .map_or(text.len(), |units| byte_offset(text, units as usize));
        let Some(typed) = typed_mention(text, caret) else { return close_list() };
        let people = people.with_untracked(|people| {
            me.with_untracked(|me| suggestions(&typed.typed, people, me.as_ref()))
        });
        mention.set_value(Some((typed, caret)));
        chosen.set(0);
        offered.set(people);
    };
    let choose = move |index: usize| {
        let Some((typed, caret)) = mention.get_value() else { return };
        let Some(name) = offered.with_untracked(|people| people.get(index).cloned()) else {
            return;
        };
        let (completed, after) = draft.with_untracked(|text| complete(text, &typed, caret, &name));
        let caret = utf16_offset(&completed, after) as u32;
        set_draft.set(completed);
        close_list();
        if let Some(area) = textarea.get_untracked() {
            // After the new text is in the box.
            request_animation_frame(move || {
                let _ = area.focus();
                let _ = area.set_selection_range(caret, caret);
            });
        }
    };

    let submit = move || {
        let text = draft.get_untracked();
        if text.trim().is_empty() || !enabled.get_untracked() {
            return;
        }
        if on_send.run(text) {
            set_draft.set(String::new());
            close_list();
        }
    };
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        let listed = offered.with_untracked(Vec::len);
        if listed > 0 && !event.is_composing() {
            let handled = match event.key().as_str() {
                "ArrowDown" => {
                    chosen.update(|at| *at = (*at + 1) % listed);
                    true
                }
                "ArrowUp" => {
                    chosen.update(|at| *at = (*at + listed - 1) % listed);
                    true
                }
                "Enter" | "Tab" if !event.shift_key() => {
                    choose(chosen.get_untracked());
                    true
                }
                "Escape" => {
                    close_list();
                    true
                }
                _ => false,
            };
            if handled {
                event.prevent_default();
                return;
            }
        }
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
            <Show when=move || offered.with(|people| !people.is_empty())>
                <ul class="mentions" role="listbox" id="mention-options" aria-label=tr(|p| p.mention_someone)>
                    {move || {
                        offered
                            .get()
                            .into_iter()
                            .enumerate()
                            .map(|(index, person)| {
                                view! {
                                    <li
                                        role="option"
                                        id=format!("mention-option-{index}")
                                        aria-selected=move || (chosen.get() == index).to_string()
                                        class:chosen=move || chosen.get() == index
                                        // Before the text box loses the focus.
                                        on:mousedown=move |event| {
                                            event.prevent_default();
                                            choose(index);
                                        }
                                    >
                                        {format!("@{person}")}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
            <textarea
                node_ref=textarea
                aria-autocomplete="list"
                aria-controls=move || offered.with(|people| !people.is_empty()).then_some("mention-options")
                aria-activedescendant=move || {
                    offered
                        .with(|people| !people.is_empty())
                        .then(|| format!("mention-option-{}", chosen.get()))
                }
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
                    look_for_mention(&text);
                    set_draft.set(text);
                }
                on:keydown=on_keydown
                on:blur=move |_| close_list()
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
