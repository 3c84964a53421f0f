//! `fulcrum import` and `fulcrum forget`, and the store side of `fulcrum
//! report --store`. Built only with the `store` feature; without it the
//! commands say how to get it.

use clap::Args;
use fulcrum_app::report::{Computed, Progress, ReportRequest};
use std::path::PathBuf;
use std::process::ExitCode;

/// Flags of `fulcrum import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The workspace folder (default: the nearest folder with a
    /// fulcrum.toml at or above the current one).
    #[arg(value_name = "WORKSPACE", env = "FULCRUM_WORKSPACE")]
    workspace: Option<PathBuf>,
    /// The store's database URL: `postgres://...` or a SQLite file.
    /// Default: `[store] url`, else `.fulcrum/fulcrum.db` in the workspace.
    #[arg(
        long,
        value_name = "URL",
        env = "FULCRUM_DATABASE_URL",
        hide_env_values = true
    )]
    database: Option<String>,
}

/// Flags of `fulcrum forget`.
#[derive(Debug, Args)]
pub struct ForgetArgs {
    /// The person to erase, by email (their aliases on the people list and
    /// their chat accounts go too).
    #[arg(long, value_name = "EMAIL")]
    person: String,
    /// The workspace folder (default: the nearest folder with a
    /// fulcrum.toml at or above the current one).
    #[arg(value_name = "WORKSPACE", env = "FULCRUM_WORKSPACE")]
    workspace: Option<PathBuf>,
    /// The store's database URL (default as for `fulcrum import`).
    #[arg(
        long,
        value_name = "URL",
        env = "FULCRUM_DATABASE_URL",
        hide_env_values = true
    )]
    database: Option<String>,
}

#[cfg(not(feature = "store"))]
const NO_STORE: &str = "this fulcrum is a lean build without the store: install the default build (`cargo install --path crates/fulcrum`), or add `--features store`";

/// `fulcrum import`.
#[cfg(not(feature = "store"))]
pub fn import(_: ImportArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!(NO_STORE)
}

/// `fulcrum forget`.
#[cfg(not(feature = "store"))]
pub fn forget(_: ForgetArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!(NO_STORE)
}

/// `fulcrum report --store`.
#[cfg(not(feature = "store"))]
pub fn compute(
    _: &ReportRequest,
    _: Option<&str>,
    _: &mut (dyn FnMut(Progress) + Send),
) -> anyhow::Result<Computed> {
    anyhow::bail!(NO_STORE)
}

#[cfg(feature = "store")]
mod with_store {
    use super::super::workspace_root;
    use super::*;
    use anyhow::Context;
    use fulcrum_app::stored::{
        compute_from_store, database_url, forget_person, import_workspace_with_progress,
    };
    use fulcrum_app::workspace::load_workspace;
    use fulcrum_store::Store;
    use std::path::Path;

    /// A runtime for one command.
    pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("cannot start the async runtime")
    }

    /// The store's URL: `--database`, else `[store] url` of the workspace,
    /// else the SQLite file `.fulcrum/fulcrum.db` in it.
    fn url_of(root: &Path, database: Option<&str>) -> String {
        let ws = load_workspace(root).ok();
        database_url(root, database, ws.as_ref())
    }

    /// Opens the store of [`url_of`] (an SQLite file is created with its
    /// folder on first use).
    pub(crate) async fn open(root: &Path, database: Option<&str>) -> anyhow::Result<Store> {
        open_url(root, &url_of(root, database)).await
    }

    async fn open_url(root: &Path, url: &str) -> anyhow::Result<Store> {
        if !url.starts_with("postgres") {
            let _ = std::fs::create_dir_all(root.join(".fulcrum"));
        }
        Store::open(url).await.with_context(|| {
            format!(
                "cannot open the store {} (give another with --database URL)",
                fulcrum_store::mask_url(url)
            )
        })
    }

    pub(super) fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
        let root = workspace_root(args.workspace)?;
        let rt = runtime()?;
        let mut bar = crate::progress::Bar::new();
        let summary = rt.block_on(async {
            let store = open(&root, args.database.as_deref()).await?;
            let summary = import_workspace_with_progress(
                &store,
                &root,
                &fulcrum_chat::Limits::default(),
                &mut |p| bar.import(p),
            )
            .await
            .with_context(|| format!("cannot import {}", root.display()));
            store.close().await;
            summary
        });
        bar.clear();
        let summary = summary?;
        let mut out = String::new();
        for l in &summary.lines {
            let o = &l.outcome;
            if o.unchanged {
                out.push_str(&format!("{:<10} {}: unchanged\n", l.kind, l.source));
            } else {
                out.push_str(&format!(
                    "{:<10} {}: {} added, {} changed, {} removed, {} kept\n",
                    l.kind, l.source, o.added, o.changed, o.removed, o.kept
                ));
            }
        }
        for c in &summary.caldav {
            out.push_str(&format!(
                "{:<10} {}: {} calendar(s), {} request(s)\n",
                "caldav", c.source, c.calendars, c.requests
            ));
        }
        out.push_str(&format!(
            "{} source(s) imported; {} weekly team aggregate(s) written\n",
            summary.lines.len(),
            summary.aggregates
        ));
        if let Some((days, r)) = summary.retention {
            out.push_str(&format!(
                "retention ({days} days): dropped {} occurrence(s), {} message(s), {} row(s)\n",
                r.occurrences, r.messages, r.rows
            ));
        }
        print!("{out}");
        for p in &summary.problems {
            eprintln!("{}", p.rustc_style());
        }
        Ok(ExitCode::SUCCESS)
    }

    pub(super) fn forget(args: ForgetArgs) -> anyhow::Result<ExitCode> {
        let root = workspace_root(args.workspace)?;
        let rt = runtime()?;
        let r = rt.block_on(async {
            let store = open(&root, args.database.as_deref()).await?;
            let report = forget_person(&store, &root, &args.person)
                .await
                .with_context(|| format!("cannot forget {}", args.person));
            store.close().await;
            report
        })?;
        println!("forgot {}:", args.person.trim().to_lowercase());
        for (n, what) in [
            (r.calendars, "calendar(s) they owned"),
            (r.occurrences, "occurrence(s) in those calendars"),
            (
                r.attendee_entries,
                "organizer/attendee entry(ies) in other calendars",
            ),
            (r.chat_users, "chat account(s)"),
            (r.messages, "message(s) they wrote"),
            (r.mentions, "mention(s) of them in other messages"),
            (r.memberships, "conversation membership(s)"),
            (r.rows, "work-item and pulse row(s)"),
            (r.accounts, "server account(s), with sessions and tokens"),
            (
                r.workflow_items,
                "ask(s), proposal(s) and meeting record(s) they wrote",
            ),
            (
                r.workflow_entries,
                "answer(s), stance(s), outcome(s), attendee and owner entries of theirs in others' workflow objects",
            ),
            (
                r.reminders,
                "reminder record(s): digest days sent, calendar feed token",
            ),
        ] {
            println!("  {n:>8}  {what}");
        }
        Ok(ExitCode::SUCCESS)
    }

    /// The SQLite file a store URL names, when it names one (not a
    /// PostgreSQL URL, not an in-memory database).
    fn sqlite_file(url: &str) -> Option<&str> {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .or_else(|| (!url.contains("://")).then_some(url))?;
        let path = path.split('?').next().unwrap_or_default();
        (!path.is_empty() && path != ":memory:").then_some(path)
    }

    pub(super) fn compute(
        req: &ReportRequest,
        database: Option<&str>,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> anyhow::Result<Computed> {
        // A report from a store that was never filled is no report: say
        // so, and create nothing.
        let url = url_of(&req.root, database);
        if let Some(file) = sqlite_file(&url)
            && !Path::new(file).exists()
        {
            anyhow::bail!(
                "there is no store at {file} yet: run `fulcrum import` first (or give one with --database URL)"
            );
        }
        let rt = runtime()?;
        rt.block_on(async {
            let store = open_url(&req.root, &url).await?;
            use fulcrum_store::{Page, Storage};
            let empty = store.last_import_run().await?.is_none()
                && store
                    .sources(Page {
                        offset: 0,
                        limit: 1,
                    })
                    .await?
                    .is_empty();
            if empty {
                store.close().await;
                anyhow::bail!(
                    "the store {} holds nothing yet: run `fulcrum import` first",
                    fulcrum_store::mask_url(&url)
                );
            }
            let computed = compute_from_store(&store, req, progress)
                .await
                .map_err(anyhow::Error::from);
            store.close().await;
            computed
        })
    }
}

/// `fulcrum import`: loads every source of the workspace into the store.
/// Exit code 0 (problems in single files are warnings), 2 when the
/// workspace or the store cannot be used.
#[cfg(feature = "store")]
pub fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    with_store::import(args)
}

/// `fulcrum forget --person EMAIL`: erases a person's records and says
/// what was removed.
#[cfg(feature = "store")]
pub fn forget(args: ForgetArgs) -> anyhow::Result<ExitCode> {
    with_store::forget(args)
}

#[cfg(feature = "store")]
pub(crate) use with_store::{open as open_store, runtime};

/// `fulcrum report --store`: the report computed from the store.
#[cfg(feature = "store")]
pub fn compute(
    req: &ReportRequest,
    database: Option<&str>,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> anyhow::Result<Computed> {
    with_store::compute(req, database, progress)
}
