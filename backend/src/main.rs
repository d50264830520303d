//! The server binary: read settings, set up logging, run until SIGINT or SIGTERM (or carry
//! out a `user` command on the store and stop).

use clap::Parser;

use backend::config::Command;
use backend::{Application, Settings, shutdown, telemetry, user_command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::parse();
    if let Some(Command::User(command)) = &settings.command {
        // No log subscriber: what the command did is its output.
        return user_command::run(command, &settings, &mut std::io::stdout()).await;
    }
    telemetry::init();
    let application = Application::build(&settings).await?;
    tokio::spawn(shutdown::cancel_on_signal(application.shutdown_token()));
    application.run().await?;
    Ok(())
}
