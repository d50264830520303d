//! `register`: a new account, signed in at once.

use common::{Nickname, RequestId, Secret};

use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn register(
        &mut self,
        request_id: RequestId,
        protocol: u32,
        username: &str,
        password: &Secret,
        invite: Option<&Secret>,
    ) -> Answer {
        self.unidentified(protocol)?;
        let username = Nickname::parse(username)?;
        let accounts = &self.services.accounts;
        let signed_in = accounts.register(&username, password, invite, self.peer).await?;
        let account = signed_in.account.clone();
        match self.signed_in(request_id, signed_in).await {
            Ok(answer) => Ok(answer),
            Err(refusal) => {
                // The name is registered but someone (a guest) holds it right now: take the
                // account back rather than leave one its owner cannot use yet.
                self.services.accounts.undo_registration(&account, invite).await?;
                Err(refusal)
            }
        }
    }
}
