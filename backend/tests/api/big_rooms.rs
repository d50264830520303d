//! Rooms too big to name every arrival to every member: above the limit (4 here, 500 by
//! default) the members hear a count, coalesced, and read the list a page at a time; below
//! half the limit the room is listed again.

use std::collections::HashSet;

use common::{
    ClientMessage, ErrorCode, Joined, MemberCount, MemberList, MemberPage, Nickname, ServerMessage,
};

use crate::helpers::{Client, TestServer, code, nicknames};

const LIMIT: &str = "4";

async fn join_as(server: &TestServer, name: &str) -> (Client, Joined) {
    let mut client = server.connect().await;
    assert!(matches!(client.hello(name).await, ServerMessage::Welcome(_)));
    match client.join("lobby").await {
        ServerMessage::Joined(joined) => (client, joined),
        other => panic!("{name} could not join: {other:?}"),
    }
}

/// Every page of the lobby's people, `limit` at a time, as `client` reads them.
async fn every_page(client: &mut Client, limit: u64) -> Vec<MemberPage> {
    let mut pages = Vec::new();
    let mut after: Option<Nickname> = None;
    loop {
        let page = members_page(client, after.as_ref().map(Nickname::as_str), Some(limit)).await;
        let page = match page {
            ServerMessage::MemberPage(page) => page,
            other => panic!("{other:?}"),
        };
        after.clone_from(&page.next_after);
        pages.push(page);
        if after.is_none() {
            return pages;
        }
    }
}

async fn members_page(
    client: &mut Client,
    after: Option<&str>,
    limit: Option<u64>,
) -> ServerMessage {
    let request_id = client.request_id();
    let room = "lobby".into();
    let after = after.map(str::to_owned);
    client.request(&ClientMessage::Members { request_id, room, after, limit }).await
}

/// The counts `client` hears until one is `expected`; fails on any named arrival or departure.
async fn counts_until(client: &mut Client, expected: u64) -> Vec<u64> {
    let mut heard = Vec::new();
    client
        .recv_until(|message| match message {
            ServerMessage::MemberCount(MemberCount { count, .. }) => {
                heard.push(count);
                (count == expected).then_some(())
            }
            ServerMessage::UserJoined(_) | ServerMessage::UserLeft(_) => {
                panic!("a counted room named someone: {message:?}")
            }
            _ => None,
        })
        .await;
    heard
}

#[tokio::test]
async fn above_the_limit_members_hear_a_coalesced_count_and_page_the_list_each_once() {
    let server = TestServer::start_with_flags(&["--listed-members-max", LIMIT]).await;
    let (mut ann, joined) = join_as(&server, "ann").await;
    assert_eq!(joined.member_count, None, "a small room is listed");
    let mut others = Vec::new();
    for name in ["bob", "carl", "dave"] {
        let (client, joined) = join_as(&server, name).await;
        assert_eq!(joined.member_count, None);
        others.push(client);
    }
    let named = |message: ServerMessage| match message {
        ServerMessage::UserJoined(joined) if joined.nickname.as_str() == "dave" => Some(()),
        _ => None,
    };
    ann.recv_until(named).await;
    // The fifth makes it counted: told at once, to everyone, as a count.
    let (eve, joined) = join_as(&server, "eve").await;
    assert_eq!(joined.member_count, Some(5));
    assert!(joined.members.is_empty() && joined.guests.is_empty(), "{joined:?}");
    others.push(eve);
    assert_eq!(counts_until(&mut ann, 5).await.last(), Some(&5));

    // Twelve more at once: fewer counts than arrivals, the last one right.
    let newcomers: Vec<String> = (1..=12).map(|n| format!("guest{n:02}")).collect();
    for name in &newcomers {
        let (client, joined) = join_as(&server, name).await;
        assert!(joined.members.is_empty());
        others.push(client);
    }
    let heard = counts_until(&mut ann, 17).await;
    assert!(heard.len() < 12, "coalesced: {heard:?}");

    // Paged three at a time: everyone exactly once, in key order, the guests marked.
    let pages = every_page(&mut ann, 3).await;
    assert!(pages.iter().all(|page| page.members.len() <= 3));
    let listed: Vec<Nickname> = pages.iter().flat_map(|page| page.members.clone()).collect();
    let mut everyone = nicknames(&["ann", "bob", "carl", "dave", "eve"]);
    everyone.extend(newcomers.iter().map(|name| Nickname::parse(name).expect("valid")));
    everyone.sort_by_key(Nickname::key);
    assert_eq!(listed, everyone);
    let guests: Vec<Nickname> = pages.iter().flat_map(|page| page.guests.clone()).collect();
    assert_eq!(guests, everyone, "nobody here has an account");

    // Someone arriving and someone leaving while the list is read: whoever was there all
    // along is listed exactly once.
    let first = match members_page(&mut ann, None, Some(5)).await {
        ServerMessage::MemberPage(page) => page,
        other => panic!("{other:?}"),
    };
    let (late, _) = join_as(&server, "aaron").await; // Sorts before the page read.
    drop(others.remove(0)); // bob, on the page read, leaves.
    let rest = every_page_after(&mut ann, first.next_after.as_ref()).await;
    let mut seen = HashSet::new();
    for name in first.members.iter().chain(&rest) {
        assert!(seen.insert(name.key()), "{name} listed twice");
    }
    for name in everyone.iter().filter(|name| name.as_str() != "bob") {
        assert!(seen.contains(&name.key()), "{name} missing");
    }
    drop(late);
    assert_eq!(counts_until(&mut ann, 16).await.last(), Some(&16), "aaron and bob gone");

    // Half the limit left (2): listed again, everyone named, and arrivals named again.
    while others.len() > 1 {
        drop(others.pop());
    }
    let list = ann
        .recv_until(|message| match message {
            ServerMessage::MemberList(MemberList { members, .. }) => Some(members),
            _ => None,
        })
        .await;
    assert_eq!(list, nicknames(&["ann", "carl"]));
    let (_zoe, joined) = join_as(&server, "zoe").await;
    assert_eq!(joined.members, nicknames(&["ann", "carl", "zoe"]));
    let arrived = ann
        .recv_until(|message| match message {
            ServerMessage::UserJoined(joined) => Some(joined.nickname),
            _ => None,
        })
        .await;
    assert_eq!(arrived.as_str(), "zoe");
    server.stop().await;
}

async fn every_page_after(client: &mut Client, after: Option<&Nickname>) -> Vec<Nickname> {
    let mut names = Vec::new();
    let mut after = after.cloned();
    while let Some(from) = after {
        match members_page(client, Some(from.as_str()), Some(5)).await {
            ServerMessage::MemberPage(page) => {
                names.extend(page.members);
                after = page.next_after;
            }
            other => panic!("{other:?}"),
        }
    }
    names
}

#[tokio::test]
async fn only_a_member_reads_the_list_and_a_bad_cursor_is_refused() {
    let server = TestServer::start().await;
    let (mut ann, _) = join_as(&server, "ann").await;
    let mut outsider = server.connect().await;
    outsider.hello("olga").await;
    assert_eq!(code(&members_page(&mut outsider, None, None).await), ErrorCode::NotInRoom);
    let page = members_page(&mut ann, Some("   "), None).await;
    assert_eq!(code(&page), ErrorCode::InvalidMessage);
    let page = members_page(&mut ann, Some(&"x".repeat(10_000)), None).await;
    assert_eq!(code(&page), ErrorCode::InvalidMessage);
    // Any limit is taken, clamped: 0 gives one, a huge one everyone.
    for (limit, expected) in [(0, 1), (u64::MAX, 1)] {
        match members_page(&mut ann, None, Some(limit)).await {
            ServerMessage::MemberPage(page) => assert_eq!(page.members.len(), expected),
            other => panic!("{other:?}"),
        }
    }
    // A small room lists everyone in `joined` and still answers `members`.
    let (_bob, joined) = join_as(&server, "bob").await;
    assert_eq!(joined.members, nicknames(&["ann", "bob"]));
    match members_page(&mut ann, None, None).await {
        ServerMessage::MemberPage(page) => {
            assert_eq!(page.members, nicknames(&["ann", "bob"]));
            assert_eq!(page.next_after, None);
        }
        other => panic!("{other:?}"),
    }
    server.stop().await;
}

/// Typing, like arrivals, would cost typists × members in a big room: a counted room relays
/// one `typing` per interval, whoever types; a listed one relays each typist's.
#[tokio::test]
async fn a_counted_room_relays_one_typing_per_interval_a_listed_room_each_typists() {
    let server = TestServer::start_with_flags(&["--listed-members-max", LIMIT]).await;
    let mut people = Vec::new();
    for name in ["ann", "bob", "carl"] {
        people.push(join_as(&server, name).await.0);
    }
    let typed_before_done = async |people: &mut Vec<Client>| {
        for typist in &mut people[1..] {
            typist.send(&ClientMessage::Typing { room: "lobby".into() }).await;
        }
        // A message after the typing marks its end in ann's stream.
        people[1].say("lobby", "done").await;
        let mut typing = Vec::new();
        loop {
            match people[0].recv().await {
                ServerMessage::Typing(event) => typing.push(event.nickname.to_string()),
                ServerMessage::Message(message) if message.text() == "done" => return typing,
                _ => {}
            }
        }
    };
    let listed = typed_before_done(&mut people).await;
    assert_eq!(listed, ["bob", "carl"], "a listed room: each typist");
    for name in ["dave", "eve"] {
        people.push(join_as(&server, name).await.0);
    }
    // Five people: counted. The typists' own throttles (2 s) have passed since.
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    let counted = typed_before_done(&mut people).await;
    assert_eq!(counted.len(), 1, "a counted room: one per interval, whoever typed: {counted:?}");
}
