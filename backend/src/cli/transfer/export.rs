//! `backend export`: every room and every entry of its sequence, as JSON Lines on standard
//! output, read page by page (memory stays flat however big the store).

use std::io::Write;

use anyhow::Context;

use super::Line;
use crate::config::Settings;
use crate::store::{Page, Store};

/// Entries read per page.
const PAGE: u32 = 1_000;

/// Writes the store of `settings` to `out`; returns (rooms, entries) written.
pub async fn run(settings: &Settings, out: &mut impl Write) -> anyhow::Result<(usize, u64)> {
    let store = Store::open(&settings.database_url).await.context("opening the store")?;
    let rooms = store.rooms().await.context("listing the rooms")?;
    let mut entries = 0;
    for room in &rooms {
        let first_seq = store.first_seq(&room.name).await?;
        let line = Line::Room { name: room.name.clone(), private: room.private, first_seq };
        writeln!(out, "{}", serde_json::to_string(&line)?)?;
        let mut after = 0;
        loop {
            let page = store.history(&room.name, Page::After(after), PAGE).await?;
            for message in page.messages {
                after = message.seq;
                entries += 1;
                writeln!(out, "{}", serde_json::to_string(&Line::Message(Box::new(message)))?)?;
            }
            if page.reaches_end {
                break;
            }
        }
    }
    out.flush()?;
    Ok((rooms.len(), entries))
}
