//! Value types of RFC 5545 section 3.3: dates, date-times, durations,
//! periods, UTC offsets and text.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use std::sync::Arc;

/// A date or date-time as written, before its zone is resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RawTime {
    /// `VALUE=DATE`.
    Date(NaiveDate),
    /// No zone: floating.
    Floating(NaiveDateTime),
    /// A `Z` suffix.
    Utc(NaiveDateTime),
    /// A `TZID` parameter, resolved later (a VTIMEZONE may follow the event).
    Local {
        /// The `TZID` as written.
        tzid: Arc<str>,
        /// The wall-clock time.
        time: NaiveDateTime,
    },
}

impl RawTime {
    /// The wall-clock value (midnight for a date).
    pub fn naive(&self) -> NaiveDateTime {
        match self {
            RawTime::Date(d) => d.and_time(NaiveTime::MIN),
            RawTime::Floating(t) | RawTime::Utc(t) => *t,
            RawTime::Local { time, .. } => *time,
        }
    }

    /// True for a date.
    pub fn is_date(&self) -> bool {
        matches!(self, RawTime::Date(_))
    }
}

/// A nominal-plus-exact duration (RFC 5545 3.3.6): weeks and days follow
/// the wall clock, hours, minutes and seconds are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct IcalDuration {
    /// Whole days (weeks included), signed.
    pub days: i64,
    /// Exact seconds, signed.
    pub seconds: i64,
}

impl IcalDuration {
    /// The duration as if every day had 24 hours.
    pub fn approx(&self) -> Duration {
        Duration::days(self.days) + Duration::seconds(self.seconds)
    }
}

/// Parses `YYYYMMDD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = s[0..4].parse().ok()?;
    let m: u32 = s[4..6].parse().ok()?;
    let d: u32 = s[6..8].parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Parses `YYYYMMDDTHHMMSS[Z]`; returns the time and whether it was UTC.
/// A second of 60 (a leap second) is read as 59.
pub fn parse_date_time(s: &str) -> Option<(NaiveDateTime, bool)> {
    let s = s.trim();
    let (s, utc) = match s.strip_suffix('Z').or_else(|| s.strip_suffix('z')) {
        Some(rest) => (rest, true),
        None => (s, false),
    };
    let bytes = s.as_bytes();
    if bytes.len() < 13 || !(bytes[8] == b'T' || bytes[8] == b't') {
        return None;
    }
    let date = parse_date(&s[..8])?;
    let time = &s[9..];
    // Seconds are required by the RFC; some writers drop them.
    if !(time.len() == 6 || time.len() == 4) || !time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: u32 = time[0..2].parse().ok()?;
    let mi: u32 = time[2..4].parse().ok()?;
    let sec: u32 = if time.len() == 6 {
        time[4..6].parse().ok()?
    } else {
        0
    };
    let t = NaiveTime::from_hms_opt(h, mi, sec.min(59))?;
    Some((date.and_time(t), utc))
}

/// Parses a date or date-time value given the `VALUE` and `TZID` parameters.
/// A value that looks like a date is read as one even without `VALUE=DATE`.
pub fn parse_time(value: &str, value_param: Option<&str>, tzid: Option<&str>) -> Option<RawTime> {
    let v = value.trim();
    let wants_date = value_param.is_some_and(|p| p.eq_ignore_ascii_case("DATE"));
    if wants_date || v.len() == 8 {
        if let Some(d) = parse_date(v) {
            return Some(RawTime::Date(d));
        }
        if wants_date {
            // `VALUE=DATE` with a date-time: keep the date part.
            return parse_date_time(v).map(|(t, _)| RawTime::Date(t.date()));
        }
    }
    let (t, utc) = parse_date_time(v)?;
    Some(if utc {
        RawTime::Utc(t)
    } else {
        match tzid.map(str::trim).filter(|z| !z.is_empty()) {
            Some(z) if is_utc_name(z) => RawTime::Utc(t),
            Some(z) => RawTime::Local {
                tzid: Arc::from(z),
                time: t,
            },
            None => RawTime::Floating(t),
        }
    })
}

/// Names that plainly mean UTC.
pub fn is_utc_name(z: &str) -> bool {
    let z = z.trim_matches('"');
    [
        "UTC",
        "Etc/UTC",
        "GMT",
        "Etc/GMT",
        "Z",
        "Zulu",
        "Universal",
        "Etc/Universal",
    ]
    .iter()
    .any(|u| z.eq_ignore_ascii_case(u))
}

/// Parses a duration such as `PT1H30M`, `-P1D`, `P2W`, `P1DT12H`.
pub fn parse_duration(s: &str) -> Option<IcalDuration> {
    let s = s.trim();
    let (neg, s) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let s = s.strip_prefix('P').or_else(|| s.strip_prefix('p'))?;
    let mut days: i64 = 0;
    let mut seconds: i64 = 0;
    let mut in_time = false;
    let mut num: Option<i64> = None;
    let mut any = false;
    for c in s.chars() {
        match c.to_ascii_uppercase() {
            'T' => in_time = true,
            d @ '0'..='9' => {
                let digit = i64::from(d as u8 - b'0');
                num = Some(num.unwrap_or(0).checked_mul(10)?.checked_add(digit)?);
            }
            unit => {
                let n = num.take()?;
                any = true;
                match (unit, in_time) {
                    ('W', false) => days = days.checked_add(n.checked_mul(7)?)?,
                    ('D', false) => days = days.checked_add(n)?,
                    ('H', true) => seconds = seconds.checked_add(n.checked_mul(3600)?)?,
                    ('M', true) => seconds = seconds.checked_add(n.checked_mul(60)?)?,
                    ('S', true) => seconds = seconds.checked_add(n)?,
                    _ => return None,
                }
            }
        }
    }
    if num.is_some() || !any {
        return None;
    }
    // Bound to about 100 years so later arithmetic cannot overflow.
    if days.abs() > 36_600 || seconds.abs() > 36_600 * 86_400 {
        return None;
    }
    Some(if neg {
        IcalDuration {
            days: -days,
            seconds: -seconds,
        }
    } else {
        IcalDuration { days, seconds }
    })
}

/// Parses a UTC offset `+HHMM[SS]` / `-HHMM[SS]` into seconds east of UTC.
pub fn parse_utc_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => (1, s),
    };
    let rest = rest.replace(':', "");
    if !(rest.len() == 4 || rest.len() == 6) || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = rest[0..2].parse().ok()?;
    let m: i32 = rest[2..4].parse().ok()?;
    let sec: i32 = if rest.len() == 6 {
        rest[4..6].parse().ok()?
    } else {
        0
    };
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60 + sec))
}

/// Decodes TEXT escapes (`\n`, `\,`, `\;`, `\\`).
pub fn unescape_text(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits a list value on commas that are not escaped.
pub fn split_list(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b',' => {
                out.push(&s[start..i]);
                start = i + 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    out.push(&s[start.min(s.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(
            parse_duration("PT1H30M"),
            Some(IcalDuration {
                days: 0,
                seconds: 5400
            })
        );
        assert_eq!(
            parse_duration("P2W"),
            Some(IcalDuration {
                days: 14,
                seconds: 0
            })
        );
        assert_eq!(
            parse_duration("-P1DT12H"),
            Some(IcalDuration {
                days: -1,
                seconds: -43200
            })
        );
        assert_eq!(parse_duration("P"), None);
        assert_eq!(parse_duration("PT1H5"), None);
        assert_eq!(parse_duration("P99999999999999999999D"), None);
    }

    #[test]
    fn times() {
        let t = parse_time("20240102T090000", None, Some("Europe/Berlin")).unwrap();
        assert!(matches!(t, RawTime::Local { ref tzid, .. } if &**tzid == "Europe/Berlin"));
        assert!(matches!(
            parse_time("20240102T090000Z", None, None),
            Some(RawTime::Utc(_))
        ));
        assert!(matches!(
            parse_time("20240102", None, None),
            Some(RawTime::Date(_))
        ));
        assert!(matches!(
            parse_time("20240102T090000", Some("DATE"), None),
            Some(RawTime::Date(_))
        ));
        assert!(matches!(
            parse_time("20240102T0900", None, None),
            Some(RawTime::Floating(_))
        ));
        assert_eq!(parse_time("20241302T090000", None, None), None);
        assert_eq!(parse_time("garbage", None, None), None);
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_utc_offset("-0500"), Some(-18000));
        assert_eq!(parse_utc_offset("+053000"), Some(19800));
        assert_eq!(parse_utc_offset("+2500"), None);
    }

    #[test]
    fn text_and_lists() {
        assert_eq!(unescape_text(r"a\, b\nc\;d\\"), "a, b\nc;d\\");
        assert_eq!(split_list(r"a,b\,c,d"), vec!["a", r"b\,c", "d"]);
    }
}
