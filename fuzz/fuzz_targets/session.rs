//! One connection's request handling on any sequence of frames (one per line of the input):
//! the real decoding, validation, hub and store calls. It must never panic, and every frame
//! it queues for the client must be a valid server message.

#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use backend::cluster::cluster_names::ClusterNames;
use backend::cluster::nicknames::Nicknames;
use backend::delivery::Delivery;
use backend::delivery::gathering::Gathering;
use backend::hub::Hub;
use backend::session::Services;
use backend::session::fuzzing::FrameHandler;
use backend::store::Store;
use common::ServerMessage;
use libfuzzer_sys::fuzz_target;

struct World {
    runtime: tokio::runtime::Runtime,
    services: Services,
}

/// One server for the whole run: a hub and a store on a scratch database.
fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let directory = if std::path::Path::new("/dev/shm").is_dir() {
            std::path::PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let database = directory.join(format!("chat-fuzz-{}.db", std::process::id()));
        let hub = Hub::new(Duration::ZERO);
        let publisher = hub.clone();
        let services = runtime.block_on(async {
            let url = format!("sqlite://{}", database.display());
            let store = Store::open(&url).await.expect("the store opens");
            for (room, last_seq) in store.rooms().await.expect("rooms") {
                hub.add_room(room, last_seq);
            }
            let publish = std::sync::Arc::new(move |m: &[common::ChatMessage]| {
                publisher.publish_all(m).deliveries
            });
            // No gathering between transactions: the fuzzer wants executions, not batching.
            let delivery = Delivery::start(store.clone(), publish, Gathering::NONE);
            let nicknames = Nicknames::new(hub.clone(), ClusterNames::local());
            Services { hub, store, delivery, nicknames }
        });
        World { runtime, services }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let world = world();
    world.runtime.block_on(async {
        let mut connection = FrameHandler::new(&world.services);
        for frame in text.lines().take(32) {
            for answer in connection.handle(frame).await {
                if let Err(error) = serde_json::from_str::<ServerMessage>(&answer) {
                    panic!("the server queued an undecodable frame {answer:?}: {error}");
                }
            }
        }
        connection.disconnect();
    });
});
