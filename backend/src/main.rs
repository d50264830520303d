//! The server binary: read settings, set up logging, run until SIGINT or SIGTERM (or carry
//! out a `user`, `backup`, `export` or `import` command on the store and stop).

use std::io::Write;

use clap::Parser;

use backend::cli::{backup, transfer, user};
use backend::config::Command;
use backend::{Application, Settings, shutdown, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::parse();
    // No log subscriber for a command: what it did is its output.
    match &settings.command {
        Some(Command::User(command)) => {
            return user::run(command, &settings, &mut std::io::stdout()).await;
        }
        Some(Command::Backup { path }) => {
            return backup::run(path, &settings, &mut std::io::stdout()).await;
        }
        Some(Command::Export) => {
            let (rooms, entries) = transfer::export::run(&settings, &mut std::io::stdout()).await?;
            // Standard output is the export itself.
            writeln!(std::io::stderr(), "exported {rooms} rooms, {entries} messages")?;
            return Ok(());
        }
        Some(Command::Import { path }) => {
            let (rooms, entries) = transfer::import::run(path, &settings).await?;
            writeln!(std::io::stdout(), "imported {rooms} rooms, {entries} messages")?;
            return Ok(());
        }
        None => {}
    }
    telemetry::init(settings.log_format);
    let application = Application::build(&settings).await?;
    tokio::spawn(shutdown::cancel_on_signal(application.shutdown_token()));
    application.run().await?;
    Ok(())
}
