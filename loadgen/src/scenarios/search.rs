//! search: how long a `search` takes on a big store (a million messages by default), in
//! English and in Chinese, for common, middling and rare words, two-word queries and one
//! room; and how long the server takes to index a store that was filled before search
//! existed (everything imported is indexed at start-up).
//!
//! The store is made with `backend import` from a generated export: rooms of public messages,
//! and one private room holding a fifth of them that the searching guest may not read (so the
//! permission filter inside the query is part of what is measured; one word is only in that
//! room, the worst case, reported on its own). Words follow Zipf's law
//! over a made-up vocabulary (English-like words; Chinese two-character words written without
//! spaces), so "common" words are in a tenth of the messages and "rare" ones in a few dozen.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use common::{ClientMessage, ServerMessage};
use serde_json::json;
use tokio::time::Instant;

use super::{Setting, psql};
use crate::connect::{SETUP_WAIT, connect};
use crate::latency::Latency;
use crate::report::{Figure, Report};
use crate::server::Server;

#[derive(Debug, Clone, Args)]
pub struct Search {
    /// Messages in the store.
    #[arg(long, default_value_t = 1_000_000)]
    pub messages: usize,
    /// Public rooms they are spread over (a private room holds a fifth of them besides).
    #[arg(long, default_value_t = 20)]
    pub rooms: usize,
    /// `sqlite`, or a PostgreSQL server (`postgres://user@host:port`) on which a fresh
    /// database is made for the run and dropped after.
    #[arg(long, default_value = "sqlite")]
    pub engine: String,
    /// Seconds of queries.
    #[arg(long, default_value_t = 20)]
    pub duration_s: u64,
    /// Keep the PostgreSQL database afterwards (its URL is printed), to look at plans.
    #[arg(long)]
    pub keep_database: bool,
}

/// The word only the newest public message has: once it is found, the whole store is indexed.
const MARKER: &str = "zzlastmessage";
/// The word every message of the private room has, and no other: the searching guest, who
/// may not read that room, finds nothing, after passing over a fifth of the store's messages
/// (the worst case of filtering by permission inside the query).
const PRIVATE_WORD: &str = "zzprivateonly";
/// Messages are spread over this many days before now.
const DAYS: i64 = 60;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

pub async fn run(setting: &Setting, search: &Search) -> anyhow::Result<Report> {
    let mut report = Report::new(
        "search",
        json!({
            "messages": search.messages, "rooms": search.rooms, "engine": search.engine,
            "duration_s": search.duration_s,
        }),
    );
    let scratch = std::env::temp_dir().join(format!("chat-loadgen-search-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let (database, postgres) = if search.engine == "sqlite" {
        (format!("sqlite://{}", scratch.join("search.db").display()), None)
    } else {
        let name = format!("chat_loadgen_search_{}", std::process::id());
        psql(&search.engine, &format!("CREATE DATABASE {name}"))?;
        (format!("{}/{name}", search.engine), Some(name))
    };
    let outcome = measure(setting, search, &scratch, &database, &mut report).await;
    match postgres {
        Some(_) if search.keep_database => eprintln!("search: kept {database}"),
        Some(name) => {
            psql(&search.engine, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?
        }
        None => {}
    }
    let _ = std::fs::remove_dir_all(&scratch);
    outcome?;
    Ok(report)
}

async fn measure(
    setting: &Setting,
    search: &Search,
    scratch: &Path,
    database: &str,
    report: &mut Report,
) -> anyhow::Result<()> {
    let corpus = Corpus::new();
    let export = scratch.join("export.jsonl");
    eprintln!("search: writing {} messages", search.messages);
    corpus.write_export(&export, search.messages, search.rooms)?;
    eprintln!("search: importing");
    let started = Instant::now();
    let imported = std::process::Command::new(&setting.server_bin)
        .args(["--database-url", database, "import"])
        .arg(&export)
        .output()
        .context("running the server binary's import")?;
    if !imported.status.success() {
        bail!("import failed: {}", String::from_utf8_lossy(&imported.stderr));
    }
    report.add(Figure::new("import", started.elapsed().as_secs_f64(), "s"));
    let _ = std::fs::remove_file(&export);

    let started = Instant::now();
    let server =
        Server::start(&setting.server_bin, &["--database-url".into(), database.into()]).await?;
    let mut client = connect(server.addr, None).await?;
    client.hello(&format!("{}-searcher", setting.run), None, SETUP_WAIT).await?;
    eprintln!("search: waiting for the store to be indexed");
    loop {
        let (found, _) = ask(&mut client, MARKER, None).await?;
        if found > 0 {
            break;
        }
        if started.elapsed() > Duration::from_secs(3600) {
            bail!("the store was not indexed within an hour");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let indexing = started.elapsed().as_secs_f64();
    // The server analyzes the table once the backlog is indexed (PostgreSQL plans by how
    // common each word is): measure after that, as a server would be used.
    if search.engine != "sqlite" {
        wait_for_analyze(database).await?;
    }
    report.add(Figure::new("start-up indexing of the imported store", indexing, "s"));
    report.add(Figure::new(
        "indexing rate",
        search.messages as f64 / indexing.max(0.001),
        "messages/s",
    ));

    let kinds = corpus.query_kinds();
    let mut latencies: Vec<Latency> = kinds.iter().map(|_| Latency::default()).collect();
    let mut results: Vec<u64> = vec![0; kinds.len()];
    let mut english = Latency::default();
    let mut chinese = Latency::default();
    let deadline = Instant::now() + Duration::from_secs(search.duration_s);
    let mut round = 0;
    while Instant::now() < deadline {
        for (index, kind) in kinds.iter().enumerate() {
            let query = &kind.queries[round % kind.queries.len()];
            let room = kind.one_room.then_some("room0");
            let asked = Instant::now();
            let (found, _) = ask(&mut client, query, room).await?;
            let took = asked.elapsed();
            latencies[index].record(took);
            results[index] += found;
            match kind.tally {
                Tally::English => english.record(took),
                Tally::Chinese => chinese.record(took),
                Tally::Apart => {}
            }
        }
        round += 1;
    }
    for (index, kind) in kinds.iter().enumerate() {
        let summary = latencies[index].summary();
        let name = kind.name;
        report.add(Figure::new(&format!("{name}: p50"), summary.p50_ms, "ms"));
        report.add(Figure::new(&format!("{name}: p99"), summary.p99_ms, "ms"));
        report.add(Figure::new(
            &format!("{name}: results per page"),
            results[index] as f64 / summary.count.max(1) as f64,
            "",
        ));
    }
    for (name, latency) in [("English", english), ("Chinese", chinese)] {
        let summary = latency.summary();
        report.add(Figure::new(&format!("{name} queries"), summary.count as f64, ""));
        report.add(Figure::new(&format!("{name}: p99"), summary.p99_ms, "ms").at_most(50.0));
    }
    server.stop().await;
    Ok(())
}

/// Waits until PostgreSQL says `messages` was analyzed (by the server, after its backlog).
async fn wait_for_analyze(database: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let output = std::process::Command::new("psql")
            .arg(database)
            .args(["-Atc", "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'messages'"])
            .output()
            .context("running psql")?;
        if String::from_utf8_lossy(&output.stdout).trim() == "t" {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the server did not analyze the messages within 10 minutes");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Searches for `query` (in `room` only, if given); the number of results on the first page.
async fn ask(
    client: &mut client::Connection,
    query: &str,
    room: Option<&str>,
) -> anyhow::Result<(u64, Option<u64>)> {
    let request = ClientMessage::Search {
        request_id: client.request_id(),
        query: query.to_owned(),
        room: room.map(str::to_owned),
        author: None,
        since: None,
        until: None,
        before: None,
        limit: None,
    };
    match client.request(&request, SETUP_WAIT).await? {
        ServerMessage::SearchResults(page) => Ok((page.messages.len() as u64, page.next_before)),
        other => bail!("search for {query:?}: {other:?}"),
    }
}

/// One kind of query, with the queries of that kind to take turns with.
struct QueryKind {
    name: &'static str,
    queries: Vec<String>,
    tally: Tally,
    one_room: bool,
}

/// Which overall figure a kind's latencies count towards.
#[derive(Clone, Copy)]
enum Tally {
    English,
    Chinese,
    /// Reported on its own, outside the English and Chinese figures the bar is about.
    Apart,
}

/// The made-up vocabularies, by rank (most common first).
struct Corpus {
    english: Vec<String>,
    chinese: Vec<String>,
    english_cdf: Vec<f64>,
    chinese_cdf: Vec<f64>,
}

/// A small deterministic generator (xorshift64*): the same store every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1_u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SYLLABLES: [&str; 40] = [
    "ka", "lo", "mi", "ter", "san", "vel", "or", "din", "pra", "sto", "qua", "ne", "ril", "tho",
    "gam", "bu", "fen", "ja", "wex", "zor", "pli", "ca", "mon", "dre", "si", "tal", "ush", "ver",
    "no", "gri", "lan", "be", "ho", "sek", "tru", "ay", "fi", "mar", "cle", "op",
];

const HAN: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府";

impl Corpus {
    fn new() -> Self {
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        let mut english = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while english.len() < 5_000 {
            let parts = 2 + random.below(2);
            let word: String =
                (0..parts).map(|_| SYLLABLES[random.below(SYLLABLES.len())]).collect();
            if seen.insert(word.clone()) {
                english.push(word);
            }
        }
        let han: Vec<char> = HAN.chars().collect();
        let mut chinese = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while chinese.len() < 5_000 {
            let word: String =
                [han[random.below(han.len())], han[random.below(han.len())]].iter().collect();
            if seen.insert(word.clone()) {
                chinese.push(word);
            }
        }
        Self {
            english_cdf: zipf_cdf(english.len()),
            chinese_cdf: zipf_cdf(chinese.len()),
            english,
            chinese,
        }
    }

    fn pick<'a>(words: &'a [String], cdf: &[f64], random: &mut Random) -> &'a str {
        let drawn = random.unit();
        let at = cdf.partition_point(|&p| p < drawn).min(words.len() - 1);
        &words[at]
    }

    /// Message `n`'s text: four in five English, one in five Chinese.
    fn sentence(&self, random: &mut Random) -> String {
        if random.below(5) == 0 {
            let count = 4 + random.below(8);
            (0..count).map(|_| Self::pick(&self.chinese, &self.chinese_cdf, random)).collect()
        } else {
            let count = 5 + random.below(12);
            let words: Vec<&str> =
                (0..count).map(|_| Self::pick(&self.english, &self.english_cdf, random)).collect();
            words.join(" ")
        }
    }

    /// Writes an export of `messages` messages over `rooms` public rooms and one private one.
    fn write_export(&self, path: &Path, messages: usize, rooms: usize) -> anyhow::Result<()> {
        let mut out = BufWriter::new(std::fs::File::create(path)?);
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as i64;
        let start = now - DAYS * DAY_MS;
        let step = (DAYS * DAY_MS) / messages.max(1) as i64;
        // Room `rooms` (the private one) gets every fifth message; the rest go round the others.
        let room_of = |n: usize| if n % 5 == 4 { rooms } else { (n - n / 5) % rooms };
        // The marker goes in the newest public message: the searching guest must find it.
        let marker = (0..messages).rev().find(|&n| room_of(n) != rooms);
        for room in 0..=rooms {
            let private = room == rooms;
            let name = if private { "private0".to_owned() } else { format!("room{room}") };
            writeln!(out, "{}", json!({"type": "room", "name": name, "private": private}))?;
            let mut random = Random(0x5851_F42D_4C95_7F2D ^ (room as u64 + 1));
            let mut seq = 0;
            for n in (0..messages).filter(|&n| room_of(n) == room) {
                seq += 1;
                let body = match (Some(n) == marker, private) {
                    (true, _) => MARKER.to_owned(),
                    (false, true) => format!("{} {PRIVATE_WORD}", self.sentence(&mut random)),
                    (false, false) => self.sentence(&mut random),
                };
                let line = json!({
                    "type": "message", "room": name, "seq": seq, "id": format!("m{n}"),
                    "client_id": format!("c{n}"), "author": format!("writer{}", n % 50),
                    "body": body, "sent_at": start + step * n as i64,
                });
                writeln!(out, "{line}")?;
            }
        }
        out.flush()?;
        Ok(())
    }

    fn query_kinds(&self) -> Vec<QueryKind> {
        let english = |ranks: std::ops::Range<usize>| self.english[ranks].to_vec();
        let chinese = |ranks: std::ops::Range<usize>| self.chinese[ranks].to_vec();
        let pairs: Vec<String> = (0..20)
            .map(|n| format!("{} {}", self.english[100 + n], self.english[200 + n]))
            .collect();
        vec![
            QueryKind {
                name: "English common word",
                queries: english(0..10),
                tally: Tally::English,
                one_room: false,
            },
            QueryKind {
                name: "English middling word",
                queries: english(100..120),
                tally: Tally::English,
                one_room: false,
            },
            QueryKind {
                name: "English rare word",
                queries: english(3000..3020),
                tally: Tally::English,
                one_room: false,
            },
            QueryKind {
                name: "English two words",
                queries: pairs,
                tally: Tally::English,
                one_room: false,
            },
            QueryKind {
                name: "English word, one room",
                queries: english(100..120),
                tally: Tally::English,
                one_room: true,
            },
            QueryKind {
                name: "Chinese common word",
                queries: chinese(0..10),
                tally: Tally::Chinese,
                one_room: false,
            },
            QueryKind {
                name: "Chinese middling word",
                queries: chinese(100..120),
                tally: Tally::Chinese,
                one_room: false,
            },
            QueryKind {
                name: "Chinese rare word",
                queries: chinese(3000..3020),
                tally: Tally::Chinese,
                one_room: false,
            },
            QueryKind {
                name: "worst case: a word only in a room the reader may not read",
                queries: vec![PRIVATE_WORD.to_owned()],
                tally: Tally::Apart,
                one_room: false,
            },
        ]
    }
}

/// The cumulative distribution of Zipf's law over `n` ranks.
fn zipf_cdf(n: usize) -> Vec<f64> {
    let weights: Vec<f64> = (1..=n).map(|rank| 1.0 / rank as f64).collect();
    let total: f64 = weights.iter().sum();
    let mut sum = 0.0;
    weights
        .iter()
        .map(|weight| {
            sum += weight / total;
            sum
        })
        .collect()
}
