//! `fulcrum lint`: read plain `.ics` files or a workspace's calendars, give
//! each calendar its owner, and lint the meetings over a window. The
//! loading ([`load_meetings`]) is shared with `fulcrum audit`.

use crate::ics::{DataSpan, calendar_problems, read_calendar_file};
use crate::report::{ReportError, calendar_owner, choose_window, params_of};
use crate::workspace::{WORKSPACE_FILE, find_workspace, load_workspace, source_paths};
use chrono::NaiveDate;
use fulcrum_analysis::lint::{CalendarInput, LintConfig, LintOutcome, RULES, lint};
use fulcrum_analysis::resolve::normalize;
use fulcrum_analysis::{Params, PeopleIndex, Resolver, Window};
use fulcrum_ics::{Bound, ExpandOptions};
use fulcrum_model::diagnostic::Diagnostic;
use fulcrum_model::identity::Resolved;
use fulcrum_model::{Occurrence, Person};
use fulcrum_workspace::{Directory, Policy};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub use fulcrum_analysis::lint::Severity as LintSeverity;

/// What to read: `.ics` files, a workspace folder, or (nothing given) the
/// workspace at or above `cwd`.
#[derive(Debug, Clone)]
pub struct MeetingsRequest {
    /// Files or one workspace folder.
    pub inputs: Vec<PathBuf>,
    /// Where to look for a workspace when `inputs` is empty.
    pub cwd: PathBuf,
    /// First day.
    pub from: Option<NaiveDate>,
    /// Last day (included).
    pub to: Option<NaiveDate>,
    /// Only meetings of this person (email or alias).
    pub person: Option<String>,
    /// Today, for the default window when the data has no dates.
    pub today: NaiveDate,
}

/// Why the meetings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MeetingsError {
    /// The workspace or the window is wrong.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// Nothing to read.
    #[error(
        "no input: give .ics files or a workspace folder, or run inside a workspace (no {WORKSPACE_FILE} found at or above {0})"
    )]
    NoInput(PathBuf),
    /// `--person` names nobody.
    #[error("--person {0:?}: nobody on the people list has this email or alias")]
    UnknownPerson(String),
    /// Every file was unreadable.
    #[error("no calendar could be read:\n{0}")]
    NothingRead(String),
}

/// Calendars read and expanded, with their owners and the policy.
#[derive(Debug)]
pub struct LoadedMeetings {
    /// Per calendar: owner and occurrences.
    pub calendars: Vec<(Option<usize>, Vec<Occurrence>)>,
    /// The people (empty without a workspace).
    pub people: Vec<Person>,
    /// The policy (defaults without a workspace).
    pub policy: Policy,
    /// The window.
    pub window: Window,
    /// How the window was chosen.
    pub window_rule: String,
    /// Files that could not be read at all (exit code 2).
    pub unreadable: Vec<Diagnostic>,
    /// Other problems, located.
    pub problems: Vec<Diagnostic>,
    /// The workspace root, when one was read.
    pub workspace: Option<PathBuf>,
    directory: Option<Directory>,
    index: PeopleIndex,
}

impl LoadedMeetings {
    /// Every problem: the unreadable files first, then the others.
    pub fn all_problems(&self) -> Vec<Diagnostic> {
        self.unreadable
            .iter()
            .chain(&self.problems)
            .cloned()
            .collect()
    }

    /// The address resolver: the workspace's identity rules, else none.
    pub fn resolver(&self) -> impl Resolver + '_ {
        move |k: &str| match &self.directory {
            Some(d) => match d.resolve_address(k) {
                Resolved::Person(i) => Some(i),
                _ => None,
            },
            None => self.index.person(k),
        }
    }

    /// The calendars as analysis input.
    pub fn inputs(&self) -> Vec<CalendarInput<'_>> {
        self.calendars
            .iter()
            .map(|(owner, occ)| CalendarInput {
                owner: *owner,
                occurrences: occ,
            })
            .collect()
    }

    /// The signal parameters of the policy.
    pub fn params(&self) -> Params {
        params_of(&self.policy)
    }
}

/// Reads the calendars of a request and expands them over the window.
pub fn load_meetings(req: &MeetingsRequest) -> Result<LoadedMeetings, MeetingsError> {
    let root = match req.inputs.as_slice() {
        [one] if one.is_dir() => Some(one.clone()),
        [] => {
            Some(find_workspace(&req.cwd).ok_or_else(|| MeetingsError::NoInput(req.cwd.clone()))?)
        }
        _ => None,
    };
    let mut problems = Vec::new();
    let (paths, people, policy, directory) = match &root {
        Some(root) => {
            let ws = load_workspace(root).map_err(ReportError::from)?;
            let w = &ws.workspace;
            let found = source_paths(&ws.root, &w.sources.calendars, "calendars", &mut problems)
                .map_err(ReportError::from)?;
            let directory = Directory::build(&w.team, &w.people, &[])
                .map_err(|e| ReportError::Workspace(crate::workspace::WorkspaceError::Config(e)))?;
            let people = directory.people().to_vec();
            (found, people, w.policy.clone(), Some(directory))
        }
        None => (
            req.inputs.clone(),
            Vec::new(),
            fulcrum_workspace::config::default_policy(),
            None,
        ),
    };
    let index = PeopleIndex::new(&people);
    let mut unreadable = Vec::new();
    let mut calendars = Vec::new();
    let mut span = DataSpan::default();
    // Files are parsed in parallel; what follows keeps their order.
    let parsed: Vec<_> = paths.par_iter().map(|p| read_calendar_file(p)).collect();
    for (path, read) in paths.iter().zip(parsed) {
        match read {
            Ok(cal) => {
                span.observe(&cal);
                calendars.push((path.clone(), cal));
            }
            Err(u) => unreadable.push(u.diagnostic("file skipped")),
        }
    }
    if calendars.is_empty() && !unreadable.is_empty() {
        return Err(MeetingsError::NothingRead(
            unreadable
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        ));
    }
    // Files given: every event in them (an invite for next month included).
    // A workspace: the span of the data, as `fulcrum report` chooses it.
    let (window, window_rule) = match (&root, req.from, req.to) {
        (None, from, to) if from.is_none() || to.is_none() => {
            match crate::ics::files_span(calendars.iter_mut().map(|(_, c)| c)) {
                Some((first, last)) => {
                    let (from, to) = (from.unwrap_or(first), to.unwrap_or(last));
                    if from > to {
                        return Err(ReportError::Window { from, to }.into());
                    }
                    let rule = if req.from.is_none() && req.to.is_none() {
                        "every event in the files".to_owned()
                    } else {
                        "the given day and the span of the files' events".to_owned()
                    };
                    (Window { from, to }, rule)
                }
                None => choose_window(req.from, req.to, None, req.today)?,
            }
        }
        _ => choose_window(req.from, req.to, span.bounds(), req.today)?,
    };
    // The days from..to exactly (not rounded to weeks as the report does),
    // each read on the event's own wall clock, as `ics expand` reads dates.
    let after = window.to.succ_opt().unwrap_or(window.to);
    let opts = ExpandOptions::window(Bound::date(window.from), Bound::date(after));
    let person: Option<(Option<usize>, Vec<String>)> = match &req.person {
        None => None,
        Some(p) => {
            let key = normalize(p);
            match &directory {
                Some(d) => match d.resolve_address(&key) {
                    Resolved::Person(i) => {
                        let who = &people[i];
                        let keys = std::iter::once(&who.email)
                            .chain(&who.aliases)
                            .map(|k| normalize(k))
                            .collect();
                        Some((Some(i), keys))
                    }
                    _ => return Err(MeetingsError::UnknownPerson(p.clone())),
                },
                None => Some((None, vec![key])),
            }
        }
    };
    let mut loaded_any_for_person = false;
    let mut out = Vec::new();
    for (path, mut cal) in calendars {
        let owner = directory
            .as_ref()
            .and_then(|d| calendar_owner(&path, &people, d, cal.events()));
        if directory.is_some() && owner.is_none() {
            problems.push(crate::ics::no_owner(
                &path.display().to_string(),
                "its meetings are checked without an owner",
            ));
        }
        let mut occ = cal.expand(&opts);
        if let Some((who, keys)) = &person {
            let own = owner.is_some() && owner == *who;
            occ.retain(|o| {
                own || o
                    .details
                    .organizer
                    .iter()
                    .map(|x| &x.email)
                    .chain(o.details.attendees.iter().map(|a| &a.who.email))
                    .any(|e| keys.contains(&normalize(e)))
            });
            loaded_any_for_person |= !occ.is_empty();
        }
        problems.extend(calendar_problems(&path.display().to_string(), &cal));
        out.push((owner, occ));
    }
    if let (Some(p), None, false) = (&req.person, &directory, loaded_any_for_person) {
        return Err(MeetingsError::UnknownPerson(p.clone()));
    }
    Ok(LoadedMeetings {
        calendars: out,
        people,
        policy,
        window,
        window_rule,
        unreadable,
        problems,
        workspace: root,
        directory,
        index,
    })
}

/// The lint configuration of a policy.
pub fn lint_config_of(policy: &Policy) -> LintConfig {
    LintConfig {
        levels: RULES
            .iter()
            .map(|r| {
                let level = policy
                    .lint
                    .levels
                    .get(r.id)
                    .map_or(Some(r.default), |l| LintSeverity::parse(l));
                (r.id, level)
            })
            .collect(),
        timebox_minutes: policy.meetings.max_minutes,
        max_attendees: policy.meetings.max_attendees,
        min_break_minutes: policy.lint.min_break_minutes,
        max_chain: policy.lint.max_chain,
    }
}

/// Which rules to run, from `--rule` and `--allow`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleFilter {
    /// Run only these rules (none given: every rule the policy runs).
    pub only: Vec<String>,
    /// Do not run these rules.
    pub allow: Vec<String>,
}

/// A rule id that is not a rule.
#[derive(Debug, thiserror::Error)]
#[error("{flag} {id:?}: no such rule (rules: {known})")]
pub struct UnknownRule {
    /// `--rule` or `--allow`.
    pub flag: &'static str,
    /// What was given.
    pub id: String,
    /// The rule ids.
    pub known: String,
}

impl RuleFilter {
    /// Applies the filter to a configuration: `--allow` switches a rule off,
    /// `--rule` switches every other rule off (a rule the policy has off
    /// runs at its default severity when named with `--rule`).
    pub fn apply(&self, config: &mut LintConfig) -> Result<(), UnknownRule> {
        let check = |flag: &'static str, id: &str| -> Result<&'static str, UnknownRule> {
            RULES
                .iter()
                .map(|r| r.id)
                .find(|r| *r == id)
                .ok_or_else(|| UnknownRule {
                    flag,
                    id: id.to_owned(),
                    known: RULES.iter().map(|r| r.id).collect::<Vec<_>>().join(", "),
                })
        };
        let only: Vec<&str> = self
            .only
            .iter()
            .map(|id| check("--rule", id))
            .collect::<Result<_, _>>()?;
        let allow: Vec<&str> = self
            .allow
            .iter()
            .map(|id| check("--allow", id))
            .collect::<Result<_, _>>()?;
        for r in RULES {
            let level = config.levels.entry(r.id).or_insert(Some(r.default));
            if !only.is_empty() {
                *level = only.contains(&r.id).then(|| level.unwrap_or(r.default));
            }
            if allow.contains(&r.id) {
                *level = None;
            }
        }
        Ok(())
    }
}

/// Lints what [`load_meetings`] read, with the rules `filter` leaves on.
pub fn lint_meetings(
    loaded: &LoadedMeetings,
    filter: &RuleFilter,
) -> Result<LintOutcome, UnknownRule> {
    let resolver = loaded.resolver();
    let mut config = lint_config_of(&loaded.policy);
    filter.apply(&mut config)?;
    Ok(lint(
        &loaded.inputs(),
        &loaded.people,
        &resolver,
        &loaded.params(),
        &config,
    ))
}

/// True when `path` looks like a workspace folder.
pub fn is_workspace(path: &Path) -> bool {
    path.join(WORKSPACE_FILE).is_file()
}
