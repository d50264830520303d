//! The page's words in English and Simplified Chinese.
//!
//! Every sentence the interface shows is a field of [`Phrases`]: plain ones as strings, ones
//! with values in them as functions. One constant per language keeps each translation
//! complete by construction (a missing field does not compile). Components read the current
//! language's phrases with [`use_phrases`]; user text (nicknames, messages) is never
//! translated.

use common::{
    ErrorCode, MessageBodyError, Nickname, NicknameError, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS,
    PasswordError, RoomNameError,
};
use leptos::prelude::*;

use crate::lang::Lang;
use crate::model::problem::{Problem, ServerRefusal};
use crate::preferences::Preferences;

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
    pub audit_log: &'static str,
    pub audit_line: fn(&common::AuditEntry) -> String,
    pub create: &'static str,
    pub people_in_room: &'static str,
    pub online: fn(usize) -> String,
    pub you: &'static str,
    // The timeline
    pub messages: &'static str,
    pub loading_older: &'static str,
    pub load_older: &'static str,
    pub room_start: &'static str,
    pub new_messages: fn(usize) -> String,
    pub unread_marker: &'static str,
    pub today: &'static str,
    pub yesterday: &'static str,
    pub just_now: &'static str,
    pub minutes_ago: fn(i64) -> String,
    pub sending: &'static str,
    pub not_sent: fn(&str) -> String,
    pub retry: &'static str,
    pub discard: &'static str,
    pub joined: fn(&Nickname) -> String,
    pub left: fn(&Nickname) -> String,
    pub server_closing: fn(&str) -> String,
    pub announce_message: fn(&Nickname, &str) -> String,
    pub mentioned_you: fn(&Nickname, &str) -> String,
    // Writing
    pub message_label: &'static str,
    pub composer_hint: &'static str,
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
    pub unsent: fn(usize) -> String,
    // What went wrong
    pub nickname_error: fn(&NicknameError) -> String,
    pub password_error: fn(&PasswordError) -> String,
    pub body_error: fn(&MessageBodyError) -> String,
    pub room_name_error: fn(&RoomNameError) -> String,
    pub no_such_room: fn(&str) -> String,
    pub removed_from: fn(&str) -> String,
    pub banned: fn(&str) -> String,
    pub bad_room_link: &'static str,
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

    /// A problem in words.
    pub fn problem(&self, problem: &Problem) -> String {
        match problem {
            Problem::Nickname(error) => (self.nickname_error)(error),
            Problem::Password(error) => (self.password_error)(error),
            Problem::Body(error) => (self.body_error)(error),
            Problem::RoomName(error) => (self.room_name_error)(error),
            Problem::NoSuchRoom(room) => (self.no_such_room)(room.as_str()),
            Problem::RemovedFrom(room) => (self.removed_from)(room.as_str()),
            Problem::Banned(reason) => (self.banned)(reason),
            Problem::BadRoomLink => self.bad_room_link.to_owned(),
            Problem::SignInFirst => self.sign_in_first.to_owned(),
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

pub static EN: Phrases = Phrases {
    app_name: "Chat",
    out_of_date: "This page is out of date.",
    reload: "Reload",
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
    ban_minutes: "For how many minutes (empty: until lifted)",
    audit_log: "Audit log",
    audit_line: |entry| {
        let room = entry.room.as_ref().map(|room| format!(" in #{room}")).unwrap_or_default();
        let reason =
            if entry.reason.is_empty() { String::new() } else { format!(": {}", entry.reason) };
        format!("{} {} {}{room}{reason}", entry.actor, entry.action, entry.target)
    },
    create: "Create",
    people_in_room: "People in the room",
    online: |n| format!("Online — {n}"),
    you: "(you)",
    messages: "Messages",
    loading_older: "Loading older messages…",
    load_older: "Load older messages",
    room_start: "This is the beginning of the room.",
    new_messages: |n| if n == 1 { "1 new message".into() } else { format!("{n} new messages") },
    unread_marker: "New",
    today: "Today",
    yesterday: "Yesterday",
    just_now: "now",
    minutes_ago: |n| format!("{n} min"),
    sending: "Sending…",
    not_sent: |reason| format!("Not sent: {reason}"),
    retry: "Retry",
    discard: "Discard",
    joined: |who| format!("{who} joined"),
    left: |who| format!("{who} left"),
    server_closing: |reason| format!("The server is closing: {reason}"),
    announce_message: |who, text| format!("{who}: {text}"),
    mentioned_you: |who, room| format!("{who} mentioned you in #{room}"),
    message_label: "Message",
    composer_hint: "Write a message (Enter sends, Shift+Enter adds a line)",
    send: "Send",
    typing_one: |who| format!("{who} is typing…"),
    typing_two: |one, two| format!("{one} and {two} are typing…"),
    typing_many: "Several people are typing…",
    not_connected: "Not connected",
    connecting: "Connecting…",
    connected: "Connected",
    offline: "Offline",
    reconnecting_in: |s| format!("Reconnecting in {s} s"),
    unsent: |n| if n == 1 { "1 unsent message".into() } else { format!("{n} unsent messages") },
    nickname_error: |error| error.to_string(),
    password_error: |error| error.to_string(),
    body_error: |error| error.to_string(),
    room_name_error: |error| error.to_string(),
    no_such_room: |room| format!("There is no room named {room}."),
    removed_from: |room| format!("You are no longer a member of {room}."),
    banned: |reason| format!("This account was banned. The server said: {reason}"),
    bad_room_link: "That link does not name a valid room.",
    sign_in_first: "Sign in first.",
    refused: |_| None, // The server's own English message says it best.
};

pub static ZH: Phrases = Phrases {
    app_name: "聊天",
    out_of_date: "此页面已过期。",
    reload: "重新加载",
    pick_nickname: "选择一个昵称",
    enter: "进入聊天室",
    how_to_enter: "进入方式",
    as_guest: "以访客身份",
    sign_in: "登录",
    register: "注册",
    username: "用户名",
    password: "密码",
    password_hint: "至少 8 个字符；连起来的几个词就是好密码。",
    open_menu: "房间和成员",
    close_menu: "关闭",
    leave: "离开",
    retry_now: "立即重试",
    sign_out: "退出",
    settings: "设置",
    theme: "主题",
    theme_system: "跟随系统",
    theme_light: "浅色",
    theme_dark: "深色",
    language: "语言",
    notify_mentions: "有人提到我时通知我",
    notifications_on: "有人提到你时会通知你",
    notifications_blocked: "此浏览器已阻止通知",
    rooms: "房间",
    unread: |n| format!("{n} 条未读消息"),
    new_room_name: "新房间名称",
    private_choice: "私密（仅受邀者）",
    private_room: "私密房间",
    invite: "邀请",
    invite_username: "要邀请到这个房间的用户名",
    direct_messages: "私信",
    message_to: |who| format!("给 {who} 发私信"),
    moderation: "管理",
    ban: "封禁",
    ban_reason: "原因",
    ban_minutes: "封禁多少分钟（留空：直到解除）",
    audit_log: "审计日志",
    audit_line: |entry| {
        let action = match entry.action.as_str() {
            "ban" => "封禁了",
            "unban" => "解封了",
            "invite" => "邀请了",
            "remove_member" => "移出了",
            other => other,
        };
        let room = entry.room.as_ref().map(|room| format!("（#{room}）")).unwrap_or_default();
        let reason =
            if entry.reason.is_empty() { String::new() } else { format!("：{}", entry.reason) };
        format!("{} {action} {}{room}{reason}", entry.actor, entry.target)
    },
    create: "创建",
    people_in_room: "房间里的人",
    online: |n| format!("在线 — {n}"),
    you: "（你）",
    messages: "消息",
    loading_older: "正在加载更早的消息…",
    load_older: "加载更早的消息",
    room_start: "这是房间的第一条消息。",
    new_messages: |n| format!("{n} 条新消息"),
    unread_marker: "新消息",
    today: "今天",
    yesterday: "昨天",
    just_now: "刚刚",
    minutes_ago: |n| format!("{n} 分钟前"),
    sending: "正在发送…",
    not_sent: |reason| format!("未发送：{reason}"),
    retry: "重试",
    discard: "放弃",
    joined: |who| format!("{who} 加入了"),
    left: |who| format!("{who} 离开了"),
    server_closing: |reason| format!("服务器正在关闭：{reason}"),
    announce_message: |who, text| format!("{who}：{text}"),
    mentioned_you: |who, room| format!("{who} 在 #{room} 提到了你"),
    message_label: "消息",
    composer_hint: "输入消息（Enter 发送，Shift+Enter 换行）",
    send: "发送",
    typing_one: |who| format!("{who} 正在输入…"),
    typing_two: |one, two| format!("{one} 和 {two} 正在输入…"),
    typing_many: "好几个人正在输入…",
    not_connected: "未连接",
    connecting: "正在连接…",
    connected: "已连接",
    offline: "离线",
    reconnecting_in: |s| format!("{s} 秒后重新连接"),
    unsent: |n| format!("{n} 条消息未发送"),
    nickname_error: |error| match error {
        NicknameError::Empty => "昵称不能为空".into(),
        NicknameError::TooLong => format!("昵称最多 {} 个字符", Nickname::MAX_CHARS),
        NicknameError::ForbiddenCharacter => "昵称不能包含控制字符或不可见字符".into(),
    },
    password_error: |error| match error {
        PasswordError::TooShort => format!("密码至少需要 {PASSWORD_MIN_CHARS} 个字符"),
        PasswordError::TooLong => format!("密码最多 {PASSWORD_MAX_CHARS} 个字符"),
        PasswordError::TooCommon => "这个密码太常见，很容易被猜到，请换一个".into(),
    },
    body_error: |error| match error {
        MessageBodyError::Empty => "消息不能为空".into(),
        MessageBodyError::TooLong => {
            format!("消息最多 {} 个字符", common::MessageBody::MAX_CHARS)
        }
        MessageBodyError::ForbiddenCharacter => "消息不能包含控制字符".into(),
    },
    room_name_error: |error| match error {
        RoomNameError::Empty => "房间名称不能为空".into(),
        RoomNameError::TooLong => format!("房间名称最多 {} 个字符", common::RoomName::MAX_CHARS),
        RoomNameError::InvalidCharacter => {
            "房间名称只能使用 a-z、0-9、“-” 和 “_”，并以字母或数字开头".into()
        }
    },
    no_such_room: |room| format!("没有名为 {room} 的房间。"),
    removed_from: |room| format!("你已不再是 {room} 的成员。"),
    banned: |reason| format!("这个账户已被封禁。服务器的说明：{reason}"),
    bad_room_link: "这个链接不是有效的房间名称。",
    sign_in_first: "请先登录。",
    refused: |code| {
        Some(match code {
            ErrorCode::InvalidNickname => "这个昵称无效",
            ErrorCode::NicknameTaken => "这个昵称已被使用",
            ErrorCode::InvalidRoomName => "房间名称无效",
            ErrorCode::UnknownRoom => "没有这个房间",
            ErrorCode::RoomExists => "已有同名的房间",
            ErrorCode::NotInRoom => "你不在这个房间里",
            ErrorCode::AlreadyInRoom => "你已经在这个房间里了",
            ErrorCode::InvalidBody => "消息无效",
            ErrorCode::ClientIdReused => "这条消息与之前的一条冲突",
            ErrorCode::RateLimited => "发送太快了，请稍候",
            ErrorCode::Unavailable => "服务器暂时不可用，请稍后再试",
            ErrorCode::UnsupportedProtocol => "此页面已过期，请重新加载",
            ErrorCode::InvalidCredentials => "用户名或密码不正确",
            ErrorCode::InvalidPassword => "这个密码不能用：太短、太长或太容易被猜到",
            ErrorCode::InvalidSession => "你的登录已失效，请重新登录",
            ErrorCode::NameRegistered => "这个名字属于一个已注册的账户，请登录后使用",
            ErrorCode::RegistrationClosed => "这个服务器不开放注册",
            ErrorCode::SignInRequired => "这个服务器只对注册用户开放，请登录或注册",
            ErrorCode::Forbidden => "你没有权限这样做",
            ErrorCode::UnknownAccount => "没有这个用户名的账户",
            ErrorCode::Banned => "这个账户已被封禁",
            _ => return None,
        })
    },
};

#[cfg(test)]
mod tests {
    use super::*;

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
    fn refusals_fall_back_to_the_server_message_for_unknown_codes() {
        let refused =
            |code| Problem::Refused(ServerRefusal { code, message: "quota exceeded".into() });
        assert_eq!(ZH.problem(&refused(ErrorCode::Unknown)), "quota exceeded");
        assert_eq!(ZH.problem(&refused(ErrorCode::NicknameTaken)), "这个昵称已被使用");
        assert_eq!(EN.problem(&refused(ErrorCode::NicknameTaken)), "quota exceeded");
    }
}
