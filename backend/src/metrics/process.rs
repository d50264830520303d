//! The process's own figures, read from `/proc` when scraped (Linux; elsewhere they are left
//! out).

use std::fs;

/// Resident memory in bytes (`VmRSS` of `/proc/self/status`).
pub fn resident_bytes() -> Option<f64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024.0)
}

/// Open file descriptors (entries of `/proc/self/fd`).
pub fn open_files() -> Option<f64> {
    let count = fs::read_dir("/proc/self/fd").ok()?.count();
    Some(count as f64)
}
