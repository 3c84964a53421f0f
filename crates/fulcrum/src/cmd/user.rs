//! `fulcrum user`: accounts of the team server (add, list, remove) and API
//! tokens, straight in the store. Built only with the `server` feature.

use super::store::{open_store, runtime};
use super::workspace_root;
use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use fulcrum_server::{auth, policy};
use fulcrum_store::{NewToken, NewUser, Page, Role, Storage};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

/// Where the accounts are.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// The workspace folder (default: the nearest folder with a
    /// fulcrum.toml at or above the current one); it holds the default
    /// store.
    #[arg(long, value_name = "DIR", env = "FULCRUM_WORKSPACE")]
    workspace: Option<PathBuf>,
    /// The store's database URL (default: `[store] url` of the
    /// workspace, else `.fulcrum/fulcrum.db` in it).
    #[arg(
        long,
        value_name = "URL",
        env = "FULCRUM_DATABASE_URL",
        hide_env_values = true
    )]
    database: Option<String>,
}

/// A role on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Their own week and their team's aggregates.
    Member,
    /// The aggregates of the teams given with --team.
    Lead,
    /// Every team's aggregates, accounts and imports.
    Admin,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Member => Role::Member,
            RoleArg::Lead => Role::Lead,
            RoleArg::Admin => Role::Admin,
        }
    }
}

/// `fulcrum user ...`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account. Without --password-stdin a strong random password
    /// is generated and printed once.
    Add(AddArgs),
    /// List the accounts.
    List(ListArgs),
    /// Remove an account with its sessions and tokens.
    Remove(RemoveArgs),
    /// Create an API token for an account and print it once.
    Token(TokenArgs),
}

/// Flags of `fulcrum user add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The account's email (sign-in name; matched to the people list).
    #[arg(value_name = "EMAIL")]
    email: String,
    /// Its role.
    #[arg(long, value_enum)]
    role: RoleArg,
    /// A team the account leads (repeatable; for members informational).
    #[arg(long = "team", value_name = "TEAM")]
    teams: Vec<String>,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
    #[command(flatten)]
    store: StoreArgs,
}

/// Flags of `fulcrum user list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    store: StoreArgs,
}

/// Flags of `fulcrum user remove`.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The account's email.
    #[arg(value_name = "EMAIL")]
    email: String,
    #[command(flatten)]
    store: StoreArgs,
}

/// Flags of `fulcrum user token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The account's email.
    #[arg(value_name = "EMAIL")]
    email: String,
    /// A name to recognise the token by.
    #[arg(long, value_name = "NAME")]
    name: String,
    #[command(flatten)]
    store: StoreArgs,
}

async fn open(args: &StoreArgs) -> anyhow::Result<fulcrum_store::Store> {
    let root = match (&args.workspace, &args.database) {
        (Some(w), _) => w.clone(),
        (None, Some(_)) => PathBuf::from("."),
        (None, None) => workspace_root(None)?,
    };
    open_store(&root, args.database.as_deref()).await
}

/// Runs one `fulcrum user` subcommand; exit code 0, or an error (exit 2).
pub fn run(command: UserCommand) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        match command {
            UserCommand::Add(a) => add(a).await,
            UserCommand::List(a) => list(a).await,
            UserCommand::Remove(a) => remove(a).await,
            UserCommand::Token(a) => token(a).await,
        }
    })
}

async fn add(a: AddArgs) -> anyhow::Result<ExitCode> {
    let email = policy::email(a.email.trim()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let teams = policy::teams(&a.teams).map_err(|e| anyhow::anyhow!("--team: {e}"))?;
    let (password, generated) = if a.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        let p = line.trim_end_matches(['\r', '\n']).to_owned();
        policy::password(&p).map_err(|e| anyhow::anyhow!("--password-stdin: {e}"))?;
        (p, false)
    } else {
        (auth::generate_password(), true)
    };
    let hash = auth::hash_password(&password)?;
    let store = open(&a.store).await?;
    let role = Role::from(a.role);
    let user = store
        .create_user(NewUser {
            email: email.clone(),
            role,
            teams,
            password_hash: Some(hash),
            now: chrono::Utc::now(),
        })
        .await
        .with_context(|| format!("cannot add {email}"))?;
    println!(
        "added {} ({}), id {}",
        user.email,
        user.role.as_str(),
        user.id
    );
    if role == Role::Lead && user.teams.is_empty() {
        eprintln!(
            "warning: {} leads no team yet: a lead sees the teams named with --team and their own team on the people list; set them on the web app's accounts page",
            user.email
        );
    }
    if generated {
        println!("password: {password}");
        eprintln!("(shown once: pass it on privately; it is stored only as an argon2 hash)");
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn list(a: ListArgs) -> anyhow::Result<ExitCode> {
    let store = open(&a.store).await?;
    let mut offset = 0;
    println!("{:<40} {:<7} {:<20} teams", "email", "role", "created");
    loop {
        let page = store
            .users(Page {
                offset,
                limit: Page::MAX_LIMIT,
            })
            .await?;
        for u in &page {
            println!(
                "{:<40} {:<7} {:<20} {}",
                u.email,
                u.role.as_str(),
                u.created_at.format("%Y-%m-%d %H:%M UTC"),
                u.teams.join(", ")
            );
        }
        if (page.len() as u32) < Page::MAX_LIMIT {
            break;
        }
        offset += Page::MAX_LIMIT;
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn remove(a: RemoveArgs) -> anyhow::Result<ExitCode> {
    let store = open(&a.store).await?;
    let email = a.email.trim().to_lowercase();
    let Some(user) = store.user_by_email(email.clone()).await? else {
        bail!("no account {email} (see `fulcrum user list`)");
    };
    store.delete_user(user.id).await?;
    println!("removed {email} with its sessions and tokens");
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn token(a: TokenArgs) -> anyhow::Result<ExitCode> {
    let name = policy::token_name(a.name.trim()).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let store = open(&a.store).await?;
    let email = a.email.trim().to_lowercase();
    let Some(user) = store.user_by_email(email.clone()).await? else {
        bail!("no account {email} (see `fulcrum user list`)");
    };
    let token = auth::new_token();
    store
        .create_token(NewToken {
            user_id: user.id,
            name,
            hash: auth::sha256_hex(&token),
            created_at: chrono::Utc::now(),
        })
        .await?;
    // The token alone on standard output, so a script can capture it.
    println!("{token}");
    eprintln!(
        "API token for {email}: shown once, stored only as a hash; send it as `Authorization: Bearer <token>`"
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
