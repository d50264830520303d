//! The chat's current problem, in the reader's words, for the error lines of the sign-in form
//! and the chat view.

use leptos::prelude::*;

use crate::controller::ChatController;
use crate::i18n::use_phrases;

/// The chat's current problem (if any) in the reader's words, for an error line.
pub fn error_text(
    chat: ChatController,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let phrases = use_phrases();
    move || {
        let phrases = phrases.get();
        chat.state.with(|state| state.error.as_ref().map(|problem| phrases.problem(problem)))
    }
}
