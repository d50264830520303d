//! `backend import FILE`: an export put back into an empty store.
//!
//! The file is read twice: first every line is checked (it parses; each room's entries come
//! after the room's line and number 1, 2, 3, ... with no gap, or from the room's `first_seq`), and only a file that passes
//! is written, room by room in transactions of [`BATCH`] entries. A bad line is named with its
//! number and nothing is written.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{Context, bail};
use common::{ChatMessage, RoomName};

use super::Line;
use crate::config::Settings;
use crate::store::Store;

/// Entries per transaction.
const BATCH: usize = 500;

/// Imports `path` into the store of `settings`; returns (rooms, entries) imported.
pub async fn run(path: &Path, settings: &Settings) -> anyhow::Result<(usize, u64)> {
    check(path)?;
    let store = Store::open(&settings.database_url).await.context("opening the store")?;
    let existing = store.rooms().await.context("listing the rooms")?;
    if existing.iter().any(|room| room.last_seq > 0) {
        bail!("the store already holds messages; import into an empty store");
    }
    let mut rooms = 0;
    let mut entries = 0;
    let mut batch: Vec<ChatMessage> = Vec::with_capacity(BATCH);
    for (number, line) in lines(path)? {
        match line.with_context(|| format!("line {number}"))? {
            Line::Room { name, private, first_seq } => {
                store.import_entries(&batch).await?;
                batch.clear();
                if !existing.iter().any(|room| room.name == name) {
                    store.create_imported_room(&name, private).await?;
                }
                if first_seq > 1 {
                    store.start_imported_room_at(&name, first_seq).await?;
                }
                rooms += 1;
            }
            Line::Message(message) => {
                batch.push(*message);
                entries += 1;
                if batch.len() == BATCH {
                    store.import_entries(&batch).await?;
                    batch.clear();
                }
            }
        }
    }
    store.import_entries(&batch).await?;
    Ok((rooms, entries))
}

/// Every line of the file checked: parses, and each room's entries follow its line in order.
fn check(path: &Path) -> anyhow::Result<()> {
    let mut next_seq: HashMap<RoomName, u64> = HashMap::new();
    let mut current: Option<RoomName> = None;
    for (number, line) in lines(path)? {
        match line.with_context(|| format!("line {number}"))? {
            Line::Room { name, first_seq, .. } => {
                if first_seq == 0 {
                    bail!("line {number}: room {name} starts at seq 0; sequences start at 1");
                }
                if next_seq.insert(name.clone(), first_seq).is_some() {
                    bail!("line {number}: room {name} appears twice");
                }
                current = Some(name);
            }
            Line::Message(message) => {
                let Some(room) = current.as_ref().filter(|room| **room == message.room) else {
                    bail!("line {number}: an entry of {} outside its room's lines", message.room);
                };
                let expected = next_seq.get_mut(room).context("the room was listed")?;
                if message.seq != *expected {
                    bail!("line {number}: {room} seq {} where {} was due", message.seq, expected);
                }
                *expected += 1;
            }
        }
    }
    Ok(())
}

/// The file's lines, numbered from 1, each parsed (blank lines skipped).
fn lines(path: &Path) -> anyhow::Result<impl Iterator<Item = (usize, anyhow::Result<Line>)>> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let numbered = BufReader::new(file).lines().enumerate().filter_map(|(index, line)| {
        let parsed = match line {
            Ok(text) if text.trim().is_empty() => return None,
            Ok(text) => serde_json::from_str::<Line>(&text).context("not an export line"),
            Err(error) => Err(anyhow::Error::from(error).context("reading")),
        };
        Some((index + 1, parsed))
    });
    Ok(numbered)
}
