//! CalDAV sources: `[[sources.caldav]]` synced into the store by
//! `fulcrum import` (and so by anything that runs the import use case).
//!
//! For each entry: find the calendars (the calendar home stored from the
//! last sync, else discovery from the URL: `current-user-principal`, then
//! `calendar-home-set`), list them with their sync tokens and collection
//! tags in one PROPFIND, and for each chosen calendar fetch only what
//! changed:
//!
//! - a calendar whose listed sync token (or, without one, collection tag)
//!   equals the stored one costs nothing more: an unchanged account costs
//!   one request;
//! - otherwise the `sync-collection` REPORT from the stored token gives the
//!   changed resources with their data and the deleted ones; a server
//!   without sync support is compared by ETag (a Depth 1 PROPFIND, then a
//!   `calendar-multiget` of what differs);
//! - each resource's bytes go through the same reader as a calendar file
//!   (`fulcrum_ics::read_calendar`), its problems located at the resource's
//!   URL and line;
//! - the store applies the changes and the new token in one transaction
//!   (`Storage::import_caldav`), so a failure keeps what it held.
//!
//! Occurrences are expanded over a window that covers the calendar's data
//! (from 13 weeks before its first one-off event) to `horizon_weeks` past
//! the later of its export time and today. A sync re-reads a calendar whole
//! when that window no longer covers half the horizon ahead (or the data
//! now starts earlier): unchanged series then get their later occurrences.
//!
//! Failures are per source and per calendar, and name them: an unreachable
//! server, refused credentials, a calendar that vanished, an answer that is
//! not WebDAV; the store keeps what it had.

mod webdav;

use crate::stored::{ImportLine, ImportSummary, expansion_window, without_lines};
use chrono::{DateTime, Duration, Utc};
use fulcrum_ics::{Bound, ExpandOptions, SpanPart, read_calendar};
use fulcrum_model::diagnostic::Diagnostic;
use fulcrum_store::{
    CalDavChange, CalDavImport, CalDavResource, CalDavState, ImportOutcome, Storage, StoreError,
};
use fulcrum_workspace::{CalDavSource, Secret, SecretAt};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use webdav::{Auth, DavClient, DavError, Entry, path_of, resolve};

/// How long one request may take before the server counts as unreachable.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Hrefs per `calendar-multiget`.
const MULTIGET_BATCH: usize = 200;

/// What syncing one `[[sources.caldav]]` entry cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalDavSynced {
    /// The entry, as [`CalDavSource::label`] names it.
    pub source: String,
    /// HTTP requests sent (redirects included).
    pub requests: u32,
    /// Calendars synced (changed or not).
    pub calendars: usize,
}

/// What the sync of every entry needs from the import.
pub(crate) struct SyncSettings<'a> {
    /// The workspace root (secret files are relative to it).
    pub root: &'a Path,
    /// `[store] horizon_weeks`.
    pub horizon_weeks: i64,
    /// The import's clock.
    pub now: DateTime<Utc>,
}

/// Syncs every CalDAV entry of the workspace into the store. Problems
/// (a server down, refused credentials, a bad resource) are added to the
/// summary and the other entries and calendars go on; only a store error
/// stops the import.
pub(crate) async fn sync_all<S: Storage>(
    store: &S,
    sources: &[CalDavSource],
    settings: &SyncSettings<'_>,
    summary: &mut ImportSummary,
) -> Result<(), StoreError> {
    for source in sources {
        let synced = sync_source(store, source, settings, summary).await?;
        summary.caldav.push(synced);
    }
    Ok(())
}

/// The store's name for an entry's account: its URL and username.
fn account_key(source: &CalDavSource) -> String {
    match &source.username {
        Some(u) => format!("{} {u}", source.url),
        None => source.url.clone(),
    }
}

/// Where a problem of the entry as a whole is shown.
fn entry_name(source: &CalDavSource) -> String {
    format!("{} ({})", source.label(), source.origin)
}

/// Reads the entry's secret from its environment variable or file.
fn auth_of(source: &CalDavSource, root: &Path) -> Result<Auth, Diagnostic> {
    let read = |at: &SecretAt| -> Result<String, Diagnostic> {
        match at {
            SecretAt::Env(name) => std::env::var(name).map_err(|_| {
                Diagnostic::error(
                    entry_name(source),
                    format!("the environment variable {name} is not set; source skipped"),
                )
                .with_help(format!(
                    "set {name} to the password, app password or token of this account"
                ))
            }),
            SecretAt::File(file) => {
                let path = root.join(file);
                std::fs::read_to_string(&path)
                    .map(|s| s.trim_end_matches(['\r', '\n']).to_owned())
                    .map_err(|e| {
                        Diagnostic::error(
                            entry_name(source),
                            format!(
                                "cannot read the secret file {}: {e}; source skipped",
                                path.display()
                            ),
                        )
                        .with_help("write the password, app password or token in that file, alone")
                    })
            }
        }
    };
    Ok(match &source.secret {
        None => Auth::None,
        Some(Secret::Token(at)) => Auth::Bearer(read(at)?),
        Some(Secret::Password(at)) => Auth::Basic {
            username: source.username.clone().unwrap_or_default(),
            password: read(at)?,
        },
    })
}

/// What to do about a failed request, in words, for the entry or calendar
/// `what`.
fn dav_problem(source: &CalDavSource, what: String, e: &DavError) -> Diagnostic {
    let kept = "what the store holds from earlier syncs is kept";
    match e {
        DavError::Unreachable { .. } => Diagnostic::error(what, format!("{e}; {kept}"))
            .with_help("check the URL and that the server is up, then run `fulcrum import` again"),
        DavError::Refused { .. } => {
            let secret = match &source.secret {
                Some(Secret::Password(SecretAt::Env(n)) | Secret::Token(SecretAt::Env(n))) => {
                    format!("the environment variable {n}")
                }
                Some(Secret::Password(SecretAt::File(f)) | Secret::Token(SecretAt::File(f))) => {
                    format!("the file {f}")
                }
                None => "a password_env, password_file, token_env or token_file".to_owned(),
            };
            Diagnostic::error(what, format!("{e}; {kept}")).with_help(format!(
                "check the username and {secret} (servers with two-factor sign-in want an app password)"
            ))
        }
        DavError::NotFound { .. } => Diagnostic::error(what, format!("{e}; {kept}")).with_help(
            "the calendar may have been deleted or moved: check `url` and `calendars` in fulcrum.toml",
        ),
        DavError::Status { .. } | DavError::Malformed { .. } => {
            Diagnostic::error(what, format!("{e}; {kept}"))
                .with_help("check that the URL is a CalDAV server or principal URL")
        }
    }
}

/// A calendar of the account's listing.
#[derive(Debug, Clone)]
struct Listed {
    /// Its URL.
    url: String,
    /// Its listing entry.
    entry: Entry,
}

/// The account's calendar home and the principal's addresses, from the
/// URL: the URL's own `calendar-home-set`, or its principal's.
async fn discover(client: &mut DavClient, url: &str) -> Result<(String, Vec<String>), DavError> {
    const PROPS: &str = "<d:current-user-principal/><d:resourcetype/>\
                         <c:calendar-home-set/><c:calendar-user-address-set/>";
    let found = client.propfind(url, "0", PROPS).await?;
    let props = found
        .entries
        .first()
        .map(|e| e.props.clone())
        .unwrap_or_default();
    if let Some(home) = &props.home {
        return Ok((resolve(url, home), props.addresses));
    }
    if props.calendar {
        // The URL is a calendar: list it alone.
        return Ok((url.to_owned(), props.addresses));
    }
    let Some(principal) = props.principal else {
        return Err(DavError::Malformed {
            url: url.to_owned(),
            reason: "neither a calendar home nor a current-user-principal".to_owned(),
        });
    };
    let principal = resolve(url, &principal);
    let found = client.propfind(&principal, "0", PROPS).await?;
    let props = found
        .entries
        .first()
        .map(|e| e.props.clone())
        .unwrap_or_default();
    match props.home {
        Some(home) => Ok((resolve(&principal, &home), props.addresses)),
        None => Err(DavError::Malformed {
            url: principal,
            reason: "the principal has no calendar-home-set".to_owned(),
        }),
    }
}

/// The calendars under `home` (or `home` itself when it is one), with
/// their display names, sync tokens and collection tags: one request.
async fn list_calendars(client: &mut DavClient, home: &str) -> Result<Vec<Listed>, DavError> {
    const PROPS: &str = "<d:resourcetype/><d:displayname/><d:sync-token/><cs:getctag/>\
                         <c:supported-calendar-component-set/>";
    let found = client.propfind(home, "1", PROPS).await?;
    Ok(found
        .entries
        .into_iter()
        .filter(|e| e.props.calendar)
        // Task lists and journals hold no meetings.
        .filter(|e| {
            e.props
                .components
                .as_ref()
                .is_none_or(|c| c.is_empty() || c.iter().any(|c| c == "VEVENT"))
        })
        .map(|entry| Listed {
            url: resolve(home, &entry.href),
            entry,
        })
        .collect())
}

/// Whether a calendar's choice (`Work`, `/calendars/ana/office/`) names it.
fn chosen(choice: &str, cal: &Listed) -> bool {
    if choice.contains('/') {
        let trim = |s: &str| s.trim_end_matches('/').to_owned();
        let wanted = trim(&path_of(choice));
        let path = trim(&path_of(&cal.url));
        path == wanted || (!wanted.starts_with('/') && path.ends_with(&format!("/{wanted}")))
    } else {
        cal.entry
            .props
            .display_name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(choice))
            || path_of(&cal.url)
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .is_some_and(|last| last.eq_ignore_ascii_case(choice))
    }
}

/// Syncs one entry; returns what it cost.
async fn sync_source<S: Storage>(
    store: &S,
    source: &CalDavSource,
    settings: &SyncSettings<'_>,
    summary: &mut ImportSummary,
) -> Result<CalDavSynced, StoreError> {
    let mut synced = CalDavSynced {
        source: source.label(),
        requests: 0,
        calendars: 0,
    };
    let auth = match auth_of(source, settings.root) {
        Ok(a) => a,
        Err(problem) => {
            summary.problems.push(problem);
            return Ok(synced);
        }
    };
    let mut client = match DavClient::new(auth, REQUEST_TIMEOUT) {
        Ok(c) => c,
        Err(e) => {
            summary
                .problems
                .push(Diagnostic::error(entry_name(source), e));
            return Ok(synced);
        }
    };
    let account = account_key(source);
    let states = store.caldav_state(account.clone()).await?;
    // The principal's own address is needed only when nothing in
    // fulcrum.toml says whose the calendars are.
    let needs_address = source.owner.is_none()
        && source.calendars.iter().any(|c| c.owner.is_none())
        || source.owner.is_none() && source.calendars.is_empty();

    // The listing: from the stored home when it still answers, else found
    // again from the URL.
    let mut listing = None;
    let mut addresses = Vec::new();
    if !needs_address && let Some(home) = states.first().map(|s| s.home.clone()) {
        match list_calendars(&mut client, &home).await {
            Ok(cals) => listing = Some((home, cals)),
            Err(e @ (DavError::Refused { .. } | DavError::Unreachable { .. })) => {
                summary
                    .problems
                    .push(dav_problem(source, entry_name(source), &e));
                synced.requests = client.requests();
                return Ok(synced);
            }
            // Moved or gone: discover again.
            Err(_) => {}
        }
    }
    let (home, calendars) = match listing {
        Some(l) => l,
        None => {
            let found = match discover(&mut client, &source.url).await {
                Ok((home, found_addresses)) => {
                    addresses = found_addresses;
                    list_calendars(&mut client, &home)
                        .await
                        .map(|cals| (home, cals))
                }
                Err(e) => Err(e),
            };
            match found {
                Ok(l) => l,
                Err(e) => {
                    summary
                        .problems
                        .push(dav_problem(source, entry_name(source), &e));
                    synced.requests = client.requests();
                    return Ok(synced);
                }
            }
        }
    };
    let principal_email = addresses
        .iter()
        .filter_map(|a| {
            a.strip_prefix("mailto:")
                .or_else(|| a.strip_prefix("MAILTO:"))
        })
        .map(str::to_lowercase)
        .next();

    // The calendars chosen, each with its owner.
    let mut chosen_calendars: Vec<(Listed, Option<String>)> = Vec::new();
    let default_owner = source.owner.clone().or(principal_email);
    if source.calendars.is_empty() {
        chosen_calendars.extend(calendars.iter().map(|c| (c.clone(), default_owner.clone())));
    } else {
        for choice in &source.calendars {
            match calendars.iter().find(|c| chosen(&choice.calendar, c)) {
                Some(c) => chosen_calendars.push((
                    c.clone(),
                    choice.owner.clone().or_else(|| default_owner.clone()),
                )),
                None => {
                    let names: Vec<String> = calendars
                        .iter()
                        .map(|c| {
                            let path = path_of(&c.url);
                            match &c.entry.props.display_name {
                                Some(n) => format!("{n:?} ({path})"),
                                None => path,
                            }
                        })
                        .collect();
                    summary.problems.push(
                        Diagnostic::error(
                            entry_name(source),
                            format!(
                                "no calendar {:?} on the server; calendars there: {}",
                                choice.calendar,
                                if names.is_empty() {
                                    "none".to_owned()
                                } else {
                                    names.join(", ")
                                }
                            ),
                        )
                        .with_help("give a display name or a path from that list in `calendars`"),
                    );
                }
            }
        }
    }

    // Stored calendars the server no longer lists.
    let listed: HashSet<&str> = calendars.iter().map(|c| c.url.as_str()).collect();
    for s in &states {
        if !listed.contains(s.calendar.as_str()) {
            summary.problems.push(
                Diagnostic::warning(
                    s.calendar.as_str(),
                    "this calendar is no longer on the server; its stored records are kept",
                )
                .with_help(
                    "if it was deleted on purpose, `fulcrum forget` its owner or leave it; \
                     if it moved, check `url` and `calendars`",
                ),
            );
        }
    }

    let by_url: HashMap<&str, &CalDavState> =
        states.iter().map(|s| (s.calendar.as_str(), s)).collect();
    for (cal, owner) in chosen_calendars {
        synced.calendars += 1;
        let prior = by_url.get(cal.url.as_str()).copied();
        if owner.is_none() {
            summary.problems.push(crate::ics::no_owner(
                &cal.url,
                "stored, but left out of reports until it can be given to someone",
            ));
        }
        let job = CalendarJob {
            account: &account,
            home: &home,
            cal: &cal,
            owner,
            prior,
            settings,
        };
        match sync_calendar(store, &mut client, &job, summary).await {
            Ok(line) => summary.lines.push(line),
            Err(SyncError::Store(e)) => return Err(e),
            Err(SyncError::Dav(e)) => {
                summary
                    .problems
                    .push(dav_problem(source, cal.url.clone(), &e));
            }
        }
    }
    synced.requests = client.requests();
    Ok(synced)
}

/// Why one calendar's sync stopped.
enum SyncError {
    Store(StoreError),
    Dav(DavError),
}

impl From<DavError> for SyncError {
    fn from(e: DavError) -> Self {
        SyncError::Dav(e)
    }
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Store(e)
    }
}

/// One calendar to sync.
struct CalendarJob<'a> {
    account: &'a str,
    home: &'a str,
    cal: &'a Listed,
    owner: Option<String>,
    prior: Option<&'a CalDavState>,
    settings: &'a SyncSettings<'a>,
}

/// What a fetch found.
struct Fetched {
    /// New or changed resources: href, ETag, data (when already sent).
    changed: Vec<(String, Option<String>, Option<String>)>,
    /// Hrefs deleted.
    removed: Vec<String>,
    /// The token to resume from next time.
    sync_token: Option<String>,
    /// `changed` is every resource of the calendar.
    full: bool,
}

/// The changes since `prior` (everything when `None`).
async fn fetch(
    client: &mut DavClient,
    url: &str,
    listed_token: Option<&str>,
    prior: Option<&CalDavState>,
) -> Result<Fetched, DavError> {
    let own_path = path_of(url);
    let is_self = |href: &str| href.trim_end_matches('/') == own_path.trim_end_matches('/');
    // With sync support: from the stored token, or the initial sync.
    let token = prior.and_then(|p| p.sync_token.clone());
    if token.is_some() || (prior.is_none() && listed_token.is_some()) {
        let mut from = token.clone();
        let mut out = Fetched {
            changed: Vec::new(),
            removed: Vec::new(),
            sync_token: None,
            full: from.is_none(),
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        loop {
            let answer = match client.sync_collection(url, from.as_deref()).await {
                Ok(a) => a,
                // An expired or unknown token (403 or 409 with
                // valid-sync-token, 400 on some servers), or no sync
                // support after all (405, 501): read the calendar whole.
                Err(DavError::Status {
                    status: 400 | 405 | 409 | 412 | 501,
                    ..
                }) => {
                    return fetch_by_etag(client, url, None).await;
                }
                Err(DavError::Refused { status: 403, .. }) if from.is_some() => {
                    return fetch_by_etag(client, url, None).await;
                }
                Err(e) => return Err(e),
            };
            let mut truncated = false;
            for e in answer.entries {
                if is_self(&e.href) {
                    truncated |= e.status == Some(507);
                    continue;
                }
                if e.href.ends_with('/') {
                    continue;
                }
                if e.status == Some(404) {
                    if let Some(i) = seen.remove(&e.href) {
                        out.changed.remove(i);
                        seen.values_mut().filter(|j| **j > i).for_each(|j| *j -= 1);
                    }
                    out.removed.push(e.href);
                } else {
                    out.removed.retain(|h| *h != e.href);
                    let item = (e.href.clone(), e.props.etag, e.props.calendar_data);
                    match seen.get(&e.href) {
                        Some(&i) => out.changed[i] = item,
                        None => {
                            seen.insert(e.href, out.changed.len());
                            out.changed.push(item);
                        }
                    }
                }
            }
            out.sync_token = answer.sync_token.or(out.sync_token);
            if !truncated || out.sync_token.is_none() || out.sync_token == from {
                break;
            }
            from = out.sync_token.clone();
        }
        if out.full {
            out.removed.clear();
        }
        return Ok(out);
    }
    fetch_by_etag(client, url, prior).await
}

/// Without sync tokens: list the ETags and compare them with the stored
/// ones (everything is new without `prior`).
async fn fetch_by_etag(
    client: &mut DavClient,
    url: &str,
    prior: Option<&CalDavState>,
) -> Result<Fetched, DavError> {
    let own_path = path_of(url);
    let listed = client
        .propfind(url, "1", "<d:resourcetype/><d:getetag/>")
        .await?;
    let stored: HashMap<&str, Option<&str>> = prior
        .map(|p| {
            p.resources
                .iter()
                .map(|r| (r.href.as_str(), r.etag.as_deref()))
                .collect()
        })
        .unwrap_or_default();
    let mut now: HashSet<String> = HashSet::new();
    let mut changed = Vec::new();
    for e in listed.entries {
        if e.props.collection
            || e.href.ends_with('/')
            || e.href.trim_end_matches('/') == own_path.trim_end_matches('/')
        {
            continue;
        }
        now.insert(e.href.clone());
        let same = stored
            .get(e.href.as_str())
            .is_some_and(|old| old.is_some() && *old == e.props.etag.as_deref());
        if !same {
            changed.push((e.href, e.props.etag, None));
        }
    }
    let removed = stored
        .keys()
        .filter(|h| !now.contains(**h))
        .map(|h| (*h).to_owned())
        .collect();
    Ok(Fetched {
        changed,
        removed,
        sync_token: None,
        full: prior.is_none(),
    })
}

/// One resource read: its state and its parsed calendar.
struct ReadResource {
    resource: CalDavResource,
    span: SpanPart,
    calendar: Option<fulcrum_ics::Calendar>,
}

/// Syncs one calendar: fetch what changed, read it, expand it, store it.
async fn sync_calendar<S: Storage>(
    store: &S,
    client: &mut DavClient,
    job: &CalendarJob<'_>,
    summary: &mut ImportSummary,
) -> Result<ImportLine, SyncError> {
    let props = &job.cal.entry.props;
    let url = job.cal.url.as_str();
    let line = |outcome: ImportOutcome| ImportLine {
        kind: "caldav",
        source: url.to_owned(),
        outcome,
    };
    let settings = job.settings;
    let mut prior = job.prior;
    // Nothing changed since the last sync, by the listing alone.
    if let Some(p) = prior {
        let same = match (&props.sync_token, &p.sync_token, &props.ctag, &p.ctag) {
            (Some(now), Some(then), _, _) => now == then,
            (None, _, Some(now), Some(then)) => now == then,
            _ => false,
        };
        let (from, to) = window_of(p.resources.iter().map(span_part), settings);
        if same && covers(p, from, to, settings) && p.display_name == props.display_name {
            return Ok(line(ImportOutcome {
                unchanged: true,
                ..ImportOutcome::default()
            }));
        }
    }
    loop {
        let fetched = fetch(client, url, props.sync_token.as_deref(), prior).await?;
        let read = read_resources(client, url, fetched.changed, summary).await?;
        // The calendar's span after this sync: the stored resources that
        // stay, and those just read.
        let touched: HashSet<&str> = fetched
            .removed
            .iter()
            .map(String::as_str)
            .chain(read.iter().map(|r| r.resource.href.as_str()))
            .collect();
        let kept: Vec<&CalDavResource> = match (fetched.full, prior) {
            (false, Some(p)) => p
                .resources
                .iter()
                .filter(|r| !touched.contains(r.href.as_str()))
                .collect(),
            _ => Vec::new(),
        };
        let parts: Vec<SpanPart> = kept
            .iter()
            .map(|r| span_part(r))
            .chain(read.iter().map(|r| r.span.clone()))
            .collect();
        let (from, to) = window_of(parts.iter().cloned(), settings);
        if let (false, Some(p)) = (fetched.full, prior)
            && !covers(p, from, to, settings)
        {
            // The stored window runs short: read the calendar whole.
            prior = None;
            continue;
        }
        let (from, to) = match (fetched.full, prior) {
            (false, Some(p)) => (p.expanded_from, p.expanded_to),
            _ => (from, to),
        };
        let facts = SpanPart::combine(parts.iter());
        let (data_first, data_last) = facts.bounds().unzip();
        let opts = ExpandOptions::window(
            Bound::Instant(from.fixed_offset()),
            Bound::Instant(to.fixed_offset()),
        );
        let mut changed: Vec<CalDavChange> = Vec::with_capacity(read.len());
        for r in read {
            let occurrences = match r.calendar {
                Some(mut cal) => {
                    let occurrences = without_lines(cal.expand(&opts));
                    let name = resolve(url, &r.resource.href);
                    summary
                        .problems
                        .extend(crate::ics::calendar_problems(&name, &cal));
                    occurrences
                }
                None => Vec::new(),
            };
            changed.push(CalDavChange {
                occurrences,
                resource: r.resource,
            });
        }
        let problems = kept.iter().map(|r| r.problems).sum::<u32>()
            + changed.iter().map(|c| c.resource.problems).sum::<u32>();
        let import = CalDavImport {
            account: job.account.to_owned(),
            calendar: url.to_owned(),
            home: job.home.to_owned(),
            display_name: props.display_name.clone(),
            owner: job.owner.clone(),
            sync_token: fetched.sync_token.or_else(|| props.sync_token.clone()),
            ctag: props.ctag.clone(),
            full: fetched.full || prior.is_none(),
            changed,
            removed: fetched.removed,
            data_first,
            data_last,
            problems,
            expanded_from: from,
            expanded_to: to,
        };
        let outcome = store.import_caldav(import).await?;
        return Ok(line(outcome));
    }
}

/// The span part a stored resource adds.
fn span_part(r: &CalDavResource) -> SpanPart {
    SpanPart {
        exported: r.exported,
        starts: r.days.clone(),
    }
}

/// The window a calendar made of `parts` is expanded over: its data (from
/// 13 weeks before its first one-off event) to `horizon_weeks` past the
/// later of its export time and today.
fn window_of(
    parts: impl Iterator<Item = SpanPart>,
    settings: &SyncSettings<'_>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let parts: Vec<SpanPart> = parts.collect();
    let facts = SpanPart::combine(parts.iter());
    let today = settings.now.date_naive();
    let latest = facts.exported.map_or(today, |x| x.date_naive().max(today));
    expansion_window(facts.bounds(), latest, settings.horizon_weeks)
}

/// Whether the stored window still serves: it starts early enough, and
/// reaches at least half the horizon past what the window now needs to
/// reach minus the horizon (that is, half a horizon ahead).
fn covers(
    p: &CalDavState,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    settings: &SyncSettings<'_>,
) -> bool {
    let half = Duration::weeks(settings.horizon_weeks / 2);
    p.expanded_from <= from && p.expanded_to >= to - half
}

/// Fetches the data of the resources that came without it (one multiget
/// per batch), then reads each through the calendar reader. A resource
/// that is not iCalendar data is reported at its URL and stored without
/// events, so it is not fetched again until it changes.
async fn read_resources(
    client: &mut DavClient,
    url: &str,
    changed: Vec<(String, Option<String>, Option<String>)>,
    summary: &mut ImportSummary,
) -> Result<Vec<ReadResource>, DavError> {
    let mut data: HashMap<String, (Option<String>, String)> = HashMap::new();
    let mut missing = Vec::new();
    let mut order = Vec::new();
    for (href, etag, body) in changed {
        order.push(href.clone());
        match body {
            Some(b) => {
                data.insert(href, (etag, b));
            }
            None => missing.push(href),
        }
    }
    for batch in missing.chunks(MULTIGET_BATCH) {
        let got = client.multiget(url, batch).await?;
        for e in got.entries {
            if let Some(body) = e.props.calendar_data {
                data.insert(e.href, (e.props.etag, body));
            }
        }
    }
    let mut out = Vec::new();
    for href in order {
        let name = resolve(url, &href);
        let Some((etag, body)) = data.remove(&href) else {
            // Gone between the listing and the multiget: the next sync
            // will see it deleted.
            continue;
        };
        let cal = read_calendar(body.as_bytes(), &name);
        if cal.stats().is_empty() {
            summary.problems.push(
                Diagnostic::error(
                    name.as_str(),
                    "no iCalendar data found (no BEGIN:VCALENDAR or BEGIN:VEVENT); resource skipped",
                )
                .with_help("fix or delete this resource on the server"),
            );
            out.push(ReadResource {
                resource: CalDavResource {
                    href,
                    etag,
                    uids: Vec::new(),
                    exported: None,
                    days: Vec::new(),
                    problems: 1,
                },
                span: SpanPart::default(),
                calendar: None,
            });
            continue;
        }
        let mut uids: Vec<String> = cal.events().iter().map(|e| e.uid.to_string()).collect();
        uids.sort();
        uids.dedup();
        let span = cal.span_part();
        out.push(ReadResource {
            resource: CalDavResource {
                href,
                etag,
                uids,
                exported: span.exported,
                days: span.starts.clone(),
                problems: u32::try_from(crate::ics::error_count(&cal)).unwrap_or(u32::MAX),
            },
            span,
            calendar: Some(cal),
        });
    }
    Ok(out)
}
