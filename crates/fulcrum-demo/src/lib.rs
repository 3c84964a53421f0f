//! The demo generator behind `fulcrum demo`: a realistic organisation in
//! real file formats, with an answer key of the patterns planted in it.
//!
//! [`generate`] writes a complete workspace through a [`DemoSink`]: the
//! workspace files, one iCalendar file per person (Google and Outlook
//! dialects), a Slack export ZIP, a Mattermost bulk export, work items,
//! pulse answers, and `truth.json` / `TRUTH.md`. It never touches the file
//! system itself: the sink hands out one `Write` per file (the app's sink
//! creates files, tests keep them in memory).
//!
//! Architecture:
//! - [`org`] builds people and teams; [`series`] their recurring meetings;
//!   [`day`] plans one team's day (one-off meetings, focus blocks, chat
//!   posts) and [`org_day`] the organisation-wide channels. Plans are pure
//!   functions of the seed, the team and the date ([`rng`] derives one
//!   stream per part), so the calendar and chat writers each recompute
//!   them and agree.
//! - [`calendar`], [`slack`], [`mattermost`], [`work_items`], [`pulse`],
//!   [`workspace`] and [`truth`] only format.
//! - Streaming: calendars are written team by team, chat day by day; memory
//!   holds one team's plans or a few days of messages, never the output.
//! - Deterministic: no clock, no hash-map iteration order in output, fixed
//!   ZIP timestamps. The same options give byte-identical files.

pub mod archetype;
pub mod calendar;
pub mod day;
pub mod experiments;
pub mod holidays;
pub mod hours;
pub mod key;
pub mod mattermost;
pub mod names;
pub mod org;
pub mod org_day;
pub mod plan;
pub mod preset;
pub mod pulse;
pub mod rng;
pub mod series;
pub mod slack;
pub mod text;
pub mod truth;
pub mod work_items;
pub mod workspace;
pub mod zones;

use chrono::{Datelike, Duration, NaiveDate};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::rc::Rc;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Number of people (at least 5).
    pub people: usize,
    /// Number of weeks (1 to 104).
    pub weeks: u32,
    /// First day; moved back to its Monday.
    pub start: NaiveDate,
    /// The seed.
    pub seed: u64,
    /// The preset: which teams, how clearly their patterns show.
    pub difficulty: preset::Difficulty,
}

impl DemoOptions {
    /// The default people count.
    pub const DEFAULT_PEOPLE: usize = 60;
    /// The default number of weeks.
    pub const DEFAULT_WEEKS: u32 = 13;
    /// The default seed.
    pub const DEFAULT_SEED: u64 = 42;
    /// Most people the generator accepts.
    pub const MAX_PEOPLE: usize = 100_000;
    /// Most weeks the generator accepts.
    pub const MAX_WEEKS: u32 = 104;

    /// The default first day: Monday 31 August 2026, so the quarter holds
    /// both DST changes (Europe on 25 October, the US on 1 November) and
    /// the week between them. Fixed, not today: the output must not depend
    /// on the clock.
    pub fn default_start() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 8, 31).unwrap_or(NaiveDate::MIN)
    }

    /// Checks the ranges and moves the start back to a Monday.
    pub fn validated(&self) -> Result<DemoOptions, DemoError> {
        if self.people < 5 {
            return Err(DemoError::Options(format!(
                "--people {} is too few: a team needs at least 5 people (the minimum group size for team aggregates)",
                self.people
            )));
        }
        if self.people > Self::MAX_PEOPLE {
            return Err(DemoError::Options(format!(
                "--people {} is more than the {} the generator supports",
                self.people,
                Self::MAX_PEOPLE
            )));
        }
        if self.weeks == 0 || self.weeks > Self::MAX_WEEKS {
            return Err(DemoError::Options(format!(
                "--weeks {} is outside 1 to {}",
                self.weeks,
                Self::MAX_WEEKS
            )));
        }
        let monday =
            self.start - Duration::days(i64::from(self.start.weekday().num_days_from_monday()));
        if monday.year() < 1990 || monday.year() > 2100 {
            return Err(DemoError::Options(format!(
                "--start {} is outside 1990-2100",
                self.start
            )));
        }
        Ok(DemoOptions {
            start: monday,
            ..self.clone()
        })
    }
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            people: Self::DEFAULT_PEOPLE,
            weeks: Self::DEFAULT_WEEKS,
            start: Self::default_start(),
            seed: Self::DEFAULT_SEED,
            difficulty: preset::Difficulty::Easy,
        }
    }
}

/// Where the generator writes: hands out one writer per file.
pub trait DemoSink {
    /// Creates (or truncates) the file at `relative_path` (`/`-separated,
    /// e.g. `calendars/ana.ruiz.ics`) and returns a writer for it. The
    /// generator flushes the writer before dropping it.
    fn create(&mut self, relative_path: &str) -> io::Result<Box<dyn Write>>;

    /// Told how far the generator is, for a progress bar; does nothing
    /// unless the sink cares. A large demo takes a while (about 40 s for
    /// 2,000 people), nearly all of it in the two stages reported here.
    fn progress(&mut self, _progress: DemoProgress) {}
}

/// How far [`generate`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoProgress {
    /// Calendars written (and Mattermost posts planned), by person.
    Calendars {
        /// People whose calendar is written.
        done: usize,
        /// Of.
        total: usize,
    },
    /// Days of the Slack export written.
    Slack {
        /// Days written.
        done: usize,
        /// Of.
        total: usize,
    },
    /// The work items, pulse answers and the answer key.
    AnswerKey,
}

/// Why the demo could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// An option is out of range.
    #[error("{0}")]
    Options(String),
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file, relative to the output folder.
        path: String,
        /// The error.
        source: io::Error,
    },
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// The options used (start moved to its Monday).
    pub start: NaiveDate,
    /// People.
    pub people: usize,
    /// Teams.
    pub teams: usize,
    /// Weeks.
    pub weeks: u32,
    /// Calendar files.
    pub calendars: usize,
    /// VEVENTs over all calendars.
    pub events: u64,
    /// Slack messages.
    pub slack_messages: u64,
    /// Slack day files.
    pub slack_day_files: u64,
    /// Mattermost posts and replies.
    pub mattermost_posts: u64,
    /// Work item rows.
    pub work_items: u64,
    /// Pulse answers.
    pub pulse_answers: u64,
    /// Every file written, in order.
    pub files: Vec<String>,
    /// Bytes written.
    pub bytes: u64,
}

/// Counts bytes on their way to the sink's writer.
struct Counting<'c> {
    inner: Box<dyn Write>,
    bytes: &'c mut u64,
}

impl Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        *self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

struct Run<'s> {
    sink: &'s mut dyn DemoSink,
    summary: DemoSummary,
}

impl Run<'_> {
    /// Writes one whole file with `f`.
    fn file<T>(
        &mut self,
        path: &str,
        f: impl FnOnce(&mut dyn Write) -> io::Result<T>,
    ) -> Result<T, DemoError> {
        let err = |source| DemoError::Write {
            path: path.to_owned(),
            source,
        };
        let inner = self.sink.create(path).map_err(err)?;
        let mut bytes = 0;
        let result = {
            let mut w = Counting {
                inner,
                bytes: &mut bytes,
            };
            let r = f(&mut w).map_err(err)?;
            w.flush().map_err(err)?;
            r
        };
        self.summary.bytes += bytes;
        self.summary.files.push(path.to_owned());
        Ok(result)
    }
}

/// Generates the demo workspace into `sink`.
pub fn generate(options: &DemoOptions, sink: &mut dyn DemoSink) -> Result<DemoSummary, DemoError> {
    use workspace::paths;
    let o = options.validated()?;
    let org = org::Org::build(o.seed, o.people, o.weeks, o.start, o.difficulty);
    let mut run = Run {
        sink,
        summary: DemoSummary {
            start: o.start,
            people: org.people.len(),
            teams: org.teams.len(),
            weeks: o.weeks,
            ..DemoSummary::default()
        },
    };
    run.file(paths::WORKSPACE, |w| {
        w.write_all(workspace::workspace_toml(&org).as_bytes())
    })?;
    run.file(paths::PEOPLE, |w| {
        w.write_all(workspace::people_csv(&org).as_bytes())
    })?;

    // Calendars (and the Mattermost export), team by team: one team's plans
    // in memory at a time.
    let has_mattermost = org
        .teams
        .iter()
        .any(|t| t.chat() == archetype::Chat::Mattermost);
    let mm_err = |source| DemoError::Write {
        path: paths::MATTERMOST.to_owned(),
        source,
    };
    let slack_err = |source| DemoError::Write {
        path: paths::SLACK.to_owned(),
        source,
    };
    let mut mm_bytes = 0u64;
    let mut slack_bytes = 0u64;
    let mut ledger = key::Ledger::default();
    {
        let mut mm = if has_mattermost {
            let inner = run.sink.create(paths::MATTERMOST).map_err(mm_err)?;
            let out = io::BufWriter::with_capacity(
                1 << 16,
                Counting {
                    inner,
                    bytes: &mut mm_bytes,
                },
            );
            Some(mattermost::MattermostWriter::new(&org, out).map_err(mm_err)?)
        } else {
            None
        };
        let departments: Vec<series::Schedule> = (0..org.departments())
            .map(|d| series::Schedule::for_department(&org, d))
            .collect();
        for team in &org.teams {
            let planner = day::TeamPlanner::new(&org, team);
            let days: Vec<day::TeamDay> = org.days().map(|d| planner.day(d)).collect();
            ledger.add_team(&org, &team.members, planner.schedule(), &departments, &days);
            let sources = calendar::Sources {
                team: planner.schedule(),
                departments: &departments,
                days: &days,
            };
            for &p in &team.members {
                let done = run.summary.calendars;
                run.sink.progress(DemoProgress::Calendars {
                    done,
                    total: org.people.len(),
                });
                let path = workspace::calendar_path(&org, p);
                let events = run.file(&path, |w| {
                    let mut buffered = io::BufWriter::with_capacity(1 << 16, w);
                    let n = calendar::write_calendar(&mut buffered, &org, p, &sources)?;
                    buffered.flush()?;
                    Ok(n)
                })?;
                run.summary.events += events;
                run.summary.calendars += 1;
            }
            // A Mattermost export lists each conversation's posts together,
            // in time order, as `mmctl export` does.
            if let Some(mm) = mm.as_mut() {
                let mut by_conv: BTreeMap<plan::Conv, Vec<&plan::Post>> = BTreeMap::new();
                for post in days.iter().flat_map(|d| &d.posts) {
                    if org_day::in_mattermost(&org, post.conv) {
                        by_conv.entry(post.conv).or_default().push(post);
                    }
                }
                for posts in by_conv.values_mut() {
                    posts.sort_by_key(|p| p.msgs.first().map(|m| m.at));
                    for post in posts.iter() {
                        mm.add(post).map_err(mm_err)?;
                    }
                }
            }
        }
        if let Some(mut mm) = mm {
            ledger.chat.append(&mut mm.log);
            let (mut out, stats) = mm.finish().map_err(mm_err)?;
            out.flush().map_err(mm_err)?;
            run.summary.mattermost_posts = stats.posts;
        }
    }
    run.summary.bytes += mm_bytes;
    if has_mattermost {
        run.summary.files.push(paths::MATTERMOST.to_owned());
    }

    // Slack, day by day: a day file is written once no later day can add to it.
    let pairs = org_day::cross_team_pairs(&org);
    let planners: Vec<day::TeamPlanner<'_>> = org
        .teams
        .iter()
        .map(|t| day::TeamPlanner::new(&org, t))
        .collect();
    {
        let slack_inner = run.sink.create(paths::SLACK).map_err(slack_err)?;
        let slack_out = io::BufWriter::with_capacity(
            1 << 16,
            Counting {
                inner: slack_inner,
                bytes: &mut slack_bytes,
            },
        );
        let mut slack = slack::SlackWriter::new(&org, slack_out, &pairs).map_err(slack_err)?;
        let days = org.days().count();
        for (done, date) in org.days().enumerate() {
            run.sink.progress(DemoProgress::Slack { done, total: days });
            let mut posts = org_day::org_day(&org, date, &pairs);
            for planner in &planners {
                posts.extend(planner.day(date).posts);
            }
            for post in posts
                .iter()
                .filter(|p| !org_day::in_mattermost(&org, p.conv))
            {
                slack.add(post);
            }
            slack.flush_through(date).map_err(slack_err)?;
        }
        ledger.chat.append(&mut slack.log);
        let (mut out, stats) = slack.finish().map_err(slack_err)?;
        out.flush().map_err(slack_err)?;
        run.summary.slack_messages = stats.messages;
        run.summary.slack_day_files = stats.day_files;
    }
    run.summary.bytes += slack_bytes;
    run.summary.files.push(paths::SLACK.to_owned());
    run.sink.progress(DemoProgress::AnswerKey);

    run.summary.work_items = run.file(paths::WORK_ITEMS, |w| {
        let mut b = io::BufWriter::new(w);
        let n = work_items::write_work_items(&mut b, &org)?;
        b.flush()?;
        Ok(n)
    })?;
    run.summary.pulse_answers = run.file(paths::PULSE, |w| {
        let mut b = io::BufWriter::new(w);
        let n = pulse::write_pulse(&mut b, &org)?;
        b.flush()?;
        Ok(n)
    })?;
    let computed = ledger.team_values(&org);
    let truth_json = truth::truth_json(&org, &computed);
    run.file(paths::TRUTH_JSON, |w| {
        serde_json::to_writer_pretty(&mut *w, &truth_json).map_err(io::Error::other)?;
        w.write_all(b"\n")
    })?;
    run.file(paths::TRUTH_MD, |w| {
        w.write_all(truth::truth_md(&org, &truth_json).as_bytes())
    })?;
    run.file(paths::README, |w| w.write_all(readme(&org).as_bytes()))?;
    Ok(run.summary)
}

fn readme(org: &org::Org) -> String {
    format!(
        "# A Fulcrum demo workspace\n\n\
         Everything here is synthetic: {people} people of {company}, an invented company, over {weeks} weeks from {start}, \
         written by `fulcrum demo` (seed {seed}). The files are in the formats real exporters write, so every Fulcrum \
         command can be tried on them:\n\n\
         - `fulcrum.toml`, `people.csv`: the workspace (people, teams, time zones, working hours, chat aliases)\n\
         - `calendars/*.ics`: one calendar per person (Google Calendar and Outlook exports)\n\
         - `chat/slack-export.zip`: a Slack export; `chat/mattermost.jsonl`: a Mattermost bulk export\n\
         - `work_items.csv`: a tracker export; `pulse.csv`: weekly pulse answers\n\
         - `TRUTH.md`, `truth.json`: the answer key (which patterns were planted where)\n\n\
         Try `fulcrum chat summary` or `fulcrum ics expand calendars/*.ics --from {start} --to {end} --format table` in this folder.\n",
        people = org.people.len(),
        company = org::COMPANY,
        weeks = org.weeks,
        start = org.start,
        seed = org.seed,
        end = org.end(),
    )
}

/// Keeps every file in memory (tests, and callers that want bytes).
#[derive(Debug, Default, Clone)]
pub struct MemorySink {
    files: BTreeMap<String, Rc<RefCell<Vec<u8>>>>,
}

struct SharedBuffer(Rc<RefCell<Vec<u8>>>);

impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl DemoSink for MemorySink {
    fn create(&mut self, relative_path: &str) -> io::Result<Box<dyn Write>> {
        let buf = Rc::new(RefCell::new(Vec::new()));
        self.files.insert(relative_path.to_owned(), buf.clone());
        Ok(Box::new(SharedBuffer(buf)))
    }
}

impl MemorySink {
    /// Every file written, by path.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        self.files
            .iter()
            .map(|(k, v)| (k.clone(), v.borrow().clone()))
            .collect()
    }

    /// One file's bytes.
    pub fn get(&self, path: &str) -> Option<Vec<u8>> {
        self.files.get(path).map(|v| v.borrow().clone())
    }
}
