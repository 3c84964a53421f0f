//! `fulcrum serve`: the team web app and JSON API of a workspace, over the
//! store (accounts, sessions, tokens). Built only with the `server`
//! feature.

use super::store::open_store;
use super::workspace_root;
use anyhow::Context;
use clap::Args;
use fulcrum_app::dashboard::Snapshot;
use fulcrum_app::experiments::{
    Ended, ExperimentError, NewRequest, end_experiment_now, write_new_experiment,
};
use fulcrum_app::stored::{import_workspace, snapshot_from_store};
use fulcrum_server::{
    AppState, EditError, ExperimentEdit, ExperimentHook, Hooks, ImportHook, RefreshHook,
    ServerConfig,
};
use fulcrum_store::{Page, Storage, Store};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Flags of `fulcrum serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The workspace folder (default: the nearest folder with a
    /// fulcrum.toml at or above the current one).
    #[arg(value_name = "WORKSPACE", env = "FULCRUM_WORKSPACE")]
    workspace: Option<PathBuf>,
    /// The address to listen on.
    #[arg(
        long,
        value_name = "ADDR",
        default_value = "127.0.0.1:8080",
        env = "FULCRUM_LISTEN"
    )]
    listen: SocketAddr,
    /// The store's database URL: `postgres://...`, `sqlite://FILE` or a
    /// file path. Default: `.fulcrum/fulcrum.db` in the workspace.
    #[arg(
        long,
        value_name = "URL",
        env = "FULCRUM_DATABASE_URL",
        hide_env_values = true
    )]
    database: Option<String>,
    /// Send cookies over plain HTTP too (no `Secure` flag): only for
    /// trying the server on localhost without TLS.
    #[arg(long)]
    insecure_cookies: bool,
    /// Hours a session lasts after sign-in.
    #[arg(
        long,
        value_name = "HOURS",
        default_value_t = 12,
        env = "FULCRUM_SESSION_HOURS"
    )]
    session_hours: u64,
    /// Import the workspace's sources this often while serving (`6h`,
    /// `30m`, `1d`; the first import right after start). Overrides
    /// `[store] import_every` of fulcrum.toml; `off` imports only when an
    /// administrator asks.
    #[arg(long, value_name = "INTERVAL", env = "FULCRUM_IMPORT_EVERY", value_parser = parse_every)]
    import_every: Option<Every>,
    /// Log at debug level.
    #[arg(long)]
    verbose: bool,
}

/// `--import-every`: an interval, or `off`.
#[derive(Debug, Clone, Copy)]
enum Every {
    Off,
    Interval(std::time::Duration),
}

fn parse_every(text: &str) -> Result<Every, String> {
    if text.trim().eq_ignore_ascii_case("off") {
        return Ok(Every::Off);
    }
    fulcrum_workspace::config::parse_interval(text).map(Every::Interval)
}

/// How often to import: `--import-every` (or FULCRUM_IMPORT_EVERY), else
/// `[store] import_every` of the workspace (`None` when it could not be
/// read: the server still starts, as it does with an empty dashboard).
fn import_every(
    workspace: Option<&fulcrum_workspace::config::Workspace>,
    given: Option<Every>,
) -> Option<std::time::Duration> {
    match given {
        Some(Every::Off) => None,
        Some(Every::Interval(every)) => Some(every),
        None => workspace.and_then(|w| w.store.import_every),
    }
}

/// The client secret of `[auth.oidc]`: `FULCRUM_OIDC_CLIENT_SECRET`, else
/// the file `FULCRUM_OIDC_CLIENT_SECRET_FILE` names, else the file of
/// `client_secret_file` (relative to the workspace). Never the TOML itself.
fn oidc_client_secret(
    root: &std::path::Path,
    config: &fulcrum_workspace::config::OidcConfig,
) -> anyhow::Result<String> {
    if let Ok(secret) = std::env::var("FULCRUM_OIDC_CLIENT_SECRET")
        && !secret.trim().is_empty()
    {
        return Ok(secret.trim().to_owned());
    }
    let file = std::env::var_os("FULCRUM_OIDC_CLIENT_SECRET_FILE")
        .map(PathBuf::from)
        .or_else(|| config.client_secret_file.as_ref().map(|f| root.join(f)));
    let Some(file) = file else {
        anyhow::bail!(
            "[auth.oidc] needs its client secret: set FULCRUM_OIDC_CLIENT_SECRET or FULCRUM_OIDC_CLIENT_SECRET_FILE in the environment, or name a file with [auth.oidc] client_secret_file"
        );
    };
    let text = std::fs::read_to_string(&file).with_context(|| {
        format!(
            "cannot read the [auth.oidc] client secret from {}",
            file.display()
        )
    })?;
    let secret = text.trim();
    anyhow::ensure!(
        !secret.is_empty(),
        "{} holds no [auth.oidc] client secret",
        file.display()
    );
    Ok(secret.to_owned())
}

/// The SMTP settings of `[notify]`, with the password read from the
/// environment variable or file it names (never the TOML).
pub(super) fn smtp_settings(
    root: &std::path::Path,
    config: &fulcrum_workspace::NotifyConfig,
) -> anyhow::Result<fulcrum_server::notify::SmtpSettings> {
    use fulcrum_workspace::SecretAt;
    let password = match &config.password {
        None => None,
        Some(SecretAt::Env(name)) => Some(std::env::var(name).map_err(|_| {
            anyhow::anyhow!(
                "[notify] password_env names {name}, which is not set: set it to the SMTP password"
            )
        })?),
        Some(SecretAt::File(file)) => {
            let path = root.join(file);
            let text = std::fs::read_to_string(&path).with_context(|| {
                format!("cannot read the [notify] password from {}", path.display())
            })?;
            Some(text.trim_end_matches(['\r', '\n']).to_owned())
        }
    };
    Ok(fulcrum_server::notify::SmtpSettings {
        host: config.host.clone(),
        port: config.port,
        from: config.from.clone(),
        login: config.username.clone().zip(password),
        starttls: config.starttls,
        digest: config.digest,
    })
}

/// Sign-in through the identity provider of `[auth.oidc]`, when set.
fn oidc(
    root: &std::path::Path,
    workspace: Option<&fulcrum_workspace::config::Workspace>,
) -> anyhow::Result<Option<fulcrum_server::oidc::Oidc>> {
    let Some(config) = workspace.and_then(|w| w.auth.oidc.as_ref()) else {
        return Ok(None);
    };
    let settings = fulcrum_server::oidc::OidcSettings {
        issuer: config.issuer.clone(),
        client_id: config.client_id.clone(),
        client_secret: oidc_client_secret(root, config)?,
        redirect_url: config.redirect_url.clone(),
        label: config.label.clone(),
    };
    fulcrum_server::tracing::info!(issuer = %settings.issuer, "sign-in through the identity provider offered");
    Ok(Some(fulcrum_server::oidc::Oidc::new(settings)?))
}

/// The hooks of a workspace served from its store: refresh recomputes the
/// snapshot from the stored records; import loads the workspace's sources
/// into the store first.
pub(super) fn hooks(root: PathBuf, store: Store) -> Hooks {
    let experiments = experiments_hook(root.clone());
    let (refresh_root, refresh_store) = (root.clone(), store.clone());
    let refresh: RefreshHook = Arc::new(move || {
        let (root, store) = (refresh_root.clone(), refresh_store.clone());
        Box::pin(async move {
            snapshot_from_store(&store, &root, chrono::Utc::now())
                .await
                .map_err(|e| format!("cannot compute the report of {}: {e}", root.display()))
        })
    });
    let import: ImportHook = Arc::new(move || {
        let (root, store) = (root.clone(), store.clone());
        Box::pin(async move {
            let s = import_workspace(&store, &root, &fulcrum_chat::Limits::default())
                .await
                .map_err(|e| format!("cannot import {}: {e}", root.display()))?;
            let changed = s.lines.iter().filter(|l| !l.outcome.unchanged).count();
            Ok(format!(
                "{} source(s) read, {changed} changed; {} problem(s)",
                s.lines.len(),
                s.problems.len()
            ))
        })
    });
    Hooks {
        refresh,
        import,
        experiments: Some(experiments),
    }
}

/// Edits the workspace's `[[experiment]]` tables in `fulcrum.toml`, one
/// edit at a time (the file is the one source of truth: `import`, `report`
/// and `experiment` read the same declarations).
fn experiments_hook(root: PathBuf) -> ExperimentHook {
    let one_at_a_time = Arc::new(std::sync::Mutex::new(()));
    Arc::new(move |edit: ExperimentEdit| {
        let (root, lock) = (root.clone(), one_at_a_time.clone());
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let _held = lock
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                apply_edit(&root, edit)
            })
            .await
            .map_err(|e| EditError::Failed(format!("editing fulcrum.toml failed: {e}")))?
        })
    })
}

fn apply_edit(root: &std::path::Path, edit: ExperimentEdit) -> Result<String, EditError> {
    let said = |e: ExperimentError| match e {
        ExperimentError::Workspace(fulcrum_app::workspace::WorkspaceError::Io { .. }) => {
            EditError::Failed(format!("{e:#}"))
        }
        other => EditError::Invalid(other.to_string()),
    };
    match edit {
        ExperimentEdit::New {
            team,
            start,
            weeks,
            from_finding,
            control,
        } => {
            let new = write_new_experiment(&NewRequest {
                root: root.to_owned(),
                team,
                start,
                from_finding,
                weeks,
                control,
                id: None,
                primary: None,
            })
            .map_err(said)?;
            Ok(format!("experiment {} declared from {}", new.id, new.start))
        }
        ExperimentEdit::End { team, id, today } => {
            match end_experiment_now(root, &team, &id, today).map_err(said)? {
                Ended::Ended(d) => Ok(format!("experiment {id} ended on {d}")),
                Ended::Removed => Ok(format!(
                    "experiment {id} removed: no whole week of the change had run"
                )),
            }
        }
    }
}

/// Resolves when the process is asked to stop (Ctrl-C, or SIGTERM on Unix).
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    fulcrum_server::tracing::info!("stopping: finishing the requests in flight");
}

/// Serves until Ctrl-C or SIGTERM; exit code 0, or an error (exit 2).
pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    fulcrum_server::init_logging(args.verbose);
    let root = workspace_root(args.workspace)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    // fulcrum.toml once, for the schedule and the sign-in settings. An
    // unreadable one still lets the server start (an empty dashboard, no
    // schedule, passwords only), and says why.
    let workspace = match fulcrum_app::workspace::load_workspace(&root) {
        Ok(ws) => Some(ws.workspace),
        Err(e) => {
            fulcrum_server::tracing::error!(
                error = %e,
                "cannot read the workspace: no scheduled imports, no [auth.oidc]"
            );
            None
        }
    };
    let every = import_every(workspace.as_ref(), args.import_every);
    let oidc = oidc(&root, workspace.as_ref())?;
    let smtp = workspace
        .as_ref()
        .and_then(|w| w.notify.as_ref())
        .map(|n| smtp_settings(&root, n))
        .transpose()?;
    let public_url = workspace.as_ref().and_then(|w| w.serve.public_url.clone());
    runtime.block_on(async move {
        let store = open_store(&root, args.database.as_deref()).await?;
        if store.users(Page { offset: 0, limit: 1 }).await?.is_empty() {
            fulcrum_server::tracing::warn!(
                "no accounts yet: add one with `fulcrum user add EMAIL --role admin` (no restart needed)"
            );
        }
        let hooks = hooks(root.clone(), store.clone());
        let snapshot = match (hooks.refresh)().await {
            Ok(s) => s,
            Err(e) => {
                fulcrum_server::tracing::error!(error = %e, "starting with an empty dashboard");
                Snapshot::empty(chrono::Utc::now())
            }
        };
        if args.insecure_cookies && !args.listen.ip().is_loopback() {
            fulcrum_server::tracing::warn!(
                listen = %args.listen,
                "--insecure-cookies on a non-loopback address: session cookies can travel unencrypted"
            );
        }
        let config = ServerConfig {
            listen: args.listen,
            secure_cookies: !args.insecure_cookies,
            session_ttl: std::time::Duration::from_secs(args.session_hours.max(1) * 3600),
            public_url,
            ..ServerConfig::default()
        };
        let mut state = AppState::new(store, snapshot, hooks, config);
        if let Some(oidc) = oidc {
            state = state.with_oidc(oidc);
        }
        let digests = match smtp {
            Some(smtp) => {
                let send = smtp.digest;
                state = state.with_smtp(smtp);
                send.then(|| {
                    fulcrum_server::notify::ScheduledDigests::start(
                        state.clone(),
                        fulcrum_server::notify::DIGEST_TICK,
                    )
                })
            }
            None => None,
        };
        let schedule =
            every.map(|every| fulcrum_server::schedule::ScheduledImports::start(state.clone(), every));
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let addr = listener.local_addr().unwrap_or(args.listen);
        fulcrum_server::tracing::info!(workspace = %root.display(), "serving on http://{addr}");
        fulcrum_server::serve(
            listener,
            fulcrum_server::router(state.clone()),
            &state.config,
            shutdown_signal(),
        )
        .await
        .context("the server stopped with an error")?;
        if let Some(schedule) = schedule {
            schedule.stop(&state, state.config.shutdown_deadline).await;
        }
        if let Some(digests) = digests {
            digests.stop().await;
        }
        if let Ok(store) = Arc::try_unwrap(state.store) {
            store.close().await;
        }
        Ok(ExitCode::SUCCESS)
    })
}
