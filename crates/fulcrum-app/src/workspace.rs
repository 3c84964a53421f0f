//! The workspace on disk: finding `fulcrum.toml`, reading it and
//! `people.csv`, expanding `[sources]` globs, writing the `init` template,
//! and resolving the identities seen in chat exports.

use crate::chat::{UnreadableExport, export_users};
use fulcrum_chat::Limits;
use fulcrum_model::diagnostic::Diagnostic;
use fulcrum_workspace::template::{PEOPLE_TEMPLATE, WORKSPACE_TEMPLATE};
use fulcrum_workspace::{
    ConfigErrors, Directory, IdentityReport, Workspace, parse_people_csv, parse_workspace,
};
use globset::{Glob, GlobSetBuilder};
use std::path::{Path, PathBuf};

/// The name of the workspace file.
pub const WORKSPACE_FILE: &str = "fulcrum.toml";

/// Why a workspace could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// The folder holds no `fulcrum.toml`.
    #[error(
        "{} holds no fulcrum.toml: run `fulcrum init {}` to write one (with a people.csv \
         template), or give the folder that holds it",
        .0.display(),
        .0.display()
    )]
    NoWorkspace(PathBuf),
    /// The workspace lists nobody.
    #[error(
        "{}: no people: add [[people]] entries or a people.csv ([team] people_csv); \
         `fulcrum init` writes a commented template",
        .0.display()
    )]
    NoPeople(PathBuf),
    /// A file could not be read (the cause follows in the error chain).
    #[error("{}: cannot be read", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A file is not UTF-8.
    #[error("{0}: not UTF-8 text")]
    NotUtf8(PathBuf),
    /// Located configuration errors.
    #[error("{0}")]
    Config(ConfigErrors),
    /// A glob of `[sources]` is not a valid pattern.
    #[error("fulcrum.toml: `sources`: {pattern:?} is not a valid glob ({reason})")]
    Glob {
        /// The pattern.
        pattern: String,
        /// Why.
        reason: String,
    },
    /// `fulcrum init` would overwrite a file.
    #[error("{0} already exists (use --force to overwrite it)")]
    Exists(PathBuf),
}

/// A workspace read from disk.
#[derive(Debug, Clone)]
pub struct LoadedWorkspace {
    /// The folder holding `fulcrum.toml`.
    pub root: PathBuf,
    /// The parsed configuration, with people.csv's people appended.
    pub workspace: Workspace,
}

/// The nearest folder at or above `start` that holds a `fulcrum.toml`.
pub fn find_workspace(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(WORKSPACE_FILE).is_file())
        .map(Path::to_path_buf)
}

fn read_text(path: &Path) -> Result<String, WorkspaceError> {
    let bytes = std::fs::read(path).map_err(|source| WorkspaceError::Io {
        path: path.to_owned(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|_| WorkspaceError::NotUtf8(path.to_owned()))
}

/// Reads `root/fulcrum.toml` and, when `[team] people_csv` names one, the
/// people CSV.
pub fn load_workspace(root: &Path) -> Result<LoadedWorkspace, WorkspaceError> {
    let file = root.join(WORKSPACE_FILE);
    if !file.exists() {
        return Err(WorkspaceError::NoWorkspace(root.to_owned()));
    }
    let text = read_text(&file)?;
    let mut workspace = parse_workspace(&text, WORKSPACE_FILE).map_err(WorkspaceError::Config)?;
    if let Some(csv) = workspace.team.people_csv.clone() {
        let csv_text = read_text(&root.join(&csv))?;
        let people =
            parse_people_csv(&csv_text, &csv, &workspace.team).map_err(WorkspaceError::Config)?;
        workspace.people.extend(people);
    }
    // The teams of experiments are known only now that people.csv is read.
    if !workspace.people.is_empty() {
        let teams = workspace.people.iter().map(|p| p.team.clone()).collect();
        let errors = fulcrum_workspace::experiment::check_teams(
            &workspace.experiments,
            &teams,
            WORKSPACE_FILE,
        );
        if !errors.is_empty() {
            return Err(WorkspaceError::Config(ConfigErrors(errors)));
        }
    }
    Ok(LoadedWorkspace {
        root: root.to_owned(),
        workspace,
    })
}

/// [`load_workspace`] for the use cases that need someone to report on
/// (`report`, `import`): a workspace that lists nobody is an error, the
/// same one for both.
pub fn load_workspace_with_people(root: &Path) -> Result<LoadedWorkspace, WorkspaceError> {
    let ws = load_workspace(root)?;
    if ws.workspace.people.is_empty() {
        return Err(WorkspaceError::NoPeople(root.join(WORKSPACE_FILE)));
    }
    Ok(ws)
}

/// Expands globs relative to `root`: every file or folder whose path
/// (relative, `/`-separated) matches. A matching folder is taken whole (an
/// unpacked Slack export) and not searched further. Returns the paths in
/// order and the patterns that matched nothing.
pub fn expand_globs(
    root: &Path,
    patterns: &[String],
) -> Result<(Vec<PathBuf>, Vec<String>), WorkspaceError> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| WorkspaceError::Glob {
            pattern: p.clone(),
            reason: e.to_string(),
        })?;
        builder.add(glob);
    }
    let set = builder.build().map_err(|e| WorkspaceError::Glob {
        pattern: patterns.join(", "),
        reason: e.to_string(),
    })?;
    let mut found = Vec::new();
    let mut hits = vec![false; patterns.len()];
    let mut stack = vec![(root.to_owned(), String::new(), 0u32)];
    while let Some((dir, prefix, depth)) = stack.pop() {
        let Ok(items) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut items: Vec<_> = items.flatten().collect();
        items.sort_by_key(|i| i.file_name());
        for item in items {
            let Some(name) = item.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            let rel = format!("{prefix}{name}");
            let Ok(kind) = item.file_type() else { continue };
            let matches = set.matches(&rel);
            if !matches.is_empty() {
                for m in matches {
                    hits[m] = true;
                }
                found.push(item.path());
                continue;
            }
            if kind.is_dir() && depth < 16 && !name.starts_with('.') && name != "target" {
                stack.push((item.path(), format!("{rel}/"), depth + 1));
            }
        }
    }
    found.sort();
    let unmatched = patterns
        .iter()
        .zip(hits)
        .filter(|(_, h)| !h)
        .map(|(p, _)| p.clone())
        .collect();
    Ok((found, unmatched))
}

/// The files of one `[sources]` list (`what`: `calendars`, `chat`, ...):
/// [`expand_globs`] under the workspace root, each pattern that matches
/// nothing noted in `problems` as `fulcrum.toml: [sources] WHAT: PATTERN
/// matches no file`.
pub fn source_paths(
    root: &Path,
    patterns: &[String],
    what: &str,
    problems: &mut Vec<Diagnostic>,
) -> Result<Vec<PathBuf>, WorkspaceError> {
    let (found, unmatched) = expand_globs(root, patterns)?;
    for p in unmatched {
        problems.push(
            Diagnostic::warning(
                WORKSPACE_FILE,
                format!("[sources] {what}: {p:?} matches no file"),
            )
            .with_help("fix the pattern, or remove it if the source is gone"),
        );
    }
    Ok(found)
}

/// Writes `fulcrum.toml` and `people.csv` templates into `dir`. Refuses to
/// overwrite unless `force`. Returns the files written.
pub fn init_workspace(dir: &Path, force: bool) -> Result<Vec<PathBuf>, WorkspaceError> {
    std::fs::create_dir_all(dir).map_err(|source| WorkspaceError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let files = [
        (dir.join(WORKSPACE_FILE), WORKSPACE_TEMPLATE),
        (dir.join("people.csv"), PEOPLE_TEMPLATE),
    ];
    if !force && let Some((path, _)) = files.iter().find(|(p, _)| p.exists()) {
        return Err(WorkspaceError::Exists(path.clone()));
    }
    let mut written = Vec::new();
    for (path, text) in files {
        std::fs::write(&path, text).map_err(|source| WorkspaceError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// How the accounts of chat exports resolve against a workspace's people.
#[derive(Debug)]
pub struct Identities {
    /// The summary.
    pub report: IdentityReport,
    /// The organisation's domains used for the external rule.
    pub domains: Vec<String>,
    /// Exports that could not be read.
    pub unreadable: Vec<UnreadableExport>,
}

/// Reads the user directories of `exports` and resolves them against the
/// workspace's people (filling in missing time zones from the exports).
pub fn resolve_identities(
    ws: &LoadedWorkspace,
    exports: &[PathBuf],
    limits: &Limits,
) -> Result<Identities, WorkspaceError> {
    let mut users = Vec::new();
    let mut unreadable = Vec::new();
    for path in exports {
        match export_users(path, limits) {
            Ok(u) => users.extend(u),
            Err(e) => unreadable.push(e),
        }
    }
    let directory = Directory::build(&ws.workspace.team, &ws.workspace.people, &users)
        .map_err(WorkspaceError::Config)?;
    Ok(Identities {
        report: directory.report(&users),
        domains: directory.domains().to_vec(),
        unreadable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("fulcrum-app-ws-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn init_writes_a_loadable_workspace_and_refuses_to_overwrite() {
        let dir = temp_dir("init");
        let written = init_workspace(&dir, false).unwrap();
        assert_eq!(written.len(), 2);
        let ws = load_workspace(&dir).unwrap();
        // people.csv's example row is read in.
        assert_eq!(ws.workspace.people[0].email, "ana@example.com");
        assert!(matches!(
            init_workspace(&dir, false),
            Err(WorkspaceError::Exists(_))
        ));
        assert!(init_workspace(&dir, true).is_ok());
        assert_eq!(find_workspace(&dir.join("a/b")), Some(dir.clone()));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn globs_match_files_and_whole_folders() {
        let dir = temp_dir("glob");
        for f in [
            "chat/a.zip",
            "chat/b.jsonl",
            "chat/c.txt",
            "chat/slack-2024/users.json",
            "x/d.zip",
        ] {
            let p = dir.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, b"").unwrap();
        }
        let patterns = [
            "chat/*.zip",
            "chat/*.jsonl",
            "chat/slack-*",
            "nothing/*.zip",
        ]
        .map(String::from);
        let (found, unmatched) = expand_globs(&dir, &patterns).unwrap();
        let rel: Vec<String> = found
            .iter()
            .map(|p| {
                p.strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(rel, ["chat/a.zip", "chat/b.jsonl", "chat/slack-2024"]);
        assert_eq!(unmatched, ["nothing/*.zip"]);
        assert!(matches!(
            expand_globs(&dir, &["[".to_owned()]),
            Err(WorkspaceError::Glob { .. })
        ));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn identities_of_the_fixture_export() {
        let dir = temp_dir("ids");
        std::fs::write(
            dir.join(WORKSPACE_FILE),
            "[team]\ndomains = [\"acme.com\"]\n[[people]]\nemail = \"ana@acme.com\"\n[[people]]\nemail = \"dee@acme.com\"\n",
        )
        .unwrap();
        let ws = load_workspace(&dir).unwrap();
        let export = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test_data/chat/slack-full");
        let ids = resolve_identities(&ws, &[export], &Limits::default()).unwrap();
        let r = &ids.report;
        // users.json: ana (listed, by profile.email), bo@acme.com (unlisted),
        // cy@partner.io (external), deploybot (bot).
        assert_eq!(r.accounts_matched, 1);
        assert_eq!(
            (
                r.unlisted.count,
                r.external.count,
                r.bots.count,
                r.unknown.count
            ),
            (1, 1, 1, 0)
        );
        assert_eq!(r.people_not_seen, ["dee@acme.com"]);
        // Ana's time zone comes from users.json.
        assert!(
            r.tz_from_sources["ana@acme.com"]
                .starts_with("Europe/Lisbon (from slack account U01ANA")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
