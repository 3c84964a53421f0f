//! A team's long history: the weekly team aggregates `fulcrum import`
//! stores (only values the privacy rule let through), which stay when
//! `[store] retention_days` drops the raw records. Read from the store, not
//! from the snapshot: `GET /api/v1/teams/{team}/history` reads every stored
//! week on each request; the dashboard shows a table of a few key signals
//! of the last [`TABLE_WEEKS`] weeks, kept in a cache (`TableCache`) for
//! [`TABLE_TTL`] so the page stays cheap (a store query per request halves
//! the dashboard's throughput; see `docs/server.md`).

use crate::error::Error;
use chrono::{Datelike, Duration, NaiveDate};
use fulcrum_analysis::SignalId;
use fulcrum_report::report::show;
use fulcrum_store::Aggregate;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// The signals of the dashboard's history table, in order; a column is
/// shown only when some week has a value for it.
pub const TABLE_SIGNALS: &[SignalId] = &[
    SignalId::MeetingShare,
    SignalId::FocusHours,
    SignalId::SlaBreachRate,
    SignalId::ResponseLatency,
];

/// How many weeks the dashboard's table shows at most: the last two years.
pub const TABLE_WEEKS: i64 = 104;

/// How long the dashboard shows a team's table before reading the store
/// again (a new snapshot, after an import the server runs, drops every
/// table at once).
pub const TABLE_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// One ISO week of stored values.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryWeek {
    /// The Monday of the week.
    pub monday: NaiveDate,
    /// Signal id to (value, members with data).
    pub signals: BTreeMap<String, (f64, u32)>,
}

/// The Monday of the ISO week holding `d`.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// `2026-W36`.
pub fn week_label(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// The first Monday of the table's window, which ends with the week of
/// `last`.
pub fn table_since(last: NaiveDate) -> NaiveDate {
    monday_of(last) - Duration::weeks(TABLE_WEEKS - 1)
}

/// The rows of the weeks from `since` on (the dashboard's window).
pub fn since(rows: Vec<Aggregate>, since: NaiveDate) -> Vec<Aggregate> {
    rows.into_iter().filter(|a| a.week >= since).collect()
}

/// The stored rows grouped by ISO week, oldest first. Values of fewer than
/// `min` members with data (the import never stores them; the minimum
/// group size may have grown since) and values that are not finite are
/// left out, and so are weeks left empty.
pub fn weeks(rows: Vec<Aggregate>, min: u32) -> Vec<HistoryWeek> {
    let mut by_week: BTreeMap<NaiveDate, BTreeMap<String, (f64, u32)>> = BTreeMap::new();
    for a in rows {
        if a.members < min || !a.value.is_finite() {
            continue;
        }
        by_week
            .entry(monday_of(a.week))
            .or_default()
            .insert(a.signal, (a.value, a.members));
    }
    by_week
        .into_iter()
        .map(|(monday, signals)| HistoryWeek { monday, signals })
        .collect()
}

/// The JSON of `GET /api/v1/teams/{team}/history`.
pub fn json(team: &str, weeks: &[HistoryWeek]) -> Value {
    let weeks: Vec<Value> = weeks
        .iter()
        .map(|w| {
            let signals: Map<String, Value> = w
                .signals
                .iter()
                .map(|(id, (value, members))| {
                    (id.clone(), json!({"value": value, "members": members}))
                })
                .collect();
            json!({
                "week": week_label(w.monday),
                "monday": w.monday.to_string(),
                "signals": signals,
            })
        })
        .collect();
    json!({"team": team, "weeks": weeks})
}

/// The dashboard's table: the [`TABLE_SIGNALS`] some week has, then one
/// row per week, newest first, values formatted as in the report (shares
/// as %, hours with one decimal; `n/a` when the week has none).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Signal ids of the columns after the week.
    pub headers: Vec<&'static str>,
    /// (week label, cells).
    pub rows: Vec<(String, Vec<String>)>,
}

/// Builds the [`Table`] of `weeks` (oldest first, as [`weeks`] gives them).
pub fn table(weeks: &[HistoryWeek]) -> Table {
    let columns: Vec<SignalId> = TABLE_SIGNALS
        .iter()
        .copied()
        .filter(|id| weeks.iter().any(|w| w.signals.contains_key(id.as_str())))
        .collect();
    let rows = weeks
        .iter()
        .rev()
        .map(|w| {
            let cells = columns
                .iter()
                .map(|id| show(*id, w.signals.get(id.as_str()).map(|(v, _)| *v)))
                .collect();
            (week_label(w.monday), cells)
        })
        .collect();
    Table {
        headers: columns.iter().map(SignalId::as_str).collect(),
        rows,
    }
}

/// The dashboard's tables by team, each kept for a time to live. A table
/// past it is still shown while one request reads the store again (the
/// others do not wait); a team without a table waits for the one read.
/// [`TableCache::clear`] drops every table (a new snapshot).
pub(crate) struct TableCache {
    ttl: std::time::Duration,
    entries: Mutex<Entries>,
    /// Held while the store is read, so reads do not pile up.
    loading: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct Entries {
    /// Bumped by every clear: a read that started before it is not kept.
    generation: u64,
    tables: HashMap<String, (Instant, Arc<Table>)>,
}

impl TableCache {
    /// An empty cache whose tables live `ttl`.
    pub(crate) fn new(ttl: std::time::Duration) -> TableCache {
        TableCache {
            ttl,
            entries: Mutex::new(Entries::default()),
            loading: tokio::sync::Mutex::new(()),
        }
    }

    fn entries(&self) -> MutexGuard<'_, Entries> {
        match self.entries.lock() {
            Ok(e) => e,
            // A panic while holding the lock left whole values behind.
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Drops every table.
    pub(crate) fn clear(&self) {
        let mut e = self.entries();
        e.generation += 1;
        e.tables.clear();
    }

    /// The table of `team` and whether it is still fresh.
    fn peek(&self, team: &str) -> Option<(Arc<Table>, bool)> {
        self.entries()
            .tables
            .get(team)
            .map(|(at, t)| (t.clone(), at.elapsed() < self.ttl))
    }

    /// The table of `team`, from `load` when there is none or it is too old.
    pub(crate) async fn get<F, Fut>(&self, team: &str, load: F) -> Result<Arc<Table>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Table, Error>>,
    {
        let _loading = match self.peek(team) {
            Some((t, true)) => return Ok(t),
            Some((stale, false)) => match self.loading.try_lock() {
                Ok(guard) => guard,
                // Another request is reading the store: show the old table.
                Err(_) => return Ok(stale),
            },
            None => {
                let guard = self.loading.lock().await;
                // Loaded while this request waited.
                if let Some((t, true)) = self.peek(team) {
                    return Ok(t);
                }
                guard
            }
        };
        let generation = self.entries().generation;
        let table = Arc::new(load().await?);
        let mut e = self.entries();
        if e.generation == generation {
            e.tables
                .insert(team.to_owned(), (Instant::now(), table.clone()));
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn agg(week: NaiveDate, signal: &str, value: f64, members: u32) -> Aggregate {
        Aggregate {
            team: "core".into(),
            week,
            signal: signal.into(),
            value,
            members,
        }
    }

    #[test]
    fn weeks_group_filter_and_format() {
        assert_eq!(week_label(date(2026, 8, 31)), "2026-W36");
        // ISO week-year differs from the calendar year.
        assert_eq!(week_label(date(2024, 12, 30)), "2025-W01");
        assert_eq!(monday_of(date(2026, 9, 3)), date(2026, 8, 31));
        assert_eq!(table_since(date(2026, 9, 3)), date(2024, 9, 9));
        assert_eq!(
            since(
                vec![
                    agg(date(2024, 9, 2), "meeting_share", 0.5, 6),
                    agg(date(2024, 9, 9), "meeting_share", 0.5, 6),
                ],
                date(2024, 9, 9)
            )
            .len(),
            1
        );
        let w = weeks(
            vec![
                agg(date(2026, 9, 7), "meeting_share", 0.5, 6),
                agg(date(2026, 8, 31), "meeting_share", 0.41, 7),
                agg(date(2026, 8, 31), "focus_hours", 12.34, 7),
                // Below the minimum group size, and not a number: left out.
                agg(date(2026, 8, 31), "messages_sent", 3.0, 4),
                agg(date(2026, 9, 14), "meeting_share", f64::NAN, 7),
            ],
            5,
        );
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].monday, date(2026, 8, 31));
        assert_eq!(
            json("core", &w)["weeks"][0],
            json!({"week": "2026-W36", "monday": "2026-08-31", "signals": {
                "focus_hours": {"value": 12.34, "members": 7},
                "meeting_share": {"value": 0.41, "members": 7},
            }})
        );
        let t = table(&w);
        assert_eq!(t.headers, vec!["meeting_share", "focus_hours"]);
        assert_eq!(
            t.rows,
            vec![
                (
                    "2026-W37".to_owned(),
                    vec!["50%".to_owned(), "n/a".to_owned()]
                ),
                (
                    "2026-W36".to_owned(),
                    vec!["41%".to_owned(), "12.3 h".to_owned()]
                ),
            ]
        );
    }

    #[tokio::test]
    async fn tables_are_cached_until_cleared_or_too_old() {
        let loads = std::sync::atomic::AtomicUsize::new(0);
        let load = || async {
            let n = loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(Table {
                headers: vec!["meeting_share"],
                rows: vec![(format!("load {n}"), Vec::new())],
            })
        };
        let cache = TableCache::new(std::time::Duration::from_secs(3600));
        let first = cache.get("core", load).await.unwrap();
        assert_eq!(first.rows[0].0, "load 0");
        assert_eq!(cache.get("core", load).await.unwrap().rows[0].0, "load 0");
        assert_eq!(cache.get("web", load).await.unwrap().rows[0].0, "load 1");
        cache.clear();
        assert_eq!(cache.get("core", load).await.unwrap().rows[0].0, "load 2");
        // Too old: read again. While another request reads, the old table.
        let cache = TableCache::new(std::time::Duration::ZERO);
        assert_eq!(cache.get("core", load).await.unwrap().rows[0].0, "load 3");
        let held = cache.loading.lock().await;
        assert_eq!(cache.get("core", load).await.unwrap().rows[0].0, "load 3");
        drop(held);
        assert_eq!(cache.get("core", load).await.unwrap().rows[0].0, "load 4");
        // A failed read is an error, and keeps nothing.
        let failed = cache
            .get("core", || async { Err(Error::Internal("down".into())) })
            .await;
        assert!(failed.is_err());
        assert_eq!(loads.load(std::sync::atomic::Ordering::SeqCst), 5);
    }
}
