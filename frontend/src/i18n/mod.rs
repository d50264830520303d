//! The page's words in English and Simplified Chinese.
//!
//! Every sentence the interface shows is a field of [`Phrases`]: plain ones as strings, ones
//! with values in them as functions. One constant per language keeps each translation
//! complete by construction (a missing field does not compile). Components read the current
//! language's phrases with [`use_phrases`]; user text (nicknames, messages) is never
//! translated.

use common::{ErrorCode, MessageBodyError, Nickname, NicknameError, PasswordError, RoomNameError};
use leptos::prelude::*;

mod en;
mod zh;

pub use self::en::EN;
pub use self::zh::ZH;
use crate::browser::preferences::Preferences;
use crate::lang::Lang;
use crate::model::problem::{Problem, ServerRefusal};

impl Lang {
    /// This language's phrases.
    pub fn phrases(self) -> &'static Phrases {
        match self {
            Lang::En => &EN,
            Lang::Zh => &ZH,
        }
    }
}

/// The reader's language (English when no [`Preferences`] are provided, as in a component
/// test).
pub fn use_lang() -> Signal<Lang> {
    match use_context::<Preferences>() {
        Some(preferences) => preferences.lang.into(),
        None => Signal::stored(Lang::En),
    }
}

/// A piece of interface text that follows the reader's language: `{tr(|p| p.send)}` in a
/// view, or as an attribute (`aria-label=tr(|p| p.rooms)`).
///
/// Every call returns the same closure type, so the page's code for rendering reactive text
/// is generated once for all of them instead of once per sentence (which costs tens of
/// kilobytes of WASM).
pub fn tr(
    pick: fn(&'static Phrases) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || pick(lang.get().phrases())
}

/// The reader's language's phrases.
pub fn use_phrases() -> Signal<&'static Phrases> {
    let lang = use_lang();
    Signal::derive(move || lang.get().phrases())
}

/// Every sentence of the interface in one language.
#[derive(Debug)]
pub struct Phrases {
    pub app_name: &'static str,
    pub out_of_date: &'static str,
    pub reload: &'static str,
    /// The chat screen's module could not be fetched (the page's build splits it off).
    pub chat_screen_failed: &'static str,
    // Signing in
    pub pick_nickname: &'static str,
    pub enter: &'static str,
    pub how_to_enter: &'static str,
    pub as_guest: &'static str,
    pub sign_in: &'static str,
    pub register: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    // The chat's frame
    pub open_menu: &'static str,
    pub close_menu: &'static str,
    pub leave: &'static str,
    pub retry_now: &'static str,
    pub sign_out: &'static str,
    pub settings: &'static str,
    pub theme: &'static str,
    pub theme_system: &'static str,
    pub theme_light: &'static str,
    pub theme_dark: &'static str,
    pub language: &'static str,
    pub notify_mentions: &'static str,
    pub notifications_on: &'static str,
    pub notifications_blocked: &'static str,
    // Rooms and people
    pub rooms: &'static str,
    pub unread: fn(usize) -> String,
    pub new_room_name: &'static str,
    pub private_choice: &'static str,
    pub private_room: &'static str,
    pub invite: &'static str,
    pub invite_username: &'static str,
    pub direct_messages: &'static str,
    pub message_to: fn(&Nickname) -> String,
    pub moderation: &'static str,
    pub ban: &'static str,
    pub ban_reason: &'static str,
    pub ban_minutes: &'static str,
    pub ban_guest: &'static str,
    pub audit_log: &'static str,
    pub people: &'static str,
    pub show_people: &'static str,
    pub role_of: fn(&Nickname) -> String,
    pub role_name: fn(common::Role) -> &'static str,
    pub last_seen: fn(&str) -> String,
    pub never_seen: &'static str,
    pub banned_line: fn(until: Option<&str>, reason: &str) -> String,
    pub lift_ban: &'static str,
    pub guest_bans: &'static str,
    pub guest_ban_line: fn(by: &Nickname, addresses: u32, reason: &str) -> String,
    pub invite_links: &'static str,
    pub invite_uses: &'static str,
    pub invite_days: &'static str,
    pub make_invite: &'static str,
    pub invite_link_once: &'static str,
    pub show_invites: &'static str,
    pub invite_line: fn(by: &Nickname, uses: u32, max_uses: Option<u32>, expires: &str) -> String,
    pub revoke: &'static str,
    pub revoked: &'static str,
    pub invited_hint: &'static str,
    pub audit_line: fn(&common::AuditEntry) -> String,
    pub moderate_person: fn(&Nickname) -> String,
    pub mute_for_10_minutes: &'static str,
    pub mute_for_a_day: &'static str,
    pub unmute: &'static str,
    pub kick: &'static str,
    pub make_moderator: &'static str,
    pub make_member: &'static str,
    /// `until`: a local date and time, or `None` for "until lifted".
    pub muted_note: fn(until: Option<&str>) -> String,
    pub create: &'static str,
    pub people_in_room: &'static str,
    pub online: fn(usize) -> String,
    pub you: &'static str,
    pub guest_tag: &'static str,
    // The timeline
    pub messages: &'static str,
    pub loading_older: &'static str,
    pub load_older: &'static str,
    /// A button where messages were skipped (a message far back was opened).
    pub loading_newer: &'static str,
    pub load_newer: &'static str,
    /// Reads the next page of a big room's people.
    pub more_people: &'static str,
    pub room_start: &'static str,
    /// At the top of a room whose older messages the server's retention removed.
    pub older_removed: &'static str,
    pub new_messages: fn(usize) -> String,
    // Search
    pub search: &'static str,
    pub search_messages: &'static str,
    pub search_this_room: &'static str,
    /// The search field for one person's messages.
    pub search_author: &'static str,
    /// The search field for the first day of the messages found.
    pub search_since: &'static str,
    pub searching: &'static str,
    pub search_no_results: &'static str,
    pub search_more: &'static str,
    pub close_search: &'static str,
    pub search_results: &'static str,
    pub unread_marker: &'static str,
    pub today: &'static str,
    pub yesterday: &'static str,
    pub just_now: &'static str,
    pub minutes_ago: fn(i64) -> String,
    pub sending: &'static str,
    pub message_deleted: &'static str,
    pub delete_message: &'static str,
    pub delete_message_confirm: &'static str,
    /// Beside a message whose text was changed (its time on hover).
    pub edited: &'static str,
    pub edit_message: &'static str,
    /// The button that answers a message.
    pub reply: &'static str,
    /// Above the composer while answering a message.
    pub replying_to: fn(author: &str) -> String,
    pub cancel_reply: &'static str,
    /// On a quote: it opens the message quoted.
    pub show_original: &'static str,
    /// The button that opens the emoji to react with, and the group of them.
    pub add_reaction: &'static str,
    /// The field in that group for an emoji not among those offered.
    pub other_emoji: &'static str,
    /// Said when what was typed there is not one emoji.
    pub not_one_emoji: &'static str,
    /// A reaction on a message: its emoji, how many put it there and who (for screen readers
    /// and on hover).
    pub reaction_by: fn(emoji: &str, count: usize, names: &str) -> String,
    /// The list of people offered after `@` in the composer.
    pub mention_someone: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub not_sent: fn(&str) -> String,
    pub retry: &'static str,
    pub discard: &'static str,
    pub joined: fn(&Nickname) -> String,
    pub left: fn(&Nickname) -> String,
    pub server_closing: fn(&str) -> String,
    pub kicked_me: fn(by: &Nickname, reason: &str) -> String,
    pub muted_me: fn(until: Option<&str>, reason: &str) -> String,
    pub unmuted_me: &'static str,
    pub announce_message: fn(&Nickname, &str) -> String,
    pub mentioned_you: fn(&Nickname, &str) -> String,
    // Writing
    pub message_label: &'static str,
    pub composer_hint: &'static str,
    /// The counter near the length limit: (characters written, the limit).
    pub characters_left: fn(usize, usize) -> String,
    pub send: &'static str,
    pub typing_one: fn(&Nickname) -> String,
    pub typing_two: fn(&Nickname, &Nickname) -> String,
    pub typing_many: &'static str,
    // The connection
    pub not_connected: &'static str,
    pub connecting: &'static str,
    pub connected: &'static str,
    pub offline: &'static str,
    pub reconnecting_in: fn(i64) -> String,
    pub reconnecting: &'static str,
    /// Above a timeline shown from this device's copy while the page is not connected.
    pub offline_copy: &'static str,
    pub unsent: fn(usize) -> String,
    pub unsent_short: fn(usize) -> String,
    pub lost_reason: fn(&crate::browser::connection::LostReason) -> String,
    // What went wrong
    pub nickname_error: fn(&NicknameError) -> String,
    pub password_error: fn(&PasswordError) -> String,
    pub body_error: fn(&MessageBodyError) -> String,
    pub room_name_error: fn(&RoomNameError) -> String,
    pub no_such_room: fn(&str) -> String,
    pub removed_from: fn(&str) -> String,
    pub kicked_from: fn(room: &str, by: &Nickname, reason: &str) -> String,
    pub banned: fn(&str) -> String,
    pub signed_out_elsewhere: &'static str,
    pub your_sessions: &'static str,
    pub this_browser: &'static str,
    pub session_line: fn(created: &str, last_seen: &str) -> String,
    pub sign_out_other_sessions: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub change_password: &'static str,
    pub bad_room_link: &'static str,
    /// A jump to a date after the room's latest message.
    pub nothing_since_date: &'static str,
    /// The date field that jumps to a day of the room's history.
    pub jump_to_date: &'static str,
    pub sign_in_first: &'static str,
    /// The server's refusal for a code; `None` for codes best explained by its own message.
    pub refused: fn(ErrorCode) -> Option<&'static str>,
}

impl Phrases {
    /// Who is typing: none, one, two, or "several people".
    pub fn typing(&self, typists: &[Nickname]) -> Option<String> {
        match typists {
            [] => None,
            [one] => Some((self.typing_one)(one)),
            [one, two] => Some((self.typing_two)(one, two)),
            _ => Some(self.typing_many.to_owned()),
        }
    }

    /// A problem in words (the server's and `common`'s messages start in lower case, being
    /// parts of log lines too: the page's `.error` style capitalises the first letter).
    pub fn problem(&self, problem: &Problem) -> String {
        match problem {
            Problem::Nickname(error) => (self.nickname_error)(error),
            Problem::Password(error) => (self.password_error)(error),
            Problem::Body(error) => (self.body_error)(error),
            Problem::RoomName(error) => (self.room_name_error)(error),
            Problem::NoSuchRoom(room) => (self.no_such_room)(room.as_str()),
            Problem::RemovedFrom(room) => (self.removed_from)(room.as_str()),
            Problem::KickedFrom { room, by, reason } => {
                (self.kicked_from)(room.as_str(), by, reason)
            }
            Problem::Banned(reason) => (self.banned)(reason),
            Problem::SignedOutElsewhere => self.signed_out_elsewhere.to_owned(),
            Problem::BadRoomLink => self.bad_room_link.to_owned(),
            Problem::SignInFirst => self.sign_in_first.to_owned(),
            Problem::NothingSinceDate => self.nothing_since_date.to_owned(),
            Problem::Refused(refusal) => self.refusal(refusal),
        }
    }

    /// The server's refusal in words.
    pub fn refusal(&self, refusal: &ServerRefusal) -> String {
        match (self.refused)(refusal.code) {
            Some(sentence) => sentence.to_owned(),
            None => refusal.message.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every action the server writes to the audit log (docs/PROTOCOL.md, Moderation) reads
    /// as words in both languages, not as its code.
    #[test]
    fn every_audit_action_is_told_in_words() {
        let actions = [
            "ban",
            "unban",
            "ban_guest",
            "unban_guest",
            "set_role",
            "invite",
            "remove_member",
            "set_room_role",
            "kick",
            "mute",
            "unmute",
            "delete",
        ];
        let name = |s: &str| Nickname::parse(s).expect("valid");
        for action in actions {
            let entry = common::AuditEntry {
                id: 1,
                at: 0,
                actor: name("boss"),
                action: action.to_owned(),
                target: name("pest"),
                room: None,
                reason: String::new(),
            };
            for phrases in [&EN, &ZH] {
                let line = (phrases.audit_line)(&entry);
                let as_code = format!("boss {action} pest");
                assert!(line != as_code && !line.contains('_'), "{action} shown as its code");
            }
        }
        assert_eq!((EN.guest_ban_line)(&name("boss"), 1, ""), "by boss, 1 address");
        assert_eq!((EN.guest_ban_line)(&name("boss"), 3, ""), "by boss, 3 addresses");
    }

    #[test]
    fn chinese_browsers_get_chinese() {
        for tag in ["zh", "zh-CN", "zh-Hans-CN", "zh_TW", "ZH"] {
            assert_eq!(Lang::from_tag(tag), Lang::Zh, "{tag}");
        }
        for tag in ["en-US", "fr", "", "z"] {
            assert_eq!(Lang::from_tag(tag), Lang::En, "{tag}");
        }
    }

    #[test]
    fn typing_sentences() {
        let name = |s: &str| Nickname::parse(s).expect("valid");
        assert_eq!(EN.typing(&[]), None);
        assert_eq!(EN.typing(&[name("bob")]).as_deref(), Some("bob is typing…"));
        assert_eq!(
            ZH.typing(&[name("小明"), name("bob")]).as_deref(),
            Some("小明 和 bob 正在输入…")
        );
        assert_eq!(
            EN.typing(&[name("a"), name("b"), name("c")]).as_deref(),
            Some("Several people are typing…")
        );
    }

    #[test]
    fn the_start_of_a_room_is_its_beginning_not_its_first_message() {
        // A user trial found the Chinese saying "this is the room's first message" above it.
        assert_eq!(EN.room_start, "This is the beginning of the room.");
        assert_eq!(ZH.room_start, "这里是房间的开头。");
        assert!(!ZH.room_start.contains("消息"), "it is not a message");
    }

    #[test]
    fn why_the_connection_was_lost_is_said_in_the_readers_language() {
        use crate::browser::connection::LostReason;
        assert_eq!((ZH.lost_reason)(&LostReason::Restarting), "服务器正在重启");
        let other = LostReason::Code { code: 1013, reason: "try again later".into() };
        assert_eq!((ZH.lost_reason)(&other), "连接已关闭（代码 1013）：try again later");
        assert_eq!((EN.lost_reason)(&LostReason::Unreachable), "The server cannot be reached");
    }

    #[test]
    fn refusals_fall_back_to_the_server_message_for_unknown_codes() {
        let refused =
            |code| Problem::Refused(ServerRefusal { code, message: "quota exceeded".into() });
        assert_eq!(ZH.problem(&refused(ErrorCode::Unknown)), "quota exceeded");
        assert_eq!(ZH.problem(&refused(ErrorCode::NicknameTaken)), "这个昵称已被使用");
        assert_eq!(EN.problem(&refused(ErrorCode::NicknameTaken)), "quota exceeded");
    }
}
