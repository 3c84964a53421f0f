//! The calendar meetings a meeting record can be attached to: the meetings
//! of a team's members in a bounded range around now, for the "new meeting
//! record" form to pick from (and its API twin).
//!
//! Pure: the calendars (each with its owner's email), the snapshot (who is
//! in which team, each person's zone) and the range come in as values; the
//! server reads them from the store (`Storage::calendars(from, to)` over the
//! range only, so what is held is bounded by the range, and what is kept is
//! at most [`MAX_PICKABLE`] meetings).
//!
//! Privacy: a meeting's title is free text that often names people ("1:1
//! with Ada"); reports never show it (only a keyed hash). Here it is shown,
//! with the attendees, only to a viewer who is on the meeting (its organizer
//! or an attendee who did not decline): their own calendar. To anyone else
//! of the team the meeting shows by its time, its length and its organizer
//! when the organizer is of the team, nothing more.

use crate::dashboard::Snapshot;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use fulcrum_model::workflow::FieldProblem;
use fulcrum_model::{EventStatus, Occurrence, PartStat};
use std::collections::HashSet;

/// Days before and after now the picker covers by default.
pub const PICK_DAYS: i64 = 14;

/// The longest range the picker reads, in days.
pub const MAX_PICK_DAYS: i64 = 2 * PICK_DAYS;

/// The most meetings it lists (the most recent first).
pub const MAX_PICKABLE: usize = 200;

/// A calendar meeting a record can be attached to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarMeeting {
    /// The event's UID.
    pub uid: String,
    /// This instance's start.
    pub start: DateTime<Utc>,
    /// Its end.
    pub end: DateTime<Utc>,
    /// An instance of a recurring series: a record names its start as the
    /// occurrence.
    pub in_series: bool,
    /// The organizer's email, when the viewer is on the meeting or the
    /// organizer is of the team; `None` otherwise (or when none is known).
    pub organizer: Option<String>,
    /// The title, only for a viewer on the meeting, and only when the
    /// calendar gives one.
    pub title: Option<String>,
    /// The viewer is on the meeting: the title and attendees are theirs to
    /// see.
    pub viewer_attends: bool,
    /// Who attends (the organizer first, then the attendees who did not
    /// decline), emails, only for a viewer on the meeting; empty otherwise.
    pub attendees: Vec<String>,
}

impl CalendarMeeting {
    /// Its length in minutes.
    pub fn minutes(&self) -> i64 {
        (self.end - self.start).num_minutes()
    }

    /// The occurrence a record names: the instance's start, for an
    /// instance of a series; `None` for a one-off meeting.
    pub fn occurrence(&self) -> Option<DateTime<Utc>> {
        self.in_series.then_some(self.start)
    }
}

/// The range `[from, to)` the picker reads: `from` and `to` as typed (a
/// date `YYYY-MM-DD`, midnight on `tz`'s clock, `to` inclusive; or RFC
/// 3339), each blank for its default: [`PICK_DAYS`] before and after `now`
/// when both are blank, else [`MAX_PICK_DAYS`] from the other. At most
/// [`MAX_PICK_DAYS`] long; `to` after `from`.
pub fn pick_range(
    from: &str,
    to: &str,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<(DateTime<Utc>, DateTime<Utc>), FieldProblem> {
    let parse = |field: &'static str, text: &str, end: bool| -> Result<_, FieldProblem> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        if let Ok(at) = DateTime::parse_from_rfc3339(t) {
            return Ok(Some(at.with_timezone(&Utc)));
        }
        let date = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
            FieldProblem::new(
                field,
                format!("{t:?} is not a date (YYYY-MM-DD) or an RFC 3339 time"),
            )
        })?;
        // A date's midnight; `to` names the last day, so its end is the
        // next midnight.
        let day = if end {
            date.succ_opt().unwrap_or(date)
        } else {
            date
        };
        Ok(tz
            .from_local_datetime(&day.and_time(NaiveTime::MIN))
            .earliest()
            .map(|t| t.with_timezone(&Utc)))
    };
    let span = Duration::days(MAX_PICK_DAYS);
    let (from, to) = match (parse("from", from, false)?, parse("to", to, true)?) {
        (Some(f), Some(t)) => (f, t),
        (Some(f), None) => (f, f + span),
        (None, Some(t)) => (t - span, t),
        (None, None) => (
            now - Duration::days(PICK_DAYS),
            now + Duration::days(PICK_DAYS),
        ),
    };
    if to <= from {
        return Err(FieldProblem::new("to", "the range ends before it starts"));
    }
    if to - from > span {
        return Err(FieldProblem::new(
            "to",
            format!("the range is at most {MAX_PICK_DAYS} days"),
        ));
    }
    Ok((from, to))
}

/// The meetings of `team`'s members (organizer, or an attendee who did not
/// decline) that start in `[from, to)`, as `viewer` may see them, the most
/// recent first, at most [`MAX_PICKABLE`]. `calendars` are each calendar's
/// owner's email and its occurrences; the same meeting in several
/// calendars is listed once. A meeting is an event with at least two
/// people, not cancelled, not out of office and not all day; an event in
/// its owner's calendar with attendees and no organizer is organized by the
/// owner.
pub fn pickable_meetings<'a>(
    calendars: impl IntoIterator<Item = (Option<&'a str>, &'a [Occurrence])>,
    snapshot: &Snapshot,
    team: &str,
    viewer: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<CalendarMeeting> {
    let person = |email: &str| snapshot.by_email.get(&email.trim().to_lowercase()).copied();
    let viewer_email = viewer.trim().to_lowercase();
    let viewer_index = person(&viewer_email);
    let is_viewer = |email: &str| {
        email == viewer_email || (viewer_index.is_some() && person(email) == viewer_index)
    };
    let of_team = |email: &str| {
        person(email)
            .and_then(|i| snapshot.people.get(i))
            .is_some_and(|p| p.team == team)
    };
    let mut seen: HashSet<(String, DateTime<Utc>)> = HashSet::new();
    let mut out = Vec::new();
    for (owner, occurrences) in calendars {
        let owner = owner.map(|o| o.trim().to_lowercase());
        let tz = owner
            .as_deref()
            .and_then(|o| snapshot.person(o))
            .map_or(*snapshot.team_clock.tz(), |p| *p.clock.tz());
        for o in occurrences {
            let d = &o.details;
            if o.start.is_date()
                || d.status == EventStatus::Cancelled
                || d.out_of_office
                || d.attendees.is_empty()
            {
                continue;
            }
            let start = o.start.instant_in(&tz);
            if start < from || start >= to {
                continue;
            }
            let organizer = d
                .organizer
                .as_ref()
                .map(|p| p.email.clone())
                .or_else(|| owner.clone());
            let mut people: Vec<String> = Vec::new();
            let mut add = |email: &str| {
                let e = email.trim().to_lowercase();
                if !e.is_empty() && !people.contains(&e) {
                    people.push(e);
                }
            };
            if let Some(org) = &organizer {
                add(org);
            }
            for a in d.attendees.iter().filter(|a| a.is_person()) {
                if a.partstat != PartStat::Declined {
                    add(&a.who.email);
                }
            }
            if people.len() < 2 || !people.iter().any(|p| of_team(p)) {
                continue;
            }
            if !seen.insert((o.uid.to_string(), start)) {
                continue;
            }
            let attends = people.iter().any(|p| is_viewer(p));
            let title = d.summary.trim();
            out.push(CalendarMeeting {
                uid: o.uid.to_string(),
                start,
                end: o.end.instant_in(&tz).max(start),
                in_series: d.series.in_series,
                organizer: organizer
                    .map(|o| o.trim().to_lowercase())
                    .filter(|o| attends || of_team(o)),
                title: (attends && !title.is_empty()).then(|| title.to_owned()),
                viewer_attends: attends,
                attendees: if attends { people } else { Vec::new() },
            });
        }
    }
    // The most recent first; the same start by UID, so the order is stable.
    out.sort_by(|a, b| b.start.cmp(&a.start).then_with(|| a.uid.cmp(&b.uid)));
    out.truncate(MAX_PICKABLE);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::PersonSnapshot;
    use fulcrum_analysis::WorkClock;
    use fulcrum_model::{
        Attendee, CalTime, EventDetails, Participant, Role, SeriesInfo, WorkingHours,
    };
    use std::collections::BTreeSet;
    use std::sync::Arc;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn person(email: &str, team: &str, tz: Tz) -> PersonSnapshot {
        PersonSnapshot {
            email: email.to_owned(),
            name: email.to_owned(),
            team: team.to_owned(),
            zone: tz.name().to_owned(),
            weeks: Vec::new(),
            focus: None,
            clock: WorkClock::new(tz, WorkingHours::standard(), BTreeSet::new()),
        }
    }

    /// Ada and Bo in `red`, Cy in `blue`.
    fn snapshot() -> Snapshot {
        let mut s = Snapshot::empty(at("2026-12-06T12:00:00Z"));
        s.people = vec![
            person("ada@x.io", "red", Tz::Europe__Berlin),
            person("bo@x.io", "red", Tz::America__New_York),
            person("cy@x.io", "blue", Tz::UTC),
        ];
        for (i, p) in s.people.iter().enumerate() {
            s.by_email.insert(p.email.clone(), i);
        }
        s.by_email.insert("ada@old.io".to_owned(), 0);
        s
    }

    fn attendee(email: &str, partstat: PartStat) -> Attendee {
        Attendee {
            who: Participant {
                email: email.to_owned(),
                name: Some("A Name".to_owned()),
            },
            partstat,
            role: Role::Required,
            is_resource: false,
            is_group: false,
        }
    }

    fn meeting(
        uid: &str,
        start: &str,
        minutes: i64,
        organizer: Option<&str>,
        attendees: &[&str],
    ) -> Occurrence {
        let s = at(start);
        let z = chrono::FixedOffset::east_opt(0).unwrap();
        Occurrence {
            uid: Arc::from(uid),
            recurrence_id: None,
            start: CalTime::zoned(s, z),
            end: CalTime::zoned(s + Duration::minutes(minutes), z),
            details: Arc::new(EventDetails {
                summary: format!("Title of {uid}"),
                organizer: organizer.map(|o| Participant {
                    email: o.to_owned(),
                    name: None,
                }),
                attendees: attendees
                    .iter()
                    .map(|a| attendee(a, PartStat::Accepted))
                    .collect(),
                ..EventDetails::default()
            }),
        }
    }

    #[test]
    fn the_default_range_is_two_weeks_either_side_of_now_and_is_bounded() {
        let now = at("2026-12-06T12:00:00Z");
        let berlin = Tz::Europe__Berlin;
        // 14 days before and after: 2026-11-22T12:00Z and 2026-12-20T12:00Z.
        assert_eq!(
            pick_range("", "", now, &berlin).unwrap(),
            (at("2026-11-22T12:00:00Z"), at("2026-12-20T12:00:00Z"))
        );
        // Dates are midnights in Berlin (UTC+2 in September), `to` inclusive:
        // 2026-09-07T00:00+02:00 = 2026-09-06T22:00Z; the end of 09-12 is
        // 2026-09-13T00:00+02:00 = 2026-09-12T22:00Z.
        assert_eq!(
            pick_range("2026-09-07", "2026-09-12", now, &berlin).unwrap(),
            (at("2026-09-06T22:00:00Z"), at("2026-09-12T22:00:00Z"))
        );
        // Only `from`: 28 days from it.
        assert_eq!(
            pick_range("2026-09-01T00:00:00Z", "", now, &berlin).unwrap(),
            (at("2026-09-01T00:00:00Z"), at("2026-09-29T00:00:00Z"))
        );
        // 29 days is too long; an end before the start is refused; a bad
        // date names its field.
        let long = pick_range("2026-09-01T00:00:00Z", "2026-09-30T00:00:00Z", now, &berlin);
        assert_eq!(long.unwrap_err().field, "to");
        let back = pick_range("2026-09-10", "2026-09-01", now, &berlin);
        assert_eq!(back.unwrap_err().field, "to");
        assert_eq!(
            pick_range("soon", "", now, &berlin).unwrap_err().field,
            "from"
        );
    }

    #[test]
    fn meetings_of_the_team_most_recent_first_titles_only_to_those_on_them() {
        let s = snapshot();
        let ada = [
            // Ada and Bo on Tuesday 10:00 UTC, 30 min.
            meeting(
                "m1",
                "2026-12-08T10:00:00Z",
                30,
                Some("ada@x.io"),
                &["bo@x.io"],
            ),
            // Ada with Cy (blue) on Monday 09:00, 60 min; organizer
            // omitted: Ada's own calendar, so Ada organizes it.
            meeting("m2", "2026-12-07T09:00:00Z", 60, None, &["cy@x.io"]),
            // A solo event: not a meeting.
            meeting("solo", "2026-12-07T13:00:00Z", 60, Some("ada@x.io"), &[]),
            // Out of the range (before 2026-11-22T12:00Z).
            meeting(
                "old",
                "2026-11-20T10:00:00Z",
                30,
                Some("ada@x.io"),
                &["bo@x.io"],
            ),
        ];
        let bo = [
            // The same m1 in Bo's calendar: listed once.
            meeting(
                "m1",
                "2026-12-08T10:00:00Z",
                30,
                Some("ada@x.io"),
                &["bo@x.io"],
            ),
        ];
        let cy = [
            // Blue only: not red's.
            meeting(
                "m3",
                "2026-12-09T09:00:00Z",
                30,
                Some("cy@x.io"),
                &["zed@else.io"],
            ),
        ];
        let cals: Vec<(Option<&str>, &[Occurrence])> = vec![
            (Some("ada@x.io"), &ada),
            (Some("bo@x.io"), &bo),
            (Some("cy@x.io"), &cy),
        ];
        let (from, to) = pick_range("", "", s.generated_at, &Tz::UTC).unwrap();

        // Bo sees m1 (Tuesday) before m2 (Monday): the most recent first.
        let for_bo = pickable_meetings(cals.clone(), &s, "red", "bo@x.io", from, to);
        let uids: Vec<&str> = for_bo.iter().map(|m| m.uid.as_str()).collect();
        assert_eq!(uids, ["m1", "m2"]);
        // Bo is on m1: its title and attendees, organizer first.
        assert_eq!(for_bo[0].title.as_deref(), Some("Title of m1"));
        assert_eq!(for_bo[0].attendees, ["ada@x.io", "bo@x.io"]);
        assert_eq!(for_bo[0].minutes(), 30);
        assert_eq!(for_bo[0].occurrence(), None);
        // Bo is not on m2: no title, no attendees; its organizer Ada is of
        // the team, so she shows.
        assert_eq!(for_bo[1].title, None);
        assert!(for_bo[1].attendees.is_empty());
        assert_eq!(for_bo[1].organizer.as_deref(), Some("ada@x.io"));
        assert_eq!(for_bo[1].minutes(), 60);

        // Ada, signed in under an alias, is on both.
        let for_ada = pickable_meetings(cals.clone(), &s, "red", "ada@old.io", from, to);
        assert!(
            for_ada
                .iter()
                .all(|m| m.viewer_attends && m.title.is_some())
        );
        assert_eq!(for_ada[1].attendees, ["ada@x.io", "cy@x.io"]);

        // Blue's meetings: m2 (Cy attends) and m3, m3 first.
        let blue = pickable_meetings(cals, &s, "blue", "cy@x.io", from, to);
        let uids: Vec<&str> = blue.iter().map(|m| m.uid.as_str()).collect();
        assert_eq!(uids, ["m3", "m2"]);
    }

    #[test]
    fn at_most_two_hundred_the_latest_kept_and_declined_attendees_left_out() {
        let s = snapshot();
        // 250 meetings an hour apart from 2026-12-01T00:00Z: the last one
        // starts 249 h later, 2026-12-11T09:00Z; the 200 latest start at
        // hours 50..=249, so the earliest kept is 2026-12-03T02:00Z.
        let start = at("2026-12-01T00:00:00Z");
        let many: Vec<Occurrence> = (0..250)
            .map(|h| {
                let t = (start + Duration::hours(h)).to_rfc3339();
                meeting(&format!("u{h}"), &t, 30, Some("ada@x.io"), &["bo@x.io"])
            })
            .collect();
        let (from, to) = pick_range("", "", s.generated_at, &Tz::UTC).unwrap();
        let got = pickable_meetings(
            [(Some("ada@x.io"), many.as_slice())],
            &s,
            "red",
            "bo@x.io",
            from,
            to,
        );
        assert_eq!(got.len(), MAX_PICKABLE);
        assert_eq!(got[0].start, at("2026-12-11T09:00:00Z"));
        assert_eq!(got[199].start, at("2026-12-03T02:00:00Z"));

        // Bo declined: only Ada is left, not a meeting of two.
        let mut declined = meeting("d", "2026-12-07T09:00:00Z", 30, Some("ada@x.io"), &[]);
        let details = Arc::make_mut(&mut declined.details);
        details.attendees = vec![attendee("bo@x.io", PartStat::Declined)];
        details.series = SeriesInfo {
            in_series: true,
            series_ends: false,
        };
        let got = pickable_meetings(
            [(Some("ada@x.io"), std::slice::from_ref(&declined))],
            &s,
            "red",
            "ada@x.io",
            from,
            to,
        );
        assert!(got.is_empty());
        // With Bo accepting, it is listed and, in a series, names its start
        // as the occurrence.
        Arc::make_mut(&mut declined.details).attendees[0].partstat = PartStat::Accepted;
        let got = pickable_meetings(
            [(Some("ada@x.io"), std::slice::from_ref(&declined))],
            &s,
            "red",
            "ada@x.io",
            from,
            to,
        );
        assert_eq!(got[0].occurrence(), Some(at("2026-12-07T09:00:00Z")));
    }
}
