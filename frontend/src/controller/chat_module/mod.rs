//! What comes with the chat screen's module besides the screen: reading what the server
//! sends into the chat, the copies in IndexedDB (`offline_copies.rs`) and the notifications.
//!
//! Decoding the protocol's server messages and applying them to the state is most of what
//! the page does, and all of it is for the chat: in the page's build (the `split` feature)
//! it is part of the chat screen's WASM module, so the sign-in form's module, the one a
//! first visit waits for, does not carry it (docs/ARCHITECTURE.md, "The page's two
//! modules"). The page fetches that module when a connection opens, or sooner, when the
//! visitor starts to fill in the sign-in form (a visit that never signs in does not fetch
//! it); frames that arrive before it is here wait in the [`Inbox`], in order, and are read
//! when it comes. If it cannot be fetched, the page says so and offers to try again
//! ([`ChatModule::Failed`]); nothing that arrived is lost meanwhile.

use std::collections::VecDeque;

use common::ServerMessage;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use super::ChatController;
use crate::browser::notifications::watch_arrivals;

/// Reads one text frame from the server into the chat.
pub type ReadFrame = fn(ChatController, &str);

/// Where the chat screen's module (and with it the frame reader) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChatModule {
    #[default]
    NotFetched,
    Fetching,
    Here,
    /// The last fetch failed (offline, or the server could not give it).
    Failed,
}

/// The frames that arrived before the reader, and the reader once it is here.
#[derive(Debug, Default)]
pub struct Inbox {
    /// Each frame with the generation of the connection it came on: a frame of a connection
    /// that was replaced while it waited is dropped, as it would have been had it come later.
    waiting: VecDeque<(u64, String)>,
    reader: Option<ReadFrame>,
}

impl ChatController {
    /// Takes a frame of the connection `generation` in, and reads it (with any before it) if
    /// the reader is here.
    pub(super) fn take_frame(&self, generation: u64, text: String) {
        self.inbox.update_value(|inbox| inbox.waiting.push_back((generation, text)));
        self.read_inbox();
    }

    /// Reads the frames that wait, oldest first, if the reader is here.
    fn read_inbox(&self) {
        let Some(read) = self.inbox.with_value(|inbox| inbox.reader) else { return };
        while let Some((generation, text)) =
            self.inbox.try_update_value(|inbox| inbox.waiting.pop_front()).flatten()
        {
            if generation == self.generation.get_value() {
                read(*self, &text);
            }
        }
    }

    /// Fetches the chat screen's module, unless it is here or on its way, and starts what
    /// comes with it (once). Called when a connection opens (at start for someone signed in
    /// before), as soon as the visitor starts to fill in the sign-in form, and by the button
    /// that tries again after a failure. Fetched with the first module (with a `prefetch`
    /// link, measured), it shared the link with it and the sign-in form came at 1.9 s instead
    /// of 1.3 s at 1.6 Mbit/s.
    pub fn fetch_chat_module(&self) {
        if matches!(self.chat_module.get_untracked(), ChatModule::Fetching | ChatModule::Here) {
            return;
        }
        if self.inbox.with_value(|inbox| inbox.reader.is_some()) {
            // Here already (the chat screen failed to link, and is tried again).
            self.chat_module.set(ChatModule::Here);
            return;
        }
        self.chat_module.set(ChatModule::Fetching);
        let this = *self;
        leptos::task::spawn_local(async move {
            match chat_module_here(this).await {
                Ok(read) => {
                    this.inbox.update_value(|inbox| inbox.reader = Some(read));
                    this.chat_module.set(ChatModule::Here);
                    this.read_inbox();
                }
                Err(_) => this.chat_module.set(ChatModule::Failed),
            }
        });
    }
}

/// Starts what comes with the chat module, in the app's reactive owner, and gives the frame
/// reader. In the page's build this code is in the chat screen's module (the same module name
/// as `components::app::chat_screen`), fetched by the first call; a fetch that fails is an
/// error to show, not a panic (`fallible`), and the next call fetches again.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(chat_screen, wasm_split_path = ::leptos::wasm_split, fallible)]
fn chat_module_here(chat: ChatController) -> Result<ReadFrame, SplitLoaderError> {
    Ok(start_chat_module(chat))
}

/// Without the `split` feature (tests, builds without the splitting tool) all of it is part
/// of the one module.
#[cfg(not(feature = "split"))]
async fn chat_module_here(chat: ChatController) -> Result<ReadFrame, SplitLoaderError> {
    Ok(start_chat_module(chat))
}

fn start_chat_module(chat: ChatController) -> ReadFrame {
    chat.owner.get_value().with(|| {
        chat.keep_offline_copies();
        watch_arrivals(chat.last_arrival, chat.state);
    });
    read_frame
}

/// Decodes a frame and hands the message to the controller.
fn read_frame(chat: ChatController, text: &str) {
    match serde_json::from_str::<ServerMessage>(text) {
        Ok(message) => chat.receive(message),
        // A frame this page cannot read is a server bug or a newer server; it must not take
        // the page down. Leave a trace for whoever debugs it.
        Err(error) => leptos::logging::warn!("undecodable frame {text:?}: {error}"),
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;
