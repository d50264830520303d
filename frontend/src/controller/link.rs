//! The controller's side of the connection: opening one, reading its events, noticing a loss
//! (or a silence) and reconnecting with backoff, and carrying out the effects of what arrived.

use std::time::Duration;

use leptos::prelude::*;

use common::{ClientMessage, ServerMessage};

use super::{ChatController, DEAD_AFTER_MS, PING_AFTER_MS};
use crate::browser::connection::{self, ConnectionStatus, LinkEvent, LostReason};
use crate::browser::local_store;
use crate::model::chat_state::ChatState;
use crate::model::effects::Effects;
use common::Backoff;

impl ChatController {
    pub(super) fn connect(&self) {
        // What the server sends is read by code in the chat module.
        self.fetch_chat_module();
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        if let Some(old) = self.link.get_value() {
            old.close();
        }
        self.status.set(ConnectionStatus::Connecting);
        self.last_heard_ms.set_value(js_sys::Date::now());
        self.ping_sent.set_value(false);
        let this = *self;
        let opened = connection::open(&connection::default_url(), move |event| {
            if this.generation.get_value() == generation {
                this.on_event(generation, event);
            }
        });
        match opened {
            Ok(link) => self.link.set_value(Some(link)),
            Err(reason) => {
                leptos::logging::warn!("{reason}");
                self.lost(LostReason::Unreachable);
            }
        }
    }

    fn on_event(&self, generation: u64, event: LinkEvent) {
        match event {
            LinkEvent::Opened => self.status.set(ConnectionStatus::Connected),
            LinkEvent::Frame(text) => {
                self.last_heard_ms.set_value(js_sys::Date::now());
                self.ping_sent.set_value(false);
                self.take_frame(generation, text);
            }
            LinkEvent::Closed { ended: Some(ending), .. } => self.ended(ending),
            LinkEvent::Closed { reason, ended: None } => self.lost(reason),
        }
    }

    /// Applies a message from the server (read by `chat_module.rs`) and does what it calls for.
    pub(super) fn receive(&self, message: ServerMessage) {
        let now = js_sys::Date::now() as i64;
        let effects = self.state.try_update(|state| state.apply(message, now)).unwrap_or_default();
        self.carry_out(effects);
    }

    /// The connection is gone (or given up on): forget it, keep everything unsent, and try
    /// again after the backoff, unless the page must be reloaded.
    fn lost(&self, reason: LostReason) {
        // Events still coming from the old connection are ignored from now on.
        self.generation.update_value(|generation| *generation += 1);
        if let Some(link) = self.link.get_value() {
            link.close();
        }
        self.link.set_value(None);
        self.state.update(|state| state.disconnected(js_sys::Date::now() as i64));
        if self.state.with_untracked(|state| state.must_reload) {
            self.status.set(ConnectionStatus::Idle);
            return;
        }
        let now = js_sys::Date::now();
        let delay = self
            .backoff
            .try_update_value(|backoff| backoff.next_delay_ms(js_sys::Math::random(), now));
        let delay = delay.unwrap_or(crate::model::backoff::FIRST_CEILING_MS);
        let retry_at_ms = (js_sys::Date::now() + delay) as i64;
        self.status.set(ConnectionStatus::Reconnecting { reason, retry_at_ms });
        let generation = self.generation.get_value();
        let this = *self;
        set_timeout(
            move || {
                // Not if something else (a button, the browser coming online) already did.
                if this.generation.get_value() == generation {
                    this.retry_now();
                }
            },
            Duration::from_millis(delay as u64),
        );
    }

    /// Does what the state said must happen after a server message.
    fn carry_out(&self, effects: Effects) {
        let Effects {
            frames,
            save_identity,
            forget_identity,
            signed_out,
            arrived,
            resend_after_ms,
        } = effects;
        if signed_out {
            return self.start_over();
        }
        if let Some(identity) = save_identity {
            self.backoff.update_value(Backoff::reset);
            local_store::save(&identity);
        }
        if forget_identity {
            local_store::forget_identity();
        }
        self.send_all(frames);
        self.pump();
        if let Some(wait) = resend_after_ms {
            // A send was refused for a passing reason: try the outbox again when it may succeed.
            let this = *self;
            set_timeout(move || this.pump(), Duration::from_millis(wait));
        }
        if arrived.is_some() {
            self.last_arrival.set(arrived);
        }
    }

    /// Pings a quiet connection and replaces one that stays silent (a network that dropped
    /// without closing the socket).
    pub(super) fn check_heartbeat(&self) {
        if self.status.get_untracked() != ConnectionStatus::Connected {
            return;
        }
        let silent_for = js_sys::Date::now() - self.last_heard_ms.get_value();
        if silent_for >= DEAD_AFTER_MS {
            self.lost(LostReason::Silent);
        } else if silent_for >= PING_AFTER_MS && !self.ping_sent.get_value() {
            let request_id = self.state.try_update(ChatState::next_request_id).unwrap_or(0);
            self.ping_sent.set_value(self.send(&ClientMessage::Ping { request_id }));
        }
    }
}
