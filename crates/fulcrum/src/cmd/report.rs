//! `fulcrum report`: signals, findings and moves of a workspace, on the
//! terminal or as HTML, JSON or CSV.

use super::parse_date;
use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use fulcrum_app::report::{ReportRequest, compute_report};
use fulcrum_app::workspace::{WORKSPACE_FILE, find_workspace};
use fulcrum_demo::DemoOptions;
use fulcrum_report::report::{self, Individuals, Privacy, ReportInput};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A one-screen summary: findings first, then key signals per team.
    Term,
    /// One self-contained HTML page with charts.
    Html,
    /// The versioned JSON schema of docs/report.md.
    Json,
    /// One row per team-week (and person-week when allowed).
    Csv,
}

/// Flags of `fulcrum report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The workspace folder (default: the nearest folder with a
    /// fulcrum.toml at or above the current one; with --demo, fulcrum-demo).
    #[arg(value_name = "WORKSPACE")]
    workspace: Option<PathBuf>,
    /// Report on the demo workspace, writing it first (`fulcrum demo`
    /// defaults) when the folder holds no fulcrum.toml.
    #[arg(long)]
    demo: bool,
    /// First day, YYYY-MM-DD (its whole ISO week is included). Default: the
    /// span of the data, at most its last 13 weeks (see docs/report.md).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    from: Option<NaiveDate>,
    /// Last day, YYYY-MM-DD (its whole ISO week is included).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    to: Option<NaiveDate>,
    /// Only this team.
    #[arg(long, value_name = "TEAM")]
    team: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Term)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// Add this person's own rows (their own view).
    #[arg(long, value_name = "EMAIL", conflicts_with = "individuals")]
    person: Option<String>,
    /// Add every person's rows: an analyst's explicit choice; the report
    /// carries a warning line.
    #[arg(long)]
    individuals: bool,
    /// Replace names and emails by stable pseudonyms in every output.
    #[arg(long)]
    pseudonymize: bool,
    /// Judge the workspace's experiments as of this day instead of today
    /// (YYYY-MM-DD), as `fulcrum experiment show --as-of` does.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// Compute from the store (what `fulcrum import` loaded) instead of
    /// reading the files.
    #[arg(long)]
    store: bool,
    /// The store's database URL (with --store): `postgres://...` or a
    /// SQLite file. Default: `[store] url`, else `.fulcrum/fulcrum.db` in
    /// the workspace.
    #[arg(
        long,
        value_name = "URL",
        env = "FULCRUM_DATABASE_URL",
        hide_env_values = true
    )]
    database: Option<String>,
    /// In the terminal summary, list every team, finding and experiment
    /// instead of one screen's worth (worst teams first).
    #[arg(long)]
    all: bool,
}

/// Why the output must go to a file: an HTML page (half a megabyte with
/// its charts) is no use on a terminal. `None` when the output may go where
/// it is going.
fn needs_out(
    format: Format,
    out: Option<&std::path::Path>,
    stdout_is_terminal: bool,
) -> Option<String> {
    (format == Format::Html && out.is_none() && stdout_is_terminal).then(|| {
        "--format html writes a whole web page (with its charts, about half a megabyte): give --out report.html, then open the file in a browser (or redirect standard output to a file)".to_owned()
    })
}

/// Computes and renders; exit code 0, or an error (exit 2).
pub fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    // Refused before any work is done.
    if let Some(why) = needs_out(
        args.format,
        args.out.as_deref(),
        std::io::stdout().is_terminal(),
    ) {
        bail!(why);
    }
    // `--database` means nothing without `--store`; FULCRUM_DATABASE_URL
    // in the environment (a server's settings) is no such mistake.
    if !args.store
        && args.database.is_some()
        && std::env::var("FULCRUM_DATABASE_URL").ok() != args.database
    {
        bail!("--database is the store to report from: give --store too");
    }
    let root = match (&args.workspace, args.demo) {
        (Some(w), _) => w.clone(),
        (None, true) => PathBuf::from("fulcrum-demo"),
        (None, false) => {
            let cwd = std::env::current_dir().context("cannot read the current folder")?;
            find_workspace(&cwd).with_context(|| {
                format!(
                    "no {WORKSPACE_FILE} in {} or above: give a WORKSPACE folder, run `fulcrum init`, or try `fulcrum report --demo`",
                    cwd.display()
                )
            })?
        }
    };
    if args.demo && !root.join(WORKSPACE_FILE).is_file() {
        eprintln!(
            "writing the demo workspace into {} (fulcrum demo)...",
            root.display()
        );
        let mut bar = crate::progress::Bar::new();
        fulcrum_app::demo::write_demo_with_progress(
            &root,
            &DemoOptions::default(),
            false,
            &mut |p| bar.demo(p),
        )
        .with_context(|| format!("cannot write the demo workspace into {}", root.display()))?;
    }
    let mut progress = crate::progress::Bar::new();
    let req = ReportRequest {
        root: root.clone(),
        from: args.from,
        to: args.to,
        limits: fulcrum_chat::Limits::default(),
    };
    let computed = if args.store {
        super::store::compute(&req, args.database.as_deref(), &mut |p| progress.report(&p))
    } else {
        compute_report(&req, &mut |p| progress.report(&p)).map_err(anyhow::Error::from)
    };
    progress.clear();
    let c = computed.with_context(|| format!("cannot compute the report of {}", root.display()))?;

    if std::env::var_os("FULCRUM_TIMINGS").is_some() {
        for (stage, secs) in &c.timings {
            eprintln!("{secs:8.2} s  {stage}");
        }
    }
    if let Some(team) = &args.team
        && !c.signals.teams.iter().any(|t| &t.team == team)
    {
        let known: Vec<&str> = c.signals.teams.iter().map(|t| t.team.as_str()).collect();
        bail!(
            "no team {team:?} in the workspace (teams: {})",
            known.join(", ")
        );
    }
    let individuals = match (&args.person, args.individuals) {
        (Some(email), _) => {
            let e = email.trim().to_lowercase();
            let i = c
                .people
                .iter()
                .position(|p| p.email == e || p.aliases.iter().any(|a| a.to_lowercase() == e))
                .with_context(|| {
                    format!("--person {email}: nobody with that email or alias on the people list")
                })?;
            Individuals::Person(i)
        }
        (None, true) => Individuals::All,
        (None, false) => Individuals::None,
    };
    let mut inputs = vec![("workspace".to_owned(), root.display().to_string())];
    inputs.extend(c.inputs.lines());
    inputs.push(("hash key".to_owned(), c.key_source.clone()));
    let title = c.workspace.workspace.team.name.clone();
    let today = args
        .as_of
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let experiments = fulcrum_app::experiments::in_report(&c, today);
    let view = report::build(
        &ReportInput {
            title,
            window: c.window,
            window_rule: c.window_rule.clone(),
            signals: &c.signals,
            assessments: &c.assessments,
            activity: &c.activity,
            people: &c.people,
            thresholds: &c.thresholds,
            min_group_size: c.min_group_size,
            key: c.key,
            key_source: c.key_source.clone(),
            inputs,
            problems: c.problems.clone(),
            experiments: &experiments,
        },
        &Privacy {
            individuals,
            pseudonymize: args.pseudonymize,
            team: args.team.clone(),
        },
    );

    let to_terminal = args.out.is_none() && std::io::stdout().is_terminal();
    let mut sink: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        Format::Term => {
            let color = to_terminal && std::env::var_os("NO_COLOR").is_none();
            let opts = report::term::TermOptions {
                color,
                all: args.all,
            };
            report::term::write(&view, &mut sink, opts)?
        }
        Format::Html => report::html::write(&view, &mut sink)?,
        Format::Json => report::json::write(&view, &mut sink)?,
        Format::Csv => report::csv::write(&view, &mut sink)?,
    }
    sink.flush()?;
    if let Some(path) = &args.out {
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_to_a_terminal_needs_out() {
        let why = needs_out(Format::Html, None, true).unwrap_or_default();
        assert!(why.contains("give --out report.html"), "{why}");
        // A file, or a pipe, or another format: fine.
        assert!(needs_out(Format::Html, Some(std::path::Path::new("r.html")), true).is_none());
        assert!(needs_out(Format::Html, None, false).is_none());
        assert!(needs_out(Format::Term, None, true).is_none());
        assert!(needs_out(Format::Json, None, true).is_none());
    }
}
