//! The page's actions: sign in, send, reconnect. Components call these; they update the
//! [`ChatState`] and [`ConnectionStatus`] signals that components render.

use leptos::prelude::*;

use common::ServerMessage;

use crate::chat_state::{ChatState, Identity};
use crate::client_id::new_client_id;
use crate::connection::{self, ConnectionStatus, Link, LinkEvent};
use crate::local_store;
use crate::route;

/// The page URL's fragment (`#/r/lobby`), if there is a window to ask.
fn current_hash() -> Option<String> {
    web_sys::window().and_then(|window| window.location().hash().ok())
}

/// A copyable handle to the chat, provided once through context by [`crate::components::App`].
#[derive(Debug, Clone, Copy)]
pub struct ChatController {
    pub state: RwSignal<ChatState>,
    pub status: RwSignal<ConnectionStatus>,
    link: StoredValue<Option<Link>>,
    /// Counts connections, so events from a connection that was replaced are ignored.
    generation: StoredValue<u64>,
    /// When `typing` was last sent (ms since the epoch); reset by sending a message.
    typing_sent_at: StoredValue<f64>,
    /// The rooms last written to local storage, to write only changes.
    saved_rooms: StoredValue<Vec<(common::RoomName, u64)>>,
}

impl Default for ChatController {
    fn default() -> Self {
        Self::new()
    }
}

impl ChatController {
    pub fn new() -> Self {
        let room = current_hash().as_deref().and_then(route::room_from_hash);
        let mut state = room.map(ChatState::showing).unwrap_or_default();
        state.identity = local_store::load();
        state.remember_rooms(local_store::load_rooms());
        Self {
            state: RwSignal::new(state),
            status: RwSignal::new(ConnectionStatus::Idle),
            link: StoredValue::new(None),
            generation: StoredValue::new(0),
            typing_sent_at: StoredValue::new(0.0),
            saved_rooms: StoredValue::new(Vec::new()),
        }
    }

    /// Signs in as `nickname` (opening the connection if needed). An invalid name is reported
    /// in the state's error without contacting the server.
    pub fn sign_in(&self, nickname: &str) {
        let hello = match self.state.try_update(|state| state.hello(nickname)) {
            Some(Ok(hello)) => hello,
            Some(Err(reason)) => return self.state.update(|state| state.error = Some(reason)),
            None => return,
        };
        if !self.is_connected_or_connecting() {
            self.connect();
        }
        self.send(&hello);
    }

    /// Sends `text` as a chat message. Returns whether it was accepted for sending (so the
    /// composer knows whether to clear itself).
    pub fn send_message(&self, text: &str) -> bool {
        if self.status.get_untracked() != ConnectionStatus::Connected {
            self.state.update(|state| {
                state.error = Some("not connected; the message was kept in the box".into())
            });
            return false;
        }
        let composed = self.state.try_update(|state| state.compose(text, new_client_id()));
        match composed {
            Some(Ok(message)) => {
                self.state.update(|state| state.error = None);
                // The message ends this typing spell; the next keystroke starts a new one.
                self.typing_sent_at.set_value(0.0);
                self.send(&message)
            }
            Some(Err(reason)) => {
                self.state.update(|state| state.error = Some(reason));
                false
            }
            None => false,
        }
    }

    /// Puts the room named in the URL on screen (called when the URL's fragment changes, by a
    /// link or the back button).
    pub fn show_room_from_url(&self) {
        let Some(hash) = current_hash() else { return };
        match route::room_from_hash(&hash) {
            Some(room) => {
                let requests = self.state.try_update(|state| state.show(room)).unwrap_or_default();
                self.send_all(requests);
                self.after_change();
            }
            None if hash.is_empty() || hash == "#" => {}
            None => self.state.update(|state| {
                state.error = Some("That link does not name a valid room.".into());
            }),
        }
    }

    /// Asks the server to create a room named `raw`. Returns whether the request went out
    /// (an invalid name is explained in the state's error instead).
    pub fn create_room(&self, raw: &str) -> bool {
        match self.state.try_update(|state| state.create_room(raw)) {
            Some(Ok(request)) => self.send(&request),
            Some(Err(reason)) => {
                self.state.update(|state| state.error = Some(reason));
                false
            }
            None => false,
        }
    }

    /// Leaves the room on screen (not the lobby).
    pub fn leave_room(&self) {
        if let Some(Some(request)) = self.state.try_update(ChatState::leave_current) {
            self.send(&request);
        }
    }

    /// Asks for the page of messages before the oldest one shown (if there is one and no
    /// request is on its way).
    pub fn load_older(&self) {
        if let Some(Some(request)) = self.state.try_update(ChatState::older_history) {
            self.send(&request);
        }
    }

    /// The user typed in the composer: tell the room, at most every
    /// [`common::TYPING_SEND_INTERVAL_MS`].
    pub fn typing(&self) {
        let now = js_sys::Date::now();
        if now - self.typing_sent_at.get_value() < common::TYPING_SEND_INTERVAL_MS as f64 {
            return;
        }
        if let Some(request) = self.state.with_untracked(ChatState::typing) {
            self.typing_sent_at.set_value(now);
            self.send(&request);
        }
    }

    /// Opens a fresh connection and signs in again with the nickname held before.
    pub fn reconnect(&self) {
        self.connect();
        if let Some(Some(hello)) = self.state.try_update(ChatState::hello_again) {
            self.send(&hello);
        }
    }

    fn is_connected_or_connecting(&self) -> bool {
        matches!(
            self.status.get_untracked(),
            ConnectionStatus::Connected | ConnectionStatus::Connecting
        )
    }

    fn send(&self, message: &common::ClientMessage) -> bool {
        self.link.with_value(|link| link.as_ref().is_some_and(|link| link.send(message)))
    }

    fn send_all(&self, messages: Vec<common::ClientMessage>) {
        for message in &messages {
            self.send(message);
        }
    }

    /// Brings what lives outside the state up to date with it: the URL and local storage.
    fn after_change(&self) {
        self.sync_url();
        self.save_rooms();
    }

    /// Saves the rooms the user is in, with what they have read, when that changed.
    fn save_rooms(&self) {
        let followed = self.state.with_untracked(ChatState::followed_rooms);
        if !followed.is_empty() && self.saved_rooms.with_value(|saved| *saved != followed) {
            local_store::save_rooms(&followed);
            self.saved_rooms.set_value(followed);
        }
    }

    /// Makes the URL name the room on screen, adding a history entry so Back returns.
    fn sync_url(&self) {
        let wanted = self.state.with_untracked(|state| route::hash_for(&state.current));
        if current_hash().as_deref() != Some(wanted.as_str())
            && let Some(window) = web_sys::window()
        {
            // A page that cannot set its own URL still works; only the link is stale.
            let _ = window.location().set_hash(&wanted);
        }
    }

    fn connect(&self) {
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        self.status.set(ConnectionStatus::Connecting);
        let this = *self;
        let opened = connection::open(&connection::default_url(), move |event| {
            if this.generation.get_value() == generation {
                this.on_event(event);
            }
        });
        match opened {
            Ok(link) => self.link.set_value(Some(link)),
            Err(reason) => {
                self.link.set_value(None);
                self.status.set(ConnectionStatus::Disconnected { reason });
            }
        }
    }

    fn on_event(&self, event: LinkEvent) {
        match event {
            LinkEvent::Opened => self.status.set(ConnectionStatus::Connected),
            LinkEvent::Message(message) => {
                if let ServerMessage::Welcome { nickname, token, .. } = &message {
                    local_store::save(&Identity {
                        nickname: nickname.clone(),
                        token: token.clone(),
                    });
                }
                let now = js_sys::Date::now() as i64;
                let replies =
                    self.state.try_update(|state| state.apply(message, now)).unwrap_or_default();
                self.send_all(replies);
                self.after_change();
            }
            LinkEvent::Closed { reason } => {
                self.link.set_value(None);
                self.state.update(ChatState::disconnected);
                self.status.set(ConnectionStatus::Disconnected { reason });
            }
        }
    }
}
