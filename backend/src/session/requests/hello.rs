//! `hello`: a guest's nickname, or an account's name with its session token.

use common::{Nickname, RequestId, Role, Secret};
use tracing::info;

use crate::accounts::SignedIn;
use crate::metrics::names::SIGN_INS;
use crate::session::state::{Answer, Session};

impl Session {
    pub(super) async fn hello(
        &mut self,
        request_id: RequestId,
        protocol: u32,
        nickname: &str,
        token: Option<&str>,
        session: Option<Secret>,
    ) -> Answer {
        self.unidentified(protocol)?;
        let requested = Nickname::parse(nickname)?;
        let Some(session) = session else {
            self.services.accounts.admit_guest(&requested, self.peer).await?;
            let (nickname, token) = self.claim(&requested, token).await?;
            self.services.hub.guest_from(self.id, self.peer);
            info!(nickname = %nickname, "identified as a guest");
            metrics::counter!(SIGN_INS, "kind" => "guest").increment(1);
            let rooms = self.visible_rooms().await?;
            return Ok(Some(self.welcome(request_id, nickname, token, rooms, Role::Guest, None)));
        };
        let account = self.services.accounts.resume(&session, &requested).await?;
        self.signed_in(request_id, SignedIn { account, session }).await
    }
}
