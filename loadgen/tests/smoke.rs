//! A small run of every scenario against the real server binary, so the load generator keeps
//! working (the full-size runs are `scripts/bench.sh`, not part of the tests). The figures are
//! checked for what must hold at any size: everyone connected, nothing lost or dropped, and
//! every figure present; speed is for the benchmarks.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// The server binary `cargo test` built for the backend's own tests (same target directory).
fn server_bin() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"), PathBuf::from);
    let debug = target.join("debug/backend");
    assert!(debug.is_file(), "{} is missing: `cargo build -p backend` first", debug.display());
    debug
}

/// Runs `loadgen <args>` and returns its JSON reports.
fn run(name: &str, args: &[&str]) -> Vec<Value> {
    let out =
        std::env::temp_dir().join(format!("loadgen-smoke-{name}-{}.json", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_loadgen"))
        .arg("--server-bin")
        .arg(server_bin())
        .args(["--workers", "2", "--out"])
        .arg(&out)
        .args(args)
        .status()
        .expect("loadgen runs");
    assert!(status.success(), "loadgen {args:?} failed");
    let document: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("report written"))
            .expect("JSON");
    let _ = std::fs::remove_file(&out);
    assert!(document["machine"]["cpus"].as_u64().is_some_and(|cpus| cpus > 0));
    document["reports"].as_array().expect("reports").clone()
}

fn figure(report: &Value, name: &str) -> f64 {
    report["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .find(|figure| figure["name"] == name)
        .and_then(|figure| figure["value"].as_f64())
        .unwrap_or_else(|| panic!("no figure {name:?} in {report}"))
}

#[test]
fn idle_holds_every_connection() {
    let reports =
        run("idle", &["idle", "--connections", "60", "--room-size", "20", "--hold-s", "1"]);
    let idle = &reports[0];
    assert_eq!(figure(idle, "connections held"), 60.0);
    assert_eq!(figure(idle, "connections dropped while held"), 0.0);
    assert!(figure(idle, "server RSS growth per connection") > 0.0);
}

#[test]
fn fanout_delivers_every_message_to_every_member() {
    let reports = run(
        "fanout",
        &["fanout", "--members", "40", "--rates", "20", "--senders", "4", "--duration-s", "2"],
    );
    let fanout = &reports[0];
    assert_eq!(figure(fanout, "members connected"), 40.0);
    assert_eq!(figure(fanout, "members in the presence list"), 40.0);
    let acked = figure(fanout, "messages acknowledged");
    assert!(acked > 0.0, "messages went out");
    assert_eq!(figure(fanout, "deliveries"), acked * 40.0, "each to all 40");
    assert_eq!(figure(fanout, "lost deliveries"), 0.0);
    assert_eq!(figure(fanout, "connections dropped"), 0.0);
    assert!(figure(fanout, "delivery latency p99") > 0.0);
}

#[test]
fn sign_ins_complete_during_the_fanout() {
    let reports = run(
        "sign-ins",
        &[
            "sign-ins",
            "--members",
            "20",
            "--rate",
            "10",
            "--senders",
            "2",
            "--duration-s",
            "2",
            "--sign-ins",
            "5",
        ],
    );
    let storm = &reports[0];
    assert_eq!(figure(storm, "sign-ins completed"), 5.0);
    assert!(figure(storm, "sign-in latency p50") > 0.0);
    assert_eq!(figure(storm, "lost deliveries (during sign-ins)"), 0.0);
}

#[test]
fn rooms_deliver_within_each_room() {
    let reports = run(
        "rooms",
        &["rooms", "--rooms", "8", "--room-size", "5", "--rate-per-room", "4", "--duration-s", "2"],
    );
    let rooms = &reports[0];
    assert_eq!(figure(rooms, "members connected"), 40.0);
    assert_eq!(figure(rooms, "deliveries"), figure(rooms, "messages acknowledged") * 5.0);
    assert_eq!(figure(rooms, "lost deliveries"), 0.0);
}

#[test]
fn churn_completes_cycles_without_failures() {
    let reports =
        run("churn", &["churn", "--loops", "4", "--background-rooms", "2", "--duration-s", "2"]);
    let churn = &reports[0];
    assert!(figure(churn, "full cycles per second") > 0.0);
    assert_eq!(figure(churn, "failed cycles"), 0.0);
    assert_eq!(figure(churn, "steady load: connections dropped"), 0.0);
}

#[test]
fn history_reads_idle_and_under_load() {
    let reports = run(
        "history",
        &[
            "history",
            "--messages",
            "60",
            "--fanout-members",
            "20",
            "--fanout-rate",
            "10",
            "--duration-s",
            "1",
        ],
    );
    let history = &reports[0];
    assert!(figure(history, "idle: reads") > 0.0);
    assert!(figure(history, "under fanout: reads") > 0.0);
    assert!(figure(history, "fanout deliveries per second meanwhile") > 0.0);
}

#[test]
fn page_measures_a_visit_in_chromium() {
    // Needs Chromium and chromedriver (scripts/setup-tests.sh installs them).
    let dist = std::env::temp_dir().join(format!("loadgen-smoke-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).expect("dir");
    let page = format!(
        "<!doctype html><title>t</title><main class=login><p>{}</p><input id=nickname></main>",
        "words ".repeat(500)
    );
    std::fs::write(dist.join("index.html"), page).expect("write");
    let dist_arg = dist.to_string_lossy().into_owned();
    let reports =
        run("page", &["page", "--dist", &dist_arg, "--runs", "1", "--without-service-worker"]);
    let cold = figure(&reports[0], "cold, no throttling: received, page (HTTP)");
    // 3,000 bytes of HTML, uncompressed (no precompressed copy here), and the headers.
    assert!((3.0..6.0).contains(&cold), "one small page: {cold} KB");
    let repeat = figure(&reports[0], "repeat, no throttling: received, page (HTTP)");
    assert!(repeat < cold, "the repeat visit is revalidated: {repeat} KB");
    assert!(figure(&reports[0], "cold, 1.6 Mbit/s, 150 ms: sign-in form usable") >= 150.0);
    let _ = std::fs::remove_dir_all(&dist);
}

#[test]
fn cluster_delivers_across_nodes() {
    // Needs the PostgreSQL and Redis this machine runs (scripts/services.sh starts them).
    let reports = run(
        "cluster",
        &[
            "cluster",
            "--nodes",
            "2",
            "--connections",
            "100",
            "--room-size",
            "20",
            "--broadcast-members",
            "20",
            "--rate",
            "5",
            "--duration-s",
            "2",
        ],
    );
    let cluster = &reports[0];
    assert_eq!(figure(cluster, "connections held"), 120.0);
    let acked = figure(cluster, "messages acknowledged");
    assert!(acked > 0.0);
    assert_eq!(figure(cluster, "deliveries"), acked * 20.0, "members on both nodes get each one");
    assert_eq!(figure(cluster, "lost deliveries"), 0.0);
    assert!(figure(cluster, "node 1: RSS growth") > 0.0);
}
