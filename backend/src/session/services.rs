//! What a session works with on its node: cheap handles, cloned into each connection.

use crate::accounts::Accounts;
use crate::cluster::nicknames::Nicknames;
use crate::delivery::Delivery;
use crate::hub::Hub;
use crate::store::Store;

/// The node's services, as one session sees them.
#[derive(Debug, Clone)]
pub struct Services {
    /// Rooms, members and live events on this node.
    pub hub: Hub,
    /// History pages and room creation.
    pub store: Store,
    /// Where a message goes to be stored, published and acknowledged.
    pub delivery: Delivery,
    /// Claiming and releasing nicknames, across nodes.
    pub nicknames: Nicknames,
    /// Registering, signing in and out, and keeping registered names from guests.
    pub accounts: Accounts,
}
