//! Reads a generated demo back from its files, with the project's readers
//! (fulcrum-ics, fulcrum-workspace) and plain `zip` + `serde_json`, and
//! recomputes the signals the answer key speaks of. Nothing here looks at
//! the generator's memory: only at the bytes it wrote.

#![allow(dead_code, clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use fulcrum_demo::{DemoOptions, MemorySink, generate};
use fulcrum_ics::{Bound, ExpandOptions, read_calendar};
use fulcrum_model::{Occurrence, PartStat, Transparency, WorkingHours};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Cursor, Read};
use std::sync::OnceLock;

/// The files of one generated demo.
pub struct Files(pub BTreeMap<String, Vec<u8>>);

impl Files {
    pub fn generate(options: &DemoOptions) -> Files {
        let mut sink = MemorySink::default();
        generate(options, &mut sink).unwrap();
        Files(sink.files())
    }

    pub fn text(&self, path: &str) -> &str {
        std::str::from_utf8(
            self.0
                .get(path)
                .unwrap_or_else(|| panic!("{path} was not written")),
        )
        .unwrap()
    }

    pub fn truth(&self) -> Value {
        serde_json::from_str(self.text("truth.json")).unwrap()
    }
}

/// The default demo, generated once per test binary. `FULCRUM_DEMO_SEED`
/// picks another seed (to check that the patterns do not hang on one).
pub fn default_demo() -> &'static Files {
    static DEMO: OnceLock<Files> = OnceLock::new();
    DEMO.get_or_init(|| {
        let mut options = DemoOptions::default();
        if let Ok(seed) = std::env::var("FULCRUM_DEMO_SEED") {
            options.seed = seed.parse().expect("FULCRUM_DEMO_SEED must be a number");
        }
        Files::generate(&options)
    })
}

/// A small demo of the realistic preset (60 people: nine teams of 6-7, 13
/// weeks; seed 1, or `FULCRUM_DEMO_SEED`), generated once per test binary.
pub fn realistic_demo() -> &'static Files {
    static DEMO: OnceLock<Files> = OnceLock::new();
    DEMO.get_or_init(|| {
        let mut options = DemoOptions {
            difficulty: fulcrum_demo::preset::Difficulty::Realistic,
            seed: 1,
            ..DemoOptions::default()
        };
        if let Ok(seed) = std::env::var("FULCRUM_DEMO_SEED") {
            options.seed = seed.parse().expect("FULCRUM_DEMO_SEED must be a number");
        }
        Files::generate(&options)
    })
}

/// A person as people.csv gives them, plus their absences from their calendar.
pub struct Person {
    pub email: String,
    pub team: String,
    pub tz: Tz,
    pub hours: WorkingHours,
    pub aliases: Vec<String>,
    pub away: HashSet<NaiveDate>,
}

impl Person {
    /// Working intervals (UTC) of a local date.
    pub fn working(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        if self.away.contains(&date) {
            return Vec::new();
        }
        self.hours
            .on(date.weekday())
            .iter()
            .map(|r| {
                let s = self
                    .tz
                    .from_local_datetime(&date.and_time(r.start))
                    .earliest()
                    .unwrap()
                    .with_timezone(&Utc);
                let e = self
                    .tz
                    .from_local_datetime(&date.and_time(r.end))
                    .earliest()
                    .unwrap()
                    .with_timezone(&Utc);
                (s, e)
            })
            .collect()
    }

    pub fn in_working_time(&self, t: DateTime<Utc>) -> bool {
        let local = t.with_timezone(&self.tz);
        self.working(local.date_naive())
            .iter()
            .any(|&(s, e)| s <= t && t < e)
    }
}

/// One calendar occurrence, reduced to what the signals need.
#[derive(Clone)]
pub struct Meet {
    pub uid: String,
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub recurring: bool,
    pub series_ends: bool,
    pub created: Option<DateTime<Utc>>,
    pub organizer: Option<String>,
    /// Non-resource attendees with their answers.
    pub attendees: Vec<(String, PartStat)>,
    /// The description has an agenda / a desired outcome.
    pub agenda: bool,
    pub outcome: bool,
}

impl Meet {
    pub fn participants(&self) -> HashSet<String> {
        let mut s: HashSet<String> = self.attendees.iter().map(|(e, _)| e.clone()).collect();
        if let Some(o) = &self.organizer {
            s.insert(o.clone());
        }
        s
    }

    pub fn attended_by(&self, email: &str) -> bool {
        self.participants().len() >= 2
            && (self.organizer.as_deref() == Some(email)
                || self
                    .attendees
                    .iter()
                    .any(|(e, s)| e == email && *s == PartStat::Accepted))
    }

    /// Not declined by `email` (the organizer never declines).
    pub fn not_declined_by(&self, email: &str) -> bool {
        self.participants().len() >= 2
            && (self.organizer.as_deref() == Some(email)
                || self
                    .attendees
                    .iter()
                    .any(|(e, s)| e == email && *s != PartStat::Declined))
    }

    pub fn hours(&self) -> f64 {
        (self.end - self.start).num_minutes() as f64 / 60.0
    }

    pub fn short_notice(&self) -> bool {
        self.created
            .is_some_and(|c| self.start - c <= Duration::hours(24))
    }
}

/// The demo read back.
pub struct World {
    pub start: NaiveDate,
    pub weeks: u32,
    pub people: BTreeMap<String, Person>,
    pub teams: BTreeMap<String, Vec<String>>,
    /// Emails in people.csv's order.
    pub order: Vec<String>,
    /// Per person: the meetings in their own calendar (all, not only attended).
    pub calendars: BTreeMap<String, Vec<Meet>>,
    /// Every series master: (uid, organizer email, has an end).
    pub series: BTreeMap<String, (String, bool)>,
    pub truth: Value,
}

fn occurrence_to_meet(o: &Occurrence, tz: &Tz) -> Option<Meet> {
    if o.is_all_day()
        || o.details.transparency == Transparency::Transparent
        || o.details.status == fulcrum_model::EventStatus::Cancelled
    {
        return None;
    }
    let start = o.start.instant_in(tz);
    let end = o.end.instant_in(tz);
    if end - start >= Duration::hours(12) {
        return None;
    }
    Some(Meet {
        uid: o.uid.to_string(),
        title: o.details.summary.clone(),
        start,
        end,
        recurring: o.details.series.in_series,
        series_ends: o.details.series.series_ends,
        created: o.details.created,
        organizer: o.details.organizer.as_ref().map(|p| p.email.clone()),
        attendees: o
            .details
            .attendees
            .iter()
            .filter(|a| a.is_person())
            .map(|a| (a.who.email.clone(), a.partstat))
            .collect(),
        agenda: o.details.description.has_agenda,
        outcome: o.details.description.has_outcome,
    })
}

impl World {
    pub fn read(files: &Files) -> World {
        let truth = files.truth();
        let start =
            NaiveDate::parse_from_str(truth["start"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        let weeks = truth["weeks"].as_u64().unwrap() as u32;
        let end = start + Duration::days(7 * i64::from(weeks));
        let ws =
            fulcrum_workspace::parse_workspace(files.text("fulcrum.toml"), "fulcrum.toml").unwrap();
        let specs =
            fulcrum_workspace::parse_people_csv(files.text("people.csv"), "people.csv", &ws.team)
                .unwrap();
        let mut people = BTreeMap::new();
        let mut teams: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut calendars = BTreeMap::new();
        let mut series = BTreeMap::new();
        let order: Vec<String> = specs.iter().map(|s| s.email.clone()).collect();
        for spec in specs {
            let tz = spec.tz.unwrap();
            let handle = spec.email.split('@').next().unwrap().to_owned();
            let path = format!("calendars/{handle}.ics");
            let mut cal = read_calendar(
                files.0.get(&path).unwrap_or_else(|| panic!("no {path}")),
                &path,
            );
            assert!(
                cal.diagnostics().is_empty(),
                "{path}: {:?}",
                cal.diagnostics()
            );
            for ev in cal.events() {
                if ev.recurrence_id.is_none() && !ev.rrules.is_empty() {
                    let ends = ev
                        .rrules
                        .iter()
                        .all(|r| r.count.is_some() || r.until.is_some());
                    let organizer = ev
                        .details
                        .organizer
                        .as_ref()
                        .map(|p| p.email.clone())
                        .unwrap_or_default();
                    series.insert(ev.uid.to_string(), (organizer, ends));
                }
            }
            let occ = cal.expand(&ExpandOptions::window(
                Bound::date(start - Duration::days(1)),
                Bound::date(end + Duration::days(1)),
            ));
            let mut away = HashSet::new();
            let mut meets = Vec::new();
            for o in &occ {
                if o.details.out_of_office && o.is_all_day() {
                    let (fulcrum_model::CalTime::Date(a), fulcrum_model::CalTime::Date(b)) =
                        (o.start, o.end)
                    else {
                        continue;
                    };
                    let mut d = a;
                    while d < b {
                        away.insert(d);
                        d += Duration::days(1);
                    }
                } else if let Some(m) = occurrence_to_meet(o, &tz) {
                    meets.push(m);
                }
            }
            teams
                .entry(spec.team.clone())
                .or_default()
                .push(spec.email.clone());
            calendars.insert(spec.email.clone(), meets);
            people.insert(
                spec.email.clone(),
                Person {
                    email: spec.email.clone(),
                    team: spec.team,
                    tz,
                    hours: spec.working_hours,
                    aliases: spec.aliases,
                    away,
                },
            );
        }
        World {
            start,
            weeks,
            people,
            teams,
            order,
            calendars,
            series,
            truth,
        }
    }

    pub fn end(&self) -> NaiveDate {
        self.start + Duration::days(7 * i64::from(self.weeks))
    }

    /// The UTC instant of the start of week `w` (1-based) for a person.
    fn week_bounds(&self, p: &Person, w: u32) -> (DateTime<Utc>, DateTime<Utc>) {
        let monday = self.start + Duration::days(7 * i64::from(w - 1));
        let at = |d: NaiveDate| {
            p.tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap())
                .earliest()
                .unwrap()
                .with_timezone(&Utc)
        };
        (at(monday), at(monday + Duration::days(7)))
    }

    /// Person-week metrics of one person.
    pub fn person_weeks(&self, email: &str) -> Vec<PersonWeek> {
        let p = &self.people[email];
        let meets = &self.calendars[email];
        let mut out = Vec::new();
        for w in 1..=self.weeks {
            let monday = self.start + Duration::days(7 * i64::from(w - 1));
            let days: Vec<NaiveDate> = (0..7).map(|d| monday + Duration::days(d)).collect();
            let working: Vec<(DateTime<Utc>, DateTime<Utc>)> =
                days.iter().flat_map(|d| p.working(*d)).collect();
            let working_days = days.iter().filter(|d| !p.working(**d).is_empty()).count();
            let (ws, we) = self.week_bounds(p, w);
            let attended: Vec<&Meet> = meets
                .iter()
                .filter(|m| m.start >= ws && m.start < we && m.attended_by(email))
                .collect();
            let union = union(attended.iter().map(|m| (m.start, m.end)).collect());
            let work_h: f64 = working.iter().map(|(s, e)| hours(*s, *e)).sum();
            let mut meeting_in_work = 0.0;
            let mut focus = 0.0;
            let mut fragmented = 0.0;
            for &(s, e) in &working {
                let mut cursor = s;
                for &(a, b) in &union {
                    if b <= s || a >= e {
                        continue;
                    }
                    let (a, b) = (a.max(s), b.min(e));
                    meeting_in_work += hours(a, b);
                    if a > cursor {
                        let free = hours(cursor, a);
                        if free >= 2.0 {
                            focus += free
                        } else {
                            fragmented += free
                        }
                    }
                    cursor = cursor.max(b);
                }
                if cursor < e {
                    let free = hours(cursor, e);
                    if free >= 2.0 {
                        focus += free
                    } else {
                        fragmented += free
                    }
                }
            }
            let non_recurring: Vec<&&Meet> = attended.iter().filter(|m| !m.recurring).collect();
            let not_declined: Vec<(DateTime<Utc>, DateTime<Utc>)> = meets
                .iter()
                .filter(|m| m.start >= ws && m.start < we && m.not_declined_by(email))
                .map(|m| (m.start, m.end))
                .collect();
            let inside_work: f64 = union
                .iter()
                .map(|&(a, b)| {
                    working
                        .iter()
                        .map(|&(s, e)| {
                            if b <= s || a >= e {
                                0.0
                            } else {
                                hours(a.max(s), b.min(e))
                            }
                        })
                        .sum::<f64>()
                })
                .sum();
            let union_total: f64 = union.iter().map(|&(a, b)| hours(a, b)).sum();
            out.push(PersonWeek {
                week: w,
                working_days,
                working_hours: work_h,
                meeting_share: if work_h > 0.0 {
                    meeting_in_work / work_h
                } else {
                    0.0
                },
                focus_hours: focus,
                fragmentation: if focus + fragmented > 0.0 {
                    fragmented / (focus + fragmented)
                } else {
                    0.0
                },
                short_meetings: non_recurring
                    .iter()
                    .filter(|m| m.end - m.start <= Duration::minutes(30))
                    .count() as f64,
                non_recurring: non_recurring.len() as f64,
                short_notice: non_recurring.iter().filter(|m| m.short_notice()).count() as f64,
                recurring_hours: attended
                    .iter()
                    .filter(|m| m.recurring)
                    .map(|m| m.hours())
                    .sum(),
                meeting_hours: attended.iter().map(|m| m.hours()).sum(),
                standups: attended
                    .iter()
                    .filter(|m| m.title.to_lowercase().contains("standup"))
                    .count() as f64,
                conflict_hours: overlap_hours(not_declined),
                after_hours_meeting_hours: union_total - inside_work,
                by_organizer: attended.iter().fold(HashMap::new(), |mut acc, m| {
                    *acc.entry(m.organizer.clone().unwrap_or_default())
                        .or_insert(0.0) += m.hours();
                    acc
                }),
            });
        }
        out
    }

    /// The person-weeks of a team that count (3+ working days), in `weeks`.
    pub fn team_weeks(&self, team: &str, weeks: std::ops::RangeInclusive<u32>) -> Vec<PersonWeek> {
        self.teams[team]
            .iter()
            .flat_map(|e| self.person_weeks(e))
            .filter(|pw| pw.working_days >= 3 && weeks.contains(&pw.week))
            .collect()
    }

    /// Email of a Slack id or Mattermost username (people.csv aliases).
    pub fn alias_map(&self) -> HashMap<String, String> {
        let mut m = HashMap::new();
        for p in self.people.values() {
            for a in &p.aliases {
                m.insert(a.clone(), p.email.clone());
            }
        }
        m
    }
}

/// One person-week.
#[derive(Debug, Clone)]
pub struct PersonWeek {
    pub week: u32,
    pub working_days: usize,
    pub working_hours: f64,
    pub meeting_share: f64,
    pub focus_hours: f64,
    pub fragmentation: f64,
    pub short_meetings: f64,
    pub non_recurring: f64,
    pub short_notice: f64,
    pub recurring_hours: f64,
    pub meeting_hours: f64,
    pub standups: f64,
    pub conflict_hours: f64,
    pub after_hours_meeting_hours: f64,
    pub by_organizer: HashMap<String, f64>,
}

/// Time covered by two or more of the intervals.
pub fn overlap_hours(v: Vec<(DateTime<Utc>, DateTime<Utc>)>) -> f64 {
    let mut edges: Vec<(DateTime<Utc>, i32)> =
        v.iter().flat_map(|&(s, e)| [(s, 1), (e, -1)]).collect();
    edges.sort();
    let mut depth = 0;
    let mut total = 0.0;
    let mut last = None;
    for (t, d) in edges {
        if let Some(l) = last
            && depth >= 2
        {
            total += hours(l, t);
        }
        depth += d;
        last = Some(t);
    }
    total
}

/// The Gini coefficient of non-negative values (0: equal, near 1: one has all).
pub fn gini(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    if mean <= 0.0 {
        return 0.0;
    }
    let diffs: f64 = v
        .iter()
        .flat_map(|a| v.iter().map(move |b| (a - b).abs()))
        .sum();
    diffs / (2.0 * n * n * mean)
}

pub fn hours(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (b - a).num_seconds() as f64 / 3600.0
}

pub fn union(mut v: Vec<(DateTime<Utc>, DateTime<Utc>)>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    v.sort();
    let mut out: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

pub fn median(mut v: Vec<f64>) -> f64 {
    assert!(!v.is_empty(), "median of nothing");
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// One chat message, from either export.
#[derive(Debug, Clone)]
pub struct ChatMsg {
    pub at: DateTime<Utc>,
    /// Author email (people only; bots and unknown accounts are None).
    pub author: Option<String>,
    /// Conversation key: `slack:<folder>` or `mm:<channel>` / `mm:dm:<a,b>`.
    pub conv: String,
    /// Thread key (parent ts / parent create_at), if in a thread.
    pub thread: Option<String>,
    /// The message's own key (Slack ts, Mattermost create_at).
    pub id: String,
    pub text: String,
    pub subtype: String,
    /// Mentioned people (emails).
    pub mentions: Vec<String>,
    /// For DMs: the members (emails).
    pub dm_members: Vec<String>,
}

fn ts_to_time(ts: &str) -> DateTime<Utc> {
    let (s, frac) = ts.split_once('.').unwrap_or((ts, "0"));
    let micros: i64 = format!("{frac:0<6}")[..6].parse().unwrap();
    DateTime::from_timestamp(s.parse().unwrap(), 0).unwrap() + Duration::microseconds(micros)
}

/// Every message of the Slack ZIP and the Mattermost export.
pub fn read_chat(files: &Files, world: &World) -> Vec<ChatMsg> {
    let aliases = world.alias_map();
    let mut out = Vec::new();
    let zip_bytes = files.0.get("chat/slack-export.zip").unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(zip_bytes.as_slice())).unwrap();
    let read = |zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str| -> Value {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        serde_json::from_str(&s).unwrap()
    };
    let dms: HashMap<String, Vec<String>> = read(&mut zip, "dms.json")
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let members = d["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| aliases[m.as_str().unwrap()].clone())
                .collect();
            (d["id"].as_str().unwrap().to_owned(), members)
        })
        .collect();
    let mention_re = |text: &str| -> Vec<String> {
        text.split("<@")
            .skip(1)
            .filter_map(|rest| rest.split_once('>'))
            .filter_map(|(id, _)| aliases.get(id).cloned())
            .collect()
    };
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    for name in names {
        let Some((folder, file)) = name.split_once('/') else {
            continue;
        };
        if !file.ends_with(".json") {
            continue;
        }
        let v = read(&mut zip, &name);
        for m in v.as_array().unwrap() {
            let ts = m["ts"].as_str().unwrap();
            let thread = m
                .get("thread_ts")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let text = m["text"].as_str().unwrap_or_default().to_owned();
            out.push(ChatMsg {
                at: ts_to_time(ts),
                author: m
                    .get("user")
                    .and_then(Value::as_str)
                    .and_then(|u| aliases.get(u).cloned()),
                conv: format!("slack:{folder}"),
                thread,
                id: ts.to_owned(),
                mentions: mention_re(&text),
                text,
                subtype: m
                    .get("subtype")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                dm_members: dms.get(folder).cloned().unwrap_or_default(),
            });
        }
    }
    if let Some(mm) = files.0.get("chat/mattermost.jsonl") {
        let text = std::str::from_utf8(mm).unwrap();
        let mm_mentions = |t: &str| -> Vec<String> {
            t.split('@')
                .skip(1)
                .filter_map(|rest| {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
                        .collect();
                    aliases.get(&name).cloned()
                })
                .collect()
        };
        for line in text.lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            let (post, members) = match v["type"].as_str().unwrap() {
                "post" => (&v["post"], Vec::new()),
                "direct_post" => (
                    &v["direct_post"],
                    v["direct_post"]["channel_members"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|m| aliases[m.as_str().unwrap()].clone())
                        .collect(),
                ),
                _ => continue,
            };
            let conv = if members.is_empty() {
                format!("mm:{}", post["channel"].as_str().unwrap())
            } else {
                let mut m = members.clone();
                m.sort();
                format!("mm:dm:{}", m.join(","))
            };
            let root = post["create_at"].as_i64().unwrap();
            let replies = post["replies"].as_array().cloned().unwrap_or_default();
            let thread = (!replies.is_empty()).then(|| root.to_string());
            for (i, p) in std::iter::once(post).chain(replies.iter()).enumerate() {
                let text = p["message"].as_str().unwrap_or_default().to_owned();
                let _ = i;
                out.push(ChatMsg {
                    at: DateTime::from_timestamp_millis(p["create_at"].as_i64().unwrap()).unwrap(),
                    author: aliases.get(p["user"].as_str().unwrap()).cloned(),
                    conv: conv.clone(),
                    thread: thread.clone(),
                    id: p["create_at"].as_i64().unwrap().to_string(),
                    mentions: mm_mentions(&text),
                    text,
                    subtype: p["type"].as_str().unwrap_or_default().to_owned(),
                    dm_members: members.clone(),
                });
            }
        }
    }
    out
}

/// Business minutes of `p`'s working time in `[a, b)`.
pub fn business_minutes(p: &Person, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
    let mut total = 0;
    let mut d = a.with_timezone(&p.tz).date_naive();
    let last = b.with_timezone(&p.tz).date_naive();
    while d <= last {
        for (s, e) in p.working(d) {
            let (s, e) = (s.max(a), e.min(b));
            if s < e {
                total += (e - s).num_minutes();
            }
        }
        d += Duration::days(1);
    }
    total
}

/// The 1-based week (Monday-Sunday, UTC) of an instant.
pub fn utc_week(world: &World, t: DateTime<Utc>) -> Option<u32> {
    let d = (t.date_naive() - world.start).num_days();
    (d >= 0 && d < 7 * i64::from(world.weeks)).then_some((d / 7) as u32 + 1)
}

// ---------------------------------------------------------------------
// SIGNALS.md's definitions, team-week by team-week (its Clarifications:
// asks as DM turns with the 8 h exchange gap, acknowledgements never asks,
// huddle posts as calls, the pooled breach rate, escalations in the week of
// the thread's last message, tz_burden per team-week, the away-week rule).
// Written from the spec, not from fulcrum-analysis; the text flags are
// the generator's reading of docs/chat.md's word lists.
// ---------------------------------------------------------------------

/// `policy.chat.exchange_gap_hours`.
pub const EXCHANGE_GAP_HOURS: i64 = 8;
/// `min_group_size`.
pub const MIN_GROUP: usize = 5;

/// docs/chat.md's flags of a message's text, as the generator reads them
/// (`fulcrum_demo::key::Said::flags`: one reading of the word lists for the
/// answer key and this check; the analysis reads them with its own matcher
/// in fulcrum-chat).
fn flags(text: &str) -> (bool, bool, bool, bool, bool) {
    fulcrum_demo::key::Said::flags(text)
}

/// The message asks something: a `?` or a request phrase.
pub fn is_question(text: &str) -> bool {
    flags(text).0
}

/// The message only acknowledges or closes.
pub fn is_ack(text: &str) -> bool {
    flags(text).1
}

/// The message says urgent/asap/blocker.
pub fn is_urgent(text: &str) -> bool {
    flags(text).2
}

/// The message asks for a call.
pub fn is_call(text: &str) -> bool {
    flags(text).3
}

/// The message states a decision.
pub fn is_decision(text: &str) -> bool {
    flags(text).4
}

/// A message people wrote (huddle posts, joins and bots are not).
pub fn written(m: &ChatMsg) -> bool {
    m.author.is_some()
        && m.subtype != "huddle_thread"
        && m.subtype != "channel_join"
        && !m.subtype.starts_with("system_")
        && m.subtype != "bot_message"
}

/// An ask as SIGNALS.md's clarification defines it, with its reply.
#[derive(Debug, Clone)]
pub struct SpecAsk {
    pub recipient: String,
    pub sender: String,
    pub at: DateTime<Utc>,
    pub urgent: bool,
    pub reply: Option<DateTime<Utc>>,
}

pub fn spec_asks(chat: &[ChatMsg]) -> Vec<SpecAsk> {
    let mut by_conv: BTreeMap<&str, Vec<&ChatMsg>> = BTreeMap::new();
    for m in chat.iter().filter(|m| written(m)) {
        by_conv.entry(m.conv.as_str()).or_default().push(m);
    }
    let mut out = Vec::new();
    for msgs in by_conv.values_mut() {
        msgs.sort_by_key(|m| m.at);
        if msgs[0].dm_members.len() == 2 {
            // Turns: one member's messages before the other writes.
            let mut i = 0;
            while i < msgs.len() {
                let author = msgs[i].author.clone().unwrap();
                let mut j = i;
                while j < msgs.len() && msgs[j].author.as_deref() == Some(author.as_str()) {
                    j += 1;
                }
                let turn = &msgs[i..j];
                let opens =
                    i == 0 || turn[0].at - msgs[i - 1].at >= Duration::hours(EXCHANGE_GAP_HOURS);
                let ask = if opens {
                    turn.iter().find(|m| !is_ack(&m.text))
                } else {
                    turn.iter()
                        .find(|m| !is_ack(&m.text) && is_question(&m.text))
                };
                if let Some(a) = ask {
                    let recipient = a.dm_members.iter().find(|r| **r != author).unwrap().clone();
                    let reply = msgs[j..]
                        .iter()
                        .find(|x| x.author.as_deref() == Some(recipient.as_str()))
                        .map(|x| x.at);
                    out.push(SpecAsk {
                        recipient,
                        sender: author.clone(),
                        at: a.at,
                        urgent: is_urgent(&a.text),
                        reply,
                    });
                }
                i = j;
            }
            continue;
        }
        for (i, m) in msgs.iter().enumerate() {
            let author = m.author.clone().unwrap();
            if is_ack(&m.text) {
                continue;
            }
            let mut recipients: Vec<&String> =
                m.mentions.iter().filter(|r| **r != author).collect();
            recipients.sort();
            recipients.dedup();
            let top_parent = m.thread.is_none() || m.thread.as_deref() == Some(m.id.as_str());
            for r in recipients {
                let reply = msgs[i + 1..]
                    .iter()
                    .find(|x| {
                        x.author.as_deref() == Some(r.as_str())
                            && (x.thread == m.thread
                                || (top_parent
                                    && (x.thread.is_none()
                                        || x.thread.as_deref() == Some(m.id.as_str()))))
                    })
                    .map(|x| x.at);
                out.push(SpecAsk {
                    recipient: r.clone(),
                    sender: author.clone(),
                    at: m.at,
                    urgent: is_urgent(&m.text),
                    reply,
                });
            }
        }
    }
    out
}

/// What became of an ask.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    /// Answered after this many business hours.
    Answered(f64),
    Unanswered,
    /// No reply yet, the limit not passed: business hours so far.
    Pending(f64),
}

impl Person {
    /// Working minutes of the usual week (the template, no days off).
    pub fn usual_week_minutes(&self) -> i64 {
        use chrono::Weekday::*;
        [Mon, Tue, Wed, Thu, Fri, Sat, Sun]
            .iter()
            .map(|d| {
                self.hours
                    .on(*d)
                    .iter()
                    .map(|r| (r.end - r.start).num_minutes())
                    .sum::<i64>()
            })
            .sum()
    }

    /// 5 business days: 5 x the mean working minutes per working day.
    pub fn unanswered_limit_minutes(&self) -> i64 {
        use chrono::Weekday::*;
        let days = [Mon, Tue, Wed, Thu, Fri, Sat, Sun]
            .iter()
            .filter(|d| !self.hours.on(**d).is_empty())
            .count() as i64;
        if days == 0 {
            5 * 24 * 60
        } else {
            5 * self.usual_week_minutes() / days
        }
    }
}

pub fn outcome(world: &World, a: &SpecAsk, data_end: DateTime<Utc>) -> Outcome {
    let p = &world.people[&a.recipient];
    let limit = p.unanswered_limit_minutes();
    match a.reply {
        Some(r) => {
            let m = business_minutes(p, a.at, r);
            if m >= limit {
                Outcome::Unanswered
            } else {
                Outcome::Answered(m as f64 / 60.0)
            }
        }
        None => {
            let m = business_minutes(p, a.at, data_end);
            if m >= limit {
                Outcome::Unanswered
            } else {
                Outcome::Pending(m as f64 / 60.0)
            }
        }
    }
}

/// Breach (Some(true)), no breach (Some(false)), or left out (None).
pub fn breach(a: &SpecAsk, o: Outcome) -> Option<bool> {
    let sla = if a.urgent { 2.0 } else { 24.0 };
    match o {
        Outcome::Answered(h) => Some(h > sla),
        Outcome::Unanswered => Some(true),
        Outcome::Pending(h) => (h > sla).then_some(true),
    }
}

/// A thread: a parent and its replies.
pub struct SpecThread {
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
    pub messages: usize,
    pub participants: Vec<String>,
    pub decided: bool,
    pub ends_with_call: bool,
}

pub fn spec_threads(chat: &[ChatMsg]) -> Vec<SpecThread> {
    let mut by: BTreeMap<(String, String), Vec<&ChatMsg>> = BTreeMap::new();
    for m in chat.iter().filter(|m| m.author.is_some()) {
        if let Some(t) = &m.thread
            && (written(m) || m.subtype == "huddle_thread")
        {
            by.entry((m.conv.clone(), t.clone())).or_default().push(m);
        }
    }
    by.into_values()
        .filter_map(|mut all| {
            all.sort_by_key(|m| m.at);
            let msgs: Vec<&&ChatMsg> = all.iter().filter(|m| written(m)).collect();
            if msgs.is_empty() {
                return None;
            }
            let mut participants: Vec<String> =
                msgs.iter().filter_map(|m| m.author.clone()).collect();
            participants.sort();
            participants.dedup();
            let tail = &all[all.len().saturating_sub(3)..];
            Some(SpecThread {
                first: msgs[0].at,
                last: msgs[msgs.len() - 1].at,
                messages: msgs.len(),
                participants,
                decided: msgs.iter().any(|m| is_decision(&m.text)),
                ends_with_call: tail
                    .iter()
                    .any(|m| m.subtype == "huddle_thread" || is_call(&m.text)),
            })
        })
        .collect()
}

impl SpecThread {
    pub fn escalated(&self, world: &World) -> bool {
        let long = self.messages >= 10 || (self.participants.len() >= 3 && self.messages >= 6);
        if !long || self.decided {
            return false;
        }
        if self.ends_with_call {
            return true;
        }
        let need = self.participants.len().div_ceil(2);
        self.participants.iter().any(|p| {
            world.calendars[p].iter().any(|m| {
                !m.recurring
                    && m.short_notice()
                    && m.start >= self.last
                    && m.start <= self.last + Duration::hours(48)
                    && self
                        .participants
                        .iter()
                        .filter(|q| m.not_declined_by(q))
                        .count()
                        >= need
            })
        })
    }
}

/// One person-week as SIGNALS.md measures it.
#[derive(Debug, Clone, Default)]
pub struct SpecPersonWeek {
    pub away: bool,
    pub working_hours: f64,
    pub meeting_hours: f64,
    pub meeting_in_work: f64,
    pub focus_hours: f64,
    pub fragmented_hours: f64,
    pub short_meetings: f64,
    pub one_offs_known: f64,
    pub short_notice: f64,
    pub recurring_hours: f64,
    pub conflict_hours: f64,
    pub after_hours: f64,
    pub by_organizer: BTreeMap<String, f64>,
    /// The attended meetings reaching into the week, as they are.
    pub attended: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// The week's bounds on the person's clock.
    pub bounds: (DateTime<Utc>, DateTime<Utc>),
}

/// `multitasking_share` of a person-week: the union of the attended
/// meetings during which the person wrote a message (`sent`, sorted),
/// clipped to the week, over the union of all of them.
pub fn multitasking_share(p: &SpecPersonWeek, sent: &[DateTime<Utc>]) -> Option<f64> {
    let (ws, we) = p.bounds;
    let during = |&&(s, e): &&(DateTime<Utc>, DateTime<Utc>)| {
        let i = sent.partition_point(|t| *t < s);
        sent.get(i).is_some_and(|t| *t < e)
    };
    let multitasked: Vec<_> = p.attended.iter().filter(during).copied().collect();
    let part: f64 = union(clip(&multitasked, ws, we))
        .iter()
        .map(|(a, b)| hours(*a, *b))
        .sum();
    (p.meeting_hours > 0.0).then(|| part / p.meeting_hours)
}

fn clip(
    v: &[(DateTime<Utc>, DateTime<Utc>)],
    a: DateTime<Utc>,
    b: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    v.iter()
        .filter(|(s, e)| *s < b && *e > a)
        .map(|(s, e)| ((*s).max(a), (*e).min(b)))
        .collect()
}

fn covered(v: &[(DateTime<Utc>, DateTime<Utc>)], w: &[(DateTime<Utc>, DateTime<Utc>)]) -> f64 {
    v.iter()
        .map(|&(a, b)| {
            clip(w, a, b)
                .iter()
                .map(|(s, e)| hours(*s, *e))
                .sum::<f64>()
        })
        .sum()
}

impl World {
    /// A person's weeks 1..=weeks on SIGNALS.md's definitions.
    pub fn spec_person_weeks(&self, email: &str) -> Vec<SpecPersonWeek> {
        let p = &self.people[email];
        let meets = &self.calendars[email];
        let usual = p.usual_week_minutes() as f64 / 60.0;
        (1..=self.weeks)
            .map(|w| {
                let monday = self.start + Duration::days(7 * i64::from(w - 1));
                let (ws, we) = self.week_bounds(p, w);
                let working: Vec<(DateTime<Utc>, DateTime<Utc>)> = (0..7)
                    .flat_map(|d| p.working(monday + Duration::days(d)))
                    .collect();
                let work_h: f64 = working.iter().map(|(s, e)| hours(*s, *e)).sum();
                let attended: Vec<&Meet> = meets
                    .iter()
                    .filter(|m| m.attended_by(email) && m.end > ws && m.start < we)
                    .collect();
                let spans = |f: &dyn Fn(&Meet) -> bool| {
                    union(clip(
                        &attended
                            .iter()
                            .filter(|m| f(m))
                            .map(|m| (m.start, m.end))
                            .collect::<Vec<_>>(),
                        ws,
                        we,
                    ))
                };
                let all = spans(&|_| true);
                let recurring = spans(&|m| m.recurring);
                let meeting_hours: f64 = all.iter().map(|(a, b)| hours(*a, *b)).sum();
                let meeting_in_work = covered(&all, &working);
                let (mut focus, mut fragmented) = (0.0, 0.0);
                for &(s, e) in &working {
                    let mut cursor = s;
                    let mut free = |a: DateTime<Utc>, b: DateTime<Utc>| {
                        let h = hours(a, b);
                        if h >= 2.0 {
                            focus += h
                        } else if h > 0.0 {
                            fragmented += h
                        }
                    };
                    for &(a, b) in all.iter().filter(|(a, b)| *b > s && *a < e) {
                        if a > cursor {
                            free(cursor, a);
                        }
                        cursor = cursor.max(b);
                    }
                    if cursor < e {
                        free(cursor, e);
                    }
                }
                let starts_here: Vec<&&Meet> = attended
                    .iter()
                    .filter(|m| m.start >= ws && m.start < we)
                    .collect();
                let one_offs: Vec<&&&Meet> = starts_here.iter().filter(|m| !m.recurring).collect();
                let not_declined: Vec<(DateTime<Utc>, DateTime<Utc>)> = meets
                    .iter()
                    .filter(|m| m.not_declined_by(email))
                    .map(|m| (m.start, m.end))
                    .collect();
                let mut by_organizer = BTreeMap::new();
                for m in &attended {
                    if let Some(o) = &m.organizer {
                        *by_organizer.entry(o.clone()).or_insert(0.0) +=
                            hours(m.start.max(ws), m.end.min(we));
                    }
                }
                SpecPersonWeek {
                    away: work_h < usual / 2.0,
                    working_hours: work_h,
                    meeting_hours,
                    meeting_in_work,
                    focus_hours: focus,
                    fragmented_hours: fragmented,
                    short_meetings: one_offs
                        .iter()
                        .filter(|m| m.end - m.start <= Duration::minutes(30))
                        .count() as f64,
                    one_offs_known: one_offs.iter().filter(|m| m.created.is_some()).count() as f64,
                    short_notice: one_offs.iter().filter(|m| m.short_notice()).count() as f64,
                    recurring_hours: covered(&recurring, &all),
                    conflict_hours: overlap_hours(clip(&not_declined, ws, we)),
                    after_hours: meeting_hours - meeting_in_work,
                    by_organizer,
                    attended: attended.iter().map(|m| (m.start, m.end)).collect(),
                    bounds: (ws, we),
                }
            })
            .collect()
    }

    /// The 1-based window week of an instant on a person's clock.
    pub fn week_on_clock(&self, email: &str, t: DateTime<Utc>) -> Option<u32> {
        let d = t.with_timezone(&self.people[email].tz).date_naive();
        let days = (d - self.start).num_days();
        (days >= 0 && days < 7 * i64::from(self.weeks)).then_some((days / 7) as u32 + 1)
    }
}

/// The signals compared between the answer key, this recomputation and the
/// report, by their SIGNALS.md ids.
pub const SPEC_SIGNALS: &[&str] = &[
    "short_meetings",
    "conflict_hours",
    "focus_hours",
    "fragmentation",
    "meeting_share",
    "recurring_share",
    "short_notice_meetings",
    "organizer_concentration",
    "tz_burden",
    "cross_tz_asks",
    "sla_breach_rate",
    "response_latency",
    "thread_escalations",
];

/// A team's values per week (index 0 = window week 1): `None` when the
/// team-week is left out (half the team away), suppressed (fewer than
/// `MIN_GROUP` members with data) or has no value.
pub type TeamWeekValues = BTreeMap<&'static str, Vec<Option<f64>>>;

fn spec_median(mut v: Vec<f64>) -> Option<f64> {
    (!v.is_empty()).then(|| {
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    })
}

/// Every team's values per week on SIGNALS.md's definitions.
pub fn spec_team_weeks(world: &World, chat: &[ChatMsg]) -> BTreeMap<String, TeamWeekValues> {
    let data_end = DateTime::parse_from_rfc3339(world.truth["export_time"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let asks = spec_asks(chat);
    let threads: Vec<SpecThread> = spec_threads(chat)
        .into_iter()
        .filter(|t| t.escalated(world))
        .collect();
    let pws: BTreeMap<&str, Vec<SpecPersonWeek>> = world
        .people
        .keys()
        .map(|e| (e.as_str(), world.spec_person_weeks(e)))
        .collect();
    // Asks by (recipient, week on the recipient's clock).
    let mut received: BTreeMap<(&str, u32), Vec<&SpecAsk>> = BTreeMap::new();
    for a in &asks {
        if let Some(w) = world.week_on_clock(&a.recipient, a.at) {
            received
                .entry((a.recipient.as_str(), w))
                .or_default()
                .push(a);
        }
    }
    let rank: HashMap<&str, usize> = world
        .order
        .iter()
        .enumerate()
        .map(|(i, e)| (e.as_str(), i))
        .collect();
    // The messages each person wrote, in time order (`multitasking_share`).
    let mut sent: BTreeMap<&str, Vec<DateTime<Utc>>> = BTreeMap::new();
    for m in chat.iter().filter(|m| written(m)) {
        if let Some(a) = &m.author {
            sent.entry(a.as_str()).or_default().push(m.at);
        }
    }
    for v in sent.values_mut() {
        v.sort();
    }
    let mut out = BTreeMap::new();
    for (team, members) in &world.teams {
        let mut values: TeamWeekValues = SPEC_SIGNALS
            .iter()
            .chain(&["multitasking_share"])
            .map(|s| (*s, vec![None; world.weeks as usize]))
            .collect();
        // Escalated threads a member wrote in, in the week of the last
        // message on the clock of the first such member on the people list.
        let mut escalations = vec![0.0; world.weeks as usize];
        for t in &threads {
            if let Some(first) = t
                .participants
                .iter()
                .filter(|p| members.contains(p))
                .min_by_key(|p| rank[p.as_str()])
                && let Some(w) = world.week_on_clock(first, t.last)
            {
                escalations[w as usize - 1] += 1.0;
            }
        }
        for w in 1..=world.weeks {
            let i = w as usize - 1;
            let present: Vec<&String> = members
                .iter()
                .filter(|e| !pws[e.as_str()][i].away)
                .collect();
            if (members.len() - present.len()) * 2 >= members.len() {
                continue;
            }
            let week: Vec<&SpecPersonWeek> = present.iter().map(|e| &pws[e.as_str()][i]).collect();
            let mut set = |id: &'static str, members_with_data: usize, v: Option<f64>| {
                if members_with_data >= MIN_GROUP {
                    values.get_mut(id).unwrap()[i] = v;
                }
            };
            let med = |f: &dyn Fn(&SpecPersonWeek) -> Option<f64>| {
                let v: Vec<f64> = week.iter().filter_map(|p| f(p)).collect();
                (v.len(), spec_median(v))
            };
            let worked = |p: &SpecPersonWeek| p.working_hours > 0.0;
            let (n, v) = med(&|p| Some(p.short_meetings));
            set("short_meetings", n, v);
            let (n, v) = med(&|p| Some(p.conflict_hours));
            set("conflict_hours", n, v);
            let (n, v) = med(&|p| worked(p).then_some(p.focus_hours));
            set("focus_hours", n, v);
            let (n, v) = med(&|p| {
                let free = p.focus_hours + p.fragmented_hours;
                (free > 0.0).then(|| p.fragmented_hours / free)
            });
            set("fragmentation", n, v);
            let (n, v) = med(&|p| worked(p).then(|| p.meeting_in_work / p.working_hours));
            set("meeting_share", n, v);
            let (n, v) =
                med(&|p| (p.meeting_hours > 0.0).then(|| p.recurring_hours / p.meeting_hours));
            set("recurring_share", n, v);
            let n = week.iter().filter(|p| p.one_offs_known > 0.0).count();
            let whole: f64 = week.iter().map(|p| p.one_offs_known).sum();
            set(
                "short_notice_meetings",
                n,
                (whole > 0.0).then(|| week.iter().map(|p| p.short_notice).sum::<f64>() / whole),
            );
            let mut by: BTreeMap<&str, f64> = BTreeMap::new();
            for p in &week {
                for (o, h) in &p.by_organizer {
                    *by.entry(o.as_str()).or_default() += h;
                }
            }
            let total: f64 = by.values().sum();
            set(
                "organizer_concentration",
                week.iter().filter(|p| p.meeting_hours > 0.0).count(),
                (total > 0.0).then(|| by.values().copied().fold(0.0, f64::max) / total),
            );
            let (n, v) = {
                let v: Vec<f64> = present
                    .iter()
                    .filter_map(|e| {
                        let mine = sent.get(e.as_str()).map_or(&[][..], Vec::as_slice);
                        multitasking_share(&pws[e.as_str()][i], mine)
                    })
                    .collect();
                (v.len(), spec_median(v))
            };
            set("multitasking_share", n, v);
            let burden: Vec<f64> = week.iter().map(|p| p.after_hours).collect();
            set("tz_burden", burden.len(), Some(gini(&burden)));
            // Chat: the asks the present members received this week.
            let theirs: Vec<(&String, Vec<&SpecAsk>)> = present
                .iter()
                .map(|e| {
                    (
                        *e,
                        received.get(&(e.as_str(), w)).cloned().unwrap_or_default(),
                    )
                })
                .collect();
            let all: Vec<&SpecAsk> = theirs.iter().flat_map(|(_, v)| v.iter().copied()).collect();
            let cross = all
                .iter()
                .filter(|a| {
                    !world.people[&a.recipient].in_working_time(a.at)
                        && world.people[&a.sender].in_working_time(a.at)
                })
                .count();
            set(
                "cross_tz_asks",
                theirs.iter().filter(|(_, v)| !v.is_empty()).count(),
                (!all.is_empty()).then(|| cross as f64 / all.len() as f64),
            );
            let decided: Vec<(&String, bool)> = theirs
                .iter()
                .flat_map(|(e, v)| {
                    v.iter()
                        .filter_map(|a| breach(a, outcome(world, a, data_end)).map(|b| (*e, b)))
                })
                .collect();
            let mut with: Vec<&String> = decided.iter().map(|(e, _)| *e).collect();
            with.dedup();
            set(
                "sla_breach_rate",
                with.len(),
                (!decided.is_empty()).then(|| {
                    decided.iter().filter(|(_, b)| *b).count() as f64 / decided.len() as f64
                }),
            );
            let answered: Vec<(&String, f64)> = theirs
                .iter()
                .flat_map(|(e, v)| {
                    v.iter().filter_map(|a| match outcome(world, a, data_end) {
                        Outcome::Answered(h) => Some((*e, h)),
                        _ => None,
                    })
                })
                .collect();
            let mut with: Vec<&String> = answered.iter().map(|(e, _)| *e).collect();
            with.dedup();
            set(
                "response_latency",
                with.len(),
                spec_median(answered.iter().map(|(_, h)| *h).collect()),
            );
            set("thread_escalations", present.len(), Some(escalations[i]));
        }
        out.insert(team.clone(), values);
    }
    out
}

/// The window value: the median of the known team-week values.
pub fn window_median(v: &[Option<f64>]) -> Option<f64> {
    spec_median(v.iter().flatten().copied().collect())
}
