//! The page's words in Simplified Chinese.

use common::{
    ErrorCode, MessageBodyError, Nickname, NicknameError, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS,
    PasswordError, RoomNameError,
};

use super::Phrases;
use crate::browser::connection::LostReason;

pub static ZH: Phrases = Phrases {
    app_name: "聊天",
    out_of_date: "此页面已过期。",
    reload: "重新加载",
    chat_screen_failed: "无法加载聊天界面。",
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
    ban_guest: "访客（封禁该昵称及其连接地址）",
    ban_minutes: "封禁多少分钟（留空：直到解除）",
    people: "用户",
    show_people: "查看用户",
    role_of: |who| format!("{who} 的服务器角色"),
    role_name: |role| match role {
        common::Role::Guest => "访客",
        common::Role::Member => "成员",
        common::Role::Moderator => "版主",
        common::Role::Admin => "管理员",
    },
    last_seen: |at| format!("最近活动：{at}"),
    never_seen: "未登录",
    banned_line: |until, reason| {
        let until = until.map(|until| format!("至 {until}")).unwrap_or_default();
        let reason = if reason.is_empty() { String::new() } else { format!("：{reason}") };
        format!("已封禁{until}{reason}")
    },
    lift_ban: "解除封禁",
    guest_bans: "被封禁的访客",
    guest_ban_line: |by, addresses, reason| {
        let reason = if reason.is_empty() { String::new() } else { format!("：{reason}") };
        format!("由 {by} 封禁，{addresses} 个地址{reason}")
    },
    invite_links: "邀请链接",
    invite_uses: "可供多少人使用（0：不限）",
    invite_days: "有效天数",
    make_invite: "生成邀请链接",
    invite_link_once: "新链接（只显示这一次，请复制）",
    show_invites: "查看邀请链接",
    invite_line: |by, uses, max_uses, expires| {
        let of = max_uses.map(|max| format!(" / {max}")).unwrap_or_default();
        format!("{by} 创建：已使用 {uses}{of} 次，有效期至 {expires}")
    },
    revoke: "撤销",
    revoked: "已撤销",
    invited_hint: "你收到了邀请：请选择用户名和密码。",
    audit_log: "审计日志",
    audit_line: |entry| {
        let action = match entry.action.as_str() {
            "ban" => "封禁了",
            "unban" => "解封了",
            "ban_guest" => "封禁了访客名",
            "unban_guest" => "解封了访客名",
            "set_role" => "调整了服务器角色：",
            "invite" => "邀请了",
            "remove_member" => "从成员中移除了",
            "set_room_role" => "调整了房间角色：",
            "kick" => "请出了房间（可再进入）：",
            "mute" => "禁言了",
            "unmute" => "解除了禁言：",
            "delete" => "删除了一条消息，作者：",
            other => other,
        };
        let room = entry.room.as_ref().map(|room| format!("（#{room}）")).unwrap_or_default();
        let reason =
            if entry.reason.is_empty() { String::new() } else { format!("：{}", entry.reason) };
        format!("{} {action} {}{room}{reason}", entry.actor, entry.target)
    },
    moderate_person: |who| format!("管理 {who}"),
    mute_for_10_minutes: "禁言 10 分钟",
    mute_for_a_day: "禁言一天",
    unmute: "解除禁言",
    kick: "移出房间",
    make_moderator: "设为管理员",
    make_member: "取消管理员",
    muted_note: |until| match until {
        Some(until) => format!("管理员已将你在这个房间禁言至 {until}：你可以阅读，但不能发言。"),
        None => "管理员已将你在这个房间禁言：你可以阅读，但不能发言。".into(),
    },
    create: "创建",
    people_in_room: "房间里的人",
    online: |n| format!("在线 — {n}"),
    you: "（你）",
    guest_tag: "访客",
    messages: "消息",
    loading_older: "正在加载更早的消息…",
    load_older: "加载更早的消息",
    loading_newer: "正在加载之后的消息…",
    load_newer: "加载之后的消息",
    more_people: "显示更多成员",
    room_start: "这里是房间的开头。",
    older_removed: "更早的消息已不再保留。",
    new_messages: |n| format!("{n} 条新消息"),
    search: "搜索",
    search_messages: "搜索消息",
    search_this_room: "仅限本房间",
    search_author: "发送者（昵称）",
    search_since: "起始日期",
    searching: "正在搜索…",
    search_no_results: "没有找到消息。",
    search_more: "更多结果",
    close_search: "关闭搜索",
    search_results: "搜索结果",
    unread_marker: "新消息",
    today: "今天",
    yesterday: "昨天",
    just_now: "刚刚",
    minutes_ago: |n| format!("{n} 分钟前"),
    message_deleted: "消息已删除",
    delete_message: "删除消息",
    delete_message_confirm: "要为所有人删除这条消息吗？",
    edited: "已编辑",
    edit_message: "编辑消息",
    reply: "回复",
    replying_to: |author| format!("回复 {author}"),
    cancel_reply: "取消回复",
    show_original: "查看所回复的消息",
    add_reaction: "添加回应",
    other_emoji: "其他表情",
    not_one_emoji: "请输入一个表情符号",
    reaction_by: |emoji, count, names| format!("{emoji}，{count} 人：{names}"),
    mention_someone: "可提及的人",
    save: "保存",
    cancel: "取消",
    sending: "正在发送…",
    not_sent: |reason| format!("未发送：{reason}"),
    retry: "重试",
    discard: "放弃",
    joined: |who| format!("{who} 加入了"),
    left: |who| format!("{who} 离开了"),
    server_closing: |reason| format!("服务器正在关闭：{reason}"),
    kicked_me: |by, reason| {
        let reason = if reason.is_empty() { String::new() } else { format!("：{reason}") };
        format!("{by} 将你移出了这个房间{reason}")
    },
    muted_me: |until, reason| {
        let until = until.map(|until| format!("至 {until}")).unwrap_or_default();
        let reason = if reason.is_empty() { String::new() } else { format!("：{reason}") };
        format!("管理员已将你在这里禁言{until}{reason}")
    },
    unmuted_me: "你在这里的禁言已解除，可以发言了",
    announce_message: |who, text| format!("{who}：{text}"),
    mentioned_you: |who, room| format!("{who} 在 #{room} 提到了你"),
    message_label: "消息",
    composer_hint: "输入消息（Enter 发送，Shift+Enter 换行）",
    characters_left: |length, max| match max.checked_sub(length) {
        Some(left) => format!("还可输入 {left} 个字符"),
        None => format!("超出 {} 个字符，删减后才能发送", length - max),
    },
    send: "发送",
    typing_one: |who| format!("{who} 正在输入…"),
    typing_two: |one, two| format!("{one} 和 {two} 正在输入…"),
    typing_many: "好几个人正在输入…",
    not_connected: "未连接",
    connecting: "正在连接…",
    connected: "已连接",
    offline: "离线",
    reconnecting_in: |s| format!("{s} 秒后重新连接"),
    reconnecting: "正在重新连接",
    offline_copy: "离线：以下是保存在本设备上的消息。",
    unsent: |n| format!("{n} 条消息未发送"),
    unsent_short: |n| format!("{n} 条未发送"),
    lost_reason: |reason| match reason {
        LostReason::Unreachable => "无法连接服务器".into(),
        LostReason::Closed => "服务器关闭了连接".into(),
        LostReason::Restarting => "服务器正在重启".into(),
        LostReason::Silent => "服务器没有响应".into(),
        // The server's own words are English; the code says which case it is.
        LostReason::Code { code, reason } if reason.is_empty() => {
            format!("连接已关闭（代码 {code}）")
        }
        LostReason::Code { code, reason } => format!("连接已关闭（代码 {code}）：{reason}"),
    },
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
    kicked_from: |room, by, reason| {
        let reason = if reason.is_empty() { String::new() } else { format!("（{reason}）") };
        format!("{by} 将你移出了 {room}{reason}。再次选择这个房间即可回来。")
    },
    signed_out_elsewhere: "你已在另一个浏览器中被登出，请重新登录。",
    your_sessions: "你的登录",
    this_browser: "本浏览器",
    session_line: |created, last_seen| format!("{created} 起，最近一次 {last_seen}"),
    sign_out_other_sessions: "登出其他所有地方",
    current_password: "当前密码",
    new_password: "新密码",
    change_password: "修改密码",
    banned: |reason| format!("这个账户已被封禁。服务器的说明：{reason}"),
    nothing_since_date: "这个房间在那天及之后没有消息。",
    jump_to_date: "跳转到日期",
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
            ErrorCode::Muted => "你在这个房间被禁言了",
            ErrorCode::InvalidSearch => "请输入要搜索的字词（最多 200 个字符、8 个词）",
            ErrorCode::UnknownMessage => "这条消息已不存在（可能已被删除）",
            ErrorCode::InvalidEmoji => "回应只能是一个表情符号",
            ErrorCode::TooManyReactions => "一条消息最多有 20 种不同的回应",
            _ => return None,
        })
    },
};
