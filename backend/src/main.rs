//! The server binary: read settings, set up logging, run until SIGINT or SIGTERM.

use clap::Parser;

use backend::{Application, Settings, shutdown, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::parse();
    telemetry::init();
    let application = Application::build(&settings).await?;
    tokio::spawn(shutdown::cancel_on_signal(application.shutdown_token()));
    application.run().await?;
    Ok(())
}
