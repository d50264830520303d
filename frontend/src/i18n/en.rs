//! The page's words in English.

use super::Phrases;
use crate::browser::connection::LostReason;

pub static EN: Phrases = Phrases {
    app_name: "Chat",
    out_of_date: "This page is out of date.",
    reload: "Reload",
    chat_screen_failed: "The chat could not be loaded.",
    pick_nickname: "Pick a nickname",
    enter: "Enter the room",
    how_to_enter: "How to enter",
    as_guest: "As a guest",
    sign_in: "Sign in",
    register: "Register",
    username: "Username",
    password: "Password",
    password_hint: "At least 8 characters; a few words in a row make a good one.",
    open_menu: "Rooms and people",
    close_menu: "Close",
    leave: "Leave",
    retry_now: "Retry now",
    sign_out: "Sign out",
    settings: "Settings",
    theme: "Theme",
    theme_system: "System",
    theme_light: "Light",
    theme_dark: "Dark",
    language: "Language",
    notify_mentions: "Notify me when mentioned",
    notifications_on: "Mentions notify you",
    notifications_blocked: "Notifications are blocked in this browser",
    rooms: "Rooms",
    unread: |n| if n == 1 { "1 unread message".into() } else { format!("{n} unread messages") },
    new_room_name: "New room name",
    private_choice: "Private (invited people only)",
    private_room: "private room",
    invite: "Invite",
    invite_username: "Username to invite to this room",
    direct_messages: "Direct messages",
    message_to: |who| format!("Message {who} directly"),
    moderation: "Moderation",
    ban: "Ban",
    ban_reason: "Reason",
    ban_guest: "A guest (bans the name and the address it connects from)",
    ban_minutes: "For how many minutes (empty: until lifted)",
    audit_log: "Audit log",
    people: "People",
    show_people: "Show people",
    role_of: |who| format!("Server role of {who}"),
    role_name: |role| match role {
        common::Role::Guest => "guest",
        common::Role::Member => "member",
        common::Role::Moderator => "moderator",
        common::Role::Admin => "admin",
    },
    last_seen: |at| format!("last seen {at}"),
    never_seen: "not signed in",
    banned_line: |until, reason| {
        let until = until.map(|until| format!(" until {until}")).unwrap_or_default();
        let reason = if reason.is_empty() { String::new() } else { format!(": {reason}") };
        format!("banned{until}{reason}")
    },
    lift_ban: "Lift the ban",
    guest_bans: "Banned guests",
    guest_ban_line: |by, addresses, reason| {
        let reason = if reason.is_empty() { String::new() } else { format!(": {reason}") };
        let addresses = match addresses {
            1 => "1 address".to_owned(),
            n => format!("{n} addresses"),
        };
        format!("by {by}, {addresses}{reason}")
    },
    invite_links: "Invite links",
    invite_uses: "For how many people (0: any number)",
    invite_days: "Valid for how many days",
    make_invite: "Make an invite link",
    invite_link_once: "The new link (shown only now: copy it)",
    show_invites: "Show invite links",
    invite_line: |by, uses, max_uses, expires| {
        let of = max_uses.map(|max| format!(" of {max}")).unwrap_or_default();
        format!("By {by}: used {uses}{of} times, until {expires}")
    },
    revoke: "Revoke",
    revoked: "revoked",
    invited_hint: "You were invited: choose a username and a password.",
    audit_line: |entry| {
        let room = entry.room.as_ref().map(|room| format!(" in #{room}")).unwrap_or_default();
        let reason =
            if entry.reason.is_empty() { String::new() } else { format!(": {}", entry.reason) };
        // The server's action names (docs/PROTOCOL.md, Moderation), in words; a name this
        // page does not know yet is shown as it came.
        let action = match entry.action.as_str() {
            "ban" => "banned",
            "unban" => "lifted the ban on",
            "ban_guest" => "banned the guest name",
            "unban_guest" => "lifted the ban on the guest name",
            "set_role" => "changed the server role of",
            "invite" => "invited",
            "remove_member" => "removed from the room's members",
            "set_room_role" => "changed the room role of",
            "kick" => "sent out of the room (free to come back)",
            "mute" => "muted",
            "unmute" => "lifted the mute on",
            "delete" => "deleted a message by",
            other => other,
        };
        format!("{} {action} {}{room}{reason}", entry.actor, entry.target)
    },
    moderate_person: |who| format!("Moderate {who}"),
    mute_for_10_minutes: "Mute for 10 minutes",
    mute_for_a_day: "Mute for a day",
    unmute: "Unmute",
    kick: "Remove from the room",
    make_moderator: "Make moderator",
    make_member: "No longer moderator",
    muted_note: |until| match until {
        Some(until) => {
            format!("A moderator muted you in this room until {until}: you can read, not write.")
        }
        None => "A moderator muted you in this room: you can read, not write.".into(),
    },
    create: "Create",
    people_in_room: "People in the room",
    online: |n| format!("Online — {n}"),
    you: "(you)",
    guest_tag: "guest",
    messages: "Messages",
    loading_older: "Loading older messages…",
    load_older: "Load older messages",
    loading_newer: "Loading later messages…",
    load_newer: "Load later messages",
    more_people: "Show more people",
    room_start: "This is the beginning of the room.",
    older_removed: "Older messages are no longer kept.",
    new_messages: |n| if n == 1 { "1 new message".into() } else { format!("{n} new messages") },
    search: "Search",
    search_messages: "Search messages",
    search_this_room: "This room only",
    search_author: "From (name)",
    search_since: "Since",
    searching: "Searching…",
    search_no_results: "No messages found.",
    search_more: "More results",
    close_search: "Close search",
    search_results: "Search results",
    unread_marker: "New",
    today: "Today",
    yesterday: "Yesterday",
    just_now: "now",
    minutes_ago: |n| format!("{n} min"),
    message_deleted: "Message deleted",
    delete_message: "Delete message",
    delete_message_confirm: "Delete this message for everyone?",
    edited: "edited",
    edit_message: "Edit message",
    reply: "Reply",
    replying_to: |author| format!("Replying to {author}"),
    cancel_reply: "Cancel reply",
    show_original: "Show the message it answers",
    add_reaction: "Add reaction",
    other_emoji: "Any emoji",
    not_one_emoji: "Type one emoji",
    reaction_by: |emoji, count, names| match count {
        1 => format!("{emoji}: {names}"),
        _ => format!("{emoji}, {count} people: {names}"),
    },
    mention_someone: "People to mention",
    save: "Save",
    cancel: "Cancel",
    sending: "Sending…",
    not_sent: |reason| format!("Not sent: {reason}"),
    retry: "Retry",
    discard: "Discard",
    joined: |who| format!("{who} joined"),
    left: |who| format!("{who} left"),
    server_closing: |reason| format!("The server is closing: {reason}"),
    kicked_me: |by, reason| {
        let reason = if reason.is_empty() { String::new() } else { format!(": {reason}") };
        format!("{by} removed you from the room{reason}")
    },
    muted_me: |until, reason| {
        let until = until.map(|until| format!(" until {until}")).unwrap_or_default();
        let reason = if reason.is_empty() { String::new() } else { format!(": {reason}") };
        format!("A moderator muted you here{until}{reason}")
    },
    unmuted_me: "Your mute here was lifted: you can write again",
    announce_message: |who, text| format!("{who}: {text}"),
    mentioned_you: |who, room| format!("{who} mentioned you in #{room}"),
    message_label: "Message",
    composer_hint: "Write a message (Enter sends, Shift+Enter adds a line)",
    characters_left: |length, max| match max.checked_sub(length) {
        Some(1) => "1 character left".into(),
        Some(left) => format!("{left} characters left"),
        None => format!("{} characters too many: shorten it to send", length - max),
    },
    send: "Send",
    typing_one: |who| format!("{who} is typing…"),
    typing_two: |one, two| format!("{one} and {two} are typing…"),
    typing_many: "Several people are typing…",
    not_connected: "Not connected",
    connecting: "Connecting…",
    connected: "Connected",
    offline: "Offline",
    reconnecting_in: |s| format!("Reconnecting in {s} s"),
    reconnecting: "Reconnecting",
    offline_copy: "Offline: these are the messages saved on this device.",
    unsent: |n| if n == 1 { "1 unsent message".into() } else { format!("{n} unsent messages") },
    unsent_short: |n| format!("{n} unsent"),
    lost_reason: |reason| match reason {
        LostReason::Unreachable => "The server cannot be reached".into(),
        LostReason::Closed => "The server closed the connection".into(),
        LostReason::Restarting => "The server is restarting".into(),
        LostReason::Silent => "The server stopped answering".into(),
        LostReason::Code { code, reason } if reason.is_empty() => {
            format!("The connection closed (code {code})")
        }
        LostReason::Code { code, reason } => {
            format!("The connection closed (code {code}): {reason}")
        }
    },
    nickname_error: |error| error.to_string(),
    password_error: |error| error.to_string(),
    body_error: |error| error.to_string(),
    room_name_error: |error| error.to_string(),
    no_such_room: |room| format!("There is no room named {room}."),
    removed_from: |room| format!("You are no longer a member of {room}."),
    kicked_from: |room, by, reason| {
        let reason = if reason.is_empty() { String::new() } else { format!(" ({reason})") };
        format!("{by} removed you from {room}{reason}. Choose the room again to come back.")
    },
    signed_out_elsewhere: "You were signed out from another browser. Sign in again.",
    your_sessions: "Your sign-ins",
    this_browser: "this browser",
    session_line: |created, last_seen| format!("since {created}, last seen {last_seen}"),
    sign_out_other_sessions: "Sign out everywhere else",
    current_password: "Current password",
    new_password: "New password",
    change_password: "Change password",
    banned: |reason| format!("This account was banned. The server said: {reason}"),
    nothing_since_date: "Nothing was written in this room on or after that day.",
    jump_to_date: "Jump to a date",
    bad_room_link: "That link does not name a valid room.",
    sign_in_first: "Sign in first.",
    refused: |_| None, // The server's own English message says it best.
};
