//! Reactions: each is the room's next entry (so live members, a client catching up and a fresh
//! history page all see it), the store keeps each message's reactions as they are now, and a
//! deleted message keeps none. Each rule is tried by someone without the right to it.

use std::path::Path;

use backend::store::{Page, Store};
use common::{
    ChatMessage, ClientId, ClientMessage, Emoji, ErrorCode, REACTIONS_MAX, RoomName, ServerMessage,
};

use crate::helpers::{Client, TestDatabase, TestServer, acked_seq, code, history_entries};

const PASSWORD: &str = "correct horse battery staple";

async fn react_in(
    client: &mut Client,
    room: &str,
    seq: u64,
    client_id: &str,
    emoji: &str,
    withdraw: bool,
) -> ServerMessage {
    let request_id = client.request_id();
    let client_id = ClientId::parse(client_id).expect("valid");
    let (room, emoji) = (room.into(), emoji.into());
    client
        .request(&ClientMessage::React { request_id, room, seq, client_id, emoji, withdraw })
        .await
}

async fn react(client: &mut Client, seq: u64, client_id: &str, emoji: &str) -> ServerMessage {
    react_in(client, "lobby", seq, client_id, emoji, false).await
}

async fn withdraw(client: &mut Client, seq: u64, client_id: &str, emoji: &str) -> ServerMessage {
    react_in(client, "lobby", seq, client_id, emoji, true).await
}

/// The reactions of the message `seq` of `page`: (emoji, who) each, and the entry they are as
/// of.
fn reactions_of(page: &[ChatMessage], seq: u64) -> (Vec<(String, Vec<String>)>, Option<u64>) {
    let message = page.iter().find(|message| message.seq == seq).expect("the message");
    let Some(reactions) = message.reactions() else { return (vec![], None) };
    let list = reactions
        .list
        .iter()
        .map(|reaction| {
            let by = reaction.by.iter().map(|name| name.as_str().to_owned()).collect();
            (reaction.emoji.as_str().to_owned(), by)
        })
        .collect();
    (list, Some(reactions.seq))
}

fn owned(list: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    let names = |by: &[&str]| by.iter().map(|name| (*name).to_owned()).collect();
    list.iter().map(|(emoji, by)| ((*emoji).to_owned(), names(by))).collect()
}

#[tokio::test]
async fn reactions_reach_everyone_and_history_shows_them_as_they_are_now() {
    let database = TestDatabase::new();
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    let target = acked_seq(&alice.say("lobby", "lunch at noon?").await);
    let thumbs = acked_seq(&react(&mut bob, target, "b-1", "👍").await);
    assert_eq!(thumbs, target + 1, "a reaction takes the room's next seq");
    // A retry (same client id) is answered with the same entry, not a second one.
    assert_eq!(acked_seq(&react(&mut bob, target, "b-1", "👍").await), thumbs);
    acked_seq(&react(&mut alice, target, "a-1", "👍").await);
    acked_seq(&react(&mut alice, target, "a-2", "🎉").await);
    // Adding one already there changes nothing (but is an entry: a second tab may do it).
    acked_seq(&react(&mut alice, target, "a-3", "🎉").await);
    let last = acked_seq(&withdraw(&mut bob, target, "b-2", "👍").await);

    // Live: alice receives bob's entries, naming their target (the earlier ones arrived
    // while she waited for her own acks).
    let live = alice
        .recv_until(|m| match m {
            ServerMessage::Message(message) if message.reacts().is_some() => Some(message),
            _ => None,
        })
        .await;
    let change = live.reacts().cloned().expect("a reaction");
    assert_eq!((live.seq, change.seq, change.emoji.as_str()), (last, target, "👍"));
    assert_eq!((live.author.as_str(), change.withdraw, live.body()), ("bob", true, None));

    // History, from memory and then from the store: the message with its reactions now.
    let expected = owned(&[("👍", &["alice"]), ("🎉", &["alice"])]);
    let page = history_entries(&mut bob, "lobby", 0).await;
    assert_eq!(reactions_of(&page, target), (expected.clone(), Some(last)));
    assert_eq!(page.len(), 6, "the message and its five reaction entries");
    server.stop().await;
    let server = TestServer::start_with(&database, Path::new("/nonexistent")).await;
    let mut carol = server.join_lobby_as("carol").await;
    let page = history_entries(&mut carol, "lobby", 0).await;
    assert_eq!(reactions_of(&page, target), (expected, Some(last)));
    // A client that held the message catches up with the entries after it.
    let caught_up = history_entries(&mut carol, "lobby", target).await;
    let changes: Vec<(u64, bool)> = caught_up
        .iter()
        .map(|m| {
            let change = m.reacts().expect("a reaction");
            (change.seq, change.withdraw)
        })
        .collect();
    assert_eq!(
        changes,
        [(target, false), (target, false), (target, false), (target, false), (target, true)]
    );

    // Deleting the message takes its reactions with it, in memory and in the store.
    let mut alice = server.join_lobby_as("alice-again").await;
    let doomed = acked_seq(&alice.say("lobby", "oops").await);
    acked_seq(&react(&mut carol, doomed, "c-1", "😂").await);
    let deleted = ClientMessage::DeleteMessage {
        request_id: alice.request_id(),
        room: "lobby".into(),
        seq: doomed,
        client_id: ClientId::parse("a-del").expect("valid"),
    };
    acked_seq(&alice.request(&deleted).await);
    let page = history_entries(&mut carol, "lobby", 0).await;
    assert_eq!(reactions_of(&page, doomed), (vec![], None));
    server.stop().await;
    let store = Store::open(&database.url()).await.expect("store");
    let stored = store.history(&RoomName::lobby(), Page::After(0), 100).await.expect("read");
    assert_eq!(reactions_of(&stored.messages, doomed), (vec![], None));
}

#[tokio::test]
async fn reactions_that_break_a_rule_are_refused_and_change_nothing() {
    let server = TestServer::start().await;
    let mut alice = server.join_lobby_as("alice").await;
    let mut bob = server.join_lobby_as("bob").await;
    let hers = acked_seq(&alice.say("lobby", "react to me").await);

    // Not one emoji: text, two emoji, an emoji with text, nothing, markup, 2,000 of them (a
    // frame as large as the server reads).
    for (index, raw) in
        ["ok", "👍👍", "👍 nice", "", "<b>x</b>", &"👍".repeat(2_000)].into_iter().enumerate()
    {
        let answer = react(&mut bob, hers, &format!("bad-{index}"), raw).await;
        assert_eq!(code(&answer), ErrorCode::InvalidEmoji, "{raw:?}");
    }
    // No such message, a reaction entry, and a deleted message take no reactions.
    assert_eq!(code(&react(&mut bob, 999, "b-1", "👍").await), ErrorCode::UnknownMessage);
    let entry = acked_seq(&react(&mut bob, hers, "b-2", "👍").await);
    assert_eq!(code(&react(&mut bob, entry, "b-3", "👍").await), ErrorCode::UnknownMessage);
    let gone = acked_seq(&alice.say("lobby", "soon gone").await);
    let deletion = ClientMessage::DeleteMessage {
        request_id: alice.request_id(),
        room: "lobby".into(),
        seq: gone,
        client_id: ClientId::parse("a-del").expect("valid"),
    };
    let deletion = acked_seq(&alice.request(&deletion).await);
    assert_eq!(code(&react(&mut bob, gone, "b-4", "👍").await), ErrorCode::UnknownMessage);
    assert_eq!(code(&react(&mut bob, deletion, "b-5", "👍").await), ErrorCode::UnknownMessage);
    // Not in the room: not a member's request.
    let mut outsider = Client::connect(server.addr).await;
    outsider.hello("outsider").await;
    assert_eq!(code(&react(&mut outsider, hers, "o-1", "👍").await), ErrorCode::NotInRoom);
    // A client id already used for another entry is not a reaction's.
    assert_eq!(code(&react(&mut bob, hers, "b-2", "🎉").await), ErrorCode::ClientIdReused);

    // At most REACTIONS_MAX different emoji; one already there can still be added.
    let many: Vec<String> = ('\u{1F600}'..).take(REACTIONS_MAX).map(String::from).collect();
    for (index, emoji) in many.iter().enumerate().skip(1) {
        acked_seq(&react(&mut alice, hers, &format!("many-{index}"), emoji).await);
    }
    let one_more = react(&mut alice, hers, "many-more", "🦀").await;
    assert_eq!(code(&one_more), ErrorCode::TooManyReactions);
    acked_seq(&react(&mut alice, hers, "same-again", "👍").await);

    let page = history_entries(&mut bob, "lobby", 0).await;
    let (list, _) = reactions_of(&page, hers);
    assert_eq!(list.len(), REACTIONS_MAX);
    assert_eq!(list[0], ("👍".to_owned(), vec!["bob".to_owned(), "alice".to_owned()]));
    assert!(!list.iter().any(|(emoji, _)| emoji == "🦀"));
    // Only the accepted entries were stored: the message, bob's 👍, the deleted message, its
    // deletion, alice's 19 others and her 👍.
    assert_eq!(page.len(), 4 + (REACTIONS_MAX - 1) + 1);
    assert!(page.iter().all(|message| message.reacts().is_none_or(|change| {
        change.seq == hers && Emoji::parse(change.emoji.as_str()).is_ok()
    })));
}

#[tokio::test]
async fn only_those_who_may_speak_in_a_room_react_there() {
    let server = TestServer::start().await;
    let mut owner = Client::connect(server.addr).await;
    assert!(matches!(owner.register("keeper", PASSWORD).await, ServerMessage::Welcome(_)));
    let mut member = Client::connect(server.addr).await;
    assert!(matches!(member.register("member", PASSWORD).await, ServerMessage::Welcome(_)));
    assert!(matches!(owner.create_private_room("hideout").await, ServerMessage::Created(_)));
    assert!(matches!(owner.invite("hideout", "member").await, ServerMessage::Invited(_)));
    owner.join("hideout").await;
    member.join("hideout").await;
    let secret = acked_seq(&owner.say("hideout", "the plan").await);

    // A stranger can neither join the private room nor react to its messages.
    let mut stranger = Client::connect(server.addr).await;
    stranger.hello("stranger").await;
    assert_eq!(code(&stranger.join("hideout").await), ErrorCode::Forbidden);
    let reached = react_in(&mut stranger, "hideout", secret, "s-1", "👍", false).await;
    assert_eq!(code(&reached), ErrorCode::NotInRoom);

    // A member reacts; muted, they may not; removed from the room, not any more.
    acked_seq(&react_in(&mut member, "hideout", secret, "m-1", "👍", false).await);
    assert!(matches!(
        owner.mute("hideout", "member", Some(5)).await,
        ServerMessage::MuteRecorded(_)
    ));
    let muted = react_in(&mut member, "hideout", secret, "m-2", "🎉", false).await;
    assert_eq!(code(&muted), ErrorCode::Muted);
    assert!(matches!(owner.unmute("hideout", "member").await, ServerMessage::MuteLifted(_)));
    assert!(matches!(
        owner.remove_member("hideout", "member").await,
        ServerMessage::MemberRemoved(_)
    ));
    let removed = react_in(&mut member, "hideout", secret, "m-3", "🎉", true).await;
    assert!(matches!(code(&removed), ErrorCode::NotInRoom | ErrorCode::Forbidden), "{removed:?}");

    let page = history_entries(&mut owner, "hideout", 0).await;
    let (list, _) = reactions_of(&page, secret);
    assert_eq!(list, owned(&[("👍", &["member"])]));
}
