//! Many sends in flight on one connection: the server reads on while the committer stores
//! them, and still answers every request in the order it came (acks first, then a later
//! request's answer), stores each message once in the order of arrival, and a repeated client
//! id among them gets the original's ack.

use common::{ClientId, ClientMessage, ServerMessage};

use crate::helpers::{TestServer, history_entries};

const SENDS: u64 = 300;

fn send(request_id: u64, client_id: &str, body: &str) -> ClientMessage {
    ClientMessage::Send {
        request_id,
        room: "lobby".into(),
        client_id: ClientId::parse(client_id).expect("valid"),
        body: body.into(),
        reply_to: None,
    }
}

#[tokio::test]
async fn sends_in_flight_are_answered_in_order_and_stored_once_in_order() {
    let server = TestServer::start().await;
    let mut bot = server.join_lobby_as("bot").await;
    // Everything written before any answer is read.
    let first_id = bot.request_id();
    for n in 0..SENDS {
        bot.send(&send(first_id + n, &format!("bot-{n}"), &format!("line {n}"))).await;
    }
    // A repeat of message 10 in the middle of the stream, then a request of another kind.
    bot.send(&send(first_id + SENDS, "bot-10", "line 10")).await;
    bot.send(&ClientMessage::Ping { request_id: first_id + SENDS + 1 }).await;
    for _ in 0..SENDS + 2 {
        bot.request_id();
    }

    let mut answers = Vec::new();
    while answers.len() < (SENDS + 2) as usize {
        let message = bot.recv().await;
        if message.answered_request().is_some() {
            answers.push(message);
        }
    }
    let mut seqs = Vec::new();
    for (n, answer) in answers.iter().enumerate() {
        let expected_id = first_id + n as u64;
        assert_eq!(answer.answered_request(), Some(expected_id), "answers in request order");
        match answer {
            ServerMessage::Ack(ack) => seqs.push(ack.seq),
            ServerMessage::Pong(_) => assert_eq!(n as u64, SENDS + 1, "the ping's answer last"),
            other => panic!("answer {n}: {other:?}"),
        }
    }
    let repeat = seqs.pop().expect("the repeat's ack");
    assert_eq!(seqs, (1..=SENDS).collect::<Vec<_>>(), "stored in the order they came");
    assert_eq!(repeat, seqs[10], "a repeat gets the original's ack");

    let stored = {
        let mut all = Vec::new();
        let mut after = 0;
        while after < SENDS {
            let page = history_entries(&mut bot, "lobby", after).await;
            after = page.last().map_or(SENDS, |last| last.seq);
            all.extend(page);
        }
        all
    };
    let texts: Vec<String> = stored.iter().map(|message| message.text().to_owned()).collect();
    let expected: Vec<String> = (0..SENDS).map(|n| format!("line {n}")).collect();
    assert_eq!(texts, expected, "each once, in order");
    server.stop().await;
}

#[tokio::test]
async fn a_refusal_among_sends_in_flight_comes_in_its_place() {
    let server = TestServer::start().await;
    let mut bot = server.join_lobby_as("bot").await;
    let first_id = bot.request_id();
    bot.send(&send(first_id, "ok-1", "one")).await;
    // Not a room it joined: refused at once, but answered after the first send's ack.
    let refused = ClientMessage::Send {
        request_id: first_id + 1,
        room: "nowhere".into(),
        client_id: ClientId::parse("bad-1").expect("valid"),
        body: "lost?".into(),
        reply_to: None,
    };
    bot.send(&refused).await;
    bot.send(&send(first_id + 2, "ok-2", "two")).await;
    let mut answered = Vec::new();
    while answered.len() < 3 {
        let message = bot.recv().await;
        if let Some(id) = message.answered_request() {
            answered.push((id, matches!(message, ServerMessage::Ack(_))));
        }
    }
    assert_eq!(answered, vec![(first_id, true), (first_id + 1, false), (first_id + 2, true)]);
    server.stop().await;
}
