//! People, their time zone and their working hours.

use chrono::{NaiveTime, Weekday};
use chrono_tz::Tz;

/// One working range in a day, local wall-clock time, `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkingRange {
    /// Local start of work.
    pub start: NaiveTime,
    /// Local end of work.
    pub end: NaiveTime,
}

/// Working hours per weekday in the person's own zone. A weekday with no
/// ranges is not a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingHours {
    /// Ranges per weekday, Monday first (index = `Weekday::num_days_from_monday`).
    pub days: [Vec<WorkingRange>; 7],
}

impl WorkingHours {
    /// The default of the spec: Monday to Friday, 09:00-17:00.
    pub fn standard() -> Self {
        let nine_to_five = WorkingRange {
            start: NaiveTime::from_hms_opt(9, 0, 0).expect("valid time"),
            end: NaiveTime::from_hms_opt(17, 0, 0).expect("valid time"),
        };
        let work = vec![nine_to_five];
        WorkingHours {
            days: [
                work.clone(),
                work.clone(),
                work.clone(),
                work.clone(),
                work,
                Vec::new(),
                Vec::new(),
            ],
        }
    }

    /// The ranges of one weekday.
    pub fn on(&self, day: Weekday) -> &[WorkingRange] {
        &self.days[day.num_days_from_monday() as usize]
    }
}

impl Default for WorkingHours {
    fn default() -> Self {
        Self::standard()
    }
}

/// A person of the organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// Primary email, lower-cased; the person's identity.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Team name.
    pub team: String,
    /// IANA time zone.
    pub tz: Tz,
    /// Working hours in `tz`.
    pub working_hours: WorkingHours,
    /// Other identities: emails, chat user ids, usernames.
    pub aliases: Vec<String>,
}
