//! Public holidays of the offices' countries, so that nobody meets or
//! chats on Thanksgiving in New York or on German Unity Day in Berlin.
//!
//! Only holidays with a rule are listed (fixed dates, "first Monday of",
//! Easter-based); lunar holidays (Diwali, Eid) change by year and are left
//! out rather than guessed. A holiday on a weekend moves to the nearest
//! weekday where the country does so (the US and the UK).

use crate::zones::Country;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Easter Sunday (the anonymous Gregorian algorithm).
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    date(year, month as u32, day as u32)
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    // Every call site passes a valid date; fall back to 1 January rather
    // than panic should a table ever hold a bad one.
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// The `n`th (1-based) `weekday` of a month; `n = -1` is the last one.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: i32) -> NaiveDate {
    if n > 0 {
        let first = date(year, month, 1);
        let shift =
            (7 + weekday.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
        first + Duration::days(i64::from(shift) + 7 * i64::from(n - 1))
    } else {
        let next_month = if month == 12 {
            date(year + 1, 1, 1)
        } else {
            date(year, month + 1, 1)
        };
        let last = next_month - Duration::days(1);
        let shift =
            (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
        last - Duration::days(i64::from(shift))
    }
}

/// Saturday to Friday, Sunday to Monday (US federal rule).
fn observed_us(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d - Duration::days(1),
        Weekday::Sun => d + Duration::days(1),
        _ => d,
    }
}

/// A weekend holiday moves to the next free weekday (UK substitute days).
fn observed_uk(d: NaiveDate, taken: &[NaiveDate]) -> NaiveDate {
    let mut d = d;
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) || taken.contains(&d) {
        d += Duration::days(1);
    }
    d
}

/// The public holidays of one year, with their English names.
pub fn holidays(country: Country, year: i32) -> Vec<(NaiveDate, &'static str)> {
    let e = easter(year);
    match country {
        Country::UnitedStates => vec![
            (observed_us(date(year, 1, 1)), "New Year's Day"),
            (
                nth_weekday(year, 1, Weekday::Mon, 3),
                "Martin Luther King Jr. Day",
            ),
            (nth_weekday(year, 5, Weekday::Mon, -1), "Memorial Day"),
            (observed_us(date(year, 6, 19)), "Juneteenth"),
            (observed_us(date(year, 7, 4)), "Independence Day"),
            (nth_weekday(year, 9, Weekday::Mon, 1), "Labor Day"),
            (nth_weekday(year, 11, Weekday::Thu, 4), "Thanksgiving"),
            (
                nth_weekday(year, 11, Weekday::Thu, 4) + Duration::days(1),
                "Day after Thanksgiving",
            ),
            (observed_us(date(year, 12, 25)), "Christmas Day"),
        ],
        Country::UnitedKingdom => {
            let new_year = observed_uk(date(year, 1, 1), &[]);
            let christmas = observed_uk(date(year, 12, 25), &[]);
            let boxing = observed_uk(date(year, 12, 26), &[christmas]);
            vec![
                (new_year, "New Year's Day"),
                (e - Duration::days(2), "Good Friday"),
                (e + Duration::days(1), "Easter Monday"),
                (
                    nth_weekday(year, 5, Weekday::Mon, 1),
                    "Early May bank holiday",
                ),
                (
                    nth_weekday(year, 5, Weekday::Mon, -1),
                    "Spring bank holiday",
                ),
                (
                    nth_weekday(year, 8, Weekday::Mon, -1),
                    "Summer bank holiday",
                ),
                (christmas, "Christmas Day"),
                (boxing, "Boxing Day"),
            ]
        }
        Country::Germany => vec![
            (date(year, 1, 1), "Neujahr"),
            (date(year, 3, 8), "Internationaler Frauentag"),
            (e - Duration::days(2), "Karfreitag"),
            (e + Duration::days(1), "Ostermontag"),
            (date(year, 5, 1), "Tag der Arbeit"),
            (e + Duration::days(39), "Christi Himmelfahrt"),
            (e + Duration::days(50), "Pfingstmontag"),
            (date(year, 10, 3), "Tag der Deutschen Einheit"),
            (date(year, 12, 25), "1. Weihnachtstag"),
            (date(year, 12, 26), "2. Weihnachtstag"),
        ],
        Country::India => vec![
            (date(year, 1, 26), "Republic Day"),
            (date(year, 5, 1), "May Day"),
            (date(year, 8, 15), "Independence Day"),
            (date(year, 10, 2), "Gandhi Jayanti"),
            (date(year, 11, 1), "Karnataka Rajyotsava"),
            (date(year, 12, 25), "Christmas"),
        ],
    }
}

/// Weekday holidays in `[from, to)`, sorted.
pub fn holidays_between(
    country: Country,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(NaiveDate, &'static str)> {
    let mut out: Vec<(NaiveDate, &'static str)> = (from.year()..=to.year())
        .flat_map(|y| holidays(country, y))
        .filter(|(d, _)| *d >= from && *d < to && d.weekday().num_days_from_monday() < 5)
        .collect();
    out.sort();
    out.dedup_by_key(|(d, _)| *d);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        // Published dates, not computed here.
        assert_eq!(easter(2026), date(2026, 4, 5));
        assert_eq!(easter(2027), date(2027, 3, 28));
        let us = holidays(Country::UnitedStates, 2026);
        assert!(us.contains(&(date(2026, 9, 7), "Labor Day")));
        assert!(us.contains(&(date(2026, 11, 26), "Thanksgiving")));
        // 4 July 2026 is a Saturday: observed on Friday the 3rd.
        assert!(us.contains(&(date(2026, 7, 3), "Independence Day")));
        let uk = holidays(Country::UnitedKingdom, 2026);
        // 26 December 2026 is a Saturday: Boxing Day moves to Monday the 28th.
        assert!(uk.contains(&(date(2026, 12, 28), "Boxing Day")));
        assert!(uk.contains(&(date(2026, 8, 31), "Summer bank holiday")));
        let window = holidays_between(Country::Germany, date(2026, 8, 31), date(2026, 11, 30));
        // 3 October 2026 is a Saturday: no weekday holiday in Berlin that quarter.
        assert!(window.is_empty(), "{window:?}");
        let india = holidays_between(Country::India, date(2026, 8, 31), date(2026, 11, 30));
        assert_eq!(india, [(date(2026, 10, 2), "Gandhi Jayanti")]);
    }
}
