//! frontend: the release page's whole first load (HTML, JS, WASM, CSS, fonts), gzipped, as a
//! browser downloads it from `dist/`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde_json::json;

use crate::report::{Figure, Report};

/// The bar: 120 KB gzipped.
const BAR_KB: f64 = 120.0;

pub fn run(dist: &Path) -> anyhow::Result<Report> {
    let mut report = Report::new("frontend", json!({ "dist": dist.display().to_string() }));
    let mut total = 0_u64;
    let mut files: Vec<_> = std::fs::read_dir(dist)
        .with_context(|| {
            format!("reading {} (build it with `trunk build --release`)", dist.display())
        })?
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_file())
        .collect();
    files.sort_by_key(|entry| entry.file_name());
    for entry in files {
        let bytes = std::fs::read(entry.path())?;
        let gzipped = gzip_len(&bytes)?;
        total += gzipped;
        let name = entry.file_name().to_string_lossy().into_owned();
        report.add(Figure::new(
            &format!("{name} (gzipped; {} B raw)", bytes.len()),
            gzipped as f64 / 1000.0,
            "KB",
        ));
    }
    report
        .add(Figure::new("whole first load, gzipped", total as f64 / 1000.0, "KB").at_most(BAR_KB));
    Ok(report)
}

/// The size of `bytes` compressed by `gzip -9` (what a server would send).
fn gzip_len(bytes: &[u8]) -> anyhow::Result<u64> {
    let mut gzip = std::process::Command::new("gzip")
        .arg("-9c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("running gzip")?;
    gzip.stdin.take().context("gzip stdin")?.write_all(bytes)?;
    let output = gzip.wait_with_output()?;
    Ok(output.stdout.len() as u64)
}
