//! The first screen: the static sign-in form (or chat frame) that `index.html` shows while the
//! app is on its way, so a slow link is not a blank page. The app replaces it when it starts,
//! taking over what the reader already did there.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What the reader did on the first screen before the app arrived.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Handover {
    /// What was typed into the nickname field.
    pub nickname: String,
    /// Whether the nickname field had the focus.
    pub focused: bool,
    /// Whether Enter was pressed (the page's inline script kept the form from reloading).
    pub submitted: bool,
}

/// The handover, given once: the first sign-in form takes it, later ones (after signing out)
/// start empty. Provided through context by [`crate::components::App`].
#[derive(Debug, Clone, Copy)]
pub struct FirstScreen(StoredValue<Handover>);

impl FirstScreen {
    /// Removes the first screen from the page, keeping what was typed on it.
    pub fn take_over() -> Self {
        Self(StoredValue::new(remove_from_page()))
    }

    /// What the reader did on the first screen, the first time it is asked for.
    pub fn take(self) -> Handover {
        self.0.try_update_value(std::mem::take).unwrap_or_default()
    }
}

fn remove_from_page() -> Handover {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return Handover::default();
    };
    let mut handover = Handover::default();
    if let Some(input) = document
        .get_element_by_id("first-nickname")
        .and_then(|element| element.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        handover.nickname = input.value();
        handover.focused =
            document.active_element().is_some_and(|active| active.id() == "first-nickname");
    }
    handover.submitted =
        document.query_selector(".first-screen form[data-submitted]").ok().flatten().is_some();
    while let Ok(Some(screen)) = document.query_selector(".first-screen") {
        screen.remove();
    }
    handover
}
