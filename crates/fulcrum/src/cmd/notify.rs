//! `fulcrum notify send`: runs the server's reminder digests once (the
//! same `send_due_digests` the schedule of `fulcrum serve` calls), so an
//! operator can try the `[notify]` settings; `--dry-run` prints who would
//! get what without sending. Built only with the `server` feature.

use super::serve::{hooks, smtp_settings};
use super::store::open_store;
use super::workspace_root;
use anyhow::Context;
use clap::{Args, Subcommand};
use fulcrum_app::stored::snapshot_from_store;
use fulcrum_server::{AppState, ServerConfig};
use std::path::PathBuf;
use std::process::ExitCode;

/// `fulcrum notify ...`.
#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Send the reminder digests due now (each person's, once in their
    /// morning, when something waits on them). Exit code: 0, 1 when a
    /// digest could not be sent, 2 on an error.
    Send(SendArgs),
}

/// Flags of `fulcrum notify send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// The workspace folder (default: the nearest folder with a
    /// fulcrum.toml at or above the current one).
    #[arg(long, value_name = "DIR", env = "FULCRUM_WORKSPACE")]
    workspace: Option<PathBuf>,
    /// The store's database URL (default: `.fulcrum/fulcrum.db` in the
    /// workspace).
    #[arg(
        long,
        value_name = "URL",
        env = "FULCRUM_DATABASE_URL",
        hide_env_values = true
    )]
    database: Option<String>,
    /// The instant to act at (RFC 3339), instead of the clock.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// Print who would get which digest, without sending or recording.
    #[arg(long)]
    dry_run: bool,
}

/// Runs a `notify` subcommand.
pub fn run(command: NotifyCommand) -> anyhow::Result<ExitCode> {
    let NotifyCommand::Send(args) = command;
    let root = workspace_root(args.workspace)?;
    let now = match &args.now {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t)
            .with_context(|| format!("--now {t:?} is not an RFC 3339 time"))?
            .with_timezone(&chrono::Utc),
        None => chrono::Utc::now(),
    };
    let loaded = fulcrum_app::workspace::load_workspace(&root)?;
    let ws = loaded.workspace;
    let notify = ws.notify.as_ref().context(
        "fulcrum.toml has no [notify]: add host and from (see docs/workspace.md) to send digests",
    )?;
    let smtp = smtp_settings(&root, notify)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let store = open_store(&root, args.database.as_deref()).await?;
        let snapshot = snapshot_from_store(&store, &root, now)
            .await
            .with_context(|| format!("cannot compute the report of {}", root.display()))?;
        let config = ServerConfig {
            public_url: ws.serve.public_url.clone(),
            ..ServerConfig::default()
        };
        let hooks = hooks(root.clone(), store.clone());
        let state = AppState::new(store, snapshot, hooks, config).with_smtp(smtp);
        if args.dry_run {
            let due = fulcrum_server::notify::due_digests(&state, now).await?;
            println!("{} digest(s) due at {now}", due.len());
            for d in &due {
                println!("\nTo: {}\nSubject: {}\n\n{}", d.to, d.subject, d.text);
            }
            return Ok(ExitCode::SUCCESS);
        }
        let run = fulcrum_server::notify::send_due_digests(&state, now).await?;
        println!("{}", run.summary());
        for to in &run.sent {
            println!("  sent to {to}");
        }
        for (to, why) in &run.failed {
            println!("  not sent to {to}: {why}");
        }
        Ok(if run.failed.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}
