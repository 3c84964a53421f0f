//! The date range a forward-looking tool plans over when it is not given
//! one: `focus` plans the coming week, `overlap` and `rotate` the next four
//! weeks. "Today" is handed in (the CLI reads the clock, or `--as-of`), so
//! the choice is a pure function of its inputs and tests can pin it.

use crate::focus::MoveError;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// What a tool looks at when no dates are given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Horizon {
    /// Monday to Sunday of the coming week: this week when today is a
    /// Monday, else next week.
    ComingWeek,
    /// Today and the 27 days after it.
    NextFourWeeks,
}

impl Horizon {
    /// The default range as of `today`.
    pub fn range(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self {
            Horizon::ComingWeek => {
                let ahead = (7 - today.weekday().num_days_from_monday()) % 7;
                let monday = today + Duration::days(i64::from(ahead));
                (monday, monday + Duration::days(6))
            }
            Horizon::NextFourWeeks => (today, today + Duration::days(27)),
        }
    }

    /// How many days the default range holds.
    pub fn days(self) -> i64 {
        match self {
            Horizon::ComingWeek => 7,
            Horizon::NextFourWeeks => 28,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Horizon::ComingWeek => "the coming week, Monday to Sunday",
            Horizon::NextFourWeeks => "the next four weeks from today",
        }
    }
}

/// A range of dates, both included, and the words saying how it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanWindow {
    /// First date.
    pub from: NaiveDate,
    /// Last date, included.
    pub to: NaiveDate,
    /// How it was chosen, for the line the CLI prints.
    pub rule: String,
}

impl std::fmt::Display for PlanWindow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let days = (self.to - self.from).num_days() + 1;
        write!(
            f,
            "window {} ({}) to {} ({}), {days} day{}: {}",
            self.from,
            short_weekday(self.from.weekday()),
            self.to,
            short_weekday(self.to.weekday()),
            if days == 1 { "" } else { "s" },
            self.rule
        )
    }
}

fn short_weekday(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

/// The range from the flags given, else the horizon's default as of
/// `today`. Only `--from`: the horizon's length from that day. Only
/// `--to`: from the default's first day (or `--to` itself when that is
/// later) to `--to`. `--from` after `--to` is an error.
pub fn plan_window(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    horizon: Horizon,
    today: NaiveDate,
) -> Result<PlanWindow, MoveError> {
    let (first, last) = horizon.range(today);
    let (from, to, rule) = match (from, to) {
        (Some(f), Some(t)) => (f, t, "as given".to_owned()),
        (Some(f), None) => (
            f,
            f + Duration::days(horizon.days() - 1),
            format!("{} days from --from (give --to to change)", horizon.days()),
        ),
        (None, Some(t)) => (first.min(t), t, format!("{} to --to", horizon.describe())),
        (None, None) => (
            first,
            last,
            format!("{} (give --from and --to to change)", horizon.describe()),
        ),
    };
    crate::focus::check_range(from, to)?;
    Ok(PlanWindow { from, to, rule })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // A panic is a failed test with its location.
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, day).unwrap()
    }

    #[test]
    fn the_coming_week_starts_on_the_next_monday_or_today_on_a_monday() {
        // 2025-06-04 is a Wednesday: next Monday is 9 June.
        assert_eq!(Horizon::ComingWeek.range(d(6, 4)), (d(6, 9), d(6, 15)));
        // Sunday 8 June: tomorrow.
        assert_eq!(Horizon::ComingWeek.range(d(6, 8)), (d(6, 9), d(6, 15)));
        // Monday 9 June: this week.
        assert_eq!(Horizon::ComingWeek.range(d(6, 9)), (d(6, 9), d(6, 15)));
    }

    #[test]
    fn four_weeks_from_today_and_partial_flags() {
        let w = plan_window(None, None, Horizon::NextFourWeeks, d(6, 4)).unwrap();
        assert_eq!((w.from, w.to), (d(6, 4), d(7, 1)));
        assert_eq!(
            w.to_string(),
            "window 2025-06-04 (Wed) to 2025-07-01 (Tue), 28 days: the next four weeks from today (give --from and --to to change)"
        );
        let w = plan_window(Some(d(6, 16)), None, Horizon::ComingWeek, d(6, 4)).unwrap();
        assert_eq!((w.from, w.to), (d(6, 16), d(6, 22)));
        let w = plan_window(None, Some(d(6, 11)), Horizon::ComingWeek, d(6, 4)).unwrap();
        assert_eq!((w.from, w.to), (d(6, 9), d(6, 11)));
        assert!(plan_window(Some(d(6, 5)), Some(d(6, 4)), Horizon::ComingWeek, d(6, 4)).is_err());
    }
}
