use super::*;
use crate::{Emoji, ServerMessage};

fn nick(name: &str) -> Nickname {
    Nickname::parse(name).expect("valid")
}

fn body(text: &str) -> MessageBody {
    MessageBody::parse(text).expect("valid")
}

fn entry(seq: u64, author: &str, content: Content) -> ChatMessage {
    ChatMessage {
        room: RoomName::lobby(),
        seq,
        id: format!("m-{seq}"),
        client_id: ClientId::parse(&format!("c{seq}")).expect("valid"),
        author: nick(author),
        sent_at: 1_699_999_999_999 + i64::try_from(seq).expect("small"),
        content,
    }
}

fn thumbs(seq: u64, withdraw: bool) -> Content {
    Content::Reaction(ReactsTo { seq, emoji: Emoji::parse("👍").expect("valid"), withdraw })
}

fn by_case(author: &str) -> impl Fn(&Nickname) -> bool {
    let author = author.to_lowercase();
    move |name| name.as_str().to_lowercase() == author
}

/// Every kind of entry, written as the golden file has it (captured from the encoder before
/// entries were a sum type): the wire did not change by a byte.
#[test]
fn every_kind_of_entry_is_written_as_the_golden_file_says() {
    let golden: Vec<&str> = include_str!("golden.jsonl").lines().collect();
    for line in &golden {
        let decoded: ServerMessage = serde_json::from_str(line).expect("decodes");
        assert_eq!(&decoded.to_json(), line);
    }
    let mut answer = Post::new(body("an answer"));
    answer.edited = Some(Edited { seq: 5, at: 1_700_000_000_009 });
    answer.reactions = Some(Reactions {
        seq: 4,
        list: vec![crate::Reaction {
            emoji: Emoji::parse("👍").expect("valid"),
            by: vec![nick("alice"), nick("carol")],
        }],
    });
    answer.reply_to = Some(Box::new(ReplyTo {
        seq: 1,
        author: nick("alice"),
        excerpt: Some("hi <b>there</b>".into()),
        edited: true,
    }));
    let deleted_reply = Post {
        reply_to: Some(Box::new(ReplyTo {
            seq: 1,
            author: nick("alice"),
            excerpt: None,
            edited: false,
        })),
        ..Post::default()
    };
    let mut edit =
        entry(5, "bob", Content::Edit { edits: 2, body: Some(body("an answer, edited")) });
    edit.sent_at = 1_700_000_000_009;
    let built = [
        entry(1, "alice", Content::post(body("hi <b>there</b>"))),
        entry(2, "bob", Content::Post(answer)),
        entry(3, "carol", Content::Post(deleted_reply)),
        entry(4, "carol", thumbs(2, false)),
        edit,
        ChatMessage {
            sent_at: 1_700_000_000_010,
            ..entry(6, "bob", Content::Edit { edits: 3, body: None })
        },
        ChatMessage {
            sent_at: 1_700_000_000_011,
            ..entry(7, "mod", Content::Deletion { deletes: 3 })
        },
        ChatMessage { sent_at: 1_700_000_000_012, ..entry(8, "alice", thumbs(2, true)) },
    ];
    assert_eq!(built.len(), golden.len());
    for (entry, line) in built.into_iter().zip(golden) {
        assert_eq!(ServerMessage::Message(entry).to_json(), line);
    }
}

#[test]
fn a_message_that_mixes_kinds_is_refused() {
    let head = r#"{"type":"message","room":"lobby","seq":9,"id":"m","client_id":"c","author":"al","sent_at":5"#;
    for mixed in [
        r#","deletes":1,"edits":2}"#,
        r#","body":"x","deletes":1}"#,
        r#","edits":1,"reply_to":{"seq":1,"author":"al"}}"#,
        r#","reacts":{"seq":1,"emoji":"👍"},"reactions":{"seq":1,"list":[]}}"#,
        r#","body":"x","reacts":{"seq":1,"emoji":"👍"}}"#,
    ] {
        let json = format!("{head}{mixed}");
        let error = serde_json::from_str::<ServerMessage>(&json).expect_err("mixed kinds");
        assert!(error.to_string().contains("one of a post"), "{json}: {error}");
    }
}

#[test]
fn a_deletion_erases_its_post_its_edits_and_its_quotes() {
    let mut post = entry(1, "ann", Content::post(body("secret")));
    post.post_mut().expect("a post").reactions = Some(Reactions { seq: 2, list: vec![] });
    let mut edit = entry(2, "ann", Content::Edit { edits: 1, body: Some(body("secret 2")) });
    let mut reply = entry(3, "bob", Content::post(body("what?")));
    reply.post_mut().expect("a post").reply_to = Some(Box::new(ReplyTo::of(&post)));
    let mut other = entry(4, "bob", Content::post(body("unrelated")));
    let deletion = entry(5, "ann", Content::Deletion { deletes: 1 });
    for kept in [&mut post, &mut edit, &mut reply, &mut other] {
        kept.apply_change(&deletion, by_case("ann"));
    }
    assert_eq!(post.post(), Some(&Post::default()));
    assert_eq!(edit.content, Content::Edit { edits: 1, body: None });
    let quote = reply.post().and_then(|post| post.reply_to.as_ref()).expect("a quote");
    assert_eq!(quote.excerpt, None);
    assert_eq!(reply.text(), "what?");
    assert_eq!(other.text(), "unrelated");
}

#[test]
fn an_edit_replaces_the_text_unless_a_later_one_is_applied_or_the_post_is_gone() {
    let mut post = entry(1, "ann", Content::post(body("first")));
    let mut reply = entry(2, "bob", Content::post(body("re")));
    reply.post_mut().expect("a post").reply_to = Some(Box::new(ReplyTo::of(&post)));
    let later = entry(5, "ann", Content::Edit { edits: 1, body: Some(body("third")) });
    let earlier = entry(4, "ann", Content::Edit { edits: 1, body: Some(body("second")) });
    post.apply_change(&later, by_case("ann"));
    post.apply_change(&earlier, by_case("ann"));
    assert_eq!(post.text(), "third");
    assert_eq!(
        post.post().and_then(|post| post.edited),
        Some(Edited { seq: 5, at: later.sent_at })
    );
    reply.apply_change(&later, by_case("ann"));
    let quote = reply.post().and_then(|post| post.reply_to.as_ref()).expect("a quote");
    assert_eq!((quote.excerpt.as_deref(), quote.edited), (Some("third"), true));
    let mut deleted = entry(1, "ann", Content::Post(Post::default()));
    deleted.apply_change(&later, by_case("ann"));
    assert_eq!(deleted.body(), None, "a deleted post takes no edit");
}

#[test]
fn a_reaction_counts_once_and_never_on_a_deleted_post() {
    let mut post = entry(1, "ann", Content::post(body("hi")));
    let reaction = entry(2, "bob", thumbs(1, false));
    post.apply_change(&reaction, by_case("bob"));
    post.apply_change(&reaction, by_case("bob"));
    let reactions = post.post().and_then(|post| post.reactions.clone()).expect("reacted");
    assert_eq!((reactions.seq, reactions.list.len(), reactions.list[0].by.len()), (2, 1, 1));
    let mut deleted = entry(1, "ann", Content::Post(Post::default()));
    deleted.apply_change(&reaction, by_case("bob"));
    assert_eq!(deleted.post().and_then(|post| post.reactions.clone()), None);
}

#[test]
fn a_change_never_reaches_back_to_what_came_after_it() {
    let reply_after = {
        let mut reply = entry(9, "bob", Content::post(body("re")));
        reply.post_mut().expect("a post").reply_to = Some(Box::new(ReplyTo {
            seq: 1,
            author: nick("ann"),
            excerpt: Some("third".into()),
            edited: true,
        }));
        reply
    };
    let edit = entry(5, "ann", Content::Edit { edits: 1, body: Some(body("fourth")) });
    assert!(!reply_after.is_affected_by(&edit), "a later reply was quoted after the edit");
    assert!(!entry(1, "ann", Content::post(body("x"))).is_affected_by(&entry(
        2,
        "a",
        Content::post(body("y"))
    )));
}
