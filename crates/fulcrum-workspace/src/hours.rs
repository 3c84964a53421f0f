//! Working hours written as text: `Mon-Fri 09:00-17:00`,
//! `Mon-Thu 08:00-12:00 13:00-17:00, Fri 08:00-12:00`, or `none`.
//!
//! Groups are separated by `,` or `;`; each group is a day or a day range
//! followed by one or more `HH:MM-HH:MM` ranges. Day names are English, any
//! case, short (`Mon`) or long (`Monday`). A range must start before it ends
//! on the same day (`22:00-06:00` is rejected: split it over two days), and
//! ranges of one day must not overlap.

use chrono::{NaiveTime, Weekday};
use fulcrum_model::{WorkingHours, WorkingRange};

fn weekday(word: &str) -> Option<Weekday> {
    let w = word.to_ascii_lowercase();
    let day = match w.as_str() {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    };
    Some(day)
}

fn time(word: &str) -> Result<NaiveTime, String> {
    let (h, m) = word
        .split_once(':')
        .ok_or_else(|| format!("{word:?} is not a time (write HH:MM)"))?;
    let h: u32 = h
        .parse()
        .map_err(|_| format!("{word:?} is not a time (write HH:MM)"))?;
    let m: u32 = m
        .parse()
        .map_err(|_| format!("{word:?} is not a time (write HH:MM)"))?;
    NaiveTime::from_hms_opt(h, m, 0)
        .ok_or_else(|| format!("{word:?} is not a time of day (00:00 to 23:59)"))
}

fn range(word: &str) -> Result<WorkingRange, String> {
    let (a, b) = word
        .split_once('-')
        .ok_or_else(|| format!("{word:?} is not a range (write HH:MM-HH:MM)"))?;
    let (start, end) = (time(a)?, time(b)?);
    if start >= end {
        return Err(format!(
            "{word:?} ends before it starts; a range must lie within one day \
             (split a night shift over two days)"
        ));
    }
    Ok(WorkingRange { start, end })
}

/// Parses a working-hours text. Days not mentioned are not working days.
pub fn parse_working_hours(text: &str) -> Result<WorkingHours, String> {
    let mut hours = WorkingHours {
        days: Default::default(),
    };
    let trimmed = text.trim();
    if trimmed.eq_ignore_ascii_case("none") {
        return Ok(hours);
    }
    if trimmed.is_empty() {
        return Err(
            "empty working hours (write e.g. \"Mon-Fri 09:00-17:00\" or \"none\")".to_owned(),
        );
    }
    for group in trimmed.split([',', ';']) {
        let mut words = group.split_whitespace();
        let Some(days_word) = words.next() else {
            return Err("an empty group between separators".to_owned());
        };
        let days: Vec<Weekday> = match days_word.split_once('-') {
            Some((a, b)) => {
                let (Some(first), Some(last)) = (weekday(a), weekday(b)) else {
                    return Err(format!(
                        "{days_word:?} is not a day or day range (e.g. Mon-Fri)"
                    ));
                };
                let mut d = first;
                let mut out = vec![d];
                while d != last {
                    d = d.succ();
                    out.push(d);
                }
                out
            }
            None => vec![
                weekday(days_word)
                    .ok_or_else(|| format!("{days_word:?} is not a day (Mon, Tue, ... Sun)"))?,
            ],
        };
        let ranges: Vec<WorkingRange> = words.map(range).collect::<Result<_, _>>()?;
        if ranges.is_empty() {
            return Err(format!(
                "{days_word} has no time range (e.g. {days_word} 09:00-17:00)"
            ));
        }
        for day in days {
            let slot = &mut hours.days[day.num_days_from_monday() as usize];
            slot.extend(ranges.iter().copied());
            slot.sort_by_key(|r| r.start);
            if slot.windows(2).any(|w| w[1].start < w[0].end) {
                return Err(format!("ranges overlap on {day}"));
            }
        }
    }
    Ok(hours)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn standard_week() {
        assert_eq!(
            parse_working_hours("Mon-Fri 09:00-17:00").unwrap(),
            WorkingHours::standard()
        );
    }

    #[test]
    fn split_days_and_wrapping_range() {
        let h = parse_working_hours("Sat-Mon 10:00-12:00 13:00-15:00; wed 08:30-12:00").unwrap();
        // Sat-Mon wraps over the week end: Sat, Sun, Mon.
        assert_eq!(h.on(Weekday::Sun).len(), 2);
        assert_eq!(
            h.on(Weekday::Mon)[1],
            WorkingRange {
                start: t(13, 0),
                end: t(15, 0)
            }
        );
        assert!(h.on(Weekday::Tue).is_empty());
        assert_eq!(h.on(Weekday::Wed)[0].start, t(8, 30));
    }

    #[test]
    fn impossible_ranges_are_rejected() {
        assert!(
            parse_working_hours("Mon-Fri 17:00-09:00")
                .unwrap_err()
                .contains("ends before")
        );
        assert!(
            parse_working_hours("Mon 25:00-26:00")
                .unwrap_err()
                .contains("not a time of day")
        );
        assert!(
            parse_working_hours("Mon 09:00-12:00 11:00-13:00")
                .unwrap_err()
                .contains("overlap")
        );
        assert!(parse_working_hours("Funday 09:00-12:00").is_err());
        assert!(parse_working_hours("Mon").is_err());
        assert!(parse_working_hours("").is_err());
        assert_eq!(
            parse_working_hours("none")
                .unwrap()
                .days
                .iter()
                .map(Vec::len)
                .sum::<usize>(),
            0
        );
    }
}
