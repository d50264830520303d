//! The page's rules, driven natively: sign-in, rooms, history, the outbox, catch-up.

use common::{
    Ack, Created, ErrorCode, ErrorReply, History, Joined, Left, MemberCount, MemberList,
    MemberPage, RoomSummary, ServerMessage, UserJoined, UserLeft, Welcome,
};

use super::*;
use crate::model::problem::ServerRefusal;
use crate::model::room_state::{Hole, NoticeEvent};
use crate::model::search::SearchScope;
use crate::test_support::{message, nick, room};

fn chat_in(room_name: &str, seq: u64, author: &str) -> ServerMessage {
    ServerMessage::Message(message(room_name, seq, author, 0))
}

fn welcome(name: &str, rooms: &[(&str, u64)]) -> ServerMessage {
    ServerMessage::Welcome(Welcome {
        request_id: 1,
        protocol: 1,
        nickname: nick(name),
        token: format!("token-of-{name}"),
        rooms: rooms
            .iter()
            .map(|(r, last_seq)| RoomSummary {
                name: room(r),
                last_seq: *last_seq,
                private: false,
                dm_with: None,
            })
            .collect(),
        role: common::Role::Guest,
        session: None,
    })
}

fn refusal(request_id: u64, code: ErrorCode, message: &str, retry: Option<u64>) -> ServerMessage {
    ServerMessage::Error(ErrorReply {
        request_id: Some(request_id),
        code,
        message: message.into(),
        retry_after_ms: retry,
    })
}

fn joined(room_name: &str, last_seq: u64) -> ServerMessage {
    ServerMessage::Joined(Joined {
        request_id: 2,
        room: room(room_name),
        members: vec![],
        guests: vec![],
        last_seq,
        role: None,
        muted_until: None,
        member_count: None,
    })
}

fn history(room_name: &str, seqs: impl IntoIterator<Item = u64>, start: bool) -> ServerMessage {
    let messages = seqs.into_iter().map(|seq| message(room_name, seq, "bob", 0)).collect();
    ServerMessage::History(History {
        request_id: 9,
        room: room(room_name),
        messages,
        reaches_start: start,
        reaches_end: true,
        first_seq: None,
    })
}

fn joins(requests: &[ClientMessage]) -> Vec<String> {
    requests
        .iter()
        .filter_map(|request| match request {
            ClientMessage::Join { room, .. } => Some(room.clone()),
            _ => None,
        })
        .collect()
}

fn seqs(state: &ChatState, room_name: &str) -> Vec<u64> {
    state.rooms[&room(room_name)]
        .timeline
        .iter()
        .filter_map(|entry| match entry {
            TimelineEntry::Message(m) => Some(m.seq),
            TimelineEntry::Notice { .. } => None,
        })
        .collect()
}

/// Signed in as `name`, in the lobby, with its (empty) history loaded.
fn signed_in(name: &str) -> ChatState {
    let mut state = ChatState::default();
    state.hello(name).expect("valid");
    state.apply(welcome(name, &[("lobby", 0), ("rust", 0)]), 0);
    state.apply(joined("lobby", 0), 0);
    state.apply(history("lobby", [], true), 0);
    state
}

#[test]
fn welcome_lists_rooms_and_joins_the_room_in_the_url() {
    let mut state = ChatState::showing(room("rust"));
    state.hello(" alice ").expect("valid");
    assert_eq!(state.phase, Phase::Identifying);
    let requests = state.apply(welcome("alice", &[("lobby", 3), ("rust", 7)]), 0).frames;
    assert_eq!(joins(&requests), vec!["rust"]);
    assert_eq!(state.phase, Phase::SignedIn);
    assert_eq!(state.rooms.len(), 2);
    assert_eq!(state.rooms[&room("rust")].last_seq, 7);
}

#[test]
fn a_url_naming_an_unknown_room_falls_back_to_the_lobby_with_a_reason() {
    let mut state = ChatState::showing(room("gone"));
    state.hello("alice").expect("valid");
    let requests = state.apply(welcome("alice", &[("lobby", 0)]), 0).frames;
    assert_eq!(joins(&requests), vec!["lobby"]);
    assert_eq!(state.current, RoomName::lobby());
    assert_eq!(state.error, Some(Problem::NoSuchRoom(room("gone"))));
}

#[test]
fn joining_fetches_the_page_that_ends_at_the_join_point() {
    let mut state = ChatState::default();
    state.hello("alice").expect("valid");
    state.apply(welcome("alice", &[("lobby", 120)]), 0);
    let requests = state.apply(joined("lobby", 120), 0).frames;
    assert!(
        matches!(requests.as_slice(), [ClientMessage::History { before_seq: Some(121), .. }]),
        "{requests:?}"
    );
    // A message that arrives live before the page is not lost or doubled by it.
    state.apply(chat_in("lobby", 121, "bob"), 0);
    state.apply(history("lobby", 71..=120, false), 0);
    assert_eq!(seqs(&state, "lobby"), (71..=121).collect::<Vec<_>>());
    let lobby = state.current_room().expect("lobby");
    assert!(!lobby.history.loading);
    assert!(!lobby.history.reaches_start);
}

#[test]
fn older_pages_are_fetched_one_at_a_time_until_the_start() {
    let mut state = signed_in("alice");
    state.apply(joined("lobby", 100), 0);
    state.apply(history("lobby", 51..=100, false), 0);
    let request = state.older_history();
    assert!(matches!(request, Some(ClientMessage::History { before_seq: Some(51), .. })));
    assert_eq!(state.older_history(), None, "one request at a time");
    state.apply(history("lobby", 1..=50, true), 0);
    assert_eq!(seqs(&state, "lobby"), (1..=100).collect::<Vec<_>>());
    assert_eq!(state.older_history(), None, "nothing before the start");
}

#[test]
fn switching_rooms_joins_once_and_unread_counts_rooms_in_the_background() {
    let mut state = signed_in("alice");
    assert_eq!(joins(&state.show(room("rust"))), vec!["rust"]);
    state.apply(joined("rust", 0), 0);
    assert_eq!(joins(&state.show(RoomName::lobby())), Vec::<String>::new(), "still in lobby");
    assert_eq!(joins(&state.show(room("rust"))), Vec::<String>::new(), "already in rust");
    state.show(RoomName::lobby());

    state.apply(chat_in("rust", 1, "bob"), 0);
    state.apply(chat_in("rust", 2, "bob"), 0);
    state.apply(chat_in("lobby", 1, "bob"), 0);
    let me = state.me.clone();
    assert_eq!(state.rooms[&room("rust")].unread(me.as_ref()), 2);
    assert_eq!(state.rooms[&RoomName::lobby()].unread(me.as_ref()), 0, "on screen: read");
    state.show(room("rust"));
    assert_eq!(state.rooms[&room("rust")].unread(me.as_ref()), 0, "read once shown");
}

#[test]
fn an_unknown_room_is_not_shown() {
    let mut state = signed_in("alice");
    assert!(state.show(room("nowhere")).is_empty());
    assert_eq!(state.current, RoomName::lobby());
    assert!(state.error.is_some());
}

#[test]
fn creating_a_room_takes_the_creator_there() {
    let mut state = signed_in("alice");
    assert!(state.create_room("Bad Name", false).is_err());
    let requests = state.create_room(" new-room ", false).expect("valid");
    assert!(
        matches!(&requests[..], [ClientMessage::CreateRoom { room, .. }] if room == "new-room")
    );
    let requests = state
        .apply(ServerMessage::Created(Created { request_id: 5, room: room("new-room") }), 0)
        .frames;
    assert_eq!(joins(&requests), vec!["new-room"]);
    assert_eq!(state.current, room("new-room"));
}

#[test]
fn a_reconnect_rejoins_every_room_the_user_was_in() {
    let mut state = signed_in("alice");
    state.show(room("rust"));
    state.apply(joined("rust", 0), 0);
    state.disconnected(0);
    assert!(state.rooms.values().all(|room| !room.joined));
    state.hello_again().expect("has a nickname");
    let mut rejoined =
        joins(&state.apply(welcome("alice", &[("lobby", 0), ("rust", 0)]), 0).frames);
    rejoined.sort();
    assert_eq!(rejoined, vec!["lobby", "rust"]);
}

#[test]
fn rooms_from_an_earlier_visit_are_rejoined_with_their_unread_counts() {
    let mut state = ChatState::default();
    state.remember_rooms(vec![(room("rust"), 1), (room("gone"), 4)]);
    state.hello("alice").expect("valid");
    let mut rejoined =
        joins(&state.apply(welcome("alice", &[("lobby", 0), ("rust", 3)]), 0).frames);
    rejoined.sort();
    assert_eq!(rejoined, vec!["lobby", "rust"], "the vanished room is dropped");
    state.apply(joined("rust", 3), 0);
    state.apply(history("rust", 1..=3, true), 0);
    let me = state.me.clone();
    assert_eq!(state.rooms[&room("rust")].unread(me.as_ref()), 2, "seq 2 and 3 are new");
    let followed: Vec<String> =
        state.followed_rooms().iter().map(|(name, _)| name.to_string()).collect();
    assert_eq!(followed, vec!["lobby", "rust"]);
}

#[test]
fn leaving_a_room_goes_back_to_the_lobby() {
    let mut state = signed_in("alice");
    state.show(room("rust"));
    state.apply(joined("rust", 0), 0);
    let leave = state.leave_current();
    assert!(matches!(leave, Some(ClientMessage::Leave { ref room, .. }) if room == "rust"));
    state.apply(ServerMessage::Left(Left { request_id: 7, room: room("rust") }), 0);
    assert_eq!(state.current, RoomName::lobby());
    assert!(!state.rooms[&room("rust")].followed);
    assert_eq!(state.leave_current(), None, "the lobby cannot be left");
}

#[test]
fn presence_follows_joins_and_leaves_per_room() {
    let mut state = signed_in("alice");
    state.apply(
        ServerMessage::UserJoined(UserJoined {
            room: RoomName::lobby(),
            nickname: nick("bob"),
            guest: true,
        }),
        0,
    );
    assert_eq!(state.current_room().expect("lobby").members, vec![nick("bob")]);
    assert_eq!(state.current_room().expect("lobby").guests, vec![nick("bob")], "marked a guest");
    state.apply(
        ServerMessage::UserLeft(UserLeft { room: RoomName::lobby(), nickname: nick("bob") }),
        0,
    );
    assert!(state.current_room().expect("lobby").members.is_empty());
}

#[test]
fn a_taken_nickname_returns_to_sign_in_with_the_reason() {
    let mut state = ChatState::default();
    state.hello("alice").expect("valid");
    state.apply(refusal(1, ErrorCode::NicknameTaken, "taken", None), 0);
    assert_eq!(state.phase, Phase::SignedOut);
    assert_eq!(
        state.error,
        Some(Problem::Refused(ServerRefusal {
            code: ErrorCode::NicknameTaken,
            message: "taken".into()
        }))
    );
}

#[test]
fn the_token_of_the_last_welcome_goes_with_the_same_nickname_only() {
    let mut state = signed_in("alice");
    let token_sent = |hello: ClientMessage| match hello {
        ClientMessage::Hello { token, .. } => token,
        other => panic!("{other:?}"),
    };
    assert_eq!(token_sent(state.hello("ALICE").expect("valid")), Some("token-of-alice".into()));
    assert_eq!(token_sent(state.hello("bob").expect("valid")), None);
}

fn account_welcome(name: &str, role: common::Role, session: &str) -> ServerMessage {
    let ServerMessage::Welcome(welcome) = welcome(name, &[("lobby", 0)]) else { unreachable!() };
    ServerMessage::Welcome(Welcome { role, session: Some(common::Secret::new(session)), ..welcome })
}

#[test]
fn an_account_is_signed_in_again_with_its_session_and_never_its_password() {
    let mut state = ChatState::default();
    let request = state
        .sign_in_with_password("alice", "correct horse battery staple", AccountAction::SignIn)
        .expect("valid");
    assert!(matches!(request, ClientMessage::SignIn { ref username, .. } if username == "alice"));
    assert_eq!(state.phase, Phase::Identifying);
    let effects = state.apply(account_welcome("alice", common::Role::Moderator, "s3cret"), 0);
    assert_eq!(state.role, common::Role::Moderator);
    let saved = effects.save_identity.expect("saved for reloads");
    assert_eq!(saved.session, Some(common::Secret::new("s3cret")));

    state.disconnected(0);
    match state.hello_again() {
        Some(ClientMessage::Hello { nickname, session, .. }) => {
            assert_eq!(nickname, "alice");
            assert_eq!(session, Some(common::Secret::new("s3cret")));
        }
        other => panic!("expected a hello with the session, got {other:?}"),
    }
    assert!(matches!(state.sign_out(), Some(ClientMessage::SignOut { .. })));
}

#[test]
fn an_ended_session_forgets_the_identity_and_shows_the_form() {
    let mut state = ChatState::default();
    state.sign_in_with_password("alice", "whatever", AccountAction::SignIn).expect("valid");
    state.apply(account_welcome("alice", common::Role::Member, "old"), 0);
    state.disconnected(0);
    state.hello_again();
    let effects = state.apply(refusal(3, ErrorCode::InvalidSession, "ended", None), 0);
    assert!(effects.forget_identity);
    assert_eq!(state.phase, Phase::SignedOut);
    assert!(state.identity.is_none() && state.hello_again().is_none());
    let signed_out = state.apply(ServerMessage::SignedOut(common::SignedOut { request_id: 4 }), 0);
    assert!(signed_out.signed_out);
}

#[test]
fn a_new_password_is_checked_before_sending() {
    let mut state = ChatState::default();
    let short = state.sign_in_with_password("alice", "short", AccountAction::Register);
    assert_eq!(short, Err(Problem::Password(common::PasswordError::TooShort)));
    assert_eq!(state.phase, Phase::SignedOut);
    assert!(state.sign_in_with_password("alice", "short", AccountAction::SignIn).is_ok());
    let refused = state.apply(refusal(1, ErrorCode::InvalidCredentials, "wrong", None), 0);
    assert!(!refused.forget_identity);
    assert_eq!(state.phase, Phase::SignedOut, "back to the form");
}

#[test]
fn a_sign_in_cut_short_by_a_lost_connection_is_tried_again() {
    let mut state = ChatState::default();
    state.hello("alice").expect("valid");
    state.disconnected(0);
    assert_eq!(state.phase, Phase::Identifying, "still signing in, not back to the form");
    assert!(matches!(
        state.hello_again(),
        Some(ClientMessage::Hello { nickname, .. }) if nickname == "alice"
    ));
    state.apply(refusal(1, ErrorCode::NicknameTaken, "taken", None), 0);
    assert_eq!(state.phase, Phase::SignedOut);
    assert!(state.hello_again().is_none(), "a refused name is not tried again");
}

#[test]
fn an_invalid_nickname_is_caught_before_sending() {
    let mut state = ChatState::default();
    assert!(state.hello("  ").is_err());
    assert_eq!(state.phase, Phase::SignedOut);
}

#[test]
fn blank_messages_are_not_sent() {
    let mut state = signed_in("alice");
    let id = ClientId::parse("x").expect("valid");
    assert!(state.compose(" \n ", id.clone(), 0).is_err());
    assert!(state.outbox.entries().is_empty());
    assert!(state.compose("line one\nline two", id, 0).is_ok());
    assert_eq!(state.outbox.unsent(), 1);
}

fn send_ids(requests: &[ClientMessage]) -> Vec<(u64, String)> {
    requests
        .iter()
        .filter_map(|request| match request {
            ClientMessage::Send { request_id, client_id, .. } => {
                Some((*request_id, client_id.as_str().to_owned()))
            }
            _ => None,
        })
        .collect()
}

fn catch_up_from(requests: &[ClientMessage]) -> Option<(u64, u64)> {
    requests.iter().find_map(|request| match request {
        ClientMessage::History { request_id, after_seq: Some(after), .. } => {
            Some((*request_id, *after))
        }
        _ => None,
    })
}

fn catch_up_page(request_id: u64, seqs: impl IntoIterator<Item = u64>, end: bool) -> ServerMessage {
    let messages = seqs.into_iter().map(|seq| message("lobby", seq, "bob", 0)).collect();
    ServerMessage::History(History {
        request_id,
        room: room("lobby"),
        messages,
        reaches_start: false,
        reaches_end: end,
        first_seq: None,
    })
}

#[test]
fn a_message_written_offline_waits_then_goes_once_and_the_ack_shows_it_in_place() {
    let mut state = signed_in("alice");
    state.apply(joined("lobby", 2), 0);
    state.apply(history("lobby", [1, 2], true), 0);
    state.disconnected(0);
    let id = ClientId::parse("offline-1").expect("valid");
    state.compose("written offline", id.clone(), 5).expect("valid");
    assert!(state.next_sends().is_empty(), "not joined: it waits");
    assert_eq!(state.pending_in_current().len(), 1, "shown as pending meanwhile");

    state.apply(joined("lobby", 2), 0);
    let sends = send_ids(&state.next_sends());
    assert_eq!(sends.len(), 1);
    assert!(state.next_sends().is_empty(), "one in flight per room");
    let (request_id, client_id) = sends[0].clone();
    assert_eq!(client_id, "offline-1");
    state.apply(
        ServerMessage::Ack(Ack {
            request_id,
            room: room("lobby"),
            client_id: id.clone(),
            seq: 3,
            id: "m3".into(),
            sent_at: 9,
        }),
        0,
    );
    assert!(state.pending_in_current().is_empty());
    assert_eq!(seqs(&state, "lobby"), vec![1, 2, 3]);
    // The broadcast of the same message changes nothing.
    let mut echo = message("lobby", 3, "alice", 9);
    echo.client_id = id;
    state.apply(ServerMessage::Message(echo), 0);
    assert_eq!(seqs(&state, "lobby"), vec![1, 2, 3]);
}

#[test]
fn a_refused_message_is_marked_failed_and_a_rate_limited_one_waits() {
    let mut state = signed_in("alice");
    state.apply(joined("lobby", 0), 0);
    state.compose("one", ClientId::parse("c-1").expect("valid"), 1).expect("valid");
    let (request_id, _) = send_ids(&state.next_sends())[0].clone();
    let effects = state.apply(refusal(request_id, ErrorCode::RateLimited, "no", Some(250)), 0);
    assert_eq!(effects.resend_after_ms, Some(250));
    assert_eq!(state.outbox.unsent(), 1);
    let (request_id, _) = send_ids(&state.next_sends())[0].clone();
    state.apply(refusal(request_id, ErrorCode::InvalidBody, "too long", None), 0);
    let failed = state.pending_in_current()[0].failed.clone();
    assert_eq!(failed.map(|refusal| refusal.message).as_deref(), Some("too long"));
    assert_eq!(state.outbox.unsent(), 0);
}

#[test]
fn a_reconnect_catches_up_from_the_last_message_held_page_by_page() {
    let mut state = signed_in("alice");
    state.apply(joined("lobby", 3), 0);
    state.apply(history("lobby", [1, 2, 3], true), 0);
    state.disconnected(0);
    let requests = state.apply(joined("lobby", 250), 0).frames;
    let (first, after) = catch_up_from(&requests).expect("a catch-up request");
    assert_eq!(after, 3, "from the last message held, not the latest page");
    // A live message arrives before the catch-up answer: no second request.
    assert!(state.apply(chat_in("lobby", 251, "bob"), 0).frames.is_empty());
    let requests = state.apply(catch_up_page(first, 4..=103, false), 0).frames;
    let (second, after) = catch_up_from(&requests).expect("the next page");
    assert_eq!(after, 103);
    let requests = state.apply(catch_up_page(second, 104..=203, false), 0).frames;
    let (third, after) = catch_up_from(&requests).expect("the next page");
    assert_eq!(after, 203);
    assert!(state.apply(catch_up_page(third, 204..=251, true), 0).frames.is_empty(), "done");
    assert_eq!(seqs(&state, "lobby"), (1..=251).collect::<Vec<_>>());
}

#[test]
fn a_jump_in_the_live_stream_fetches_the_missing_messages() {
    let mut state = signed_in("alice");
    state.apply(joined("lobby", 0), 0);
    state.apply(chat_in("lobby", 1, "bob"), 0);
    let requests = state.apply(chat_in("lobby", 4, "bob"), 0).frames;
    let (request_id, after) = catch_up_from(&requests).expect("missing 2 and 3");
    assert_eq!(after, 1);
    state.apply(catch_up_page(request_id, 2..=4, true), 0);
    assert_eq!(seqs(&state, "lobby"), vec![1, 2, 3, 4]);
    assert!(state.apply(chat_in("lobby", 5, "bob"), 0).frames.is_empty());
}

#[test]
fn messages_the_server_no_longer_keeps_are_not_waited_for() {
    let mut state = signed_in("alice");
    state.apply(joined("lobby", 3), 0);
    state.apply(history("lobby", [1, 2, 3], true), 0);
    state.disconnected(0);
    let requests = state.apply(joined("lobby", 60), 0).frames;
    let (request_id, after) = catch_up_from(&requests).expect("a catch-up request");
    assert_eq!(after, 3);
    // Retention removed 1..=39 meanwhile: the page starts at 40, and asks for nothing more.
    let ServerMessage::History(mut page) = catch_up_page(request_id, 40..=60, true) else {
        unreachable!("a history page")
    };
    page.reaches_start = true;
    page.first_seq = Some(40);
    let requests = state.apply(ServerMessage::History(page), 0).frames;
    assert!(catch_up_from(&requests).is_none(), "{requests:?}");
    assert_eq!(seqs(&state, "lobby"), (40..=60).collect::<Vec<_>>(), "1..=3 are gone too");
    assert!(state.apply(chat_in("lobby", 61, "bob"), 0).frames.is_empty(), "no gap left");
    let lobby = state.current_room().expect("lobby");
    assert!(lobby.history.reaches_start && lobby.history.older_removed);
    assert_eq!(state.older_history(), None, "nothing older to ask for");
}

#[test]
fn after_a_long_absence_a_room_is_loaded_afresh() {
    let mut state = signed_in("alice");
    state.apply(joined("lobby", 3), 0);
    state.apply(history("lobby", [1, 2, 3], true), 0);
    state.disconnected(0);
    let requests = state.apply(joined("lobby", 3 + CATCH_UP_MAX + 1), 0).frames;
    assert!(catch_up_from(&requests).is_none());
    assert!(matches!(requests.as_slice(), [ClientMessage::History { before_seq: Some(_), .. }]));
    assert!(seqs(&state, "lobby").is_empty(), "the old timeline would have a hole");
}

#[test]
fn own_messages_are_recognised_ignoring_case() {
    let state = signed_in("Alice");
    assert!(state.is_me(&nick("alice")));
    assert!(!state.is_me(&nick("bob")));
}

#[test]
fn a_protocol_mismatch_asks_for_a_reload() {
    let mut state = ChatState::default();
    state.hello("alice").expect("valid");
    state.apply(refusal(1, ErrorCode::UnsupportedProtocol, "reload", None), 0);
    assert!(state.must_reload);
}

#[test]
fn the_state_says_what_must_happen_outside_it() {
    let mut state = ChatState::default();
    state.hello("alice").expect("valid");
    let effects = state.apply(welcome("alice", &[("lobby", 0)]), 0);
    let saved = effects.save_identity.expect("a welcome saves the identity");
    assert_eq!(saved.nickname, nick("alice"));
    assert_eq!(effects.arrived, None);
    assert_eq!(joins(&effects.frames), vec!["lobby"]);
    let arrived = state.apply(chat_in("lobby", 1, "bob"), 0);
    assert_eq!(arrived.arrived.map(|message| message.seq), Some(1));
    assert_eq!(arrived.save_identity, None, "only a welcome saves");
}

#[test]
fn a_refused_action_shows_its_reason_in_the_state_and_a_good_one_clears_it() {
    let mut state = signed_in("alice");
    assert!(state.compose("   ", ClientId::parse("c-1").expect("valid"), 1).is_err());
    assert!(matches!(state.error, Some(Problem::Body(_))));
    state.compose("hello", ClientId::parse("c-2").expect("valid"), 2).expect("valid");
    assert_eq!(state.error, None);
    assert!(state.create_room("no spaces allowed", false).is_err());
    assert!(matches!(state.error, Some(Problem::RoomName(_))));
    state.bad_room_link();
    assert_eq!(state.error, Some(Problem::BadRoomLink));
}

#[test]
fn a_room_one_is_removed_from_disappears_and_the_lobby_takes_its_place() {
    let mut state = ChatState::default();
    state.apply(welcome("alice", &[("lobby", 0)]), 0);
    let secret = RoomSummary { name: room("secret"), last_seq: 4, private: true, dm_with: None };
    state.apply(ServerMessage::RoomAdded(common::RoomAdded { room: secret }), 0);
    assert!(state.rooms[&room("secret")].private);
    state.show(room("secret"));
    let effects =
        state.apply(ServerMessage::RoomRemoved(common::RoomRemoved { room: room("secret") }), 0);
    assert!(!state.rooms.contains_key(&room("secret")));
    assert_eq!(state.current, room("lobby"));
    assert_eq!(state.error, Some(Problem::RemovedFrom(room("secret"))));
    assert!(
        effects.frames.is_empty()
            || effects
                .frames
                .iter()
                .all(|f| !matches!(f, ClientMessage::Join { room, .. } if room == "secret"))
    );
    // A welcome that no longer lists a room (removed while away) forgets it too.
    state.apply(
        ServerMessage::RoomAdded(common::RoomAdded {
            room: RoomSummary { name: room("other"), last_seq: 0, private: true, dm_with: None },
        }),
        0,
    );
    state.apply(welcome("alice", &[("lobby", 0)]), 0);
    assert!(!state.rooms.contains_key(&room("other")));
}

#[test]
fn a_banned_account_is_back_at_the_form_with_the_reason_and_no_identity() {
    let mut state = ChatState::default();
    state.sign_in_with_password("alice", "whatever", AccountAction::SignIn).expect("valid");
    state.apply(account_welcome("alice", common::Role::Member, "session"), 0);
    state.sign_in_ended(Problem::Banned("posting spam links".into()));
    assert_eq!(state.phase, Phase::SignedOut);
    assert!(state.identity.is_none() && state.me.is_none());
    assert_eq!(state.error, Some(Problem::Banned("posting spam links".into())));
    assert!(state.hello_again().is_none(), "nothing to sign in again with");
}

#[test]
fn a_ban_is_checked_before_sending_and_the_audit_log_is_kept_for_the_panel() {
    let mut state = signed_in("boss");
    assert!(state.ban("  ", "spam", None, false).is_err());
    match state.ban("pest", "spam", None, true).expect("valid") {
        ClientMessage::BanGuest { nickname, .. } => assert_eq!(nickname, "pest"),
        other => panic!("{other:?}"),
    }
    match state.ban("troll", " spam ", Some(60), false).expect("valid") {
        ClientMessage::Ban { username, reason, minutes, .. } => {
            assert_eq!((username.as_str(), reason.as_str(), minutes), ("troll", "spam", Some(60)));
        }
        other => panic!("{other:?}"),
    }
    assert!(!state.moderates(), "a member is not shown the tools");
    state.role = common::Role::Moderator;
    assert!(state.moderates());
    let log = common::AuditLog { request_id: 9, entries: Vec::new(), reaches_start: true };
    state.apply(ServerMessage::AuditLog(log), 0);
    assert_eq!(state.audit_log, Some(Vec::new()));
}

#[test]
fn an_opened_direct_message_comes_on_screen_named_by_the_other_person() {
    let mut state = signed_in("alice");
    assert!(
        matches!(state.open_dm(&nick("bob")), ClientMessage::OpenDm { ref username, .. } if username == "bob")
    );
    let opened = common::DmOpened { request_id: 5, room: room("dm-1-2"), with: nick("bob") };
    let effects = state.apply(ServerMessage::DmOpened(opened), 0);
    assert_eq!(state.current, room("dm-1-2"));
    assert_eq!(state.rooms[&room("dm-1-2")].dm_with, Some(nick("bob")));
    assert!(
        effects
            .frames
            .iter()
            .any(|f| matches!(f, ClientMessage::Join { room, .. } if room == "dm-1-2"))
    );
}

#[test]
fn an_account_manages_its_sessions_and_a_guest_has_none() {
    let mut guest = signed_in("bob");
    assert!(guest.sessions_request().is_none() && guest.sign_out_elsewhere().is_none());
    let mut state = ChatState::default();
    state.sign_in_with_password("alice", "whatever", AccountAction::SignIn).expect("valid");
    state.apply(account_welcome("alice", common::Role::Member, "s"), 0);
    assert!(matches!(state.sessions_request(), Some(ClientMessage::Sessions { .. })));
    assert!(state.change_password("old one", "short").is_err(), "length checked first");
    assert!(matches!(
        state.change_password("old one", "a long new one"),
        Ok(ClientMessage::ChangePassword { .. })
    ));
    let session =
        |current| common::SessionInfo { created_at: 1, last_seen_at: 2, expires_at: 3, current };
    let list = common::Sessions { request_id: 7, sessions: vec![session(true), session(false)] };
    state.apply(ServerMessage::Sessions(list), 0);
    state.apply(
        ServerMessage::SignedOutElsewhere(common::SignedOutElsewhere { request_id: 8, ended: 1 }),
        0,
    );
    assert_eq!(state.sessions, Some(vec![session(true)]));
}

#[test]
fn a_guest_signs_out_through_the_server_so_the_name_is_free_at_once() {
    let mut state = ChatState::default();
    assert!(state.sign_out().is_none(), "nobody to sign out before a welcome");
    let mut state = signed_in("alice");
    assert!(matches!(state.sign_out(), Some(ClientMessage::SignOut { .. })));
}

fn user_joined(name: &str) -> ServerMessage {
    ServerMessage::UserJoined(UserJoined {
        room: RoomName::lobby(),
        nickname: nick(name),
        guest: false,
    })
}

fn user_left(name: &str) -> ServerMessage {
    ServerMessage::UserLeft(UserLeft { room: RoomName::lobby(), nickname: nick(name) })
}

/// The lobby's notices, in words a test can compare.
fn notices(state: &ChatState) -> Vec<String> {
    let lobby = state.current_room().expect("lobby");
    lobby
        .timeline
        .iter()
        .filter_map(|entry| match entry {
            TimelineEntry::Notice { event: NoticeEvent::Joined(name), .. } => {
                Some(format!("{name} joined"))
            }
            TimelineEntry::Notice { event: NoticeEvent::Left(name), .. } => {
                Some(format!("{name} left"))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn people_back_after_a_server_restart_have_not_joined() {
    let mut state = signed_in("alice");
    state.apply(user_joined("bob"), 1_000);
    assert_eq!(notices(&state), ["bob joined"]);

    // The server restarts: everyone reconnects, bob a moment after alice.
    state.disconnected(2_000);
    state.hello_again();
    state.apply(welcome("alice", &[("lobby", 0)]), 3_000);
    state.apply(joined("lobby", 0), 3_000);
    state.apply(user_joined("BOB"), 4_000);
    assert_eq!(notices(&state), ["bob joined"], "a reconnect is not a join");
    assert_eq!(state.current_room().expect("lobby").members, vec![nick("BOB")]);

    // Someone who was not here before is a join, and so is bob, long after he left.
    state.apply(user_joined("carol"), 5_000);
    state.apply(user_left("bob"), 6_000);
    state.apply(user_joined("bob"), 6_000 + 61_000);
    assert_eq!(notices(&state), ["bob joined", "carol joined", "bob left", "bob joined"]);
}

#[test]
fn leaving_and_coming_back_within_the_grace_period_leaves_no_notice() {
    let mut state = signed_in("alice");
    state.apply(user_joined("bob"), 1_000);
    state.apply(user_left("bob"), 2_000);
    assert_eq!(notices(&state), ["bob joined", "bob left"]);
    state.apply(user_joined("bob"), 10_000);
    assert_eq!(notices(&state), ["bob joined"], "his flaky network is not news");
    assert_eq!(state.current_room().expect("lobby").members, vec![nick("bob")]);
}

#[test]
fn creating_a_room_that_exists_opens_it_and_clears_the_last_error() {
    let mut state = signed_in("alice");
    assert!(state.create_room("no spaces allowed", false).is_err());
    let requests = state.create_room("rust", false).expect("valid");
    assert_eq!(joins(&requests), vec!["rust"], "joined, not created again");
    assert_eq!(state.current, room("rust"));
    assert_eq!(state.error, None, "the earlier mistake no longer applies");
}

#[test]
fn the_offline_copy_brings_back_rooms_and_messages_after_a_reload_while_the_server_is_down() {
    use crate::model::offline_copy::KEPT_MESSAGES;
    let mut state = signed_in("alice");
    state.apply(history("lobby", 1..=80, true), 0);
    state.apply(chat_in("lobby", 81, "bob"), 0);
    // 83 arrived before 82: the page holds it, but beyond a gap.
    state.apply(chat_in("lobby", 83, "bob"), 0);
    let copies = state.offline_copies();
    let lobby = copies.iter().find(|copy| copy.name == room("lobby")).expect("the lobby");
    assert_eq!(lobby.synced_to, 81);
    assert_eq!(lobby.messages.len(), KEPT_MESSAGES);
    assert_eq!(lobby.messages.last().map(|m| m.seq), Some(81), "nothing beyond the gap");
    assert!(!lobby.reaches_start, "the oldest messages were left out");

    // The page is reloaded while the server is down: the same person sees the copy.
    let mut reloaded = ChatState { me: Some(nick("Alice")), ..ChatState::default() };
    reloaded.restore_offline(copies.clone());
    assert_eq!(seqs(&reloaded, "lobby"), (32..=81).collect::<Vec<_>>());
    assert!(!reloaded.current_room().expect("lobby").joined, "shown as offline");

    // Back online: the room catches up from exactly where the copy ends.
    reloaded.hello_again();
    reloaded.apply(welcome("alice", &[("lobby", 90)]), 0);
    let requests = reloaded.apply(joined("lobby", 90), 0).frames;
    assert!(
        matches!(&requests[..], [ClientMessage::History { after_seq: Some(81), .. }]),
        "{requests:?}"
    );

    // Someone else signing in on this browser never sees it.
    let mut other = ChatState { me: Some(nick("mallory")), ..ChatState::default() };
    other.restore_offline(copies);
    assert!(other.rooms.values().all(|room| room.timeline.is_empty()));
}

#[test]
fn what_the_server_said_first_wins_over_the_offline_copy() {
    let mut state = signed_in("alice");
    state.apply(history("lobby", 1..=3, true), 0);
    let copies = state.offline_copies();
    let mut live = signed_in("alice");
    live.apply(history("lobby", 1..=5, true), 0);
    live.restore_offline(copies);
    assert_eq!(seqs(&live, "lobby"), vec![1, 2, 3, 4, 5]);
}

#[test]
fn a_deletion_changes_the_copy_version() {
    let mut state = signed_in("alice");
    state.apply(history("lobby", 1..=3, true), 0);
    let before = state.copy_versions();
    let mut deletion = message("lobby", 4, "bob", 0);
    deletion.content = common::Content::Deletion { deletes: 2 };
    state.apply(ServerMessage::Message(deletion), 0);
    assert_ne!(state.copy_versions(), before);
    let copy = state.offline_copies();
    assert!(copy[0].messages.iter().any(|m| m.seq == 2 && m.body().is_none()), "saved deleted");
}

/// The answer to the `history` request `request`, holding `seqs`.
fn answer(request: &ClientMessage, seqs: impl IntoIterator<Item = u64>) -> ServerMessage {
    let ClientMessage::History { request_id, room: room_name, .. } = request else {
        panic!("not a history request: {request:?}");
    };
    let messages = seqs.into_iter().map(|seq| message(room_name, seq, "bob", 0)).collect();
    ServerMessage::History(History {
        request_id: *request_id,
        room: room(room_name),
        messages,
        reaches_start: false,
        reaches_end: true,
        first_seq: None,
    })
}

fn history_request(frames: &[ClientMessage]) -> (Option<u64>, Option<u64>) {
    match frames {
        [ClientMessage::History { before_seq, after_seq, .. }] => (*before_seq, *after_seq),
        other => panic!("not one history request: {other:?}"),
    }
}

/// The stretches of the room on screen that are not loaded.
fn holes(state: &ChatState) -> Vec<Hole> {
    state.current_room().map(RoomState::holes).unwrap_or_default()
}

/// Signed in as alice, in a lobby of `last_seq` messages with its latest page loaded.
fn in_the_lobby_after(last_seq: u64) -> ChatState {
    let mut state = ChatState::default();
    state.hello("alice").expect("valid");
    state.apply(welcome("alice", &[("lobby", last_seq), ("rust", 300)]), 0);
    state.apply(joined("lobby", last_seq), 0);
    state.apply(history("lobby", last_seq.saturating_sub(49)..=last_seq, false), 0);
    state
}

#[test]
fn opening_a_search_result_near_loads_the_pages_before_it() {
    let mut state = in_the_lobby_after(200);
    let search = state.search_request("  deploy  ", &SearchScope::default()).expect("a search");
    assert!(
        matches!(search, ClientMessage::Search { ref query, room: None, .. } if query == "deploy")
    );
    assert_eq!(state.search_request("   ", &SearchScope::default()), None, "nothing to look for");
    assert_eq!(state.search, None);

    // A result in the room on screen, one page back: the page before the oldest loaded.
    let frames = state.open_result(room("lobby"), 110);
    assert_eq!(history_request(&frames), (Some(151), None));
    let frames = state.apply(answer(&frames[0], 101..=150), 0).frames;
    assert!(frames.is_empty(), "{frames:?}");
    assert!(seqs(&state, "lobby").contains(&110));
    assert_eq!(holes(&state), [], "nothing skipped");
}

#[test]
fn opening_a_result_far_back_loads_the_history_around_it_and_the_rest_as_the_reader_goes_on() {
    let mut state = in_the_lobby_after(200);

    // 140 messages back: one page around it, not three pages between.
    let frames = state.open_result(room("lobby"), 60);
    assert_eq!(history_request(&frames), (Some(71), None), "ten messages after it come along");
    let frames = state.apply(answer(&frames[0], 21..=70), 0).frames;
    assert!(frames.is_empty(), "{frames:?}");
    assert!(seqs(&state, "lobby").contains(&60));
    assert_eq!(holes(&state), [Hole { after: 70, before: 151 }]);
    assert!(!state.rooms[&room("lobby")].history.loading);
    assert_eq!(state.rooms[&room("lobby")].synced_to, Some(200), "live catch-up unchanged");

    // Reading on fills the hole a page at a time, one request at once.
    let fill = state.fill_hole(70, false).expect("a request");
    assert_eq!(history_request(std::slice::from_ref(&fill)), (None, Some(70)));
    assert_eq!(state.fill_hole(70, false), None, "one on its way");
    state.apply(answer(&fill, 71..=120), 0);
    assert_eq!(holes(&state), [Hole { after: 120, before: 151 }]);
    assert_eq!(state.fill_hole(20, false), None, "not a hole");
    // Reached from below (scrolling up from the present): the page before its end.
    let fill = state.fill_hole(120, true).expect("a request");
    assert_eq!(history_request(std::slice::from_ref(&fill)), (Some(151), None));
    state.apply(answer(&fill, 146..=150), 0);
    assert_eq!(holes(&state), [Hole { after: 120, before: 146 }]);
    assert!(!state.rooms[&room("lobby")].history.reaches_start, "a fill says nothing of it");

    // A message inside the hole: loaded there, the room's older pages untouched.
    let frames = state.open_result(room("lobby"), 140);
    assert_eq!(history_request(&frames), (Some(146), None));
    assert!(!state.rooms[&room("lobby")].history.loading, "not a page of older messages");
    state.apply(answer(&frames[0], 96..=145), 0);
    assert_eq!(holes(&state), []);
    assert_eq!(seqs(&state, "lobby"), (21..=200).collect::<Vec<_>>());

    // Near the oldest loaded: the page before it, as without a hole.
    let frames = state.open_result(room("lobby"), 2);
    assert_eq!(history_request(&frames), (Some(21), None));
    assert!(state.rooms[&room("lobby")].history.loading);
}

#[test]
fn the_offline_copy_keeps_only_what_follows_a_hole() {
    let mut state = in_the_lobby_after(200);
    let frames = state.open_result(room("lobby"), 5);
    let mut page = answer(&frames[0], 1..=15);
    if let ServerMessage::History(history) = &mut page {
        history.reaches_start = true;
    }
    state.apply(page, 0);
    assert_eq!(holes(&state), [Hole { after: 15, before: 151 }]);
    let copy = state.offline_copies().into_iter().find(|copy| copy.name == room("lobby"));
    let copy = copy.expect("a copy");
    let kept: Vec<u64> = copy.messages.iter().map(|message| message.seq).collect();
    assert_eq!(kept, (151..=200).collect::<Vec<_>>());
    assert!(!copy.reaches_start, "the room's start is not in the copy");
}

#[test]
fn a_result_in_a_room_not_joined_is_loaded_once_the_room_is_in() {
    let mut state = signed_in("alice");
    state.apply(welcome("alice", &[("lobby", 200), ("rust", 300)]), 0);
    let frames = state.open_result(room("rust"), 10);
    assert_eq!(joins(&frames), vec!["rust"]);
    assert_eq!(state.current, room("rust"));
    state.apply(joined("rust", 300), 0);
    let frames = state.apply(history("rust", 251..=300, false), 0).frames;
    assert_eq!(history_request(&frames), (Some(21), None));
    // Another room on screen meanwhile: its pages do not go on toward the focus.
    state.show(room("lobby"));
    let frames = state.apply(answer(&frames[0], 1..=20), 0).frames;
    assert!(frames.is_empty(), "{frames:?}");
}

#[test]
fn a_refused_search_says_why_in_its_panel_and_nowhere_else() {
    let mut state = signed_in("alice");
    let Some(ClientMessage::Search { request_id, .. }) =
        state.search_request("***", &SearchScope::default())
    else {
        panic!("a search");
    };
    state.apply(refusal(request_id, ErrorCode::InvalidSearch, "no words", None), 0);
    let refused = state.search.as_ref().and_then(|search| search.refused.clone());
    assert_eq!(refused.map(|refusal| refusal.code), Some(ErrorCode::InvalidSearch));
    assert_eq!(state.error, None);
}

#[test]
fn a_reaction_toggles_what_the_user_put_on_the_message_and_refuses_what_is_not_an_emoji() {
    let mut state = signed_in("alice");
    state.apply(chat_in("lobby", 1, "bob"), 0);
    let client_id = || ClientId::parse("r-1").expect("valid");
    let react = |state: &mut ChatState, raw: &str| match state.react_request(1, raw, client_id()) {
        Some(ClientMessage::React { seq, emoji, withdraw, .. }) => Some((seq, emoji, withdraw)),
        _ => None,
    };
    assert_eq!(react(&mut state, " 👍 "), Some((1, "👍".to_owned(), false)));
    // Bob's 👍 does not make it the user's: still an addition.
    let mut bobs = message("lobby", 2, "bob", 0);
    let thumbs = common::Emoji::parse("👍").expect("valid");
    let reaction = common::ReactsTo { seq: 1, emoji: thumbs.clone(), withdraw: false };
    bobs.content = common::Content::Reaction(reaction);
    state.apply(ServerMessage::Message(bobs), 0);
    assert_eq!(react(&mut state, "👍"), Some((1, "👍".to_owned(), false)));
    // Once the user's own (spelled in another case by the server) is in, it is withdrawn.
    let mut mine = message("lobby", 3, "ALICE", 0);
    let reaction = common::ReactsTo { seq: 1, emoji: thumbs, withdraw: false };
    mine.content = common::Content::Reaction(reaction);
    state.apply(ServerMessage::Message(mine), 0);
    assert_eq!(react(&mut state, "👍"), Some((1, "👍".to_owned(), true)));
    assert_eq!(react(&mut state, "🎉"), Some((1, "🎉".to_owned(), false)));
    for not_one in ["", "ok", "👍👍", "<b>"] {
        assert_eq!(react(&mut state, not_one), None, "{not_one:?}");
    }
}

#[test]
fn a_reply_answers_the_message_chosen_in_its_room_and_its_quote_follows_the_original() {
    let mut state = signed_in("alice");
    state.apply(chat_in("lobby", 1, "bob"), 0);
    state.start_reply(1);
    assert_eq!(state.replying.as_ref().map(|quote| quote.seq), Some(1));
    state.compose("sure", ClientId::parse("c-1").expect("valid"), 0).expect("valid");
    assert_eq!(state.replying, None, "sent: no longer answering");
    let sends = state.next_sends();
    assert!(
        matches!(sends.as_slice(), [ClientMessage::Send { reply_to: Some(1), .. }]),
        "{sends:?}"
    );
    // The ack shows it at once with its quote.
    let ack = ServerMessage::Ack(Ack {
        request_id: sends[0].request_id().expect("has one"),
        room: room("lobby"),
        client_id: ClientId::parse("c-1").expect("valid"),
        seq: 2,
        id: "m2".into(),
        sent_at: 0,
    });
    state.apply(ack, 0);
    let quote_of = |state: &ChatState, seq: u64| {
        state.current_room().and_then(|room| {
            room.timeline.iter().find_map(|entry| match entry {
                TimelineEntry::Message(message) if message.seq == seq => {
                    message.post().and_then(|post| post.reply_to.as_deref().cloned())
                }
                _ => None,
            })
        })
    };
    let quote = quote_of(&state, 2).expect("quoted");
    assert_eq!((quote.seq, quote.author.as_str()), (1, "bob"));
    // The original edited, then deleted: the quote says so.
    let mut edit = message("lobby", 3, "bob", 0);
    let body = Some(common::MessageBody::parse("fixed").expect("valid"));
    edit.content = common::Content::Edit { edits: 1, body };
    state.apply(ServerMessage::Message(edit), 0);
    let quote = quote_of(&state, 2).expect("quoted");
    assert_eq!((quote.excerpt.as_deref(), quote.edited), (Some("fixed"), true));
    let mut deletion = message("lobby", 4, "bob", 0);
    deletion.content = common::Content::Deletion { deletes: 1 };
    state.apply(ServerMessage::Message(deletion), 0);
    assert_eq!(quote_of(&state, 2).expect("quoted").excerpt, None);
    // A deleted message cannot be answered, and another room ends the reply.
    state.start_reply(1);
    assert_eq!(state.replying, None);
    state.start_reply(2);
    assert!(state.replying.is_some());
    state.show(room("rust"));
    assert_eq!(state.replying, None, "a reply answers a message of its own room");
}

#[test]
fn a_date_found_opens_the_room_there_or_says_nothing_was_written_since() {
    let mut state = signed_in("alice");
    let request = state.find_date_request(1_764_000_000_000);
    assert!(
        matches!(&request, ClientMessage::FindDate { room, at: 1_764_000_000_000, .. } if room == "lobby")
    );
    let found = |seq| {
        ServerMessage::DateFound(common::DateFound { request_id: 9, room: room("lobby"), seq })
    };
    state.apply(found(None), 0);
    assert_eq!(state.error, Some(Problem::NothingSinceDate));
    // Found far back: the room is opened at the message, loading older pages toward it.
    state.apply(joined("lobby", 50), 0);
    state.apply(history("lobby", 40..=50, false), 0);
    let effects = state.apply(found(Some(3)), 0);
    assert_eq!(state.focus, Some((room("lobby"), 3)));
    assert!(
        matches!(effects.frames.as_slice(), [ClientMessage::History { before_seq: Some(40), .. }]),
        "{:?}",
        effects.frames
    );
    // An answer about a room no longer on screen changes nothing.
    state.show(room("rust"));
    state.focus = None;
    state.apply(found(Some(3)), 0);
    assert_eq!(state.focus, None);
}

#[test]
fn a_search_can_be_narrowed_to_one_author_and_a_first_day_for_every_page() {
    let mut state = signed_in("alice");
    let scope = SearchScope {
        this_room_only: true,
        author: "  Bob ".into(),
        since: Some(1_764_000_000_000),
    };
    let first = state.search_request("deploy", &scope);
    assert!(
        matches!(&first, Some(ClientMessage::Search { room: Some(room), author: Some(author), since: Some(1_764_000_000_000), .. })
            if room == "lobby" && author == "Bob"),
        "{first:?}"
    );
    let blank = SearchScope { author: "   ".into(), ..SearchScope::default() };
    let anyone = state.search_request("deploy", &blank);
    assert!(matches!(
        anyone,
        Some(ClientMessage::Search { author: None, since: None, room: None, .. })
    ));
    // The next page keeps the filters.
    let request_id = anyone.and_then(|request| request.request_id()).expect("an id");
    state.search_request("deploy", &scope);
    let page = common::SearchResults {
        request_id: request_id + 1,
        messages: vec![message("lobby", 3, "bob", 0)],
        next_before: Some(2),
    };
    state.apply(ServerMessage::SearchResults(page), 0);
    let more = state.more_results();
    assert!(
        matches!(&more, Some(ClientMessage::Search { author: Some(author), since: Some(_), before: Some(2), .. }) if author == "Bob"),
        "{more:?}"
    );
}

#[test]
fn a_counted_room_shows_its_count_and_reads_its_people_a_page_at_a_time() {
    let mut state = in_the_lobby_after(10);
    let counted = ServerMessage::Joined(Joined {
        request_id: 3,
        room: room("rust"),
        members: vec![],
        guests: vec![],
        last_seq: 0,
        role: None,
        muted_until: None,
        member_count: Some(20_000),
    });
    state.show(room("rust"));
    let frames = state.apply(counted, 0).frames;
    let Some(ClientMessage::Members { request_id, after: None, .. }) = frames.first().cloned()
    else {
        panic!("the first page is asked for: {frames:?}");
    };
    assert_eq!(state.more_members(), None, "one page at a time");
    let page = |request_id, members: &[&str], next: Option<&str>| {
        ServerMessage::MemberPage(MemberPage {
            request_id,
            room: room("rust"),
            members: members.iter().map(|name| nick(name)).collect(),
            guests: vec![nick(members[0])],
            next_after: next.map(nick),
        })
    };
    state.apply(page(request_id, &["ann", "bob"], Some("bob")), 0);
    let rust = |state: &ChatState| state.rooms[&room("rust")].clone();
    assert_eq!(rust(&state).members, [nick("ann"), nick("bob")]);
    assert_eq!(rust(&state).member_count, Some(20_000));
    assert!(rust(&state).more_members());
    let Some(ClientMessage::Members { request_id, after: Some(after), .. }) = state.more_members()
    else {
        panic!("a next page");
    };
    assert_eq!(after, "bob");
    state.apply(page(request_id + 100, &["zed"], None), 0);
    assert_eq!(rust(&state).members.len(), 2, "an answer to nothing asked is ignored");
    state.apply(page(request_id, &["carl"], None), 0);
    assert_eq!(rust(&state).members, [nick("ann"), nick("bob"), nick("carl")]);
    assert_eq!(rust(&state).guests, [nick("ann"), nick("carl")]);
    assert!(!rust(&state).more_members());

    // The count follows; listed again, everyone is named and arrivals are followed.
    state.apply(ServerMessage::MemberCount(MemberCount { room: room("rust"), count: 19_999 }), 0);
    assert_eq!(rust(&state).member_count, Some(19_999));
    let list = MemberList { room: room("rust"), members: vec![nick("ann")], guests: vec![] };
    state.apply(ServerMessage::MemberList(list), 0);
    assert_eq!((rust(&state).member_count, rust(&state).members), (None, vec![nick("ann")]));
    let arrival = UserJoined { room: room("rust"), nickname: nick("dora"), guest: false };
    state.apply(ServerMessage::UserJoined(arrival), 0);
    assert_eq!(rust(&state).members, [nick("ann"), nick("dora")]);
}
