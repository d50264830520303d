//! Room events between nodes: in-process only by default, or through Redis pub/sub when the
//! server runs as several nodes (`--redis-url`).
//!
//! Every node publishes what happens on it (stored messages, typing, new rooms, who is in which
//! room) to one Redis channel and delivers what the others publish to its own members. Each
//! event is encoded once per node: here to the bus, and by the receiving hub once for all its
//! members. Every node also sends a heartbeat; one not heard from for the node TTL is taken
//! for dead and its people leave the lists (`crate::hub`'s presence).
//!
//! Redis pub/sub forgets whatever it could not deliver, so the bus is never the source of
//! truth: the store is. Whenever a node may have missed news (its subscription broke, or its
//! own publishing failed), every node reads what it has not delivered from the store
//! ([`super::catch_up`]). Meanwhile each node keeps serving its own members.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};

use super::backoff::Backoff;
use super::bus_event::BusEvent;
use super::bus_event::{Envelope, OutgoingEnvelope};
use super::catch_up::CatchUp;
use super::pulse::Pulse;
use super::redis_link::{REDIS_TIMEOUT, RedisLink};
use crate::hub::{Hub, NodeId, NodeNews, OtherNodes, Published};
use crate::metrics::names;
use crate::store::{GuestBan, Store};

/// Events waiting to be published; beyond this the bus is not keeping up and events are
/// dropped (and the other nodes told to catch up from the store).
const OUTGOING_CAPACITY: usize = 65_536;
/// Events published in one round trip.
const MAX_EVENTS_PER_PUBLISH: usize = 512;
/// How often the publisher tries again after a loss when nothing else is queued (the link's
/// backoff decides whether a try reaches Redis).
const RECONNECT_PAUSE: Duration = Duration::from_millis(500);

/// A cheap, cloneable handle for publishing to the other nodes (a no-op on a single node).
#[derive(Debug, Clone, Default)]
pub struct Bus {
    redis: Option<Arc<RedisBus>>,
}

#[derive(Debug)]
struct RedisBus {
    redis: RedisLink,
    channel: String,
    node: NodeId,
    /// How long a silent node is still taken for alive.
    node_ttl: Duration,
    outgoing: mpsc::Sender<BusEvent>,
    /// Set when an event could not be queued; the publisher then tells the others to catch up.
    dropped: AtomicBool,
    /// Whether this node's subscription is live (for `/readyz`).
    subscribed: AtomicBool,
    /// When the subscription last heard anything (its own heartbeats included); shared with
    /// the nickname reservations, which give up at once while it is lost.
    pulse: Arc<Pulse>,
}

/// Why the bus could not start.
#[derive(Debug, thiserror::Error)]
#[error("invalid Redis URL: {0}")]
pub struct BusError(#[from] redis::RedisError);

impl Bus {
    /// The single-node bus: nothing leaves the process.
    pub fn local() -> Self {
        Self::default()
    }

    /// A bus through the Redis server at `url`, on the channel `{prefix}:events`, taking a
    /// node not heard from for `node_ttl` for dead, and noting in `pulse` when it last heard
    /// the channel. Starts nothing yet: see [`Bus::run`].
    /// `url` is only parsed here; Redis may be down at start.
    pub fn redis(
        url: &str,
        prefix: &str,
        node_ttl: Duration,
        pulse: Arc<Pulse>,
    ) -> Result<(Self, mpsc::Receiver<BusEvent>), BusError> {
        let redis = RedisLink::open(url, "publishing")?;
        let (outgoing, queue) = mpsc::channel(OUTGOING_CAPACITY);
        let redis = RedisBus {
            redis,
            channel: format!("{prefix}:events"),
            node: uuid::Uuid::new_v4().simple().to_string(),
            node_ttl,
            outgoing,
            dropped: AtomicBool::new(false),
            subscribed: AtomicBool::new(false),
            pulse,
        };
        Ok((Self { redis: Some(Arc::new(redis)) }, queue))
    }

    /// Whether there are other nodes to tell (a Redis bus).
    pub fn is_clustered(&self) -> bool {
        self.redis.is_some()
    }

    /// Tells the other nodes about `event`, without waiting.
    pub fn send(&self, event: BusEvent) {
        if let Some(redis) = &self.redis {
            send(redis, event);
        }
    }

    /// `Ok` on a single node; with Redis, whether this node is subscribed and has heard its
    /// channel lately (its own heartbeat comes back through it every quarter of the node TTL).
    /// Read from what the background tasks saw, with no round trip to Redis: it answers at
    /// once even when Redis does not.
    pub fn check(&self) -> Result<(), String> {
        let Some(redis) = &self.redis else { return Ok(()) };
        if !redis.subscribed.load(Ordering::Relaxed) {
            return Err("not subscribed to the Redis channel".to_owned());
        }
        if redis.pulse.is_lost() {
            let silent = redis.pulse.silent_for().as_secs_f64();
            return Err(format!("nothing heard on the Redis channel for {silent:.1} s"));
        }
        Ok(())
    }

    /// Runs the publisher and the subscriber until `shutdown` (a no-op on a single node).
    pub async fn run(
        self,
        queue: mpsc::Receiver<BusEvent>,
        hub: Hub,
        catch_up: CatchUp,
        store: Store,
        shutdown: CancellationToken,
    ) {
        let Some(redis) = self.redis else { return };
        tokio::select! {
            () = publish(redis.clone(), queue, hub.clone()) => {}
            () = heartbeat(redis.clone(), hub.clone()) => {}
            () = subscribe(redis, hub, catch_up, store) => {}
            () = shutdown.cancelled() => {}
        }
    }
}

/// The hub's news goes to the other nodes through the bus.
impl OtherNodes for Bus {
    fn tell(&self, news: NodeNews) {
        self.send(BusEvent::from(news));
    }
}

/// Publishes queued events in batches, one round trip per batch, reconnecting as needed.
/// After any loss it first publishes [`BusEvent::CatchUp`] and this node's full list of
/// people, and keeps trying to even when nothing else is queued.
async fn publish(redis: Arc<RedisBus>, mut queue: mpsc::Receiver<BusEvent>, hub: Hub) {
    let mut batch = Vec::with_capacity(MAX_EVENTS_PER_PUBLISH);
    let mut retry = tokio::time::interval(RECONNECT_PAUSE);
    let mut failing = false;
    loop {
        tokio::select! {
            received = queue.recv_many(&mut batch, MAX_EVENTS_PER_PUBLISH) => {
                if received == 0 {
                    return;
                }
            }
            _ = retry.tick(), if redis.dropped.load(Ordering::Relaxed) => {}
        }
        if redis.dropped.swap(false, Ordering::Relaxed) {
            // The list is taken now, so events queued after it only bring it up to date.
            batch.splice(0..0, [BusEvent::CatchUp, snapshot(&hub)]);
        }
        match publish_batch(&redis, &batch).await {
            Ok(()) => failing = false,
            Err(error) => {
                // Once per outage: the link logs when it is back.
                if failing {
                    debug!(%error, events = batch.len(), "publishing to Redis failed again");
                } else {
                    warn!(%error, events = batch.len(), "publishing to Redis failed; the other nodes will catch up from the store");
                }
                failing = true;
                redis.dropped.store(true, Ordering::Relaxed);
            }
        }
        batch.clear();
    }
}

async fn publish_batch(redis: &RedisBus, batch: &[BusEvent]) -> Result<(), String> {
    let mut pipeline = redis::pipe();
    for event in batch {
        let envelope = OutgoingEnvelope { node: &redis.node, event };
        let payload = serde_json::to_vec(&envelope).map_err(|error| error.to_string())?;
        pipeline.cmd("PUBLISH").arg(&redis.channel).arg(payload).ignore();
    }
    // One connection, in order: the others hear this node's events in the order it sent them.
    redis
        .redis
        .query(|mut connection| async move { pipeline.query_async::<()>(&mut connection).await })
        .await
}

/// Receives the other nodes' events and hands them to the hub, resubscribing after any
/// failure. Every (re)subscription starts with catching up from the store: whatever was
/// published while this node was not listening is there.
async fn subscribe(redis: Arc<RedisBus>, hub: Hub, catch_up: CatchUp, store: Store) {
    // Attempts back off while Redis is away; one warning per outage, then one line when back.
    let mut backoff = Backoff::default();
    let mut unsubscribed_since: Option<tokio::time::Instant> = None;
    loop {
        let connect = async {
            let mut pubsub = redis.redis.client().get_async_pubsub().await?;
            pubsub.subscribe(&redis.channel).await?;
            Ok::<_, redis::RedisError>(pubsub)
        };
        let attempt = match tokio::time::timeout(REDIS_TIMEOUT, connect).await {
            Ok(Ok(pubsub)) => Ok(pubsub),
            Ok(Err(error)) => Err(error.to_string()),
            Err(_) => Err("Redis did not answer in time".to_owned()),
        };
        let pubsub = match attempt {
            Ok(pubsub) => pubsub,
            Err(failure) => {
                if unsubscribed_since.is_none() {
                    // Not subscribed yet since the start (an outage after a subscription is
                    // counted when it ends).
                    metrics::counter!(names::REDIS_OUTAGES, "purpose" => "subscription")
                        .increment(1);
                }
                if backoff.failures() == 0 {
                    warn!(%failure, "cannot subscribe to Redis; serving this node's members alone, retrying with backoff");
                } else {
                    debug!(%failure, "still cannot subscribe to Redis");
                }
                unsubscribed_since.get_or_insert_with(tokio::time::Instant::now);
                tokio::time::sleep(backoff.next_delay()).await;
                continue;
            }
        };
        match unsubscribed_since.take() {
            Some(since) => info!(
                channel = %redis.channel,
                outage_s = since.elapsed().as_secs_f64(),
                attempts = backoff.failures() + 1,
                "subscribed again to the other nodes' events; catching up from the store"
            ),
            None => {
                info!(channel = %redis.channel, node = %redis.node, "subscribed to the other nodes' events")
            }
        }
        backoff.reset();
        redis.pulse.heard();
        // The others were not heard while this node was not listening; that is no sign they
        // died. They answer the request for their lists below, well within a fresh TTL.
        hub.hear_every_node();
        redis.subscribed.store(true, Ordering::Relaxed);
        catch_up.everything();
        // Whatever was said while this node was not listening: everyone's full list again.
        send(&redis, BusEvent::SnapshotPlease);
        send(&redis, snapshot(&hub));
        let mut messages = pubsub.into_on_message();
        // A channel silent for longer than the pulse's limit has lost its link, even if TCP
        // has not noticed (packets dropped, not refused): subscribe again.
        let limit = redis.pulse.silence_limit();
        let fell_silent = loop {
            let message = match tokio::time::timeout(limit, messages.next()).await {
                Ok(Some(message)) => message,
                Ok(None) => break false,
                Err(_) => break true,
            };
            redis.pulse.heard();
            match serde_json::from_slice::<Envelope>(message.get_payload_bytes()) {
                Ok(envelope) if envelope.node == redis.node => {
                    if let BusEvent::Alive { sent_at: Some(sent_at) } = envelope.event {
                        let lag_ms = unix_millis().saturating_sub(sent_at).max(0);
                        metrics::histogram!(names::BUS_LAG).record(lag_ms as f64 / 1000.0);
                    }
                }
                Ok(envelope) => {
                    let receivers = Receivers { hub: &hub, catch_up: &catch_up, store: &store };
                    deliver(&redis, receivers, &envelope.node, envelope.event);
                }
                Err(error) => warn!(%error, "ignoring an event on the bus that does not parse"),
            }
        };
        redis.subscribed.store(false, Ordering::Relaxed);
        metrics::counter!(names::REDIS_OUTAGES, "purpose" => "subscription").increment(1);
        if fell_silent {
            warn!(
                silent_s = limit.as_secs_f64(),
                "the Redis channel fell silent; subscribing again"
            );
        } else {
            warn!("the Redis subscription ended; subscribing again");
        }
        unsubscribed_since = Some(tokio::time::Instant::now());
        tokio::time::sleep(backoff.next_delay()).await;
    }
}

/// Tells the other nodes this one is alive, and forgets the nodes that stopped saying so.
async fn heartbeat(redis: Arc<RedisBus>, hub: Hub) {
    let mut beat = tokio::time::interval(redis.node_ttl / 4);
    loop {
        beat.tick().await;
        send(&redis, BusEvent::Alive { sent_at: Some(unix_millis()) });
        // Only a node that hears its own channel may take the others' silence for death: when
        // its own link is down, everyone would seem gone and come back a moment later.
        let hears_itself = redis.subscribed.load(Ordering::Relaxed) && redis.pulse.is_fresh();
        if !hears_itself {
            continue;
        }
        for node in hub.expire_nodes(redis.node_ttl) {
            warn!(%node, "a node fell silent; its people left the lists");
        }
    }
}

/// Now, in milliseconds since the Unix epoch.
fn unix_millis() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |since| i64::try_from(since.as_millis()).unwrap_or(i64::MAX))
}

/// Queues `event` for the publisher. If the queue is full (Redis is slow or down) or closed,
/// the event is dropped and the publisher tells the others to catch up (from the store, and
/// with a full list of people) once it can.
fn send(redis: &RedisBus, event: BusEvent) {
    if redis.outgoing.try_send(event).is_err() {
        redis.dropped.store(true, Ordering::Relaxed);
    }
}

/// Hands one event from `node` to this node's hub.
/// This node's full list of who is in which room, for the others.
fn snapshot(hub: &Hub) -> BusEvent {
    let (people, guests) = hub.people_here();
    BusEvent::Snapshot { people, guests }
}

/// What the other nodes' events are handed to.
#[derive(Clone, Copy)]
struct Receivers<'a> {
    hub: &'a Hub,
    catch_up: &'a CatchUp,
    store: &'a Store,
}

fn deliver(redis: &RedisBus, receivers: Receivers<'_>, node: &str, event: BusEvent) {
    let Receivers { hub, catch_up, store } = receivers;
    if hub.node_heard(node) {
        info!(%node, "a node joined the cluster; asking for its people");
        send(redis, BusEvent::SnapshotPlease);
    }
    match event {
        BusEvent::Message { message } => {
            if let Published::Waiting { after } = hub.publish(&message) {
                debug!(room = %message.room, seq = message.seq, after, "a message arrived ahead of its turn");
                catch_up.room(&message.room);
            }
        }
        BusEvent::Typing { room, nickname } => hub.typing_elsewhere(&room, &nickname),
        BusEvent::RoomAdded { room, private } => hub.announce_room(room, private),
        BusEvent::MemberAdded { room, account, dm_with } => {
            hub.member_added(&room, account, dm_with);
        }
        BusEvent::MemberRemoved { room, account } => hub.member_removed(&room, account),
        BusEvent::AccountBanned { account, reason } => hub.close_connections_of(account, &reason),
        BusEvent::SessionsEnded { account, keep } => hub.close_other_sessions(account, keep),
        BusEvent::SessionEnded { account, tag } => hub.close_session(account, tag, None),
        BusEvent::RoleChanged { account, role } => hub.tell_role(account, role),
        BusEvent::GuestBanned { nickname_key, ban } => {
            let addresses = hub.close_guest(&nickname_key, &ban.reason);
            if !addresses.is_empty() {
                let store = store.clone();
                tokio::spawn(async move {
                    let kept = GuestBan {
                        banned_by: &ban.banned_by,
                        reason: &ban.reason,
                        until: ban.until,
                    };
                    if let Err(error) =
                        store.ban_guest_addresses(&nickname_key, &addresses, kept).await
                    {
                        warn!(%error, "could not add a banned guest's addresses to the ban");
                    }
                });
            }
        }
        BusEvent::Muted { room, nickname_key, until, reason } => {
            hub.mute_changed(&room, &nickname_key, until, &reason);
        }
        BusEvent::Kicked { room, nickname_key, by, reason } => {
            hub.kick_here(&room, &nickname_key, &by, &reason);
        }
        BusEvent::CatchUp => catch_up.everything(),
        BusEvent::Presence { room, nickname, present, guest } => {
            hub.presence_elsewhere(node, &room, &nickname, present, guest);
        }
        BusEvent::Snapshot { people, guests } => hub.snapshot_elsewhere(node, &people, &guests),
        BusEvent::SnapshotPlease => send(redis, snapshot(hub)),
        BusEvent::Alive { .. } => {}
    }
}
