//! The parent's side of the worker processes: starts them with their plans, waits until all
//! are ready, says `go` to all at once, and collects their figures (see [`crate::worker`]).

use std::net::IpAddr;
use std::process::Stdio;

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use crate::worker::{Plan, Ready, WorkerResult};

/// The parent's side: the worker processes of one run.
pub struct Workers {
    children: Vec<(Child, ChildStdin, Lines<BufReader<ChildStdout>>)>,
}

impl Workers {
    /// Starts one worker process per plan.
    pub async fn spawn(plans: &[Plan]) -> anyhow::Result<Self> {
        let exe = std::env::current_exe()?;
        let mut children = Vec::new();
        for plan in plans {
            let mut child = Command::new(&exe)
                .arg("worker")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .kill_on_drop(true)
                .spawn()?;
            let mut stdin = child.stdin.take().context("worker stdin")?;
            let stdout = child.stdout.take().context("worker stdout")?;
            stdin.write_all(format!("{}\n", serde_json::to_string(plan)?).as_bytes()).await?;
            children.push((child, stdin, BufReader::new(stdout).lines()));
        }
        Ok(Self { children })
    }

    /// Waits until every worker has set up; returns their reports.
    pub async fn ready(&mut self) -> anyhow::Result<Vec<Ready>> {
        let mut reports = Vec::new();
        for (_, _, lines) in &mut self.children {
            let line = lines.next_line().await?.context("a worker exited during set-up")?;
            let json =
                line.strip_prefix("ready ").with_context(|| format!("unexpected: {line}"))?;
            reports.push(serde_json::from_str(json)?);
        }
        Ok(reports)
    }

    /// Starts every worker's run at once.
    pub async fn go(&mut self) -> anyhow::Result<()> {
        for (_, stdin, _) in &mut self.children {
            stdin.write_all(b"go\n").await?;
            stdin.flush().await?;
        }
        Ok(())
    }

    /// Waits for every worker's figures.
    pub async fn results(mut self) -> anyhow::Result<Vec<WorkerResult>> {
        let mut results = Vec::new();
        for (child, _, lines) in &mut self.children {
            let line = lines.next_line().await?.context("a worker exited during its run")?;
            let json =
                line.strip_prefix("result ").with_context(|| format!("unexpected: {line}"))?;
            results.push(serde_json::from_str(json)?);
            let _ = child.wait().await;
        }
        Ok(results)
    }
}

/// The local address worker `n` binds to: 127.0.0.2, 127.0.0.3, ... (all of 127/8 is loopback).
pub fn worker_address(n: usize) -> IpAddr {
    let n = u8::try_from(n % 250).unwrap_or(0);
    IpAddr::from([127, 0, 0, 2 + n])
}
