//! The page's actions: sign in, send, reconnect. Components call these; they update the
//! [`ChatState`] and [`ConnectionStatus`] signals that components render.
//!
//! The controller keeps the connection alive: it reconnects by itself after a loss (with
//! [`Backoff`], and at once when the browser says it is back online), signs in again with the
//! saved token, and notices a dead connection that never closed by the silence on it (see
//! [`PING_AFTER_MS`]). It also mirrors the outbox into IndexedDB.

mod chat_module;
mod identity;
mod link;
mod offline_copies;
mod requests;

use std::time::Duration;

use leptos::prelude::*;

use common::{ChatMessage, ClientId, ClientMessage};

pub use self::chat_module::ChatModule;
use self::chat_module::Inbox;
pub use self::requests::{Acted, Requests};
use crate::browser::connection::{ConnectionStatus, Link};
use crate::browser::local_store;
use crate::browser::outbox_store::OutboxMirror;
use crate::browser::room_cache::RoomCache;
use crate::browser::route;
use crate::client_id::new_client_id;
use crate::model::backoff::page_backoff;
use crate::model::chat_state::{ChatState, Phase};
use common::Backoff;

/// After this long without a frame from the server, the page sends `ping` (ms).
pub const PING_AFTER_MS: f64 = 10_000.0;
/// After this long without a frame, the connection counts as dead and is replaced (ms): the
/// server pings every 15 s and answers `ping` at once, so a live connection is never this
/// quiet. With the check every [`HEARTBEAT_CHECK`], a dead connection is noticed within 30 s.
pub const DEAD_AFTER_MS: f64 = 25_000.0;
/// How often the page checks the silence on the connection.
const HEARTBEAT_CHECK: Duration = Duration::from_secs(5);

/// The page URL's fragment (`#/r/lobby`), if there is a window to ask.
fn current_hash() -> Option<String> {
    web_sys::window().and_then(|window| window.location().hash().ok())
}

/// A copyable handle to the chat, provided once through context by [`crate::components::App`].
#[derive(Debug, Clone, Copy)]
pub struct ChatController {
    pub state: RwSignal<ChatState>,
    pub status: RwSignal<ConnectionStatus>,
    /// The latest message pushed by the server as it was written (not history), for what
    /// reacts to arrivals: notifications, the title's unread count.
    pub last_arrival: RwSignal<Option<ChatMessage>>,
    /// Where the chat screen's module is, which brings the frame reader (`chat_module.rs`).
    pub chat_module: RwSignal<ChatModule>,
    /// Frames from the server waiting for the reader, and the reader.
    inbox: StoredValue<Inbox, LocalStorage>,
    /// The app's reactive owner, for what starts when the chat module comes (its effects
    /// and the contexts they read).
    owner: StoredValue<Owner, LocalStorage>,
    link: StoredValue<Option<Link>>,
    /// Counts connections, so events from a connection that was replaced are ignored.
    generation: StoredValue<u64>,
    backoff: StoredValue<Backoff>,
    /// When the server was last heard from (ms since the epoch).
    last_heard_ms: StoredValue<f64>,
    /// A `ping` went out and nothing was heard since.
    ping_sent: StoredValue<bool>,
    outbox_mirror: StoredValue<OutboxMirror, LocalStorage>,
    /// The rooms' offline copy in IndexedDB.
    room_cache: StoredValue<RoomCache, LocalStorage>,
    /// A save of the offline copy is scheduled.
    copy_due: StoredValue<bool>,
    /// When `typing` was last sent (ms since the epoch); reset by sending a message.
    typing_sent_at: StoredValue<f64>,
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
        state.invite =
            current_hash().as_deref().and_then(route::invite_from_hash).map(common::Secret::new);
        state.identity = local_store::load();
        state.remember_rooms(local_store::load_rooms());
        // Someone who signed in before stays signed in: the chat shows at once, and the saved
        // token gets the nickname back.
        if let Some(identity) = &state.identity {
            state.me = Some(identity.nickname.clone());
            state.phase = Phase::Identifying;
        }
        Self {
            state: RwSignal::new(state),
            status: RwSignal::new(ConnectionStatus::Idle),
            last_arrival: RwSignal::new(None),
            chat_module: RwSignal::new(ChatModule::NotFetched),
            inbox: StoredValue::new_local(Inbox::default()),
            // A new root owner only for a controller made outside any (none is).
            owner: StoredValue::new_local(Owner::current().unwrap_or_default()),
            link: StoredValue::new(None),
            generation: StoredValue::new(0),
            backoff: StoredValue::new(page_backoff()),
            last_heard_ms: StoredValue::new(0.0),
            ping_sent: StoredValue::new(false),
            outbox_mirror: StoredValue::new_local(OutboxMirror::default()),
            room_cache: StoredValue::new_local(RoomCache::default()),
            copy_due: StoredValue::new(false),
            typing_sent_at: StoredValue::new(0.0),
        }
    }

    /// Starts what runs for the page's lifetime: connecting if someone is signed in (which
    /// fetches the chat module, `chat_module.rs`), the heartbeat, and reconnecting when the
    /// browser is back online. Called once, by [`crate::components::App`].
    pub fn start(&self) {
        register_service_worker();
        self.mirror_outside();
        let this = *self;
        if self.state.with_untracked(|state| state.me.is_some()) {
            self.reconnect();
        }
        set_interval(move || this.check_heartbeat(), HEARTBEAT_CHECK);
        let _ = window_event_listener(leptos::ev::online, move |_| this.retry_now());
        // A tab in the background may have waited out a whole outage: coming back to it is
        // the moment to try.
        // (The event is fired at the document and bubbles to the window.)
        let _ = window_event_listener_untyped("visibilitychange", move |_| {
            if !document().hidden() {
                this.retry_now();
            }
        });
    }

    /// What lives outside the state follows it, whatever changed it: the URL names the room
    /// on screen, local storage keeps the rooms followed with what was read (IndexedDB's
    /// copies follow once the chat module is here, `offline_copies.rs`). Each is an effect of
    /// the state, so no action can forget one.
    fn mirror_outside(&self) {
        let state = self.state;
        let hash = Memo::new(move |_| state.with(|state| route::hash_for(&state.current)));
        Effect::new(move |_| show_in_url(&hash.read()));
        let followed = Memo::new(move |_| state.with(ChatState::followed_rooms));
        Effect::new(move |_| {
            let followed = followed.read();
            if !followed.is_empty() {
                local_store::save_rooms(&followed);
            }
        });
    }

    /// Sends `text` as a chat message: it shows at once as pending and goes out as soon as
    /// the connection allows (it waits in the outbox, across reloads, while offline). Returns
    /// whether it was taken (so the composer knows whether to clear itself).
    pub fn send_message(&self, text: &str) -> bool {
        let now = js_sys::Date::now() as i64;
        let composed = self.state.try_update(|state| state.compose(text, new_client_id(), now));
        match composed {
            Some(Ok(())) => {
                // The message ends this typing spell; the next keystroke starts a new one.
                self.typing_sent_at.set_value(0.0);
                self.pump();
                true
            }
            // The state shows why.
            Some(Err(_)) | None => false,
        }
    }

    /// Sends a message that failed again.
    pub fn retry_message(&self, client_id: &ClientId) {
        self.state.update(|state| state.retry(client_id));
        self.pump();
    }

    /// Gives up on a message that failed.
    pub fn discard_message(&self, client_id: &ClientId) {
        self.state.update(|state| state.discard(client_id));
    }

    /// Puts the room named in the URL on screen (called when the URL's fragment changes, by a
    /// link or the back button).
    pub fn show_room_from_url(&self) {
        let Some(hash) = current_hash() else { return };
        if let Some(code) = route::invite_from_hash(&hash) {
            self.state.update(|state| state.invite = Some(common::Secret::new(code)));
            return;
        }
        match route::room_from_hash(&hash) {
            Some(room) => {
                self.act(|state| state.show(room));
            }
            None if hash.is_empty() || hash == "#" => {}
            None => self.state.update(ChatState::bad_room_link),
        }
    }

    /// Asks the server to create a room named `raw`. Returns whether the request went out
    /// (an invalid name is explained in the state's error instead).
    pub fn create_room(&self, raw: &str, private: bool) -> bool {
        // Taken once valid, even offline: the joins wait for the next connection's welcome.
        self.act(|state| state.create_room(raw, private)).made
    }

    /// Invites the account named `raw` to the (private) room on screen. Returns whether the
    /// request went out.
    pub fn invite(&self, raw: &str) -> bool {
        self.act(|state| state.invite(raw)).went_out()
    }

    /// Bans the account named `raw` (a moderator's or admin's request; the server checks).
    /// Returns whether the request went out.
    pub fn ban(&self, raw: &str, reason: &str, minutes: Option<u32>, guest: bool) -> bool {
        self.act(|state| state.ban(raw, reason, minutes, guest)).went_out()
    }

    /// Opens (creating if need be) the direct messages with `other`; the room comes on screen
    /// when the server answers.
    pub fn open_dm(&self, other: &common::Nickname) {
        self.act(|state| state.open_dm(other));
    }

    /// Replaces the text of the user's message `seq` in the room on screen with `text`: through
    /// the outbox, so it goes once, in order, also after being written offline.
    pub fn edit_message(&self, seq: u64, text: &str) {
        let now = js_sys::Date::now() as i64;
        let queued =
            self.state.try_update(|state| state.compose_edit(seq, text, new_client_id(), now));
        if let Some(Ok(())) = queued {
            self.pump();
        }
    }

    /// Deletes the message `seq` of the room on screen (the user's own, or as its moderator).
    pub fn delete_message(&self, seq: u64) {
        let client_id = new_client_id();
        self.act(|state| state.delete_request(seq, client_id));
    }

    /// Toggles the user's `emoji` on the message `seq` of the room on screen (adds it, or
    /// takes it back if they had put it there). Returns whether the request went out (not for
    /// text that is not one emoji, or while offline).
    pub fn react(&self, seq: u64, emoji: &str) -> bool {
        let client_id = new_client_id();
        self.act(|state| state.react_request(seq, emoji, client_id)).went_out()
    }

    /// Kicks, mutes or appoints `who` in the room on screen (the server checks who may).
    pub fn moderate(&self, who: &common::Nickname, action: crate::model::chat_state::RoomAction) {
        self.act(|state| state.room_action(who, action));
    }

    /// Changes the state with `change` and sends the requests it makes (none, one or several):
    /// the one path of every user action that asks the server something. What the state
    /// refused (an invalid name, say) it shows itself, and nothing is sent.
    pub fn act<R: Requests>(&self, change: impl FnOnce(&mut ChatState) -> R) -> Acted {
        let requests = self.state.try_update(change).map_or_else(Vec::new, Requests::into_requests);
        let made = !requests.is_empty();
        let sent = requests.iter().filter(|request| self.send(request)).count();
        Acted { made, all_sent: sent == requests.len() }
    }

    /// Asks for the latest page of the audit log (for admins).
    pub fn load_audit_log(&self) {
        self.act(ChatState::audit_log_request);
    }

    /// Leaves the room on screen (not the lobby).
    pub fn leave_room(&self) {
        self.act(ChatState::leave_current);
    }

    /// Searches for `text` (in the room on screen only, if `this_room_only`).
    pub fn search(&self, text: &str, scope: &crate::model::search::SearchScope) {
        self.act(|state| state.search_request(text, scope));
    }

    /// Asks for the search's next page of results.
    pub fn more_results(&self) {
        self.act(ChatState::more_results);
    }

    /// Opens the message `seq` of `room` (a search result), loading history back to it.
    pub fn open_result(&self, room: common::RoomName, seq: u64) {
        self.act(|state| state.open_result(room, seq));
    }

    /// Starts answering the message `seq` of the room on screen, and puts the focus in the
    /// composer to write the reply.
    pub fn reply_to(&self, seq: u64) {
        self.state.update(|state| state.start_reply(seq));
        let composer = document().query_selector(".composer textarea").ok().flatten();
        if let Some(composer) =
            composer.and_then(|c| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(c).ok())
        {
            let _ = composer.focus(); // A failed focus changes nothing.
        }
    }

    /// No longer answers a message.
    pub fn cancel_reply(&self) {
        self.state.update(ChatState::cancel_reply);
    }

    /// Opens the room on screen at the first message sent at or after `at` (ms since the
    /// epoch), once the server says which one it is.
    pub fn jump_to_date(&self, at: i64) {
        self.act(|state| state.find_date_request(at));
    }

    /// Brings the message `seq` of the room on screen into view (a quote pressed).
    pub fn open_quote(&self, seq: u64) {
        self.act(|state| state.open_quote(seq));
    }

    /// Asks for the page of messages before the oldest one shown (if there is one and no
    /// request is on its way).
    pub fn load_older(&self) {
        self.act(ChatState::older_history);
    }

    /// Reads the next page of the people of the room on screen (a counted room).
    pub fn more_members(&self) {
        self.act(ChatState::more_members);
    }

    /// Asks for the next page of the messages not loaded after the message `after` (the
    /// reader reached them; `from_below`: scrolling up to them).
    pub fn fill_hole(&self, after: u64, from_below: bool) {
        self.act(|state| state.fill_hole(after, from_below));
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

    /// Tries to connect now instead of at the scheduled time (a button, the browser coming
    /// back online, the tab coming back to the front).
    pub fn retry_now(&self) {
        if matches!(self.status.get_untracked(), ConnectionStatus::Reconnecting { .. }) {
            self.reconnect();
        }
    }

    fn is_connected_or_connecting(&self) -> bool {
        matches!(
            self.status.get_untracked(),
            ConnectionStatus::Connected | ConnectionStatus::Connecting
        )
    }

    fn send(&self, message: &ClientMessage) -> bool {
        self.link.with_value(|link| link.as_ref().is_some_and(|link| link.send(message)))
    }

    /// Sends what the outbox has ready.
    fn pump(&self) {
        let sends = self.state.try_update(ChatState::next_sends).unwrap_or_default();
        self.send_all(sends);
    }

    fn send_all(&self, messages: Vec<ClientMessage>) {
        for message in &messages {
            self.send(message);
        }
    }
}

/// Makes the URL's fragment `hash` (naming the room on screen), adding a history entry so
/// Back returns.
fn show_in_url(hash: &str) {
    if current_hash().as_deref() != Some(hash)
        && let Some(window) = web_sys::window()
    {
        // A page that cannot set its own URL still works; only the link is stale.
        let _ = window.location().set_hash(hash);
    }
}

/// Registers `sw.js`, which keeps a copy of the page so it opens (with its saved outbox) while
/// the server is down. Without service workers (an old browser, a non-secure origin) the page
/// works the same, online.
fn register_service_worker() {
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    let supported = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    if supported {
        // The registration finishes (or fails, say in a private window) in the background.
        let _ = navigator.service_worker().register("/sw.js");
    }
}
