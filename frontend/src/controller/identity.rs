//! Who the user is: signing in as a guest or to an account, and signing out.

use std::time::Duration;

use leptos::prelude::*;

use super::ChatController;
use crate::browser::connection::{ConnectionStatus, Ending};
use crate::browser::local_store;
use crate::model::chat_state::{AccountAction, ChatState};
use crate::model::problem::Problem;

/// How long signing out waits for the server to confirm the session ended before the page
/// starts over anyway (the session then lasts until it expires).
const SIGN_OUT_PATIENCE: Duration = Duration::from_secs(3);

impl ChatController {
    /// Signs in as `nickname` (opening the connection if needed). An invalid name is reported
    /// in the state's error without contacting the server.
    pub fn sign_in(&self, nickname: &str) {
        let hello = match self.state.try_update(|state| state.hello(nickname)) {
            Some(Ok(hello)) => hello,
            // The state shows why.
            Some(Err(_)) | None => return,
        };
        if !self.is_connected_or_connecting() {
            self.connect();
        }
        self.send(&hello);
    }

    /// Signs in to an account, or registers one, with a username and password (opening the
    /// connection if needed). Invalid input is reported in the state's error without
    /// contacting the server.
    pub fn sign_in_with_password(&self, username: &str, password: &str, action: AccountAction) {
        let request =
            self.state.try_update(|state| state.sign_in_with_password(username, password, action));
        let Some(Ok(request)) = request else { return }; // The state shows why.
        if !self.is_connected_or_connecting() {
            self.connect();
        }
        self.send(&request);
    }

    /// Signs out: the server hears of it first (an account's session ends, a guest's nickname is
    /// freed at once), then, on its answer or after a few seconds without one,
    /// [`ChatController::start_over`]. Without a connection, the page starts over at once.
    pub fn sign_out(&self) {
        let request = self.state.try_update(ChatState::sign_out).flatten();
        match request {
            Some(request) if self.send(&request) => {
                let this = *self;
                set_timeout(move || this.start_over(), SIGN_OUT_PATIENCE);
            }
            _ => self.start_over(),
        }
    }

    /// The server ended this browser's sign-in (a ban, or a sign-out from another browser):
    /// back to the sign-in form with the reason, the session forgotten, and no reconnecting.
    pub(super) fn ended(&self, ending: Ending) {
        self.generation.update_value(|generation| *generation += 1);
        self.link.set_value(None);
        local_store::forget_identity();
        let problem = match ending {
            Ending::Banned(reason) => Problem::Banned(reason),
            Ending::SignedOutElsewhere => Problem::SignedOutElsewhere,
        };
        self.state.update(|state| state.sign_in_ended(problem));
        self.status.set(ConnectionStatus::Idle);
    }

    /// Asks for this account's sessions.
    pub fn load_sessions(&self) {
        if let Some(Some(request)) = self.state.try_update(ChatState::sessions_request) {
            self.send(&request);
        }
    }

    /// Ends every other session of this account.
    pub fn sign_out_elsewhere(&self) {
        if let Some(Some(request)) = self.state.try_update(ChatState::sign_out_elsewhere) {
            self.send(&request);
        }
    }

    /// Changes the password (the state checks the new one's length first). Returns whether the
    /// request went out.
    pub fn change_password(&self, current: &str, new: &str) -> bool {
        let request = self.state.try_update(|state| state.change_password(current, new));
        matches!(request, Some(Ok(request)) if self.send(&request))
    }

    /// Forgets who the user is on this browser and starts over at the sign-in form.
    pub(super) fn start_over(&self) {
        local_store::forget();
        // The copy of this person's rooms goes too, before the reload (which would cut the
        // clearing short).
        leptos::task::spawn_local(async {
            crate::browser::room_cache::clear().await;
            if let Some(window) = web_sys::window() {
                // Without a reload the page keeps working on the old state.
                let _ = window.location().reload();
            }
        });
    }
}
