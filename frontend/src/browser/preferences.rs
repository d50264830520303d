//! The reader's choices that belong to this browser: the interface language and the colour
//! theme. Both start from the browser (its language, its light or dark setting), can be
//! switched in the page, and are remembered in local storage.

use leptos::prelude::*;

use crate::browser::local_store::{load_preference, save_preference};
use crate::lang::Lang;

/// Light, dark, or whatever the system says (the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The stored and `data-theme` form.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn parse(value: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|theme| theme.as_str() == value)
    }
}

/// The reader's language and theme, provided to every component through context.
#[derive(Debug, Clone, Copy)]
pub struct Preferences {
    pub lang: RwSignal<Lang>,
    pub theme: RwSignal<Theme>,
}

impl Preferences {
    /// Reads the saved choices (or the browser's language), applies them to the document,
    /// and keeps the document and storage in step with later changes.
    pub fn load() -> Self {
        let lang =
            load_preference("lang").and_then(|tag| Lang::parse(&tag)).unwrap_or_else(browser_lang);
        let theme = load_preference("theme").and_then(|value| Theme::parse(&value));
        let preferences =
            Self { lang: RwSignal::new(lang), theme: RwSignal::new(theme.unwrap_or_default()) };
        mirror(preferences.lang, "lang", "lang", Lang::tag);
        mirror(preferences.theme, "data-theme", "theme", Theme::as_str);
        preferences
    }
}

/// Keeps the root element's `attribute` equal to `choice` (as `text` writes it), and saves
/// each change under `name`; the value the page starts with is not saved, so only a choice
/// the reader made is remembered.
fn mirror<T>(
    choice: RwSignal<T>,
    attribute: &'static str,
    name: &'static str,
    text: fn(T) -> &'static str,
) where
    T: Copy + Send + Sync + 'static,
{
    Effect::new(move |previous: Option<()>| {
        let value = text(choice.get());
        set_root_attribute(attribute, value);
        if previous.is_some() {
            save_preference(name, value);
        }
    });
}

/// The language the browser asks for.
fn browser_lang() -> Lang {
    web_sys::window()
        .and_then(|window| window.navigator().language())
        .map(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

fn set_root_attribute(name: &str, value: &str) {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element());
    if let Some(root) = root {
        // Setting an attribute with a valid name cannot fail.
        let _ = root.set_attribute(name, value);
    }
}
