//! RFC 5545 recurrence rules (`RRULE`, section 3.3.10 / 3.8.5.3): parsing and expansion.
//!
//! This module turns the value of an `RRULE` property into an [`RRule`] and expands it into
//! the start times of the series' instances with [`instances`]. Everything works on *naive
//! wall-clock* date-times (`chrono::NaiveDateTime`): the caller expands in the event's own
//! wall clock and maps the results to instants itself; time zones are not handled here. The
//! caller also decides, through the `valid` callback, which wall-clock times do not exist (DST
//! gaps); those are dropped and not counted towards `COUNT`, as RFC 5545 3.8.5.3 requires.
//!
//! Semantics follow RFC 5545 (the BYxxx expand/limit table of 3.3.10) and, where the RFC is
//! silent, python-dateutil's `rrule`:
//!
//! * missing parts are taken from `DTSTART` (e.g. a `MONTHLY` rule without `BYMONTHDAY`/`BYDAY`
//!   repeats on DTSTART's day of the month, a `WEEKLY` rule without `BYDAY` on its weekday);
//! * invalid dates (February 30, the 31st of a 30-day month) are skipped, never moved, and not
//!   counted;
//! * instances before `DTSTART` are never returned, and `DTSTART` itself is returned only when
//!   it matches the rule (the caller adds DTSTART to the recurrence set separately);
//! * `BYSETPOS` is applied to the sorted set of candidates of each whole period (year, month,
//!   week starting on `WKST`, day, hour, minute or second).
//!
//! Combinations the RFC marks N/A (`BYWEEKNO` outside `YEARLY`, `BYYEARDAY` with
//! `DAILY`/`WEEKLY`/`MONTHLY`, `BYMONTHDAY` with `WEEKLY`, ordinal `BYDAY` outside
//! `MONTHLY`/`YEARLY`) are accepted with a warning and applied the way dateutil applies them:
//! the first three as limits, the ordinal of `BYDAY` ignored.
//!
//! Expansion is incremental and bounded: one period's candidate set is never materialised
//! (at most the ≤ 366 matching days plus the `BYHOUR`/`BYMINUTE`/`BYSECOND` lists are kept, and
//! the day × time product and `BYSETPOS` are indexed arithmetically); periods that cannot
//! contain anything in the requested window are jumped over arithmetically; and the total work
//! of one iterator is capped (see [`Instances::truncated`]).

use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

/// Work budget of one [`Instances`] iterator: one unit per period examined and one per
/// candidate rejected (by `valid` or because it is not a representable time). When it is used
/// up the iterator stops and [`Instances::truncated`] returns true.
pub const WORK_BUDGET: u64 = 2_000_000;

const SECS_PER_DAY: i64 = 86_400;
/// Chrono's day number (days from the common era, 0001-01-01 = 1) of 1970-01-01.
const UNIX_EPOCH_CE: i64 = 719_163;
const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];
const WEEKDAY_CODES: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const PART_NAMES: &str = "FREQ, UNTIL, COUNT, INTERVAL, BYSECOND, BYMINUTE, BYHOUR, BYDAY, \
                          BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYMONTH, BYSETPOS, WKST";

/// How often a rule repeats: the `FREQ` rule part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Frequency {
    /// `FREQ=SECONDLY`: the period is one second.
    Secondly,
    /// `FREQ=MINUTELY`: the period is one minute.
    Minutely,
    /// `FREQ=HOURLY`: the period is one hour.
    Hourly,
    /// `FREQ=DAILY`: the period is one day.
    Daily,
    /// `FREQ=WEEKLY`: the period is one week, starting on `WKST`.
    Weekly,
    /// `FREQ=MONTHLY`: the period is one calendar month.
    Monthly,
    /// `FREQ=YEARLY`: the period is one calendar year.
    Yearly,
}

impl Frequency {
    /// The RFC 5545 name of the frequency (`"DAILY"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Secondly => "SECONDLY",
            Frequency::Minutely => "MINUTELY",
            Frequency::Hourly => "HOURLY",
            Frequency::Daily => "DAILY",
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
            Frequency::Yearly => "YEARLY",
        }
    }

    fn from_name(s: &str) -> Option<Frequency> {
        const ALL: [Frequency; 7] = [
            Frequency::Secondly,
            Frequency::Minutely,
            Frequency::Hourly,
            Frequency::Daily,
            Frequency::Weekly,
            Frequency::Monthly,
            Frequency::Yearly,
        ];
        ALL.into_iter().find(|f| f.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `UNTIL` as written: with 'Z' (UTC), floating/local, or a DATE.
///
/// The expander does not interpret this value itself: the caller converts it to the series'
/// wall clock and passes it to [`instances`] (see there for the fallback when it does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Until {
    /// `UNTIL=19971224T000000Z`: a UTC date-time.
    Utc(NaiveDateTime),
    /// `UNTIL=19971224T000000`: a floating (local) date-time.
    Local(NaiveDateTime),
    /// `UNTIL=19971224`: a DATE, inclusive of that whole day.
    Date(NaiveDate),
}

impl fmt::Display for Until {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn date(f: &mut fmt::Formatter<'_>, d: NaiveDate) -> fmt::Result {
            write!(f, "{:04}{:02}{:02}", d.year(), d.month(), d.day())
        }
        fn time(f: &mut fmt::Formatter<'_>, t: NaiveTime) -> fmt::Result {
            write!(f, "T{:02}{:02}{:02}", t.hour(), t.minute(), t.second())
        }
        match *self {
            Until::Utc(dt) => {
                date(f, dt.date())?;
                time(f, dt.time())?;
                f.write_str("Z")
            }
            Until::Local(dt) => {
                date(f, dt.date())?;
                time(f, dt.time())
            }
            Until::Date(d) => date(f, d),
        }
    }
}

/// A parsed recurrence rule (the value of an `RRULE` property).
///
/// The `by_*` lists are kept as written (order and duplicates preserved); an empty list means
/// the part is absent. Values outside the RFC ranges can only get here by building the struct
/// by hand; the expander ignores them (and a list with no usable value matches nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RRule {
    /// `FREQ`: the period of the rule.
    pub freq: Frequency,
    /// `INTERVAL`: every how many periods the rule applies (1 when absent; never 0).
    pub interval: u32,
    /// `COUNT`: the number of instances, counted from DTSTART.
    pub count: Option<u32>,
    /// `UNTIL`: the last allowed instance, as written.
    pub until: Option<Until>,
    /// `BYSECOND`: seconds 0 to 60.
    pub by_second: Vec<u32>,
    /// `BYMINUTE`: minutes 0 to 59.
    pub by_minute: Vec<u32>,
    /// `BYHOUR`: hours 0 to 23.
    pub by_hour: Vec<u32>,
    /// `BYDAY`: weekdays with an optional ordinal (1 to 53 or -53 to -1), e.g. `-1FR`.
    pub by_day: Vec<(Option<i32>, Weekday)>,
    /// `BYMONTHDAY`: days of the month, 1 to 31 or -31 to -1.
    pub by_month_day: Vec<i32>,
    /// `BYYEARDAY`: days of the year, 1 to 366 or -366 to -1.
    pub by_year_day: Vec<i32>,
    /// `BYWEEKNO`: week numbers, 1 to 53 or -53 to -1 (weeks start on `wkst`; week 1 is the
    /// first with at least four days in the year).
    pub by_week_no: Vec<i32>,
    /// `BYMONTH`: months 1 to 12.
    pub by_month: Vec<u32>,
    /// `BYSETPOS`: positions 1 to 366 or -366 to -1 in each period's sorted candidate set.
    pub by_set_pos: Vec<i32>,
    /// `WKST`: the first day of the week (Monday when absent).
    pub wkst: Weekday,
}

/// Why an `RRULE` value could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RRuleError {
    /// Says which part is wrong and what would be valid.
    pub message: String,
}

impl RRuleError {
    fn new(message: impl Into<String>) -> RRuleError {
        RRuleError {
            message: message.into(),
        }
    }
}

impl fmt::Display for RRuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid RRULE: {}", self.message)
    }
}

impl std::error::Error for RRuleError {}

impl RRule {
    /// A rule with the given frequency and every other part at its default
    /// (`INTERVAL=1`, `WKST=MO`, no `COUNT`/`UNTIL`, no BYxxx).
    pub fn new(freq: Frequency) -> RRule {
        RRule {
            freq,
            interval: 1,
            count: None,
            until: None,
            by_second: Vec::new(),
            by_minute: Vec::new(),
            by_hour: Vec::new(),
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_year_day: Vec::new(),
            by_week_no: Vec::new(),
            by_month: Vec::new(),
            by_set_pos: Vec::new(),
            wkst: Weekday::Mon,
        }
    }

    /// Parses the value of an RRULE property (e.g. `"FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20240101T000000Z"`).
    ///
    /// Tolerant: part names and values are case-insensitive, blanks around parts and values
    /// are ignored, a trailing (or doubled) `;` is fine, a leading `RRULE:` is stripped.
    /// These are accepted but reported in the returned warnings:
    /// * `X-` parts, `RSCALE` and `SKIP` (RFC 7529): ignored;
    /// * a part given twice: the later one wins (as in dateutil);
    /// * an empty BYxxx list: treated as absent;
    /// * `COUNT` together with `UNTIL` (RFC 5545: MUST NOT): both are kept and both apply, so
    ///   the series ends at whichever comes first. This never produces an instance that either
    ///   reading of the rule would exclude;
    /// * combinations the RFC marks N/A (see the module documentation);
    /// * `BYSETPOS` without any other BYxxx part;
    /// * `COUNT` above 4294967295 (clamped) and a leap second in `UNTIL` (read as :59);
    /// * an invalid `COUNT` beside a valid `UNTIL`, or an invalid `UNTIL` beside a valid
    ///   `COUNT`: the invalid one is dropped and the series ends at the other. Alone, an
    ///   invalid bound is an error: dropping it would make the series endless.
    ///
    /// Errors: missing or unknown `FREQ`, unknown part names, values that are not numbers,
    /// weekdays or dates, values out of range (`BYMONTH=13`, `BYHOUR=24`, `BYMONTHDAY=0`,
    /// `BYDAY=0MO`, ...), and `INTERVAL=0`.
    pub fn parse(value: &str) -> Result<(RRule, Vec<String>), RRuleError> {
        let mut warnings = Vec::new();
        let mut text = value.trim();
        if let Some(prefix) = text.get(..6)
            && prefix.eq_ignore_ascii_case("RRULE:")
        {
            text = text.get(6..).unwrap_or("").trim_start();
            warnings.push("leading 'RRULE:' ignored: expected only the property value".into());
        }
        let mut rule = RRule::new(Frequency::Yearly);
        let mut have_freq = false;
        // An invalid COUNT or UNTIL, kept aside: dropped when the other
        // bound is valid, an error when it was the rule's only bound.
        let (mut bad_count, mut bad_until) = (None, None);
        let mut seen: Vec<String> = Vec::new();
        for raw in text.split(';') {
            let part = raw.trim();
            if part.is_empty() {
                continue;
            }
            let Some((name, val)) = part.split_once('=') else {
                return Err(RRuleError::new(format!(
                    "rule part '{part}' has no '=': expected NAME=VALUE with NAME one of {PART_NAMES}"
                )));
            };
            let name = name.trim().to_ascii_uppercase();
            let val = val.trim();
            if name.starts_with("X-") {
                warnings.push(format!("non-standard rule part '{name}' ignored"));
                continue;
            }
            if name == "RSCALE" || name == "SKIP" {
                warnings.push(format!(
                    "{name} (RFC 7529) ignored: only the Gregorian calendar is supported"
                ));
                continue;
            }
            if seen.contains(&name) {
                warnings.push(format!(
                    "rule part {name} given more than once; the last value is used"
                ));
            } else {
                seen.push(name.clone());
            }
            let is_list = name.starts_with("BY");
            if is_list && val.is_empty() {
                warnings.push(format!("{name} has an empty value and is ignored"));
                continue;
            }
            match name.as_str() {
                "FREQ" => {
                    rule.freq = Frequency::from_name(val).ok_or_else(|| {
                        RRuleError::new(format!(
                            "FREQ value '{val}' is not valid: expected one of SECONDLY, MINUTELY, \
                             HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY"
                        ))
                    })?;
                    have_freq = true;
                }
                "INTERVAL" => {
                    let n = parse_int(&name, val)?;
                    if n < 1 || n > i64::from(u32::MAX) {
                        return Err(RRuleError::new(format!(
                            "INTERVAL value '{val}' is out of range: expected a whole number from \
                             1 to {}",
                            u32::MAX
                        )));
                    }
                    rule.interval = n as u32;
                }
                "COUNT" => {
                    let digits = val.strip_prefix('+').unwrap_or(val);
                    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                        bad_count = Some(RRuleError::new(format!(
                            "COUNT value '{val}' is not valid: expected a whole number of 0 or more"
                        )));
                        rule.count = None;
                        continue;
                    }
                    bad_count = None;
                    rule.count = Some(match digits.parse::<u32>() {
                        Ok(n) => n,
                        Err(_) => {
                            warnings.push(format!(
                                "COUNT value {digits} is larger than {}; clamped to it",
                                u32::MAX
                            ));
                            u32::MAX
                        }
                    });
                }
                "UNTIL" => match parse_until(val) {
                    Ok((until, warning)) => {
                        warnings.extend(warning);
                        bad_until = None;
                        rule.until = Some(until);
                    }
                    Err(e) => {
                        bad_until = Some(e);
                        rule.until = None;
                    }
                },
                "BYSECOND" => rule.by_second = parse_unsigned_list(&name, val, 0, 60)?,
                "BYMINUTE" => rule.by_minute = parse_unsigned_list(&name, val, 0, 59)?,
                "BYHOUR" => rule.by_hour = parse_unsigned_list(&name, val, 0, 23)?,
                "BYMONTH" => rule.by_month = parse_unsigned_list(&name, val, 1, 12)?,
                "BYMONTHDAY" => rule.by_month_day = parse_signed_list(&name, val, 31)?,
                "BYYEARDAY" => rule.by_year_day = parse_signed_list(&name, val, 366)?,
                "BYWEEKNO" => rule.by_week_no = parse_signed_list(&name, val, 53)?,
                "BYSETPOS" => rule.by_set_pos = parse_signed_list(&name, val, 366)?,
                "BYDAY" => {
                    rule.by_day = val
                        .split(',')
                        .map(parse_by_day)
                        .collect::<Result<Vec<_>, _>>()?;
                }
                "WKST" => {
                    rule.wkst = parse_weekday(val).ok_or_else(|| {
                        RRuleError::new(format!(
                            "WKST value '{val}' is not valid: expected one of MO, TU, WE, TH, FR, \
                             SA, SU"
                        ))
                    })?;
                }
                _ => {
                    return Err(RRuleError::new(format!(
                        "unknown rule part '{name}': expected one of {PART_NAMES} \
                         (X- parts are ignored)"
                    )));
                }
            }
        }
        if !have_freq {
            return Err(RRuleError::new(format!(
                "missing FREQ: every RRULE needs FREQ=SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, \
                 MONTHLY or YEARLY (got '{}')",
                value.trim()
            )));
        }
        // A bad bound beside a valid one is dropped: the series still ends
        // where its author meant it to. Alone, dropping it would make the
        // series endless, so the rule is not read.
        match (bad_count, bad_until) {
            (Some(e), None) if rule.until.is_some() => {
                warnings.push(format!("{}; dropped, the rule ends at UNTIL", e.message));
            }
            (None, Some(e)) if rule.count.is_some() => {
                warnings.push(format!("{}; dropped, the rule ends after COUNT", e.message));
            }
            (Some(e), _) | (None, Some(e)) => return Err(e),
            (None, None) => {}
        }
        rule.collect_warnings(&mut warnings);
        Ok((rule, warnings))
    }

    fn collect_warnings(&self, warnings: &mut Vec<String>) {
        let f = self.freq;
        if self.count.is_some() && self.until.is_some() {
            warnings.push(
                "COUNT and UNTIL must not both be present (RFC 5545); both are applied and the \
                 series ends at whichever comes first"
                    .into(),
            );
        }
        if !self.by_week_no.is_empty() && f != Frequency::Yearly {
            warnings.push(format!(
                "BYWEEKNO is only defined for FREQ=YEARLY; with FREQ={f} it is applied as a limit"
            ));
        }
        if !self.by_year_day.is_empty()
            && matches!(f, Frequency::Daily | Frequency::Weekly | Frequency::Monthly)
        {
            warnings.push(format!(
                "BYYEARDAY is not defined for FREQ={f}; it is applied as a limit"
            ));
        }
        if !self.by_month_day.is_empty() && f == Frequency::Weekly {
            warnings
                .push("BYMONTHDAY is not defined for FREQ=WEEKLY; it is applied as a limit".into());
        }
        if self.by_day.iter().any(|(n, _)| n.is_some()) {
            if !matches!(f, Frequency::Monthly | Frequency::Yearly) {
                warnings.push(format!(
                    "ordinal BYDAY values (like 1MO) are only defined for MONTHLY and YEARLY; \
                     with FREQ={f} the ordinal is ignored"
                ));
            } else if f == Frequency::Yearly && !self.by_week_no.is_empty() {
                warnings.push(
                    "ordinal BYDAY values must not be used with BYWEEKNO; the ordinal is counted \
                     within the year"
                        .into(),
                );
            }
        }
        let other_by = !(self.by_second.is_empty()
            && self.by_minute.is_empty()
            && self.by_hour.is_empty()
            && self.by_day.is_empty()
            && self.by_month_day.is_empty()
            && self.by_year_day.is_empty()
            && self.by_week_no.is_empty()
            && self.by_month.is_empty());
        if !self.by_set_pos.is_empty() && !other_by {
            warnings.push(
                "BYSETPOS should only be used together with another BYxxx part; applied to the \
                 single instance of each period"
                    .into(),
            );
        }
        if self.count == Some(0) {
            warnings.push("COUNT=0: the rule produces no instances".into());
        }
    }

    /// True when the rule ends (COUNT or UNTIL).
    pub fn is_finite(&self) -> bool {
        self.count.is_some() || self.until.is_some()
    }
}

impl fmt::Display for RRule {
    /// Writes the rule back as an RRULE value in canonical order (defaults omitted).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, name: &str, v: &[T]) -> fmt::Result {
            if v.is_empty() {
                return Ok(());
            }
            write!(f, ";{name}=")?;
            for (i, x) in v.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{x}")?;
            }
            Ok(())
        }
        write!(f, "FREQ={}", self.freq)?;
        if let Some(u) = &self.until {
            write!(f, ";UNTIL={u}")?;
        }
        if let Some(c) = self.count {
            write!(f, ";COUNT={c}")?;
        }
        if self.interval != 1 {
            write!(f, ";INTERVAL={}", self.interval)?;
        }
        list(f, "BYSECOND", &self.by_second)?;
        list(f, "BYMINUTE", &self.by_minute)?;
        list(f, "BYHOUR", &self.by_hour)?;
        if !self.by_day.is_empty() {
            f.write_str(";BYDAY=")?;
            for (i, (n, w)) in self.by_day.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                if let Some(n) = n {
                    write!(f, "{n}")?;
                }
                f.write_str(weekday_code(*w))?;
            }
        }
        list(f, "BYMONTHDAY", &self.by_month_day)?;
        list(f, "BYYEARDAY", &self.by_year_day)?;
        list(f, "BYWEEKNO", &self.by_week_no)?;
        list(f, "BYMONTH", &self.by_month)?;
        list(f, "BYSETPOS", &self.by_set_pos)?;
        if self.wkst != Weekday::Mon {
            write!(f, ";WKST={}", weekday_code(self.wkst))?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing helpers
// ---------------------------------------------------------------------------------------------

fn weekday_code(w: Weekday) -> &'static str {
    WEEKDAY_CODES[w.num_days_from_monday() as usize]
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    WEEKDAY_CODES
        .iter()
        .position(|c| c.eq_ignore_ascii_case(s.trim()))
        .map(|i| WEEKDAYS[i])
}

/// An optionally signed decimal integer; errors name the part.
fn parse_int(name: &str, s: &str) -> Result<i64, RRuleError> {
    let s = s.trim();
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RRuleError::new(format!(
            "{name} value '{s}' is not a whole number"
        )));
    }
    // Anything longer than 12 digits is out of every range used here.
    let n: i64 = if digits.trim_start_matches('0').len() > 12 {
        i64::MAX / 2
    } else {
        digits.parse().unwrap_or(i64::MAX / 2)
    };
    Ok(if neg { -n } else { n })
}

fn parse_unsigned_list(name: &str, val: &str, lo: u32, hi: u32) -> Result<Vec<u32>, RRuleError> {
    val.split(',')
        .map(|tok| {
            let n = parse_int(name, tok)?;
            if n < i64::from(lo) || n > i64::from(hi) {
                return Err(RRuleError::new(format!(
                    "{name} value '{}' is out of range: expected {lo} to {hi}",
                    tok.trim()
                )));
            }
            Ok(n as u32)
        })
        .collect()
}

fn parse_signed_list(name: &str, val: &str, max: i32) -> Result<Vec<i32>, RRuleError> {
    val.split(',')
        .map(|tok| {
            let n = parse_int(name, tok)?;
            if n == 0 || n.abs() > i64::from(max) {
                return Err(RRuleError::new(format!(
                    "{name} value '{}' is out of range: expected 1 to {max} or -{max} to -1",
                    tok.trim()
                )));
            }
            Ok(n as i32)
        })
        .collect()
}

fn parse_by_day(tok: &str) -> Result<(Option<i32>, Weekday), RRuleError> {
    let t = tok.trim();
    let bad = || {
        RRuleError::new(format!(
            "BYDAY value '{t}' is not valid: expected a weekday MO, TU, WE, TH, FR, SA or SU, \
             optionally preceded by an ordinal from 1 to 53 or -53 to -1 (like 1MO or -1FR)"
        ))
    };
    if t.len() < 2 || !t.is_ascii() {
        return Err(bad());
    }
    let (num, code) = t.split_at(t.len() - 2);
    let wd = parse_weekday(code).ok_or_else(bad)?;
    if num.is_empty() {
        return Ok((None, wd));
    }
    let n = parse_int("BYDAY", num).map_err(|_| bad())?;
    if n == 0 || n.abs() > 53 {
        return Err(RRuleError::new(format!(
            "BYDAY ordinal in '{t}' is out of range: expected 1 to 53 or -53 to -1"
        )));
    }
    Ok((Some(n as i32), wd))
}

fn parse_until(val: &str) -> Result<(Until, Option<String>), RRuleError> {
    let bad = |why: &str| {
        RRuleError::new(format!(
            "UNTIL value '{val}' is not valid ({why}): expected a DATE like 19971224 or a \
             DATE-TIME like 19971224T000000Z (UTC) or 19971224T000000 (local)"
        ))
    };
    let v = val.trim();
    if !v.is_ascii() {
        return Err(bad("not ASCII"));
    }
    let b = v.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = v.get(r)?;
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 8 {
        return Err(bad("too short"));
    }
    let (Some(y), Some(mo), Some(d)) = (num(0..4), num(4..6), num(6..8)) else {
        return Err(bad("the date is not YYYYMMDD"));
    };
    let date = NaiveDate::from_ymd_opt(y as i32, mo, d).ok_or_else(|| bad("no such date"))?;
    if b.len() == 8 {
        return Ok((Until::Date(date), None));
    }
    let utc = match b.len() {
        15 => false,
        16 if b[15].eq_ignore_ascii_case(&b'Z') => true,
        _ => return Err(bad("wrong length")),
    };
    if !b[8].eq_ignore_ascii_case(&b'T') {
        return Err(bad("no 'T' between date and time"));
    }
    let (Some(h), Some(mi), Some(s)) = (num(9..11), num(11..13), num(13..15)) else {
        return Err(bad("the time is not HHMMSS"));
    };
    let mut warning = None;
    let s = if s == 60 && h <= 23 && mi <= 59 {
        warning = Some(format!("UNTIL value '{v}' has a leap second; read as :59"));
        59
    } else {
        s
    };
    let time = NaiveTime::from_hms_opt(h, mi, s).ok_or_else(|| bad("no such time of day"))?;
    let dt = date.and_time(time);
    Ok((
        if utc {
            Until::Utc(dt)
        } else {
            Until::Local(dt)
        },
        warning,
    ))
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic on day numbers (chrono's days from CE: 0001-01-01 = 1, a Monday)
// ---------------------------------------------------------------------------------------------

/// Day number of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn day_number(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + UNIX_EPOCH_CE
}

/// (year, month, day) of a day number.
fn civil(dn: i64) -> (i64, u32, u32) {
    let z = dn - UNIX_EPOCH_CE + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// 0 = Monday.
fn weekday_of(dn: i64) -> u32 {
    (dn - 1).rem_euclid(7) as u32
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(leap: bool, m: u32) -> u32 {
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days of the year before the first of month `m`.
fn days_before_month(leap: bool, m: u32) -> u32 {
    const CUM: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let i = (m.clamp(1, 12) - 1) as usize;
    CUM[i] + u32::from(leap && m > 2)
}

fn date_key(dt: NaiveDateTime) -> i64 {
    i64::from(dt.date().num_days_from_ce()) * SECS_PER_DAY
        + i64::from(dt.time().num_seconds_from_midnight())
}

fn ceil_div(a: i64, b: i64) -> i64 {
    // a >= 0, b > 0
    a / b + i64::from(a % b != 0)
}

fn bit64(mask: u64, i: u32) -> bool {
    i < 64 && (mask >> i) & 1 == 1
}

fn bitset_has(set: &[u64; 6], i: u32) -> bool {
    let w = (i / 64) as usize;
    w < 6 && (set[w] >> (i % 64)) & 1 == 1
}

fn bitset_set(set: &mut [u64; 6], i: u32) {
    let w = (i / 64) as usize;
    if w < 6 {
        set[w] |= 1 << (i % 64);
    }
}

struct YearInfo {
    start_dn: i64,
    len: u32,
    jan1_wd: u32,
}

impl YearInfo {
    fn new(y: i64) -> YearInfo {
        let start_dn = day_number(y, 1, 1);
        YearInfo {
            start_dn,
            len: if is_leap(y) { 366 } else { 365 },
            jan1_wd: weekday_of(start_dn),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Expansion plan: the rule with DTSTART defaults applied, as bit masks and sorted lists
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Plan {
    freq: Frequency,
    interval: i64,
    wkst: u32,
    /// Bit m (1..=12) set for allowed months.
    month_mask: Option<u16>,
    /// True when BYDAY (given or defaulted) restricts weekdays.
    has_byday: bool,
    /// Plain weekdays, bit 0 = Monday (ordinals are merged in for WEEKLY and finer).
    wd_mask: u8,
    /// Per weekday: bit k set for ordinal k / -k (MONTHLY and YEARLY only).
    nth_pos: [u64; 7],
    nth_neg: [u64; 7],
    /// Ordinals count within the month (MONTHLY, or YEARLY with BYMONTH) instead of the year.
    nth_in_month: bool,
    /// Per month length 28..=31: bit d set for allowed days of the month.
    month_days: Option<[u32; 4]>,
    /// Year days: bit k for k / -k.
    year_days: Option<([u64; 6], [u64; 6])>,
    /// Week numbers: bit k for k / -k.
    week_nos: Option<(u64, u64)>,
    /// Some day-level filter needs the civil date (month, day, year day, week number).
    needs_civil: bool,
    /// Expanded time lists (sorted, deduplicated). For sub-daily frequencies the entries for
    /// the frequency's own unit and coarser are replaced per period.
    hours: Vec<u32>,
    minutes: Vec<u32>,
    seconds: Vec<u32>,
    /// Limits on the period's own hour/minute/second (sub-daily frequencies).
    hour_limit: Option<u32>,
    minute_limit: Option<u64>,
    second_limit: Option<u64>,
    set_pos: Vec<i32>,
    /// The rule can never produce anything (every value of some BYxxx list is unusable).
    impossible: bool,
}

fn sorted_in_range(v: &[u32], hi: u32, impossible: &mut bool) -> Option<Vec<u32>> {
    if v.is_empty() {
        return None;
    }
    let mut out: Vec<u32> = v.iter().copied().filter(|&x| x <= hi).collect();
    out.sort_unstable();
    out.dedup();
    if out.is_empty() {
        *impossible = true;
    }
    Some(out)
}

fn signed_mask64(v: &[i32], max: i32, impossible: &mut bool) -> Option<(u64, u64)> {
    if v.is_empty() {
        return None;
    }
    let (mut pos, mut neg) = (0u64, 0u64);
    for &x in v {
        if (1..=max).contains(&x) {
            pos |= 1 << x;
        } else if (-max..=-1).contains(&x) {
            neg |= 1 << (-x);
        }
    }
    if pos == 0 && neg == 0 {
        *impossible = true;
    }
    Some((pos, neg))
}

impl Plan {
    fn new(rule: &RRule, dtstart: NaiveDateTime) -> Plan {
        let freq = rule.freq;
        let mut impossible = false;
        let no_day_parts = rule.by_week_no.is_empty()
            && rule.by_year_day.is_empty()
            && rule.by_month_day.is_empty()
            && rule.by_day.is_empty();

        // Months.
        let mut months = rule.by_month.clone();
        let mut month_days_list = rule.by_month_day.clone();
        let mut by_day = rule.by_day.clone();
        if no_day_parts {
            match freq {
                Frequency::Yearly => {
                    if months.is_empty() {
                        months.push(dtstart.month());
                    }
                    month_days_list.push(dtstart.day() as i32);
                }
                Frequency::Monthly => month_days_list.push(dtstart.day() as i32),
                Frequency::Weekly => by_day.push((None, dtstart.weekday())),
                _ => {}
            }
        }
        let month_mask = sorted_in_range(&months, 12, &mut impossible).map(|ms| {
            let mask = ms
                .iter()
                .filter(|&&m| m >= 1)
                .fold(0u16, |a, &m| a | (1 << m));
            if mask == 0 {
                impossible = true;
            }
            mask
        });

        // Weekdays.
        let ordinals_apply = matches!(freq, Frequency::Monthly | Frequency::Yearly);
        let mut wd_mask = 0u8;
        let mut nth_pos = [0u64; 7];
        let mut nth_neg = [0u64; 7];
        for &(n, w) in &by_day {
            let wi = w.num_days_from_monday() as usize;
            match n {
                Some(k) if ordinals_apply && k != 0 => {
                    if (1..=53).contains(&k) {
                        nth_pos[wi] |= 1 << k;
                    } else if (-53..=-1).contains(&k) {
                        nth_neg[wi] |= 1 << (-k);
                    }
                }
                _ => wd_mask |= 1 << wi,
            }
        }
        let has_byday = !by_day.is_empty();
        if has_byday && wd_mask == 0 && nth_pos.iter().chain(&nth_neg).all(|&m| m == 0) {
            impossible = true;
        }
        let nth_in_month = freq == Frequency::Monthly || month_mask.is_some();

        // Days of the month, per month length.
        let month_days = signed_mask64(&month_days_list, 31, &mut impossible).map(|(pos, neg)| {
            let mut per_len = [0u32; 4];
            for (i, slot) in per_len.iter_mut().enumerate() {
                let len = 28 + i as u32;
                let mut m = (pos as u32) & (((1u64 << (len + 1)) - 2) as u32);
                for k in 1..=len {
                    if bit64(neg, k) {
                        m |= 1 << (len + 1 - k);
                    }
                }
                *slot = m;
            }
            per_len
        });

        // Days of the year.
        let year_days = if rule.by_year_day.is_empty() {
            None
        } else {
            let (mut pos, mut neg) = ([0u64; 6], [0u64; 6]);
            for &x in &rule.by_year_day {
                if (1..=366).contains(&x) {
                    bitset_set(&mut pos, x as u32);
                } else if (-366..=-1).contains(&x) {
                    bitset_set(&mut neg, (-x) as u32);
                }
            }
            if pos.iter().chain(&neg).all(|&w| w == 0) {
                impossible = true;
            }
            Some((pos, neg))
        };
        let week_nos = signed_mask64(&rule.by_week_no, 53, &mut impossible);

        // Times.
        let mut list = |v: &[u32], hi: u32, default: u32| {
            sorted_in_range(v, hi, &mut impossible).unwrap_or_else(|| vec![default])
        };
        let hours = list(&rule.by_hour, 23, dtstart.hour());
        let minutes = list(&rule.by_minute, 59, dtstart.minute());
        let seconds = list(&rule.by_second, 60, dtstart.second());
        let mask32 = |v: &[u32]| v.iter().fold(0u32, |a, &x| a | (1 << x));
        let mask64 = |v: &[u32]| v.iter().fold(0u64, |a, &x| a | (1 << x));
        let sub_daily = freq < Frequency::Daily;
        let hour_limit = (sub_daily && !rule.by_hour.is_empty()).then(|| mask32(&hours));
        let minute_limit =
            (freq < Frequency::Hourly && !rule.by_minute.is_empty()).then(|| mask64(&minutes));
        let second_limit =
            (freq < Frequency::Minutely && !rule.by_second.is_empty()).then(|| mask64(&seconds));

        let set_pos: Vec<i32> = rule
            .by_set_pos
            .iter()
            .copied()
            .filter(|&p| p != 0 && (-366..=366).contains(&p))
            .collect();
        if !rule.by_set_pos.is_empty() && set_pos.is_empty() {
            impossible = true;
        }

        Plan {
            freq,
            interval: i64::from(rule.interval.max(1)),
            wkst: rule.wkst.num_days_from_monday(),
            month_mask,
            has_byday,
            wd_mask,
            nth_pos,
            nth_neg,
            nth_in_month,
            needs_civil: month_mask.is_some()
                || month_days.is_some()
                || year_days.is_some()
                || week_nos.is_some(),
            month_days,
            year_days,
            week_nos,
            hours,
            minutes,
            seconds,
            hour_limit,
            minute_limit,
            second_limit,
            set_pos,
            impossible,
        }
    }

    fn month_allowed(&self, m: u32) -> bool {
        self.month_mask.is_none_or(|mask| mask & (1 << m) != 0)
    }

    /// First day of the week-numbering year `y` (the week starting on WKST that holds Jan 4).
    fn week1_start(&self, y: i64) -> i64 {
        let jan4 = day_number(y, 1, 4);
        jan4 - i64::from((weekday_of(jan4) + 7 - self.wkst) % 7)
    }

    fn week_no_matches(&self, (pos, neg): (u64, u64), dn: i64) -> bool {
        let (y, _, _) = civil(dn);
        let this = self.week1_start(y);
        let next = self.week1_start(y + 1);
        let (start, end) = if dn < this {
            (self.week1_start(y - 1), this)
        } else if dn >= next {
            (next, self.week1_start(y + 2))
        } else {
            (this, next)
        };
        let week = ((dn - start) / 7 + 1) as u32;
        let weeks = ((end - start) / 7) as u32;
        bit64(pos, week) || bit64(neg, weeks + 1 - week)
    }

    fn year_day_matches(&self, (pos, neg): &([u64; 6], [u64; 6]), yday: u32, ylen: u32) -> bool {
        bitset_has(pos, yday) || bitset_has(neg, ylen + 1 - yday)
    }

    /// Day-level filter for WEEKLY and finer frequencies: `Err(next)` gives the first day
    /// worth trying after a rejected one.
    fn check_day(&self, dn: i64) -> Result<(), i64> {
        if self.has_byday && self.wd_mask & (1 << weekday_of(dn)) == 0 {
            return Err(dn + 1);
        }
        if !self.needs_civil {
            return Ok(());
        }
        let (y, m, d) = civil(dn);
        let leap = is_leap(y);
        let mlen = days_in_month(leap, m);
        if !self.month_allowed(m) {
            return Err(dn - i64::from(d) + 1 + i64::from(mlen));
        }
        if let Some(md) = &self.month_days
            && md[(mlen - 28) as usize] & (1 << d) == 0
        {
            return Err(dn + 1);
        }
        if let Some(yd) = &self.year_days {
            let yday = days_before_month(leap, m) + d;
            if !self.year_day_matches(yd, yday, if leap { 366 } else { 365 }) {
                return Err(dn + 1);
            }
        }
        if let Some(wn) = self.week_nos
            && !self.week_no_matches(wn, dn)
        {
            return Err(dn + 1);
        }
        Ok(())
    }

    /// For sub-daily frequencies: whether any time of day allowed by the BYHOUR / BYMINUTE /
    /// BYSECOND limits is reachable from the first period's time of day `first_sod` in steps
    /// of `interval * unit` seconds (times of day reached are those congruent to `first_sod`
    /// modulo gcd(step, 86400)). An unreachable rule, such as `FREQ=HOURLY;INTERVAL=2;BYHOUR=10`
    /// from 09:00, can never produce anything.
    fn time_limits_reachable(&self, first_sod: i64, unit: i64) -> bool {
        if self.hour_limit.is_none() && self.minute_limit.is_none() && self.second_limit.is_none() {
            return true;
        }
        let (mut a, mut b) = (self.interval.saturating_mul(unit), SECS_PER_DAY);
        while b != 0 {
            (a, b) = (b, a % b);
        }
        let g = a.max(1);
        let want = first_sod % g;
        let all = |n: u32| (0..n).collect::<Vec<u32>>();
        let pick = |limit: Option<u64>, n: u32| match limit {
            Some(mask) => (0..n).filter(|&x| bit64(mask, x)).collect(),
            None => all(n),
        };
        let hours = pick(self.hour_limit.map(u64::from), 24);
        // Finer units than the frequency's are expanded from lists, not limits: only the
        // period start (its own unit and coarser) has to be reachable.
        let minutes = if unit <= 60 {
            pick(self.minute_limit, 60)
        } else {
            vec![0]
        };
        let seconds = if unit <= 1 {
            pick(self.second_limit, 60)
        } else {
            vec![0]
        };
        hours.iter().any(|&h| {
            minutes.iter().any(|&m| {
                seconds
                    .iter()
                    .any(|&s| i64::from(h * 3600 + m * 60 + s) % g == want)
            })
        })
    }

    /// Days of month `m` of the year `yi` (MONTHLY / YEARLY periods), ascending, appended.
    fn push_month_days(&self, yi: &YearInfo, m: u32, out: &mut Vec<i64>) {
        let leap = yi.len == 366;
        let off = days_before_month(leap, m);
        let mlen = days_in_month(leap, m);
        let mut mask = ((1u64 << (mlen + 1)) - 2) as u32;
        if let Some(md) = &self.month_days {
            mask &= md[(mlen - 28) as usize];
        }
        if self.has_byday && mask != 0 {
            mask &= self.by_day_month_mask(yi, off, mlen);
        }
        let base = yi.start_dn + i64::from(off) - 1;
        while mask != 0 {
            let d = mask.trailing_zeros();
            mask &= mask - 1;
            if let Some(yd) = &self.year_days
                && !self.year_day_matches(yd, off + d, yi.len)
            {
                continue;
            }
            let dn = base + i64::from(d);
            if let Some(wn) = self.week_nos
                && !self.week_no_matches(wn, dn)
            {
                continue;
            }
            out.push(dn);
        }
    }

    /// Bit d set for the days of the month matching BYDAY (plain weekdays or ordinals).
    fn by_day_month_mask(&self, yi: &YearInfo, off: u32, mlen: u32) -> u32 {
        let first_wd = (yi.jan1_wd + off) % 7;
        let mut mask = 0u32;
        for w in 0..7u32 {
            let plain = self.wd_mask & (1 << w) != 0;
            let (pos, neg) = (self.nth_pos[w as usize], self.nth_neg[w as usize]);
            if !plain && pos == 0 && neg == 0 {
                continue;
            }
            // First day of the month falling on weekday w, and how many there are.
            let first = (w + 7 - first_wd) % 7 + 1;
            let count = (mlen - first) / 7 + 1;
            if plain {
                for j in 0..count {
                    mask |= 1 << (first + 7 * j);
                }
                continue;
            }
            let (k0, total) = if self.nth_in_month {
                (1, count)
            } else {
                let first_in_year = (w + 7 - yi.jan1_wd) % 7 + 1;
                let total = (yi.len - first_in_year) / 7 + 1;
                ((off + first - first_in_year) / 7 + 1, total)
            };
            for j in 0..count {
                let k = k0 + j;
                if bit64(pos, k) || bit64(neg, total + 1 - k) {
                    mask |= 1 << (first + 7 * j);
                }
            }
        }
        mask
    }
}

// ---------------------------------------------------------------------------------------------
// The iterator
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Running,
    Done,
    Truncated,
}

enum Fill {
    /// The period has candidates; the cursor is set.
    Ready,
    /// Nothing in this period; the next period index worth examining.
    Empty(i64),
    /// No later period can produce anything.
    End,
}

/// Iterator over the rule's instances, in increasing order.
///
/// Created by [`instances`]. It is fused: once it returns `None` it keeps doing so.
pub struct Instances<'a, F: FnMut(NaiveDateTime) -> bool> {
    rule: &'a RRule,
    plan: Plan,
    valid: F,
    /// Keys are seconds from CE day 0 on the wall clock (see `date_key`).
    lower_key: i64,
    end_key: i64,
    remaining: Option<u64>,
    /// First period's unit index: a year, a month index (year*12 + month-1), the day number
    /// of a week start or of a day, or a key truncated to the hour/minute/second.
    p0: i64,
    /// Next period index to examine.
    n: i64,
    max_dn: i64,
    days: Vec<i64>,
    th: Vec<u32>,
    tm: Vec<u32>,
    ts: Vec<u32>,
    /// Times per day in the current period.
    nt: u64,
    positions: Vec<u64>,
    use_positions: bool,
    cursor: u64,
    cursor_end: u64,
    work: u64,
    state: State,
}

/// Expands `rule` into its instances.
///
/// * `dtstart`: the series start on the wall clock (midnight for all-day series). Fractions
///   of a second are dropped.
/// * `until`: UNTIL already converted by the caller to the same wall clock (inclusive: an
///   instance equal to it is kept). When it is `None` but the rule has an UNTIL, that UNTIL is
///   used as written: a local or UTC date-time as if it were on the wall clock (callers should
///   convert UTC themselves), a DATE as the end of that day.
/// * `skip_before`: a hint; when the rule has no COUNT, the iterator jumps forward so as not to
///   generate instances long before this time (it may still yield some before it; the caller
///   filters). With COUNT it counts from `dtstart`.
/// * `stop_after`: the iteration ends as soon as instances would be later than this (the
///   window end). The iterator also ends, with [`Instances::truncated`] true, after
///   [`WORK_BUDGET`] units of work, so it terminates for rules that never produce anything.
/// * `valid`: called on each candidate; candidates for which it returns false (nonexistent
///   local times in a DST gap, decided by the caller) are dropped and NOT counted towards
///   COUNT, as RFC 5545 3.8.5.3 says.
pub fn instances<F>(
    rule: &RRule,
    dtstart: NaiveDateTime,
    until: Option<NaiveDateTime>,
    skip_before: NaiveDateTime,
    stop_after: NaiveDateTime,
    valid: F,
) -> Instances<'_, F>
where
    F: FnMut(NaiveDateTime) -> bool,
{
    let plan = Plan::new(rule, dtstart);
    let start_key = date_key(dtstart);
    let until = until.or_else(|| {
        rule.until.map(|u| match u {
            Until::Utc(dt) | Until::Local(dt) => dt,
            Until::Date(d) => {
                d.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN))
            }
        })
    });
    let mut end_key = date_key(stop_after);
    if let Some(u) = until {
        end_key = end_key.min(date_key(u));
    }
    let remaining = rule.count.map(u64::from);
    let lower_key = if remaining.is_none() {
        start_key.max(date_key(skip_before))
    } else {
        start_key
    };

    let start_dn = start_key.div_euclid(SECS_PER_DAY);
    let interval = plan.interval;
    let wkst = plan.wkst;
    let week_start = |dn: i64| dn - i64::from((weekday_of(dn) + 7 - wkst) % 7);
    let month_index = |dn: i64| {
        let (y, m, _) = civil(dn);
        y * 12 + i64::from(m) - 1
    };
    let unit = match plan.freq {
        Frequency::Hourly => 3600,
        Frequency::Minutely => 60,
        _ => 1,
    };
    let p0 = match plan.freq {
        Frequency::Yearly => i64::from(dtstart.year()),
        Frequency::Monthly => month_index(start_dn),
        Frequency::Weekly => week_start(start_dn),
        Frequency::Daily => start_dn,
        _ => start_key - start_key.rem_euclid(unit),
    };
    // Index of the period holding `lower_key` (never before the first period).
    let lower_dn = lower_key.div_euclid(SECS_PER_DAY);
    let n0 = match plan.freq {
        Frequency::Yearly => (civil(lower_dn).0 - p0).div_euclid(interval),
        Frequency::Monthly => (month_index(lower_dn) - p0).div_euclid(interval),
        Frequency::Weekly => ((week_start(lower_dn) - p0) / 7).div_euclid(interval),
        Frequency::Daily => (lower_dn - p0).div_euclid(interval),
        _ => (lower_key - p0).div_euclid(interval * unit),
    }
    .max(0);

    let sub_daily = plan.freq < Frequency::Daily;
    let (th, tm, ts) = match plan.freq {
        Frequency::Hourly => (vec![0], plan.minutes.clone(), plan.seconds.clone()),
        Frequency::Minutely => (vec![0], vec![0], plan.seconds.clone()),
        Frequency::Secondly => (vec![0], vec![0], vec![0]),
        _ => (
            plan.hours.clone(),
            plan.minutes.clone(),
            plan.seconds.clone(),
        ),
    };
    debug_assert!(!sub_daily || th.len() == 1);
    let unreachable = sub_daily && !plan.time_limits_reachable(p0.rem_euclid(SECS_PER_DAY), unit);
    let done = plan.impossible || unreachable || end_key < lower_key || remaining == Some(0);
    Instances {
        rule,
        plan,
        valid,
        lower_key,
        end_key,
        remaining,
        p0,
        n: n0,
        max_dn: i64::from(NaiveDate::MAX.num_days_from_ce()),
        days: Vec::with_capacity(8),
        th,
        tm,
        ts,
        nt: 1,
        positions: Vec::new(),
        use_positions: false,
        cursor: 0,
        cursor_end: 0,
        work: 0,
        state: if done { State::Done } else { State::Running },
    }
}

impl<F: FnMut(NaiveDateTime) -> bool> Instances<'_, F> {
    /// True when iteration stopped because of the safety limit ([`WORK_BUDGET`]), not because
    /// the rule or window ended. The instances already returned are correct; later ones may be
    /// missing.
    pub fn truncated(&self) -> bool {
        self.state == State::Truncated
    }

    /// The rule being expanded.
    pub fn rule(&self) -> &RRule {
        self.rule
    }

    /// Charges one unit of work; false (and the iterator truncated) when the budget is gone.
    fn charge(&mut self) -> bool {
        if self.work >= WORK_BUDGET {
            self.state = State::Truncated;
            return false;
        }
        self.work += 1;
        true
    }

    /// (day number, hour, minute, second) of candidate `idx` of the current period.
    #[inline]
    fn locate(&self, idx: u64) -> (i64, u32, u32, u32) {
        if self.nt == 1 {
            return (self.days[idx as usize], self.th[0], self.tm[0], self.ts[0]);
        }
        let day = self.days[(idx / self.nt) as usize];
        let mut t = idx % self.nt;
        let ns = self.ts.len() as u64;
        let s = self.ts[(t % ns) as usize];
        t /= ns;
        let nm = self.tm.len() as u64;
        let m = self.tm[(t % nm) as usize];
        let h = self.th[(t / nm) as usize];
        (day, h, m, s)
    }

    #[inline]
    fn key_at(&self, idx: u64) -> i64 {
        let (dn, h, m, s) = self.locate(idx);
        dn * SECS_PER_DAY + i64::from(h * 3600 + m * 60 + s)
    }

    /// Loads the next period that has candidates; false when the iteration is over.
    fn next_period(&mut self) -> bool {
        loop {
            if !self.charge() {
                return false;
            }
            match self.fill(self.n) {
                Fill::Ready => {
                    self.n += 1;
                    return true;
                }
                Fill::Empty(next) => self.n = next,
                Fill::End => {
                    self.state = State::Done;
                    return false;
                }
            }
        }
    }

    fn fill(&mut self, n: i64) -> Fill {
        self.days.clear();
        let plan = &self.plan;
        let interval = plan.interval;
        let max_year = i64::from(NaiveDate::MAX.year());
        let Some(offset) = n.checked_mul(interval) else {
            return Fill::End;
        };
        let period_start_dn;
        match plan.freq {
            Frequency::Yearly => {
                let y = self.p0.saturating_add(offset);
                if y > max_year {
                    return Fill::End;
                }
                let yi = YearInfo::new(y);
                period_start_dn = yi.start_dn;
                if period_start_dn * SECS_PER_DAY > self.end_key {
                    return Fill::End;
                }
                for m in 1..=12 {
                    if plan.month_allowed(m) {
                        plan.push_month_days(&yi, m, &mut self.days);
                    }
                }
            }
            Frequency::Monthly => {
                let mi = self.p0.saturating_add(offset);
                let (y, m) = (mi.div_euclid(12), (mi.rem_euclid(12) + 1) as u32);
                if y > max_year {
                    return Fill::End;
                }
                period_start_dn = day_number(y, m, 1);
                if period_start_dn * SECS_PER_DAY > self.end_key {
                    return Fill::End;
                }
                if plan.month_allowed(m) {
                    plan.push_month_days(&YearInfo::new(y), m, &mut self.days);
                }
            }
            Frequency::Weekly => {
                let Some(ws) = offset.checked_mul(7).and_then(|o| o.checked_add(self.p0)) else {
                    return Fill::End;
                };
                if ws > self.max_dn || ws * SECS_PER_DAY > self.end_key {
                    return Fill::End;
                }
                period_start_dn = ws;
                for dn in ws..ws + 7 {
                    if plan.check_day(dn).is_ok() {
                        self.days.push(dn);
                    }
                }
            }
            Frequency::Daily => {
                let dn = self.p0.saturating_add(offset);
                if dn > self.max_dn || dn * SECS_PER_DAY > self.end_key {
                    return Fill::End;
                }
                period_start_dn = dn;
                match plan.check_day(dn) {
                    Ok(()) => self.days.push(dn),
                    Err(next) => return Fill::Empty(ceil_div(next - self.p0, interval)),
                }
            }
            Frequency::Hourly | Frequency::Minutely | Frequency::Secondly => {
                let unit = match plan.freq {
                    Frequency::Hourly => 3600,
                    Frequency::Minutely => 60,
                    _ => 1,
                };
                let step = interval * unit;
                let Some(t) = n.checked_mul(step).and_then(|o| o.checked_add(self.p0)) else {
                    return Fill::End;
                };
                if t > self.end_key {
                    return Fill::End;
                }
                let dn = t.div_euclid(SECS_PER_DAY);
                let sod = t.rem_euclid(SECS_PER_DAY) as u32;
                let (h, m, s) = (sod / 3600, sod / 60 % 60, sod % 60);
                let skip_to = |target: i64| Fill::Empty(ceil_div(target - self.p0, step));
                if let Err(next) = plan.check_day(dn) {
                    return skip_to(next * SECS_PER_DAY);
                }
                let hour_start = dn * SECS_PER_DAY + i64::from(h) * 3600;
                if let Some(mask) = plan.hour_limit
                    && mask & (1 << h) == 0
                {
                    let later = mask & !((2u32 << h) - 1);
                    return skip_to(if later == 0 {
                        (dn + 1) * SECS_PER_DAY
                    } else {
                        dn * SECS_PER_DAY + i64::from(later.trailing_zeros()) * 3600
                    });
                }
                if plan.freq != Frequency::Hourly
                    && let Some(mask) = plan.minute_limit
                    && mask & (1 << m) == 0
                {
                    let later = mask & !((2u64 << m) - 1) & ((1u64 << 60) - 1);
                    return skip_to(if later == 0 {
                        hour_start + 3600
                    } else {
                        hour_start + i64::from(later.trailing_zeros()) * 60
                    });
                }
                if plan.freq == Frequency::Secondly
                    && let Some(mask) = plan.second_limit
                    && mask & (1 << s) == 0
                {
                    let minute_start = hour_start + i64::from(m) * 60;
                    let later = mask & !((2u64 << s) - 1) & ((1u64 << 60) - 1);
                    return skip_to(if later == 0 {
                        minute_start + 60
                    } else {
                        minute_start + i64::from(later.trailing_zeros())
                    });
                }
                period_start_dn = dn;
                self.th[0] = h;
                if plan.freq != Frequency::Hourly {
                    self.tm[0] = m;
                }
                if plan.freq == Frequency::Secondly {
                    self.ts[0] = s;
                }
                self.days.push(dn);
            }
        }
        let next = n + 1;
        if self.days.is_empty() {
            return Fill::Empty(next);
        }
        self.nt = (self.th.len() * self.tm.len() * self.ts.len()) as u64;
        let total = self.days.len() as u64 * self.nt;
        if total == 0 {
            return Fill::Empty(next);
        }
        if self.plan.set_pos.is_empty() {
            self.use_positions = false;
            self.cursor_end = total;
            self.cursor = if period_start_dn * SECS_PER_DAY < self.lower_key {
                self.lower_bound(total)
            } else {
                0
            };
        } else {
            self.use_positions = true;
            self.positions.clear();
            for &p in &self.plan.set_pos {
                let idx = if p > 0 {
                    i64::from(p) - 1
                } else {
                    total as i64 + i64::from(p)
                };
                if (0..total as i64).contains(&idx) {
                    self.positions.push(idx as u64);
                }
            }
            self.positions.sort_unstable();
            self.positions.dedup();
            self.cursor = 0;
            self.cursor_end = self.positions.len() as u64;
        }
        if self.cursor >= self.cursor_end {
            return Fill::Empty(next);
        }
        Fill::Ready
    }

    /// First candidate index whose time is not before `lower_key`.
    fn lower_bound(&self, total: u64) -> u64 {
        let (mut lo, mut hi) = (0, total);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.key_at(mid) < self.lower_key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

impl<F: FnMut(NaiveDateTime) -> bool> Iterator for Instances<'_, F> {
    type Item = NaiveDateTime;

    fn next(&mut self) -> Option<NaiveDateTime> {
        loop {
            if self.state != State::Running {
                return None;
            }
            if self.remaining == Some(0) {
                self.state = State::Done;
                return None;
            }
            if self.cursor >= self.cursor_end {
                if !self.next_period() {
                    return None;
                }
                continue;
            }
            let idx = if self.use_positions {
                self.positions[self.cursor as usize]
            } else {
                self.cursor
            };
            self.cursor += 1;
            let (dn, h, m, s) = self.locate(idx);
            let key = dn * SECS_PER_DAY + i64::from(h * 3600 + m * 60 + s);
            if key < self.lower_key {
                continue;
            }
            if key > self.end_key {
                self.state = State::Done;
                return None;
            }
            let dt = i32::try_from(dn)
                .ok()
                .and_then(NaiveDate::from_num_days_from_ce_opt)
                .and_then(|d| d.and_hms_opt(h, m, s));
            let Some(dt) = dt else {
                // Second 60 (BYSECOND=60) is not a wall-clock time; skipped, not counted.
                if !self.charge() {
                    return None;
                }
                continue;
            };
            if !(self.valid)(dt) {
                if !self.charge() {
                    return None;
                }
                continue;
            }
            if let Some(r) = self.remaining.as_mut() {
                *r -= 1;
            }
            return Some(dt);
        }
    }
}

impl<F: FnMut(NaiveDateTime) -> bool> std::iter::FusedIterator for Instances<'_, F> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_agree_with_chrono() {
        for (y, m, d) in [
            (1, 1, 1),
            (1970, 1, 1),
            (1600, 2, 29),
            (1997, 9, 2),
            (2000, 2, 29),
            (2024, 12, 31),
            (9999, 12, 31),
            (-44, 3, 15),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let dn = day_number(i64::from(y), m, d);
            assert_eq!(dn, i64::from(date.num_days_from_ce()), "{date}");
            assert_eq!(civil(dn), (i64::from(y), m, d));
            assert_eq!(
                weekday_of(dn),
                date.weekday().num_days_from_monday(),
                "{date}"
            );
        }
    }

    #[test]
    fn week_numbers_follow_iso_8601_with_monday_start() {
        let plan = Plan::new(
            &RRule::new(Frequency::Yearly),
            NaiveDate::MIN.and_time(NaiveTime::MIN),
        );
        // ISO weeks, checked against chrono's iso_week for a spread of dates.
        let mut dn = day_number(1996, 12, 20);
        while dn < day_number(2011, 1, 10) {
            let date = NaiveDate::from_num_days_from_ce_opt(dn as i32).unwrap();
            let iso = date.iso_week().week();
            assert!(plan.week_no_matches((1 << iso, 0), dn), "{date} week {iso}");
            assert!(
                !plan.week_no_matches((1 << (iso % 53 + 1), 0), dn),
                "{date}"
            );
            dn += 3;
        }
    }
}
