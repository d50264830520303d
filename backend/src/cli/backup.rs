//! `backend backup PATH`: a consistent copy of the SQLite store, taken while the chat runs.
//!
//! The copy is made by SQLite itself (`VACUUM INTO`) in one read transaction, so it is the
//! store as of one commit: every message acknowledged before the command started is in it,
//! and nothing half-written. Writers are not blocked (WAL). The copy is then opened as a
//! store to say what it holds, which also proves it is one.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

use crate::config::Settings;
use crate::store::Store;

/// Copies the store of `settings` to `path` (which must not exist), writing what the copy
/// holds to `out`.
pub async fn run(path: &Path, settings: &Settings, out: &mut impl Write) -> anyhow::Result<()> {
    if path.exists() {
        bail!("{} exists already; back up to a new file", path.display());
    }
    let target = path.to_str().context("the backup path is not valid UTF-8")?;
    let store = Store::open(&settings.database_url).await.context("opening the store")?;
    store.backup_to(target).await.with_context(|| format!("backing up to {target}"))?;
    let copy = Store::open(&format!("sqlite://{target}")).await.context("opening the copy")?;
    let rooms = copy.rooms().await.context("reading the copy")?;
    let entries: u64 = rooms.iter().map(|room| room.last_seq).sum();
    let bytes = std::fs::metadata(path).map(|metadata| metadata.len()).unwrap_or(0);
    writeln!(
        out,
        "backed up to {target}: {} rooms, {entries} messages, {bytes} bytes",
        rooms.len()
    )?;
    Ok(())
}
