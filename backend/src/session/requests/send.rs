//! `send`: stored, published and only then acknowledged (see [`crate::delivery`]). A
//! reply's original is the store's to check, in the append's transaction.

use common::{ClientId, MessageBody, RequestId, RoomName};

use crate::session::state::{Answer, Session};
use crate::store::{NewContent, NewMessage};

impl Session {
    pub(super) async fn send(
        &mut self,
        request_id: RequestId,
        room: &str,
        client_id: ClientId,
        body: &str,
        reply_to: Option<u64>,
    ) -> Answer {
        self.identified()?;
        let room = RoomName::parse(room)?;
        let body = MessageBody::parse(body)?;
        let author = self.services.hub.speaker(self.id, &room)?;
        let content = NewContent::Post { body, reply_to };
        let message = NewMessage { room, client_id, author, content };
        self.append(request_id, message).await
    }
}
