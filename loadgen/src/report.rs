//! What a run found: a table on the terminal and a JSON file with every figure, the machine
//! and the commit it ran on.

use std::path::Path;

use serde::Serialize;
use serde_json::json;

/// One measured figure, with the bar it is held to (if the benchmarks issue sets one).
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: String,
    /// The bar, as text (`<= 8 KiB`), and whether this run met it.
    pub bar: Option<String>,
    pub met: Option<bool>,
}

impl Figure {
    pub fn new(name: &str, value: f64, unit: &str) -> Self {
        Self { name: name.to_owned(), value, unit: unit.to_owned(), bar: None, met: None }
    }

    /// Held to `value <= limit`.
    pub fn at_most(mut self, limit: f64) -> Self {
        self.bar = Some(format!("<= {limit} {}", self.unit));
        self.met = Some(self.value <= limit);
        self
    }

    /// Held to `value >= limit`.
    pub fn at_least(mut self, limit: f64) -> Self {
        self.bar = Some(format!(">= {limit} {}", self.unit));
        self.met = Some(self.value >= limit);
        self
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub scenario: String,
    pub parameters: serde_json::Value,
    pub figures: Vec<Figure>,
    pub notes: Vec<String>,
}

impl Report {
    pub fn new(scenario: &str, parameters: serde_json::Value) -> Self {
        Self { scenario: scenario.to_owned(), parameters, figures: Vec::new(), notes: Vec::new() }
    }

    pub fn add(&mut self, figure: Figure) {
        self.figures.push(figure);
    }

    /// The table for the terminal.
    pub fn table(&self) -> String {
        let mut out = format!("\n{} {}\n", self.scenario, self.parameters);
        out.push_str(&format!("  {:<44} {:>14}  {:<10} {}\n", "figure", "value", "unit", "bar"));
        for figure in &self.figures {
            let bar = match (&figure.bar, figure.met) {
                (Some(bar), Some(true)) => format!("{bar}  met"),
                (Some(bar), Some(false)) => format!("{bar}  NOT MET"),
                _ => String::new(),
            };
            out.push_str(&format!(
                "  {:<44} {:>14}  {:<10} {bar}\n",
                figure.name,
                format_value(figure.value),
                figure.unit
            ));
        }
        for note in &self.notes {
            out.push_str(&format!("  note: {note}\n"));
        }
        out
    }

    /// Writes every report of a run, with the machine and commit, to `path` as JSON.
    pub fn write_all(reports: &[Report], path: &Path) -> anyhow::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let document = json!({
            "machine": machine(),
            "commit": command_output("git", &["rev-parse", "HEAD"]),
            "unix_time": std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            "reports": reports,
        });
        std::fs::write(path, serde_json::to_string_pretty(&document)?)?;
        Ok(())
    }
}

fn format_value(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else if value.abs() >= 100.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.3}")
    }
}

fn machine() -> serde_json::Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|line| line.starts_with("model name"))
        .and_then(|line| line.split_once(':'))
        .map(|(_, model)| model.trim().to_owned());
    json!({
        "hostname": command_output("hostname", &[]),
        "kernel": command_output("uname", &["-r"]),
        "cpus": std::thread::available_parallelism().map_or(0, usize::from),
        "cpu_model": model,
        "memory": std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|info| info.lines().next().map(str::to_owned)),
    })
}

fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let output = std::process::Command::new(program).args(args).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
