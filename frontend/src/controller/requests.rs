//! The one path of the page's actions that ask the server something: a state change returns
//! its requests in any of a few shapes ([`Requests`]), and [`super::ChatController::act`]
//! sends them.

use common::ClientMessage;

/// What a state change hands the controller to send: nothing, one request or several, or (from
/// a change the state may refuse) a refusal it shows itself.
pub trait Requests {
    fn into_requests(self) -> Vec<ClientMessage>;
}

impl Requests for ClientMessage {
    fn into_requests(self) -> Vec<ClientMessage> {
        vec![self]
    }
}

impl Requests for Option<ClientMessage> {
    fn into_requests(self) -> Vec<ClientMessage> {
        self.into_iter().collect()
    }
}

impl Requests for Vec<ClientMessage> {
    fn into_requests(self) -> Vec<ClientMessage> {
        self
    }
}

impl<R: Requests, E> Requests for Result<R, E> {
    fn into_requests(self) -> Vec<ClientMessage> {
        self.map_or_else(|_| Vec::new(), Requests::into_requests)
    }
}

/// What [`ChatController::act`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acted {
    /// The state made at least one request (it took the action).
    pub made: bool,
    /// Every request it made went out on the connection (none waits for a later one).
    pub all_sent: bool,
}

impl Acted {
    /// The action's requests were made and went out.
    pub fn went_out(self) -> bool {
        self.made && self.all_sent
    }
}
