//! The admin view's people: every account with its server role (changeable), last activity
//! and ban (liftable), and the guests' bans in force (liftable). The server refuses anyone
//! but an admin.

use common::{Nickname, PersonInfo, Role};
use leptos::prelude::*;

use crate::controller::ChatController;
use crate::i18n::{tr, use_lang, use_phrases};
use crate::time_format;

#[component]
pub fn PeopleAdmin() -> impl IntoView {
    let chat = expect_context::<ChatController>();
    let phrases = use_phrases();
    let lang = use_lang();
    let people = move || {
        chat.state.with(|state| state.people.as_ref().map(|p| p.people.clone()).unwrap_or_default())
    };
    let guest_bans = move || {
        chat.state
            .with(|state| state.people.as_ref().map(|p| p.guest_bans.clone()).unwrap_or_default())
    };
    let me = move || chat.state.with(|state| state.me.clone());
    view! {
        <section class="people-admin" aria-label=tr(|p| p.people)>
            <h3>{tr(|p| p.people)}</h3>
            <button class="secondary" on:click=move |_| { chat.act(|state| state.people_request()); }>
                {tr(|p| p.show_people)}
            </button>
            <ul class="people">
                <For each=people key=|person| (person.username.to_string(), person.role, person.banned_until) let:person>
                    {person_row(person, chat, me(), lang, phrases)}
                </For>
            </ul>
            <h4>{tr(|p| p.guest_bans)}</h4>
            <ul class="guest-bans">
                <For each=guest_bans key=|ban| ban.nickname.to_string() let:ban>
                    {
                        let name = ban.nickname.clone();
                        view! {
                            <li>
                                <span class="name">{ban.nickname.to_string()}</span>
                                " "
                                {move || (phrases.get().guest_ban_line)(&ban.banned_by, ban.addresses, &ban.reason)}
                                <button
                                    class="secondary"
                                    on:click=move |_| { chat.act(|state| state.unban_request(&name, true)); }
                                >
                                    {tr(|p| p.lift_ban)}
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}

/// One account: name, role (a choice, except one's own), last seen, ban.
fn person_row(
    person: PersonInfo,
    chat: ChatController,
    me: Option<Nickname>,
    lang: Signal<crate::lang::Lang>,
    phrases: Signal<&'static crate::i18n::Phrases>,
) -> impl IntoView {
    let is_me = me.is_some_and(|me| me == person.username);
    let name = person.username.clone();
    let label = (phrases.get_untracked().role_of)(&person.username);
    let role_choice = view! {
        <select
            aria-label=label
            disabled=is_me
            on:change=move |event| {
                if let Some(role) = Role::parse(&event_target_value(&event)) {
                    chat.act(|state| state.set_role_request(&name, role));
                }
            }
        >
            {[Role::Member, Role::Moderator, Role::Admin]
                .into_iter()
                .map(|role| {
                    view! {
                        <option value=role.as_str() selected=role == person.role>
                            {move || (phrases.get().role_name)(role)}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    };
    let seen = person.last_seen_at;
    let banned = person.banned_until.map(|until| {
        let name = person.username.clone();
        let reason = person.ban_reason.clone();
        view! {
            <span class="banned">
                {move || {
                    let until = (until != i64::MAX).then(|| time_format::local_date_time(until, lang.get()));
                    (phrases.get().banned_line)(until.as_deref(), &reason)
                }}
            </span>
            <button class="secondary" on:click=move |_| { chat.act(|state| state.unban_request(&name, false)); }>
                {tr(|p| p.lift_ban)}
            </button>
        }
    });
    view! {
        <li>
            <span class="name">{person.username.to_string()}</span>
            {role_choice}
            <span class="seen">
                {move || match seen {
                    Some(at) => (phrases.get().last_seen)(&time_format::local_date_time(at, lang.get())),
                    None => phrases.get().never_seen.to_owned(),
                }}
            </span>
            {banned}
        </li>
    }
}
