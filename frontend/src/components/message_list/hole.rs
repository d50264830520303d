//! A hole in the timeline (messages not loaded between loaded ones): its row, and asking for
//! its next page from the side the reader reaches it, keeping what is on screen in place.

use leptos::html::Ol;
use leptos::prelude::*;

use crate::lang::Lang;
use crate::model::room_state::Hole;

/// What the list offers at a hole: loading the messages in it.
#[derive(Clone, Copy)]
pub(super) struct HoleActions {
    pub(super) filling: Signal<bool>,
    pub(super) on_fill: Option<Callback<(u64, bool)>>,
    pub(super) list: NodeRef<Ol>,
    /// See `hole_anchor` in [`MessageList`].
    pub(super) anchor: StoredValue<Option<(u64, f64)>>,
}

/// Asks for the next page of `hole`, from its end when the reader is below it: then the first
/// message after it is kept where it is on screen while the page goes in above it.
pub(super) fn ask_for_hole(actions: HoleActions, hole: Hole, from_below: bool) {
    let Some(on_fill) = actions.on_fill else { return };
    if from_below && let Some(offset) = offset_in_view(actions.list, hole.before) {
        actions.anchor.set_value(Some((hole.before, offset)));
    }
    on_fill.run((hole.after, from_below));
}

/// How far the message `seq` is below the top of the list's view, if it is shown.
pub(super) fn offset_in_view(list: NodeRef<Ol>, seq: u64) -> Option<f64> {
    let list = list.get_untracked()?;
    let row = list.query_selector(&format!("[data-seq=\"{seq}\"]")).ok().flatten()?;
    Some(row.get_bounding_client_rect().top() - list.get_bounding_client_rect().top())
}

/// Whether a hole's row is in the upper half of the list's view: the reader is below it,
/// scrolling up, so its page is asked for from its end.
pub(super) fn above_middle(row: &web_sys::DomRect, view: &web_sys::DomRect) -> bool {
    row.top() + row.bottom() < view.top() + view.bottom()
}

/// Scrolls the list so that the message `seq` is `offset` below the top of its view again.
pub(super) fn keep_in_place(list: NodeRef<Ol>, seq: u64, offset: f64) {
    let (Some(now), Some(list)) = (offset_in_view(list, seq), list.get_untracked()) else {
        return;
    };
    let moved = (now - offset).round() as i32;
    list.set_scroll_top(list.scroll_top() + moved);
}

/// The messages not loaded in `hole`: a button that loads the next page of them (the page
/// does so by itself when the reader scrolls to it), from the side the reader is on.
pub(super) fn render_hole(hole: Hole, actions: HoleActions, lang: Signal<Lang>) -> AnyView {
    let HoleActions { filling, list, .. } = actions;
    let row = NodeRef::<leptos::html::Li>::new();
    let from_below = move || {
        let (Some(list), Some(row)) = (list.get_untracked(), row.get_untracked()) else {
            return false;
        };
        above_middle(&row.get_bounding_client_rect(), &list.get_bounding_client_rect())
    };
    view! {
        <li class="history-edge history-hole" data-hole-after=hole.after node_ref=row>
            <button
                class="load-newer"
                disabled=move || filling.get()
                on:click=move |_| ask_for_hole(actions, hole, from_below())
            >
                {move || {
                    let phrases = lang.get().phrases();
                    if filling.get() { phrases.loading_newer } else { phrases.load_newer }
                }}
            </button>
        </li>
    }
    .into_any()
}
