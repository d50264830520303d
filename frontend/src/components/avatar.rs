//! A person's round badge: their initial on their colour (see [`crate::avatar`]). Decorative:
//! the name is always written next to it, so screen readers skip it.

use common::Nickname;
use leptos::prelude::*;

use crate::avatar::{hue, initial};

#[component]
pub fn Avatar(nickname: Nickname) -> impl IntoView {
    // A custom property set through the CSS object model: allowed by the page's
    // Content-Security-Policy, unlike a `style` attribute.
    view! {
        <span class="avatar" aria-hidden="true" style=("--hue", hue(&nickname).to_string())>
            {initial(&nickname)}
        </span>
    }
}
