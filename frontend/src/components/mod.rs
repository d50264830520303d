//! The page's components, one per file. [`App`] provides the [`crate::controller::ChatController`]
//! through context; the smaller components take signals and callbacks as props so browser
//! tests can mount them on their own.

mod app;
mod chat_view;
mod composer;
mod connection_indicator;
mod login;
mod member_list;
mod message_list;
mod room_list;

pub use app::App;
pub use chat_view::ChatView;
pub use composer::Composer;
pub use connection_indicator::{ConnectionIndicator, status_label};
pub use login::Login;
pub use member_list::MemberList;
pub use message_list::MessageList;
pub use room_list::{RoomList, RoomListItem};
