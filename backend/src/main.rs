//! The server binary: read settings, set up logging, run until SIGINT or SIGTERM (or carry
//! out a `user` or `backup` command on the store and stop).

use clap::Parser;

use backend::config::Command;
use backend::{Application, Settings, backup_command, shutdown, telemetry, user_command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::parse();
    // No log subscriber for a command: what it did is its output.
    match &settings.command {
        Some(Command::User(command)) => {
            return user_command::run(command, &settings, &mut std::io::stdout()).await;
        }
        Some(Command::Backup { path }) => {
            return backup_command::run(path, &settings, &mut std::io::stdout()).await;
        }
        None => {}
    }
    telemetry::init(settings.log_format);
    let application = Application::build(&settings).await?;
    tokio::spawn(shutdown::cancel_on_signal(application.shutdown_token()));
    application.run().await?;
    Ok(())
}
