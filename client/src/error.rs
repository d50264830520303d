//! What can go wrong on a connection, as a value: the caller decides whether it is fatal (a
//! test), a reason to reconnect (the resilient client) or a count (the load generator).

use common::ServerMessage;
use tokio_tungstenite::tungstenite;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("connecting failed: {0}")]
    Connect(String),
    #[error("no answer within {0:?}")]
    Silence(std::time::Duration),
    #[error("the connection closed: {0:?}")]
    Closed(Option<tungstenite::protocol::CloseFrame>),
    #[error("the WebSocket failed: {0}")]
    Socket(#[from] tungstenite::Error),
    #[error("the server sent a frame that is not text (the protocol is text only): {0}")]
    NotText(String),
    #[error("the server sent something undecodable ({error}): {text}")]
    Undecodable { text: String, error: serde_json::Error },
    #[error("the server refused: {0:?}")]
    Refused(Box<ServerMessage>),
}
