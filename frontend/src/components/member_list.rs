//! Who is in the room now, in the reader's language's alphabetical order (pinyin order for
//! Chinese names when the page speaks Chinese), each with their avatar; for the room's
//! moderators, a menu of what they may do to each person (the server checks again). A room
//! too big to follow shows how many are in it and its people a page at a time ("Show more").

use common::{Nickname, RoomRole};
use leptos::prelude::*;

use crate::components::Avatar;
use crate::i18n::{tr, use_lang};
use crate::model::case_fold::{name_key, same_name};
use crate::model::chat_state::RoomAction;
use crate::model::collation::sort_nicknames;

#[component]
pub fn MemberList(
    #[prop(into)] members: Signal<Vec<Nickname>>,
    #[prop(into)] me: Signal<Option<Nickname>>,
    /// Opens direct messages with a person (offered to accounts only; the server refuses a
    /// guest as the other person).
    #[prop(into, default = Signal::stored(None))]
    on_message: Signal<Option<Callback<Nickname>>>,
    /// Kicks, mutes or appoints a person (offered to the room's moderators only).
    #[prop(into, default = Signal::stored(None))]
    on_moderate: Signal<Option<Callback<(Nickname, RoomAction)>>>,
    /// Those of `members` who are guests (marked so).
    #[prop(into, default = Signal::stored(Vec::new()))]
    guests: Signal<Vec<Nickname>>,
    /// Whether the menu also offers making someone a moderator (the room's owner, or an admin).
    #[prop(into, default = Signal::stored(false))]
    appoints: Signal<bool>,
    /// The page is not connected: nobody is known to be here (the heading says "Offline",
    /// not that nobody is).
    #[prop(into, default = Signal::stored(false))]
    offline: Signal<bool>,
    /// Set when the room is counted (too big to follow each arrival): how many are in it;
    /// `members` are then the pages of them read so far.
    #[prop(into, default = Signal::stored(None))]
    count: Signal<Option<u64>>,
    /// Reads the next page of a counted room's people (offered while there are more).
    #[prop(into, default = Signal::stored(None))]
    on_more: Signal<Option<Callback<()>>>,
) -> impl IntoView {
    let lang = use_lang();
    let phrases = move || lang.get().phrases();
    let total = count;
    let count = move || {
        let listed = members.with(Vec::len);
        total.get().map_or(listed, |count| usize::try_from(count).unwrap_or(usize::MAX))
    };
    let sorted = move || {
        let mut members = members.get();
        sort_nicknames(&mut members, lang.get());
        members
    };
    view! {
        <section class="members" aria-label=tr(|p| p.people_in_room)>
            <h2>
                {move || {
                    if offline.get() {
                        phrases().offline.to_owned()
                    } else {
                        (phrases().online)(count())
                    }
                }}
            </h2>
            <ul>
                <For each=sorted key=name_key let:member>
                    {
                        let is_me =
                            me.with_untracked(|me| me.as_ref().is_some_and(|me| same_name(me, &member)));
                        view! {
                            <li class:me=is_me>
                                <Avatar nickname=member.clone() />
                                <span class="name">{member.to_string()}</span>
                                {is_me.then(|| view! { <span class="you">{tr(|p| p.you)}</span> })}
                                {
                                    let person = member.clone();
                                    move || {
                                        guests
                                            .with(|guests| guests.iter().any(|g| same_name(g, &person)))
                                            .then(|| view! { <span class="guest-tag">{tr(|p| p.guest_tag)}</span> })
                                    }
                                }
                                {
                                    let other = member.clone();
                                    move || {
                                        // A guest has no account to write to.
                                        let guest = guests.with(|guests| guests.iter().any(|g| same_name(g, &other)));
                                        on_message
                                            .get()
                                            .filter(|_| !is_me && !guest)
                                            .map(|open| {
                                                let other = other.clone();
                                                let label = (phrases().message_to)(&other);
                                                view! {
                                                    <button
                                                        class="dm secondary"
                                                        aria-label=label.clone()
                                                        title=label
                                                        on:click=move |_| open.run(other.clone())
                                                    >
                                                        <span aria-hidden="true">"✉"</span>
                                                    </button>
                                                }
                                            })
                                    }
                                }
                                {
                                    let other = member.clone();
                                    move || {
                                        on_moderate
                                            .get()
                                            .filter(|_| !is_me)
                                            .map(|moderate| moderation_menu(other.clone(), moderate, appoints))
                                    }
                                }
                            </li>
                        }
                    }
                </For>
            </ul>
            {move || {
                on_more
                    .get()
                    .map(|more| {
                        view! {
                            <button class="more-people secondary" on:click=move |_| more.run(())>
                                {move || phrases().more_people}
                            </button>
                        }
                    })
            }}
        </section>
    }
}

/// What a moderator may do to `who`: a disclosure (keyboard- and screen-reader-friendly as
/// it is) of buttons, closed again after a choice.
fn moderation_menu(
    who: Nickname,
    moderate: Callback<(Nickname, RoomAction)>,
    appoints: Signal<bool>,
) -> impl IntoView {
    let details = NodeRef::<leptos::html::Details>::new();
    let lang = use_lang();
    // In the reader's language as it is now, for the tooltip as for screen readers.
    let label = {
        let who = who.clone();
        move || (lang.get().phrases().moderate_person)(&who)
    };
    let choice = move |action: RoomAction,
                       label: fn(&'static crate::i18n::Phrases) -> &'static str| {
        let who = who.clone();
        view! {
            <button
                type="button"
                class="secondary"
                on:click=move |_| {
                    moderate.run((who.clone(), action));
                    if let Some(details) = details.get_untracked() {
                        details.set_open(false);
                    }
                }
            >
                {tr(label)}
            </button>
        }
    };
    view! {
        <details class="moderate" node_ref=details>
            <summary aria-label=label.clone() title=label>
                <span aria-hidden="true">"⋯"</span>
            </summary>
            <div class="moderate-actions">
                {choice(RoomAction::Mute { minutes: 10 }, |p| p.mute_for_10_minutes)}
                {choice(RoomAction::Mute { minutes: 24 * 60 }, |p| p.mute_for_a_day)}
                {choice(RoomAction::Unmute, |p| p.unmute)}
                {choice(RoomAction::Kick, |p| p.kick)}
                <Show when=move || appoints.get()>
                    {choice(RoomAction::Appoint(RoomRole::Moderator), |p| p.make_moderator)}
                    {choice(RoomAction::Appoint(RoomRole::Member), |p| p.make_member)}
                </Show>
            </div>
        </details>
    }
}
