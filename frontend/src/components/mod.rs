//! The page's components, one per file. [`App`] provides the [`crate::controller::ChatController`]
//! and the reader's [`crate::browser::preferences::Preferences`] through context; the smaller
//! components take signals and callbacks as props so browser tests can mount them on their
//! own (they speak English when no preferences are provided).

mod account_panel;
mod app;
mod avatar;
mod chat_view;
mod composer;
mod connection_indicator;
mod error_text;
mod invite_form;
mod invite_links;
mod jump_to_date;
mod login;
mod member_list;
mod message_list;
mod moderation_panel;
mod people_admin;
mod reactions;
mod rich_text;
mod room_list;
mod search_panel;
mod settings_panel;

pub use account_panel::AccountPanel;
pub use app::App;
pub use avatar::Avatar;
pub use chat_view::ChatView;
pub use composer::Composer;
pub use connection_indicator::{ConnectionIndicator, status_label, status_short_label};
pub use invite_form::InviteForm;
pub use invite_links::InviteLinks;
pub use jump_to_date::JumpToDate;
pub use login::Login;
pub use member_list::MemberList;
pub use message_list::MessageList;
pub use moderation_panel::ModerationPanel;
pub use people_admin::PeopleAdmin;
pub use reactions::ReactionBar;
pub use rich_text::RichText;
pub use room_list::{RoomList, RoomListItem};
pub use search_panel::SearchPanel;
pub use settings_panel::SettingsPanel;
