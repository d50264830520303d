//! A SQLite file of its own for each test, shared by the test binaries (`#[path]`-included).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

/// A SQLite file of its own for one test, deleted (with its WAL files) when dropped.
pub struct TestDatabase {
    pub path: PathBuf,
}

impl TestDatabase {
    pub fn new() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join("chat-tests").join(format!("{}-{n}.db", std::process::id()));
        let database = Self { path };
        database.remove_files(); // a leftover of an earlier run with the same pid
        database
    }

    pub fn url(&self) -> String {
        format!("sqlite://{}", self.path.display())
    }

    fn remove_files(&self) {
        for suffix in ["", "-wal", "-shm"] {
            // Absent files are fine: that is the goal.
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        self.remove_files();
    }
}
