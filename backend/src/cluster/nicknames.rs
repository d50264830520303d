//! Taking and letting go of a nickname: the one service that does both the cluster's claim
//! (Redis, across nodes: [`super::cluster_names`]) and this node's (the hub's book), in that
//! order, so no two people hold one name on any node.
//!
//! What makes two nicknames the same name is [`Nickname::key`] (in `common`): case, Unicode
//! normalization form and look-alike characters are ignored.

use common::Nickname;

use super::cluster_names::{ClusterClaim, ClusterNames, Unreachable};
use crate::frames::frame_queue::FrameQueue;
use crate::hub::{Departure, Hub, HubError, SessionId, proposed_token};

/// Why a nickname was not given.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    /// Someone else holds it (on this node or another), or the request was wrong.
    #[error(transparent)]
    Refused(#[from] HubError),
    /// The other nodes cannot be asked; nothing the client can fix but trying again later.
    #[error(transparent)]
    Unreachable(#[from] Unreachable),
}

/// A cheap, cloneable handle: claims nicknames for connections and releases them.
#[derive(Debug, Clone)]
pub struct Nicknames {
    hub: Hub,
    cluster: ClusterNames,
}

impl Nicknames {
    pub fn new(hub: Hub, cluster: ClusterNames) -> Self {
        Self { hub, cluster }
    }

    /// Gives `requested` (kept in Unicode normalization form C) to `session`, first in the
    /// cluster, then on this node, for the person with `token` (if the client brought one).
    /// Returns the name as the person holds it and their token. From then on the connection
    /// hears about new rooms through `frame_queue`.
    pub async fn claim(
        &self,
        session: SessionId,
        requested: &Nickname,
        token: Option<&str>,
        frame_queue: &FrameQueue,
    ) -> Result<(Nickname, String), ClaimError> {
        let nickname = requested.normalized();
        let token = proposed_token(token);
        let key = nickname.key();
        if self.cluster.claim(&key, &token).await? == ClusterClaim::Taken {
            return Err(HubError::NicknameTaken(nickname.to_string()).into());
        }
        Ok(self.hub.claim_nickname(session, &nickname, Some(&token), frame_queue)?)
    }

    /// Forgets `session` in the hub (see [`Hub::disconnect`]); if that was the last
    /// connection of its nickname's holder here, the name's grace period starts in the
    /// cluster too (or, after a sign-out, the name is freed there too).
    pub fn disconnect(&self, session: SessionId, departure: Departure) {
        if let Some(released) = self.hub.disconnect(session, departure) {
            self.cluster.released(released);
        }
    }
}
