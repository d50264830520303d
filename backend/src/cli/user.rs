//! `backend user add|set-role|list`: managing accounts from the command line, straight on
//! the store (a running server sees the change at the next sign-in; roles of open
//! connections do not change yet).

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};
use common::{Nickname, Role, Secret};

use crate::accounts::{AccountError, Accounts};
use crate::config::{Settings, UserCommand};
use crate::store::Store;

/// Carries out `command` on the store of `settings`, writing what it did to `out`.
pub async fn run(
    command: &UserCommand,
    settings: &Settings,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let store = Store::open(&settings.database_url).await.context("opening the store")?;
    let accounts = Accounts::new(store, settings.account_policy());
    match command {
        UserCommand::Add { username, role } => {
            let username = Nickname::parse(username)?;
            let password = read_password(&username)?;
            let account = match accounts.create(&username, &password, Role::from(*role)).await {
                Ok(account) => account,
                Err(AccountError::NameRegistered(name)) => {
                    bail!("an account named {name:?} exists already")
                }
                Err(error) => return Err(error.into()),
            };
            writeln!(out, "created {} ({})", account.username, account.role.as_str())?;
        }
        UserCommand::SetRole { username, role } => {
            let username = Nickname::parse(username)?;
            let role = Role::from(*role);
            if !accounts.set_role(&username, role).await? {
                bail!("no account is named {username:?}");
            }
            writeln!(out, "{username} is now {}", role.as_str())?;
        }
        UserCommand::List => {
            for account in accounts.list().await? {
                writeln!(
                    out,
                    "{}\t{}\t{}",
                    account.username,
                    account.role.as_str(),
                    account.created_at
                )?;
            }
        }
    }
    Ok(())
}

/// The new account's password: asked twice on the terminal (not echoed), or the first line of
/// standard input when a script pipes it in.
fn read_password(username: &Nickname) -> anyhow::Result<Secret> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("password for {username}: "))?;
        let again = rpassword::prompt_password("the same again: ")?;
        if first != again {
            bail!("the two passwords differ");
        }
        return Ok(Secret::new(first));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password")?;
    Ok(Secret::new(line.trim_end_matches(['\r', '\n'])))
}
