//! Generates a large, realistic Google Calendar style iCalendar export, for
//! benchmarks and for cross-checking against other readers.
//!
//! ```text
//! cargo run --release -p fulcrum-ics --example gen_calendar -- --events 20000 --out big.ics [--seed 1]
//! ```
//!
//! `--events N` is the number of VEVENT components written (masters,
//! one-offs and overrides together); without `--out` (or with `--out -`) the
//! file goes to stdout. The output depends only on N and the seed (a
//! splitmix64 generator written here; no dependency), so a file can be
//! regenerated anywhere.
//!
//! What one export holds, in the proportions a busy organisation's calendar
//! shows:
//!
//! - one VCALENDAR with `X-WR-TIMEZONE:America/New_York` and Google's
//!   VTIMEZONEs for Europe/Berlin, America/New_York, Asia/Kolkata and
//!   America/Los_Angeles;
//! - one-off meetings spread over 2023-2025, in those zones or in UTC (which
//!   `X-WR-TIMEZONE` moves to New York's clock), and all-day events (out of
//!   office, holidays, one to five days);
//! - weekly series (one to three weekdays, `INTERVAL` 1-4, sometimes
//!   `WKST=SU`), daily and every-weekday stand-ups, monthly series
//!   (`BYMONTHDAY` or `BYDAY=2TU`), yearly and weekly all-day series;
//!   about half of them never end and many start years before 2024, the
//!   rest end by `COUNT` or `UNTIL`;
//! - weekly series written in UTC, as Google writes events created through
//!   its API: only `X-WR-TIMEZONE` keeps them on New York's wall clock over
//!   DST changes (their `EXDATE` and `RECURRENCE-ID` values are the true
//!   UTC instants of New York wall times);
//! - Google's "this and following" edit: a series ended by `UNTIL` and its
//!   continuation under the UID `<uid>_R<start>`;
//! - `EXDATE`s (one a line or comma lists) and overrides (`RECURRENCE-ID`)
//!   that move, retitle or cancel one instance, always naming a real
//!   instance; now and then a `RANGE=THISANDFUTURE` override;
//! - three to twelve attendees each (some with non-ASCII names), an
//!   organizer, descriptions with agendas and links, locations, Meet links
//!   and some VALARMs; every line folded at 75 octets (never inside a UTF-8
//!   character) and ended with CRLF.
//!
//! The file is valid for Python's `icalendar` too (`scripts/bench-ics.sh`
//! expands it with both). No local time is in a DST gap or fold.
//!
//! `benches/ingest.rs` includes this file as a module to generate in memory.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The calendar's own zone (`X-WR-TIMEZONE`).
pub const CALENDAR_ZONE: &str = "America/New_York";

/// A small deterministic generator (splitmix64).
pub struct Rng(u64);

impl Rng {
    /// A generator for a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with `percent` percent probability.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct GenConfig {
    /// VEVENT components to write.
    pub events: usize,
    /// Seed of the generator.
    pub seed: u64,
}

/// Counts of what was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct GenSummary {
    /// VEVENT components.
    pub vevents: usize,
    /// Recurring masters.
    pub series: usize,
    /// Recurring masters without COUNT or UNTIL.
    pub infinite_series: usize,
    /// One-off events (timed and all-day).
    pub one_offs: usize,
    /// Overrides (`RECURRENCE-ID`), of which...
    pub overrides: usize,
    /// ...`RANGE=THISANDFUTURE`...
    pub this_and_future: usize,
    /// ...and `STATUS:CANCELLED`.
    pub cancelled_overrides: usize,
    /// Excluded instances (`EXDATE` values).
    pub exdates: usize,
    /// Octets written.
    pub bytes: u64,
}

/// Writes folded CRLF content lines and counts octets.
struct Ics<W: Write> {
    w: W,
    bytes: u64,
    line: String,
}

impl<W: Write> Ics<W> {
    /// Writes one content line, folded at 75 octets between characters.
    fn put(&mut self, args: std::fmt::Arguments<'_>) -> io::Result<()> {
        self.line.clear();
        let _ = self.line.write_fmt(args);
        let text = std::mem::take(&mut self.line);
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut limit = 75;
        while bytes.len() - start > limit {
            let mut cut = start + limit;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            self.w.write_all(&bytes[start..cut])?;
            self.w.write_all(b"\r\n ")?;
            self.bytes += (cut - start) as u64 + 3;
            start = cut;
            limit = 74;
        }
        self.w.write_all(&bytes[start..])?;
        self.w.write_all(b"\r\n")?;
        self.bytes += (bytes.len() - start) as u64 + 2;
        self.line = text;
        Ok(())
    }
}

macro_rules! put {
    ($ics:expr, $($arg:tt)*) => { $ics.put(format_args!($($arg)*)) };
}

/// The zones events are written in.
const ZONES: [&str; 4] = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "America/Los_Angeles",
];

/// Google's VTIMEZONE for each of [`ZONES`].
const VTIMEZONES: [&str; 4] = [
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nX-LIC-LOCATION:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\n\
     TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\n\
     RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\n\
     TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\n\
     RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n",
    "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\nX-LIC-LOCATION:America/New_York\r\n\
     BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n\
     DTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n\
     BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\n\
     DTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\n\
     END:VTIMEZONE\r\n",
    "BEGIN:VTIMEZONE\r\nTZID:Asia/Kolkata\r\nX-LIC-LOCATION:Asia/Kolkata\r\nBEGIN:STANDARD\r\n\
     TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nTZNAME:IST\r\nDTSTART:19700101T000000\r\n\
     END:STANDARD\r\nEND:VTIMEZONE\r\n",
    "BEGIN:VTIMEZONE\r\nTZID:America/Los_Angeles\r\nX-LIC-LOCATION:America/Los_Angeles\r\n\
     BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0800\r\nTZOFFSETTO:-0700\r\nTZNAME:PDT\r\n\
     DTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n\
     BEGIN:STANDARD\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0800\r\nTZNAME:PST\r\n\
     DTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\n\
     END:VTIMEZONE\r\n",
];

const FIRST: [&str; 24] = [
    "Ana", "Ben", "Chen", "Dana", "Emeka", "Fatima", "Gustav", "Hiro", "Ines", "Jonas", "Kavya",
    "Lena", "Mateo", "Noor", "Oskar", "Priya", "Quinn", "Rosa", "Søren", "Tomás", "Uma", "Věra",
    "Wei", "Zoë",
];
const LAST: [&str; 24] = [
    "Ruiz",
    "Ortiz",
    "Li",
    "Kim",
    "Okafor",
    "Haddad",
    "Lindqvist",
    "Tanaka",
    "Ferreira",
    "Müller",
    "Iyer",
    "Schulz",
    "García",
    "Rahman",
    "Nowak",
    "Sharma",
    "Byrne",
    "Rossi",
    "Jørgensen",
    "Núñez",
    "Patel",
    "Dvořák",
    "Zhang",
    "Martin",
];
const TOPICS: [&str; 20] = [
    "Roadmap",
    "Platform",
    "Billing",
    "Onboarding",
    "Search",
    "Payments",
    "Mobile",
    "Data",
    "Security",
    "Growth",
    "Infra",
    "Design system",
    "Hiring",
    "Q3 planning",
    "Pricing",
    "Support",
    "Analytics",
    "Identity",
    "Partnerships",
    "Reliability",
];
const KINDS: [&str; 14] = [
    "sync",
    "standup",
    "review",
    "1:1",
    "retro",
    "planning",
    "design review",
    "office hours",
    "all-hands",
    "interview",
    "demo",
    "check-in",
    "brainstorm",
    "steering committee",
];
const ROOMS: [&str; 8] = [
    "Berlin-3-Spree (8)",
    "NYC-12-Hudson (12)",
    "BLR-2-Cubbon (6)",
    "SF-5-Presidio (10)",
    "Berlin-1-Tiergarten (20)",
    "NYC-7-Brooklyn (4)",
    "Remote",
    "Café",
];
const ALL_DAY: [&str; 8] = [
    "Out of office",
    "Vacation",
    "Public holiday",
    "Offsite",
    "Conference: KubeCon",
    "Parental leave",
    "Team week",
    "Working from Lisbon",
];
const DURATIONS: [i64; 9] = [15, 25, 30, 30, 45, 50, 60, 90, 120];

/// A wall-clock reading: a zone of [`ZONES`], UTC as Google writes it for a
/// calendar on [`CALENDAR_ZONE`], or all-day dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clock {
    Tz(usize),
    Utc,
    Date,
}

fn tz_of(clock: Clock) -> Tz {
    let name = match clock {
        Clock::Tz(i) => ZONES[i],
        _ => CALENDAR_ZONE,
    };
    name.parse().unwrap_or(Tz::UTC)
}

/// The UTC instant of a wall time on the clock's zone.
fn utc_of(clock: Clock, wall: NaiveDateTime) -> NaiveDateTime {
    match tz_of(clock).from_local_datetime(&wall).earliest() {
        Some(t) => t.naive_utc(),
        None => wall,
    }
}

/// `NAME;params:value` for a time on a clock.
fn time_prop(out: &mut String, name: &str, params: &str, clock: Clock, walls: &[NaiveDateTime]) {
    out.clear();
    out.push_str(name);
    out.push_str(params);
    match clock {
        Clock::Tz(i) => {
            let _ = write!(out, ";TZID={}:", ZONES[i]);
        }
        Clock::Utc => out.push(':'),
        Clock::Date => out.push_str(";VALUE=DATE:"),
    }
    for (k, w) in walls.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let _ = match clock {
            Clock::Tz(_) => write!(out, "{}", w.format("%Y%m%dT%H%M%S")),
            Clock::Utc => write!(out, "{}Z", utc_of(clock, *w).format("%Y%m%dT%H%M%S")),
            Clock::Date => write!(out, "{}", w.format("%Y%m%d")),
        };
    }
}

/// The recurrence rules generated (all expandable by [`instances`]).
#[derive(Debug, Clone)]
enum Freq {
    Daily,
    Weekly {
        interval: u32,
        days: Vec<Weekday>,
        wkst_sunday: bool,
    },
    MonthlyDay(u32),
    MonthlyNth(u32, Weekday),
    Yearly,
}

#[derive(Debug, Clone, Copy)]
enum End {
    Never,
    Count(usize),
    /// The last wall time included.
    Until(NaiveDateTime),
}

fn day_code(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

fn rrule_text(freq: &Freq, end: End, clock: Clock) -> String {
    let mut s = String::from("RRULE:");
    match freq {
        Freq::Daily => s.push_str("FREQ=DAILY"),
        Freq::Weekly {
            interval,
            days,
            wkst_sunday,
        } => {
            s.push_str("FREQ=WEEKLY");
            if *wkst_sunday {
                s.push_str(";WKST=SU");
            }
            if *interval > 1 {
                let _ = write!(s, ";INTERVAL={interval}");
            }
            s.push_str(";BYDAY=");
            let codes: Vec<&str> = days.iter().map(|d| day_code(*d)).collect();
            s.push_str(&codes.join(","));
        }
        Freq::MonthlyDay(d) => {
            let _ = write!(s, "FREQ=MONTHLY;BYMONTHDAY={d}");
        }
        Freq::MonthlyNth(n, d) => {
            let _ = write!(s, "FREQ=MONTHLY;BYDAY={n}{}", day_code(*d));
        }
        Freq::Yearly => s.push_str("FREQ=YEARLY"),
    }
    match end {
        End::Never => {}
        End::Count(n) => {
            let _ = write!(s, ";COUNT={n}");
        }
        End::Until(w) => {
            let _ = match clock {
                Clock::Date => write!(s, ";UNTIL={}", w.format("%Y%m%d")),
                _ => write!(s, ";UNTIL={}Z", utc_of(clock, w).format("%Y%m%dT%H%M%S")),
            };
        }
    }
    s
}

fn week_start(d: NaiveDate, sunday: bool) -> NaiveDate {
    let back = if sunday {
        d.weekday().num_days_from_sunday()
    } else {
        d.weekday().num_days_from_monday()
    };
    d - Duration::days(i64::from(back))
}

fn nth_weekday(y: i32, m: u32, n: u32, wd: Weekday) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(y, m, wd, n as u8)
}

/// The instances of a rule from `start` (its first one), up to `horizon` or
/// `cap` of them.
fn instances(
    freq: &Freq,
    end: End,
    start: NaiveDateTime,
    horizon: NaiveDate,
    cap: usize,
) -> Vec<NaiveDateTime> {
    let mut out = Vec::new();
    let time = start.time();
    let first = start.date();
    let accept = |d: NaiveDate, out: &mut Vec<NaiveDateTime>| -> bool {
        let w = d.and_time(time);
        let over = match end {
            End::Never => false,
            End::Count(n) => out.len() >= n,
            End::Until(u) => w > u,
        };
        if over || d > horizon || out.len() >= cap {
            return false;
        }
        out.push(w);
        true
    };
    match freq {
        Freq::Daily => {
            let mut d = first;
            while accept(d, &mut out) {
                d += Duration::days(1);
            }
        }
        Freq::Weekly {
            interval,
            days,
            wkst_sunday,
        } => {
            let base = week_start(first, *wkst_sunday);
            let mut d = first;
            loop {
                let week = (week_start(d, *wkst_sunday) - base).num_days() / 7;
                if week % i64::from(*interval) == 0
                    && days.contains(&d.weekday())
                    && !accept(d, &mut out)
                {
                    break;
                }
                if d > horizon {
                    break;
                }
                d += Duration::days(1);
            }
        }
        Freq::MonthlyDay(_) | Freq::MonthlyNth(..) | Freq::Yearly => {
            let (mut y, mut m) = (first.year(), first.month());
            loop {
                let d = match freq {
                    Freq::MonthlyDay(md) => NaiveDate::from_ymd_opt(y, m, *md),
                    Freq::MonthlyNth(n, wd) => nth_weekday(y, m, *n, *wd),
                    _ => NaiveDate::from_ymd_opt(y, first.month(), first.day()),
                };
                if let Some(d) = d
                    && d >= first
                    && !accept(d, &mut out)
                {
                    break;
                }
                if matches!(freq, Freq::Yearly) {
                    y += 1;
                } else if m == 12 {
                    (y, m) = (y + 1, 1);
                } else {
                    m += 1;
                }
                if NaiveDate::from_ymd_opt(y, m, 1).is_none_or(|d| d > horizon) {
                    break;
                }
            }
        }
    }
    out
}

/// One person of the organisation's directory.
struct Person {
    cn: String,
    email: String,
}

/// The text of a VEVENT other than its times and rules.
struct Body {
    summary: String,
    description: Option<String>,
    location: Option<String>,
    organizer: usize,
    attendees: Vec<usize>,
    sequence: u32,
    cancelled: bool,
    alarm: bool,
    meet: Option<String>,
}

/// The generator's state.
struct Gen<W: Write> {
    ics: Ics<W>,
    rng: Rng,
    people: Vec<Person>,
    buf: String,
    summary: GenSummary,
    budget: usize,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

impl<W: Write> Gen<W> {
    fn uid(&mut self) -> String {
        const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuv";
        let mut s = String::with_capacity(40);
        for _ in 0..26 {
            s.push(ALPHABET[self.rng.below(32) as usize] as char);
        }
        s.push_str("@google.com");
        s
    }

    fn escape(text: &str) -> String {
        let mut s = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            match c {
                '\n' => s.push_str("\\n"),
                ',' => s.push_str("\\,"),
                ';' => s.push_str("\\;"),
                '\\' => s.push_str("\\\\"),
                _ => s.push(c),
            }
        }
        s
    }

    fn title(&mut self) -> String {
        let topic = *self.rng.pick(&TOPICS);
        let kind = *self.rng.pick(&KINDS);
        if kind == "1:1" {
            let a = self.rng.below(self.people.len() as u64) as usize;
            let b = self.rng.below(self.people.len() as u64) as usize;
            let first = |p: &Person| p.cn.split(' ').next().unwrap_or("").to_string();
            format!(
                "{} / {} 1:1",
                first(&self.people[a]),
                first(&self.people[b])
            )
        } else {
            format!("{topic} {kind}")
        }
    }

    fn description(&mut self, title: &str) -> Option<String> {
        let d = match self.rng.below(10) {
            0..=2 => return None,
            3..=5 => format!(
                "Agenda:\n- status of {}\n- open questions\n- next steps, owners, dates\n\nNotes: https://docs.example.com/d/{:x}/edit",
                title,
                self.rng.next_u64()
            ),
            6 => format!(
                "Goal: decide on the {} proposal. Please read before the meeting: https://docs.example.com/d/{:x} (design doc; comments welcome).",
                title.to_lowercase(),
                self.rng.next_u64()
            ),
            7 => format!(
                "<b>Topics</b><br><ul><li>{title}</li><li>Roadmap; risks</li><li>AOB</li></ul><br>Join with Google Meet: https://meet.google.com/{:x}",
                self.rng.below(1 << 40)
            ),
            8 => "Weekly touchpoint. Bring your updates, blockers and wins; we keep the running notes in the shared doc.\n\nLa réunion se tient en anglais. Pünktlich bitte!".to_string(),
            _ => format!(
                "-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-\nJoin with Google Meet: https://meet.google.com/{:x}\nOr dial: (US) +1 617-555-{:04} PIN: {}#\nMore phone numbers: https://tel.meet/{:x}?pin={}\n-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-",
                self.rng.below(1 << 40),
                self.rng.below(10_000),
                self.rng.below(1_000_000_000),
                self.rng.below(1 << 40),
                self.rng.below(1_000_000_000)
            ),
        };
        Some(d)
    }

    fn body(&mut self, title: Option<String>) -> Body {
        let summary = title.unwrap_or_else(|| self.title());
        let description = self.description(&summary);
        let n = self.rng.range(3, 12) as usize;
        let organizer = self.rng.below(self.people.len() as u64) as usize;
        let mut attendees = vec![organizer];
        while attendees.len() < n {
            let p = self.rng.below(self.people.len() as u64) as usize;
            if !attendees.contains(&p) {
                attendees.push(p);
            }
        }
        let location = self
            .rng
            .chance(60)
            .then(|| self.rng.pick(&ROOMS).to_string());
        let meet = self.rng.chance(50).then(|| {
            format!(
                "https://meet.google.com/{:03x}-{:04x}-{:03x}",
                self.rng.below(4096),
                self.rng.below(65536),
                self.rng.below(4096)
            )
        });
        Body {
            summary,
            description,
            location,
            organizer,
            attendees,
            sequence: self.rng.below(3) as u32,
            cancelled: false,
            alarm: self.rng.chance(20),
            meet,
        }
    }

    /// Writes one VEVENT. `times` are the already formatted DTSTART, DTEND,
    /// RRULE, EXDATE and RECURRENCE-ID lines.
    fn event(&mut self, uid: &str, times: &[String], body: &Body) -> io::Result<()> {
        let ics = &mut self.ics;
        put!(ics, "BEGIN:VEVENT")?;
        for t in times {
            put!(ics, "{t}")?;
        }
        put!(ics, "DTSTAMP:20250315T120000Z")?;
        let org = &self.people[body.organizer];
        put!(ics, "ORGANIZER;CN={}:mailto:{}", org.cn, org.email)?;
        put!(ics, "UID:{uid}")?;
        for (k, &a) in body.attendees.iter().enumerate() {
            let p = &self.people[a];
            let partstat = match (k, a % 7) {
                (0, _) => "ACCEPTED",
                (_, 0) => "DECLINED",
                (_, 1) => "TENTATIVE",
                (_, 2) => "NEEDS-ACTION",
                _ => "ACCEPTED",
            };
            let role = if k > 0 && a % 5 == 0 {
                "OPT-PARTICIPANT"
            } else {
                "REQ-PARTICIPANT"
            };
            put!(
                ics,
                "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE={role};PARTSTAT={partstat};CN={};X-NUM-GUESTS=0:mailto:{}",
                p.cn,
                p.email
            )?;
        }
        if let Some(m) = &body.meet {
            put!(ics, "X-GOOGLE-CONFERENCE:{m}")?;
        }
        put!(ics, "CREATED:20221104T101500Z")?;
        if let Some(d) = &body.description {
            put!(ics, "DESCRIPTION:{}", Self::escape(d))?;
        }
        put!(ics, "LAST-MODIFIED:20250301T090000Z")?;
        put!(
            ics,
            "LOCATION:{}",
            body.location
                .as_deref()
                .map(Self::escape)
                .unwrap_or_default()
        )?;
        put!(ics, "SEQUENCE:{}", body.sequence)?;
        put!(
            ics,
            "STATUS:{}",
            if body.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        )?;
        put!(ics, "SUMMARY:{}", Self::escape(&body.summary))?;
        put!(ics, "TRANSP:OPAQUE")?;
        if body.alarm {
            put!(ics, "BEGIN:VALARM")?;
            put!(ics, "ACTION:DISPLAY")?;
            put!(ics, "DESCRIPTION:This is an event reminder")?;
            put!(ics, "TRIGGER:-P0DT0H10M0S")?;
            put!(ics, "END:VALARM")?;
        }
        put!(ics, "END:VEVENT")?;
        self.summary.vevents += 1;
        self.budget = self.budget.saturating_sub(1);
        Ok(())
    }

    fn prop(&mut self, name: &str, params: &str, clock: Clock, walls: &[NaiveDateTime]) -> String {
        time_prop(&mut self.buf, name, params, clock, walls);
        self.buf.clone()
    }

    /// DTSTART and DTEND lines.
    fn start_end(&mut self, clock: Clock, start: NaiveDateTime, len: Duration) -> Vec<String> {
        vec![
            self.prop("DTSTART", "", clock, &[start]),
            self.prop("DTEND", "", clock, &[start + len]),
        ]
    }

    fn clock(&mut self, utc_percent: u64) -> Clock {
        if self.rng.chance(utc_percent) {
            Clock::Utc
        } else {
            // Most of the organisation sits in Berlin and New York.
            Clock::Tz(*self.rng.pick(&[0, 0, 0, 1, 1, 1, 2, 3, 3]))
        }
    }

    fn work_time(&mut self) -> NaiveTime {
        let h = self.rng.range(8, 17) as u32;
        let m = *self.rng.pick(&[0, 0, 0, 15, 30, 30, 45]);
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
    }

    fn weekday_in(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days();
        loop {
            let d = from + Duration::days(self.rng.range(0, span));
            if d.weekday().num_days_from_monday() < 5 {
                return d;
            }
        }
    }

    fn one_off(&mut self) -> io::Result<()> {
        let uid = self.uid();
        self.summary.one_offs += 1;
        if self.rng.chance(13) {
            // All day: out of office, holidays, offsites.
            let d = self.weekday_in(date(2023, 1, 1), date(2025, 12, 31));
            let start = d.and_time(NaiveTime::MIN);
            let days = *self.rng.pick(&[1, 1, 1, 2, 3, 5]);
            let times = self.start_end(Clock::Date, start, Duration::days(days));
            let title = self.rng.pick(&ALL_DAY).to_string();
            let mut body = self.body(Some(title));
            body.attendees.truncate(1 + self.rng.below(2) as usize);
            return self.event(&uid, &times, &body);
        }
        let clock = self.clock(45);
        let d = self.weekday_in(date(2023, 1, 1), date(2025, 12, 31));
        let start = d.and_time(self.work_time());
        let len = Duration::minutes(*self.rng.pick(&DURATIONS));
        let times = self.start_end(clock, start, len);
        let body = self.body(None);
        self.event(&uid, &times, &body)
    }

    /// Writes a master, its exclusions and overrides.
    #[allow(clippy::too_many_arguments)]
    fn series(
        &mut self,
        uid: &str,
        clock: Clock,
        start: NaiveDateTime,
        len: Duration,
        freq: &Freq,
        end: End,
        title: Option<String>,
    ) -> io::Result<()> {
        self.summary.series += 1;
        if matches!(end, End::Never) {
            self.summary.infinite_series += 1;
        }
        let all = instances(freq, end, start, date(2026, 12, 31), 4000);
        let mut times = self.start_end(clock, start, len);
        times.push(rrule_text(freq, end, clock));

        // Exclusions and overrides name distinct real instances (never the first).
        let n_ex = match self.rng.below(100) {
            0..=49 => 0,
            50..=84 => self.rng.range(1, 3),
            _ => self.rng.range(4, 8),
        } as usize;
        let n_ov = match self.rng.below(100) {
            0..=64 => 0,
            65..=89 => self.rng.range(1, 2),
            _ => self.rng.range(3, 6),
        } as usize;
        let n_ov = n_ov.min(self.budget.saturating_sub(1));
        let mut chosen: Vec<usize> = Vec::new();
        if all.len() > 2 {
            for _ in 0..(n_ex + n_ov).min(all.len() / 2) {
                let i = 1 + self.rng.below(all.len() as u64 - 1) as usize;
                if !chosen.contains(&i) {
                    chosen.push(i);
                }
            }
        }
        let split = chosen.len().min(n_ex);
        let (ex, ov) = chosen.split_at(split);
        let mut ex: Vec<NaiveDateTime> = ex.iter().map(|&i| all[i]).collect();
        ex.sort();
        if !ex.is_empty() {
            self.summary.exdates += ex.len();
            if self.rng.chance(30) {
                times.push(self.prop("EXDATE", "", clock, &ex));
            } else {
                for w in &ex {
                    times.push(self.prop("EXDATE", "", clock, &[*w]));
                }
            }
        }
        let body = self.body(title);
        self.event(uid, &times, &body)?;

        // A this-and-future edit, now and then (after all single overrides,
        // so that none of them falls after it).
        let mut ov: Vec<usize> = ov.to_vec();
        ov.sort_unstable();
        let future = all.len() >= 5 && self.rng.chance(3) && self.budget > ov.len() + 1;
        for &i in &ov {
            let rid = all[i];
            let (shift, new_len) = self.moved(clock, len);
            let mut t = self.start_end(clock, rid + shift, new_len);
            t.push(self.prop("RECURRENCE-ID", "", clock, &[rid]));
            let mut b = Body {
                sequence: body.sequence + 1,
                ..self.body(Some(body.summary.clone()))
            };
            b.attendees.clone_from(&body.attendees);
            b.organizer = body.organizer;
            if self.rng.chance(15) {
                b.summary = format!("{} (moved)", body.summary);
            }
            if self.rng.chance(4) {
                b.cancelled = true;
                self.summary.cancelled_overrides += 1;
            }
            self.summary.overrides += 1;
            self.event(uid, &t, &b)?;
        }
        if future {
            let last = ov.iter().copied().max().unwrap_or(0);
            let lo = last.max(all.len() / 3) + 1;
            if lo < all.len() {
                let i = lo + self.rng.below((all.len() - lo) as u64) as usize;
                if !ex.contains(&all[i]) {
                    let rid = all[i];
                    let shift = match clock {
                        Clock::Date => Duration::days(1),
                        // From now on an hour later, or a day or a week later.
                        _ => Duration::minutes(*self.rng.pick(&[
                            60,
                            -60,
                            30,
                            90,
                            -30,
                            24 * 60,
                            7 * 24 * 60,
                        ])),
                    };
                    let new_len = if clock != Clock::Date && self.rng.chance(50) {
                        len + Duration::minutes(15)
                    } else {
                        len
                    };
                    let mut t = self.start_end(clock, rid + shift, new_len);
                    t.push(self.prop("RECURRENCE-ID", ";RANGE=THISANDFUTURE", clock, &[rid]));
                    let b = Body {
                        sequence: body.sequence + 1,
                        summary: format!("{} (new time)", body.summary),
                        ..self.body(None)
                    };
                    self.summary.overrides += 1;
                    self.summary.this_and_future += 1;
                    self.event(uid, &t, &b)?;
                }
            }
        }
        Ok(())
    }

    /// How an override moves its instance: a shift and a new length.
    fn moved(&mut self, clock: Clock, len: Duration) -> (Duration, Duration) {
        if clock == Clock::Date {
            return (Duration::days(*self.rng.pick(&[0, 0, 1, -1, 2])), len);
        }
        let shift = match self.rng.below(10) {
            0..=2 => Duration::zero(),
            3..=6 => Duration::minutes(*self.rng.pick(&[-60, -30, 30, 60, 120])),
            7..=8 => Duration::days(*self.rng.pick(&[-1, 1, 2])),
            _ => Duration::days(7),
        };
        let new_len = if self.rng.chance(25) {
            Duration::minutes(*self.rng.pick(&DURATIONS))
        } else {
            len
        };
        (shift, new_len)
    }

    fn series_start(&mut self, infinite: bool) -> NaiveDate {
        if infinite && self.rng.chance(70) {
            // Long-running series, years before the usual window.
            self.weekday_in(date(2018, 1, 1), date(2023, 6, 30))
        } else {
            self.weekday_in(date(2022, 6, 1), date(2025, 9, 30))
        }
    }

    /// How a finite series ends: `UNTIL` a date 1-30 months on, or a COUNT.
    fn end_for(&mut self, start: NaiveDateTime, per_year: i64) -> End {
        if self.rng.chance(50) {
            End::Until(start + Duration::days(self.rng.range(30, 900)))
        } else {
            End::Count(self.rng.range(4, (per_year * 2).max(5)) as usize)
        }
    }

    fn weekday(&mut self) -> Weekday {
        *self.rng.pick(&[
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ])
    }

    fn weekly(&mut self, clock: Clock) -> io::Result<()> {
        let uid = self.uid();
        let infinite = self.rng.chance(50);
        let d = self.series_start(infinite);
        let ndays = *self.rng.pick(&[1, 1, 1, 1, 1, 2, 2, 3]);
        let mut days = vec![d.weekday()];
        while days.len() < ndays {
            let w = self.weekday();
            if !days.contains(&w) {
                days.push(w);
            }
        }
        days.sort_by_key(|w| w.num_days_from_monday());
        let interval = *self.rng.pick(&[1, 1, 1, 1, 1, 1, 2, 2, 3, 4]);
        let wkst_sunday = self.rng.chance(30);
        let start = d.and_time(self.work_time());
        let len = Duration::minutes(*self.rng.pick(&DURATIONS));
        let end = if infinite {
            End::Never
        } else {
            self.end_for(start, 52 / i64::from(interval))
        };
        self.series(
            &uid,
            clock,
            start,
            len,
            &Freq::Weekly {
                interval,
                days,
                wkst_sunday,
            },
            end,
            None,
        )
    }

    fn daily(&mut self) -> io::Result<()> {
        let uid = self.uid();
        let clock = self.clock(20);
        let infinite = self.rng.chance(50);
        let d = self.series_start(infinite);
        let start = d.and_time(self.work_time());
        let len = Duration::minutes(*self.rng.pick(&[15, 15, 15, 30]));
        let freq = if self.rng.chance(60) {
            Freq::Weekly {
                interval: 1,
                days: vec![
                    Weekday::Mon,
                    Weekday::Tue,
                    Weekday::Wed,
                    Weekday::Thu,
                    Weekday::Fri,
                ],
                wkst_sunday: false,
            }
        } else {
            Freq::Daily
        };
        let end = if infinite {
            End::Never
        } else {
            self.end_for(start, 250)
        };
        let title = format!("{} standup", self.rng.pick(&TOPICS));
        self.series(&uid, clock, start, len, &freq, end, Some(title))
    }

    fn monthly(&mut self) -> io::Result<()> {
        let uid = self.uid();
        let clock = self.clock(30);
        let infinite = self.rng.chance(50);
        let d0 = self.series_start(infinite);
        let time = self.work_time();
        let (freq, d) = if self.rng.chance(50) {
            let md = self.rng.range(1, 28) as u32;
            (Freq::MonthlyDay(md), date(d0.year(), d0.month(), md))
        } else {
            let n = self.rng.range(1, 4) as u32;
            let wd = self.weekday();
            (
                Freq::MonthlyNth(n, wd),
                nth_weekday(d0.year(), d0.month(), n, wd).unwrap_or(d0),
            )
        };
        let start = d.and_time(time);
        let len = Duration::minutes(*self.rng.pick(&[30, 60, 60, 90]));
        let end = if infinite {
            End::Never
        } else {
            self.end_for(start, 12)
        };
        self.series(&uid, clock, start, len, &freq, end, None)
    }

    fn all_day_series(&mut self) -> io::Result<()> {
        let uid = self.uid();
        if self.rng.chance(50) {
            // A birthday or anniversary, since years.
            let d = date(
                self.rng.range(2015, 2023) as i32,
                self.rng.range(1, 12) as u32,
                self.rng.range(1, 28) as u32,
            );
            let who = &self.people[self.rng.below(self.people.len() as u64) as usize].cn;
            let title = format!("{who}'s birthday");
            let start = d.and_time(NaiveTime::MIN);
            return self.series(
                &uid,
                Clock::Date,
                start,
                Duration::days(1),
                &Freq::Yearly,
                End::Never,
                Some(title),
            );
        }
        let infinite = self.rng.chance(50);
        let d = self.series_start(infinite);
        let start = d.and_time(NaiveTime::MIN);
        let end = if infinite {
            End::Never
        } else {
            self.end_for(start, 52)
        };
        let title = self
            .rng
            .pick(&["Focus day", "WFH", "On call", "No-meeting day"])
            .to_string();
        let freq = Freq::Weekly {
            interval: 1,
            days: vec![d.weekday()],
            wkst_sunday: false,
        };
        self.series(
            &uid,
            Clock::Date,
            start,
            Duration::days(1),
            &freq,
            end,
            Some(title),
        )
    }

    /// Google's "this and following events" edit: the old series ends with
    /// UNTIL, a new one with a derived UID carries on at a new time.
    fn split_series(&mut self) -> io::Result<()> {
        let uid = self.uid();
        let clock = self.clock(30);
        let d = self.weekday_in(date(2019, 1, 1), date(2024, 6, 30));
        let start = d.and_time(self.work_time());
        let len = Duration::minutes(*self.rng.pick(&DURATIONS));
        let freq = Freq::Weekly {
            interval: 1,
            days: vec![d.weekday()],
            wkst_sunday: false,
        };
        let all = instances(&freq, End::Never, start, date(2025, 12, 31), 2000);
        let cut = all.len() / 2 + self.rng.below((all.len() / 2).max(1) as u64) as usize;
        let split = all.get(cut).copied().unwrap_or(start + Duration::days(7));
        let last = split - Duration::seconds(1);
        let title = self.title();
        self.series(
            &uid,
            clock,
            start,
            len,
            &freq,
            End::Until(last),
            Some(title.clone()),
        )?;
        if self.budget == 0 {
            return Ok(());
        }
        let new_uid = format!(
            "{}_R{}@google.com",
            &uid[..26],
            split.format("%Y%m%dT%H%M%S")
        );
        let new_day = if self.rng.chance(50) {
            split.date()
        } else {
            split.date() + Duration::days(1)
        };
        let new_day = if new_day.weekday() == Weekday::Sat {
            new_day + Duration::days(2)
        } else {
            new_day
        };
        let new_start = new_day.and_time(self.work_time());
        let freq = Freq::Weekly {
            interval: 1,
            days: vec![new_day.weekday()],
            wkst_sunday: false,
        };
        self.series(
            &new_uid,
            clock,
            new_start,
            len,
            &freq,
            End::Never,
            Some(title),
        )
    }

    fn unit(&mut self) -> io::Result<()> {
        match self.rng.below(100) {
            0..=39 => self.one_off(),
            40..=61 => {
                let c = self.clock(0);
                self.weekly(c)
            }
            62..=69 => self.daily(),
            70..=81 => self.weekly(Clock::Utc),
            82..=88 => self.monthly(),
            89..=92 => self.all_day_series(),
            _ => self.split_series(),
        }
    }
}

/// Writes a calendar of `cfg.events` VEVENTs to `w`.
pub fn generate<W: Write>(cfg: &GenConfig, w: W) -> io::Result<GenSummary> {
    let mut rng = Rng::new(cfg.seed);
    let mut people = Vec::with_capacity(1500);
    for i in 0..1500 {
        let f = FIRST[rng.below(FIRST.len() as u64) as usize];
        let l = LAST[rng.below(LAST.len() as u64) as usize];
        let ascii = |s: &str| -> String {
            s.chars()
                .map(|c| match c {
                    'ø' => 'o',
                    'ö' | 'ó' => 'o',
                    'ü' | 'ú' => 'u',
                    'á' | 'å' => 'a',
                    'í' => 'i',
                    'é' | 'ě' | 'ë' => 'e',
                    'ñ' => 'n',
                    'ř' => 'r',
                    'Ø' => 'O',
                    _ => c,
                })
                .filter(char::is_ascii)
                .collect::<String>()
                .to_lowercase()
        };
        people.push(Person {
            cn: format!("{f} {l}"),
            email: format!("{}.{}{}@example.com", ascii(f), ascii(l), i % 37),
        });
    }
    let mut g = Gen {
        ics: Ics {
            w,
            bytes: 0,
            line: String::new(),
        },
        rng,
        people,
        buf: String::new(),
        summary: GenSummary::default(),
        budget: cfg.events,
    };
    let ics = &mut g.ics;
    put!(ics, "BEGIN:VCALENDAR")?;
    put!(ics, "PRODID:-//Google Inc//Google Calendar 70.9054//EN")?;
    put!(ics, "VERSION:2.0")?;
    put!(ics, "CALSCALE:GREGORIAN")?;
    put!(ics, "METHOD:PUBLISH")?;
    put!(ics, "X-WR-CALNAME:Engineering (all teams)")?;
    put!(ics, "X-WR-TIMEZONE:{CALENDAR_ZONE}")?;
    put!(
        ics,
        "X-WR-CALDESC:Shared calendar of the engineering organisation\\, generated (seed {})",
        cfg.seed
    )?;
    for v in VTIMEZONES {
        ics.w.write_all(v.as_bytes())?;
        ics.bytes += v.len() as u64;
    }
    while g.budget > 0 {
        g.unit()?;
    }
    put!(g.ics, "END:VCALENDAR")?;
    g.ics.w.flush()?;
    g.summary.bytes = g.ics.bytes;
    Ok(g.summary)
}

/// Generates a calendar in memory.
pub fn generate_vec(cfg: &GenConfig) -> (Vec<u8>, GenSummary) {
    let mut v = Vec::with_capacity(cfg.events * 1800);
    // Writing to a Vec cannot fail.
    let summary = generate(cfg, &mut v).unwrap_or_default();
    (v, summary)
}

fn usage() -> ! {
    eprintln!("usage: gen_calendar [--events N] [--out FILE|-] [--seed S]");
    std::process::exit(2);
}

fn main() -> io::Result<()> {
    let mut cfg = GenConfig {
        events: 20_000,
        seed: 1,
    };
    let mut out: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--events" | "-n" => cfg.events = value().parse().unwrap_or_else(|_| usage()),
            "--seed" => cfg.seed = value().parse().unwrap_or_else(|_| usage()),
            "--out" | "-o" => out = Some(value()),
            "--help" | "-h" => usage(),
            _ => usage(),
        }
    }
    let summary = match out.as_deref() {
        None | Some("-") => generate(
            &cfg,
            io::BufWriter::with_capacity(1 << 20, io::stdout().lock()),
        )?,
        Some(path) => generate(
            &cfg,
            io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?),
        )?,
    };
    eprintln!(
        "{} VEVENTs ({} series of which {} infinite, {} one-offs, {} overrides of which {} this-and-future and {} cancelled, {} EXDATEs), {:.1} MB",
        summary.vevents,
        summary.series,
        summary.infinite_series,
        summary.one_offs,
        summary.overrides,
        summary.this_and_future,
        summary.cancelled_overrides,
        summary.exdates,
        summary.bytes as f64 / 1e6
    );
    Ok(())
}
