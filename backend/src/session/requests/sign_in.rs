//! `sign_in`: an existing account, with its password.

use common::{RequestId, Secret};

use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn sign_in(
        &mut self,
        request_id: RequestId,
        protocol: u32,
        username: &str,
        password: &Secret,
    ) -> Answer {
        self.unidentified(protocol)?;
        let signed_in = self.services.accounts.sign_in(username, password, self.peer).await?;
        self.signed_in(request_id, signed_in).await
    }
}
