//! The reader's settings: theme, language and, in the chat, mention notifications. Plain
//! labelled `<select>`s, so they work the same with a keyboard, a screen reader or a finger.

use leptos::prelude::*;

use crate::browser::notifications::{self, Permission};
use crate::browser::preferences::{Preferences, Theme};
use crate::i18n::{tr, use_phrases};
use crate::lang::Lang;

#[component]
pub fn SettingsPanel(
    /// Show the notifications switch (in the chat, not on the sign-in form).
    #[prop(optional)]
    with_notifications: bool,
) -> impl IntoView {
    let preferences = expect_context::<Preferences>();
    let phrases = use_phrases();
    let theme_name = move |theme: Theme| {
        let phrases = phrases.get();
        match theme {
            Theme::System => phrases.theme_system,
            Theme::Light => phrases.theme_light,
            Theme::Dark => phrases.theme_dark,
        }
    };
    view! {
        <div class="settings" role="group" aria-label=tr(|p| p.settings)>
            <label>
                <span>{tr(|p| p.theme)}</span>
                <select
                    class="theme-choice"
                    on:change=move |event| {
                        if let Some(theme) = Theme::parse(&event_target_value(&event)) {
                            preferences.theme.set(theme);
                        }
                    }
                >
                    {Theme::ALL
                        .into_iter()
                        .map(|theme| {
                            view! {
                                <option
                                    value=theme.as_str()
                                    selected=move || preferences.theme.get() == theme
                                >
                                    {move || theme_name(theme)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                <span>{tr(|p| p.language)}</span>
                <select
                    class="language-choice"
                    on:change=move |event| {
                        if let Some(lang) = Lang::parse(&event_target_value(&event)) {
                            preferences.lang.set(lang);
                        }
                    }
                >
                    {Lang::ALL
                        .into_iter()
                        .map(|lang| {
                            view! {
                                <option
                                    value=lang.tag()
                                    lang=lang.tag()
                                    selected=move || preferences.lang.get() == lang
                                >
                                    {lang.own_name()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            {with_notifications.then(|| view! { <NotificationSwitch /> })}
        </div>
    }
}

/// Asks for permission to notify mentions, or says how things stand.
#[component]
fn NotificationSwitch() -> impl IntoView {
    let permission = RwSignal::new(notifications::permission());
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            permission.set(notifications::ask_permission().await);
        });
    };
    move || match permission.get() {
        Permission::Unsupported => ().into_any(),
        Permission::Granted => {
            view! { <p class="notify-state">{tr(|p| p.notifications_on)}</p> }.into_any()
        }
        Permission::Denied => {
            view! { <p class="notify-state">{tr(|p| p.notifications_blocked)}</p> }.into_any()
        }
        Permission::Ask => view! {
            <button class="notify secondary" on:click=ask>{tr(|p| p.notify_mentions)}</button>
        }
        .into_any(),
    }
}
