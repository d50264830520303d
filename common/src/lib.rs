//! The chat protocol, shared by the server (`backend`) and the page (`frontend`).
//!
//! Everything that crosses the WebSocket is one of two tagged enums, serialized as one JSON
//! text frame per message:
//!
//! - [`ClientMessage`]: what a client may send (`hello` or `register` / `sign_in`, `sign_out`,
//!   `create_room`, `join`, `leave`, `send`, `history`, `typing`, `ping`);
//! - [`ServerMessage`]: what the server sends back (answers that echo the client's request
//!   id, room events pushed to every member, typed errors).
//!
//! User-supplied values are validated into newtypes ([`Nickname`], [`MessageBody`],
//! [`RoomName`]) whose limits live beside them. This crate does no IO, so it compiles for the
//! server and for wasm32 alike. `docs/PROTOCOL.md` is the human-readable contract; a change
//! here is a change there.

mod backoff;
mod client_message;
mod emoji;
mod entry;
mod error_code;
mod markup;
mod message_body;
mod nickname;
mod password;
pub mod permissions;
mod reaction;
mod reply;
mod role;
mod room_name;
mod search_words;
mod secret;
mod server_message;
mod text_rules;

pub use backoff::{Backoff, BackoffRule, Jitter};
pub use client_message::decode::{DecodeError, decode_client_message};
pub use client_message::{
    ClientId, ClientMessage, HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX, MEMBER_PAGE_DEFAULT,
    MEMBER_PAGE_MAX, RequestId,
};
pub use emoji::{Emoji, EmojiError};
pub use entry::{ChatMessage, Content, Edited, MixedKinds, Post};
pub use error_code::ErrorCode;
pub use markup::{Block, Inline, Markup, SafeUrl};
pub use message_body::{MessageBody, MessageBodyError};
pub use nickname::{Nickname, NicknameError};
pub use password::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, PasswordError, check_password_length};
pub use reaction::{REACTIONS_MAX, Reaction, Reactions, ReactsTo, TooManyReactions};
pub use reply::{REPLY_EXCERPT_CHARS, ReplyTo, excerpt};
pub use role::{Role, RoomRole};
pub use room_name::{RoomName, RoomNameError};
pub use search_words::{
    SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX, SEARCH_QUERY_MAX_CHARS, SEARCH_TERMS_MAX, SearchQuery,
    SearchQueryError, character_pairs, search_text, word_spans, words_of,
};
pub use secret::Secret;
pub use server_message::{
    Ack, AuditEntry, AuditLog, BanLifted, BanRecorded, Created, DateFound, DmOpened, ErrorReply,
    GuestBanInfo, History, InviteCreated, InviteInfo, InviteList, InviteRevoked, Invited, Joined,
    KickDone, Kicked, LISTED_MEMBERS_MAX, Left, MEMBER_COUNT_INTERVAL_MS, MemberCount, MemberList,
    MemberPage, MemberRemoved, MuteLifted, MuteRecorded, Muted, PasswordChanged, People,
    PersonInfo, Pong, RoleChanged, RoleSet, RoomAdded, RoomMember, RoomMemberList, RoomRemoved,
    RoomRoleSet, RoomSummary, SearchResults, ServerClosing, ServerMessage, SessionInfo, Sessions,
    SignedOut, SignedOutElsewhere, Typing, Unmuted, UserJoined, UserLeft, Welcome,
};

/// The protocol version this build speaks. A client states it in `hello`; a server that speaks
/// another version answers `unsupported_protocol`, which tells a page to reload itself.
pub const PROTOCOL_VERSION: u32 = 1;

/// The largest text frame the server reads, in bytes. Larger frames close the connection with
/// WebSocket close code 1009 (message too big). Chosen to hold a maximal message body
/// (4,000 characters of up to 4 UTF-8 bytes each... after JSON escaping most text stays well
/// below this) plus its envelope.
pub const MAX_FRAME_BYTES: usize = 16 * 1024;

/// A client sends `typing` at most this often (milliseconds) while its user types.
pub const TYPING_SEND_INTERVAL_MS: u64 = 3_000;
/// The server relays at most one `typing` per connection and room in this many milliseconds;
/// faster ones are dropped (an honest client never hits it).
pub const TYPING_MIN_INTERVAL_MS: u64 = 2_000;
/// A client shows "is typing" this long (milliseconds) after the last `typing` event.
pub const TYPING_TTL_MS: u64 = 6_000;

/// The room every server has from the start.
pub const LOBBY: &str = "lobby";
