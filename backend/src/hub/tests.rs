//! The hub's rules: nicknames, membership, sequence order, the recent-messages budget.

use common::{ClientId, MemberCount, MemberList, MessageBody, RoomAdded, UserLeft};

use super::*;
use crate::frames::frame_queue::FrameQueueReceiver;
use crate::frames::wire::Outbound;

fn nick(s: &str) -> Nickname {
    Nickname::parse(s).expect("valid")
}

fn hub_with_lobby() -> Hub {
    let hub = Hub::new(Duration::ZERO);
    hub.add_room(RoomName::lobby(), 0, false);
    hub
}

fn stored(seq: u64, author: &str) -> ChatMessage {
    ChatMessage {
        room: RoomName::lobby(),
        seq,
        id: format!("m{seq}"),
        client_id: ClientId::parse(&format!("c{seq}")).expect("valid"),
        author: nick(author),
        sent_at: 0,
        content: common::Content::post(MessageBody::parse("hi").expect("valid")),
    }
}

fn drain(receiver: &mut FrameQueueReceiver) -> Vec<ServerMessage> {
    let mut out = Vec::new();
    let mut items = Vec::new();
    receiver.try_recv_many(&mut items, usize::MAX);
    for item in items {
        let texts = match item {
            Outbound::Text(text) => vec![text],
            Outbound::Texts(texts) => texts.texts().to_vec(),
            Outbound::Ping | Outbound::Close(_) | Outbound::Raw(_) => break,
        };
        for text in texts {
            out.push(serde_json::from_str(text.as_str()).expect("valid json"));
        }
    }
    out
}

#[test]
fn a_nickname_is_released_when_its_last_connection_goes() {
    let hub = hub_with_lobby();
    let (frame_queue, _receiver) = FrameQueue::new(1 << 16);
    let (_, token) = hub.claim_nickname(1, &nick("Alice"), None, &frame_queue).expect("free");
    hub.claim_nickname(2, &nick("alice"), Some(&token), &frame_queue).expect("same person");
    hub.disconnect(1, Departure::Announced);
    assert!(hub.claim_nickname(3, &nick("alice"), None, &frame_queue).is_err(), "one tab left");
    hub.disconnect(2, Departure::Announced);
    assert!(hub.claim_nickname(3, &nick("alice"), None, &frame_queue).is_ok(), "no grace here");
}

#[test]
fn disconnecting_leaves_every_room_and_tells_the_others() {
    let hub = hub_with_lobby();
    let lobby = RoomName::lobby();
    let (alice_box, _alice_rx) = FrameQueue::new(1 << 16);
    let (bob_box, mut bob_rx) = FrameQueue::new(1 << 16);
    hub.claim_nickname(1, &nick("alice"), None, &alice_box).expect("free");
    hub.claim_nickname(2, &nick("bob"), None, &bob_box).expect("free");
    hub.join(1, &nick("alice"), &lobby, &alice_box).expect("join");
    hub.join(2, &nick("bob"), &lobby, &bob_box).expect("join");
    hub.disconnect(1, Departure::Announced);
    assert_eq!(
        drain(&mut bob_rx),
        vec![ServerMessage::UserLeft(UserLeft { room: lobby.clone(), nickname: nick("alice") })]
    );
    assert_eq!(hub.join(3, &nick("carol"), &lobby, &bob_box).expect("join").members.len(), 2);
}

#[test]
fn in_a_busy_big_room_presence_gathers_and_still_tells_every_arrival_and_departure_in_order() {
    // Rooms of 2 or more are big here, and any rate is busy: every announcement after the
    // first waits for the 50 ms window, as in a storm of joins.
    let writer = BroadcastWriter::start(Duration::from_millis(50), 2, 0.0);
    let hub = Hub::with(Duration::ZERO, None, writer);
    hub.add_room(RoomName::lobby(), 0, false);
    let lobby = RoomName::lobby();
    let (watcher_box, mut watcher_rx) = FrameQueue::new(1 << 20);
    hub.claim_nickname(1, &nick("watcher"), None, &watcher_box).expect("free");
    hub.join(1, &nick("watcher"), &lobby, &watcher_box).expect("join");
    let mut boxes = Vec::new();
    for n in 0..20_u64 {
        let (frame_queue, receiver) = FrameQueue::new(1 << 20);
        let name = nick(&format!("user{n}"));
        hub.claim_nickname(10 + n, &name, None, &frame_queue).expect("free");
        hub.join(10 + n, &name, &lobby, &frame_queue).expect("join");
        boxes.push((frame_queue, receiver));
    }
    for n in (0..20_u64).step_by(2) {
        hub.disconnect(10 + n, Departure::Announced);
    }
    // What the watcher was told, in order: 20 arrivals, then every other one leaving.
    let mut told = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while told.len() < 30 && std::time::Instant::now() < deadline {
        told.extend(drain(&mut watcher_rx).into_iter().map(|news| match news {
            ServerMessage::UserJoined(joined) => format!("+{}", joined.nickname),
            ServerMessage::UserLeft(left) => format!("-{}", left.nickname),
            other => format!("{other:?}"),
        }));
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut expected: Vec<String> = (0..20).map(|n| format!("+user{n}")).collect();
    expected.extend((0..20).step_by(2).map(|n| format!("-user{n}")));
    assert_eq!(told, expected);
    let members = hub.join(99, &nick("late"), &lobby, &watcher_box).expect("join").members;
    let mut expected_members: Vec<String> =
        (1..20).step_by(2).map(|n| format!("user{n}")).collect();
    expected_members.extend(["watcher".to_owned(), "late".to_owned()]);
    expected_members.sort();
    let members: Vec<String> = members.iter().map(ToString::to_string).collect();
    assert_eq!(members, expected_members, "present: exactly those who stayed (and the newcomer)");
}

#[test]
fn published_messages_reach_every_member_and_move_the_join_point() {
    let hub = hub_with_lobby();
    let lobby = RoomName::lobby();
    let (alice_box, mut alice_rx) = FrameQueue::new(1 << 16);
    let (bob_box, mut bob_rx) = FrameQueue::new(1 << 16);
    assert_eq!(hub.join(1, &nick("alice"), &lobby, &alice_box).expect("join").last_seq, 0);
    for seq in 1..=3 {
        hub.publish(&stored(seq, "alice"));
    }
    let joined = hub.join(2, &nick("bob"), &lobby, &bob_box).expect("join");
    assert_eq!(joined.last_seq, 3, "bob fetches 1..=3 from the store, the rest arrive live");
    hub.publish(&stored(4, "alice"));
    let seqs = |messages: Vec<ServerMessage>| -> Vec<u64> {
        messages
            .into_iter()
            .filter_map(|m| match m {
                ServerMessage::Message(chat) => Some(chat.seq),
                _ => None,
            })
            .collect()
    };
    assert_eq!(seqs(drain(&mut alice_rx)), vec![1, 2, 3, 4]);
    assert_eq!(seqs(drain(&mut bob_rx)), vec![4]);
}

#[test]
fn beyond_the_budget_the_rooms_that_published_longest_ago_forget_their_latest_messages() {
    let hub = hub_with_lobby();
    let rust = RoomName::parse("rust").expect("valid");
    hub.add_room(rust.clone(), 0, false);
    let in_room =
        |room: &RoomName, seq: u64| ChatMessage { room: room.clone(), ..stored(seq, "alice") };
    let latest = |room: &RoomName| hub.recent_page(room, Page::Before(None), 50);
    for seq in 1..=10 {
        hub.publish(&in_room(&RoomName::lobby(), seq));
    }
    let lobby_bytes = hub.lock().recent_bytes;
    assert!(lobby_bytes > 0);
    // Room for the lobby's ten and about five more.
    hub.lock().recent_budget = lobby_bytes * 3 / 2;
    for seq in 1..=5 {
        hub.publish(&in_room(&rust, seq));
    }
    assert!(latest(&RoomName::lobby()).is_some(), "within the budget, both are kept");
    assert!(latest(&rust).is_some());
    hub.publish(&in_room(&rust, 6));
    assert!(latest(&RoomName::lobby()).is_none(), "the room that published longest ago forgets");
    let kept = latest(&rust).expect("the busy room keeps its latest").into_history_page();
    assert_eq!(kept.messages.len(), 6);
    let state = hub.lock();
    assert!(state.recent_bytes <= state.recent_budget / 4 * 3);
    assert_eq!(state.recent_bytes, state.rooms[&rust].recent.bytes(), "the total stays exact");
}

#[test]
fn a_stored_batch_reaches_each_member_as_one_item_in_order() {
    let hub = hub_with_lobby();
    let lobby = RoomName::lobby();
    let (alice_box, mut alice_rx) = FrameQueue::new(1 << 16);
    hub.join(1, &nick("alice"), &lobby, &alice_box).expect("join");
    let batch: Vec<ChatMessage> = (1..=3).map(|seq| stored(seq, "bob")).collect();
    let outcome = hub.publish_all(&batch);
    assert_eq!(outcome.published, vec![Published::Delivered; 3]);
    assert_eq!(outcome.deliveries, 3, "three messages to one member");
    let mut items = Vec::new();
    alice_rx.try_recv_many(&mut items, usize::MAX);
    assert_eq!(items.len(), 1, "one item for the whole batch");
    match items.pop() {
        Some(Outbound::Texts(texts)) => {
            let seqs: Vec<u64> = texts
                .texts()
                .iter()
                .map(|text| match serde_json::from_str(text.as_str()).expect("valid json") {
                    ServerMessage::Message(chat) => chat.seq,
                    other => panic!("not a message: {other:?}"),
                })
                .collect();
            assert_eq!(seqs, vec![1, 2, 3]);
        }
        other => panic!("expected one item with the batch, got {other:?}"),
    }
    assert_eq!(hub.publish_all(&batch).published, vec![Published::AlreadyDelivered; 3]);
}

#[test]
fn messages_from_other_nodes_are_delivered_in_sequence_order_and_once() {
    let hub = hub_with_lobby();
    let lobby = RoomName::lobby();
    let (alice_box, mut alice_rx) = FrameQueue::new(1 << 16);
    hub.join(1, &nick("alice"), &lobby, &alice_box).expect("join");
    assert_eq!(hub.publish(&stored(2, "bob")), Published::Waiting { after: 0 });
    assert_eq!(hub.publish(&stored(4, "bob")), Published::Waiting { after: 0 });
    assert_eq!(hub.hole_in(&lobby), Some(0));
    assert!(drain(&mut alice_rx).is_empty(), "nothing jumps the queue");
    assert_eq!(hub.publish(&stored(1, "bob")), Published::Waiting { after: 2 });
    assert_eq!(hub.publish(&stored(2, "bob")), Published::AlreadyDelivered);
    assert_eq!(hub.publish(&stored(3, "bob")), Published::Delivered);
    assert_eq!(hub.hole_in(&lobby), None);
    assert_eq!(hub.delivered_up_to(&lobby), Some(4));
    let seqs: Vec<u64> = drain(&mut alice_rx)
        .into_iter()
        .filter_map(|m| match m {
            ServerMessage::Message(chat) => Some(chat.seq),
            _ => None,
        })
        .collect();
    assert_eq!(seqs, vec![1, 2, 3, 4]);
}

#[test]
fn a_message_for_a_room_created_elsewhere_makes_the_room_known() {
    let hub = hub_with_lobby();
    let (frame_queue, mut receiver) = FrameQueue::new(1 << 16);
    hub.claim_nickname(1, &nick("alice"), None, &frame_queue).expect("free");
    let mut message = stored(1, "bob");
    message.room = RoomName::parse("elsewhere").expect("valid");
    assert_eq!(hub.publish(&message), Published::Delivered);
    hub.announce_room(message.room.clone(), false);
    let news = drain(&mut receiver);
    assert_eq!(news.len(), 1, "announced once: {news:?}");
    assert!(
        matches!(&news[0], ServerMessage::RoomAdded(RoomAdded { room }) if room.name == message.room)
    );
}

#[test]
fn posting_requires_membership() {
    let hub = hub_with_lobby();
    assert_eq!(
        hub.member_nickname(1, &RoomName::lobby()),
        Err(HubError::NotInRoom("lobby".into()))
    );
}

#[test]
fn guests_reserved_before_a_moment_are_closed_and_accounts_and_later_guests_are_not() {
    let hub = hub_with_lobby();
    let (early_guest, early_rx) = FrameQueue::new(1 << 16);
    let (account, account_rx) = FrameQueue::new(1 << 16);
    hub.claim_nickname(1, &nick("early"), None, &early_guest).expect("free");
    hub.claim_nickname(2, &nick("member"), None, &account).expect("free");
    hub.signed_in(2, 7, 1);
    std::thread::sleep(Duration::from_millis(5));
    let moment = Instant::now();
    let (late_guest, late_rx) = FrameQueue::new(1 << 16);
    hub.claim_nickname(3, &nick("late"), None, &late_guest).expect("free");

    assert_eq!(hub.count_guests_reserved_before(moment), 1);
    assert_eq!(hub.end_guests_reserved_before(moment), 1);
    assert_eq!(early_rx.ending().map(|goodbye| goodbye.code), Some(1013), "try again later");
    assert_eq!(account_rx.ending(), None, "an account's name is kept by the store");
    assert_eq!(late_rx.ending(), None, "reserved after the moment");
    assert_eq!(hub.end_guests_reserved_before(moment), 0, "each is closed (and counted) once");
}

#[test]
fn a_counted_room_counts_and_pages_each_person_once_across_nodes() {
    let hub = hub_with_lobby().listing_up_to(3);
    let lobby = RoomName::lobby();
    let (ann_box, mut ann_rx) = FrameQueue::new(1 << 20);
    hub.claim_nickname(1, &nick("ann"), None, &ann_box).expect("free");
    hub.join(1, &nick("ann"), &lobby, &ann_box).expect("join");
    // Ann is on the other node too: still one person.
    for name in ["Ann", "bob", "carl"] {
        hub.presence_elsewhere("n2", &lobby, &nick(name), true, false);
    }
    let named = drain(&mut ann_rx);
    assert_eq!(named.len(), 2, "bob and carl named, ann not again: {named:?}");
    hub.presence_elsewhere("n2", &lobby, &nick("dave"), true, false);
    let counted = drain(&mut ann_rx);
    assert!(
        matches!(counted.as_slice(), [ServerMessage::MemberCount(MemberCount { count: 4, .. })]),
        "{counted:?}"
    );
    let first = hub.people_page(1, &lobby, None, 2).expect("a member");
    assert_eq!(first.members, [nick("ann"), nick("bob")]);
    assert_eq!(first.next_after, Some(nick("bob")));
    let rest = hub.people_page(1, &lobby, first.next_after.as_ref(), 2).expect("a member");
    assert_eq!((rest.members, rest.next_after), (vec![nick("carl"), nick("dave")], None));
    assert!(matches!(hub.people_page(7, &lobby, None, 2), Err(HubError::NotInRoom(_))));

    // Changes are counted, not named, and told together at the next tick.
    hub.presence_elsewhere("n2", &lobby, &nick("ann"), false, false); // Still here.
    hub.presence_elsewhere("n2", &lobby, &nick("erin"), true, false);
    hub.presence_elsewhere("n2", &lobby, &nick("bob"), false, false);
    assert!(drain(&mut ann_rx).is_empty());
    hub.tell_member_counts();
    let told = drain(&mut ann_rx);
    assert!(
        matches!(told.as_slice(), [ServerMessage::MemberCount(MemberCount { count: 4, .. })]),
        "{told:?}"
    );
    hub.tell_member_counts();
    assert!(drain(&mut ann_rx).is_empty(), "nothing changed: nothing told");
    // Down to one (3 / 2): listed again, everyone named.
    for name in ["carl", "dave", "erin"] {
        hub.presence_elsewhere("n2", &lobby, &nick(name), false, false);
    }
    hub.tell_member_counts();
    let listed = drain(&mut ann_rx);
    assert!(
        matches!(listed.as_slice(), [ServerMessage::MemberList(MemberList { members, .. })] if *members == [nick("ann")]),
        "{listed:?}"
    );
    hub.presence_elsewhere("n2", &lobby, &nick("fay"), true, false);
    assert!(matches!(drain(&mut ann_rx).as_slice(), [ServerMessage::UserJoined(_)]));
}
