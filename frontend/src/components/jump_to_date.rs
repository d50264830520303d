//! "Jump to a date": a date field that jumps when the reader has chosen a day, not while they
//! type one. Typing a year digit by digit passes through valid dates (0001, 0002, 0020...), and
//! the browser reports a change at each; jumping then moved the focus to the composer, and the
//! rest of the digits landed in the message. So a typed date jumps on Enter, and a day chosen
//! in the browser's picker (no key pressed since the last pointer press) jumps at once.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use crate::i18n::tr;
use crate::time_format::local_day_start;

/// The field; `on_jump` gets the start of the chosen day, local time (ms since the epoch).
#[component]
pub fn JumpToDate(#[prop(into)] on_jump: Callback<i64>) -> impl IntoView {
    // Whether the field's latest change was typed (a key other than Enter was pressed since the
    // last pointer press on it).
    let typing = StoredValue::new(false);
    let jump = move |field: &str| {
        if let Some(at) = local_day_start(field) {
            on_jump.run(at);
        }
    };
    view! {
        <input
            type="date"
            class="jump-to-date"
            aria-label=tr(|p| p.jump_to_date)
            title=tr(|p| p.jump_to_date)
            on:pointerdown=move |_| typing.set_value(false)
            on:keydown=move |event: KeyboardEvent| {
                if event.key() == "Enter" {
                    event.prevent_default();
                    typing.set_value(false);
                    jump(&event_target_value(&event));
                } else {
                    typing.set_value(true);
                }
            }
            on:change=move |event| {
                if !typing.get_value() {
                    jump(&event_target_value(&event));
                }
            }
        />
    }
}
