//! One person's calendar as their exporter writes it.
//!
//! - Google Calendar: `X-WR-TIMEZONE`, IANA VTIMEZONEs with
//!   `X-LIC-LOCATION`, one-off events in UTC, series on the organizer's
//!   zone (`TZID=America/New_York`), the organizer listed again as an
//!   attendee, `X-NUM-GUESTS`.
//! - Outlook / Exchange: Windows zone ids (`TZID="W. Europe Standard
//!   Time"`) with 1601-based VTIMEZONEs, one-off events on the owner's
//!   zone, `WKST=SU`, `X-MICROSOFT-CDO-*` (out of office as `BUSYSTATUS:OOF`),
//!   meeting rooms as resource attendees.
//!
//! Lines end with CRLF and are folded at 75 octets, never inside a UTF-8
//! character. Every event a person is invited to is in their file with
//! every attendee's answer, as both exporters do.

use crate::archetype::Dialect;
use crate::day::TeamDay;
use crate::hours::WorkClock;
use crate::names::EXTERNALS;
use crate::org::{AbsenceKind, DOMAIN, Org, Person};
use crate::plan::{Meeting, MeetingKind, PartStat};
use crate::series::{
    Change, Instance, Rule, Schedule, Series, SeriesEnd, SeriesKind, make_uid, uid_key,
};
use crate::zones::Zone;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::BTreeSet;
use std::io::{self, Write};

/// Writes content lines folded at 75 octets with CRLF endings.
pub struct IcsWriter<W: Write> {
    w: W,
    /// VEVENTs written.
    pub events: u64,
}

impl<W: Write> IcsWriter<W> {
    /// A writer over `w`.
    pub fn new(w: W) -> Self {
        IcsWriter { w, events: 0 }
    }

    /// Writes one content line (`NAME;PARAMS:VALUE`), folded.
    pub fn line(&mut self, line: &str) -> io::Result<()> {
        let bytes = line.as_bytes();
        let mut start = 0;
        let mut limit = 75;
        while bytes.len() - start > limit {
            let mut cut = start + limit;
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            self.w.write_all(&bytes[start..cut])?;
            self.w.write_all(b"\r\n ")?;
            start = cut;
            limit = 74;
        }
        self.w.write_all(&bytes[start..])?;
        self.w.write_all(b"\r\n")
    }

    /// Writes pre-formatted lines (VTIMEZONE blocks).
    pub fn raw(&mut self, text: &str) -> io::Result<()> {
        self.w.write_all(text.as_bytes())
    }

    /// Gives back the inner writer.
    pub fn into_inner(self) -> W {
        self.w
    }
}

/// Escapes a TEXT value (RFC 5545 3.3.11).
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            ';' => s.push_str("\\;"),
            ',' => s.push_str("\\,"),
            '\n' => s.push_str("\\n"),
            _ => s.push(c),
        }
    }
    s
}

fn utc_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn local_stamp(zone: Zone, t: DateTime<Utc>) -> String {
    zone.local(t).format("%Y%m%dT%H%M%S").to_string()
}

fn date_stamp(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

const DAY_CODES: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// The schedules a person's calendar draws on.
pub struct Sources<'a> {
    /// Their team's series.
    pub team: &'a Schedule,
    /// Every department's series (leads syncs; the all-hands in the first).
    pub departments: &'a [Schedule],
    /// Their team's day plans over the window.
    pub days: &'a [TeamDay],
}

/// How one exporter spells things.
struct Style {
    dialect: Dialect,
    owner_zone: Zone,
    stamp: String,
}

impl Style {
    fn tzid(&self, zone: Zone) -> String {
        match self.dialect {
            Dialect::Google => format!("TZID={}", zone.iana()),
            Dialect::Outlook => format!("TZID=\"{}\"", zone.windows()),
        }
    }

    /// `DTSTART`-like property for an instant: UTC for Google one-offs,
    /// the owner's zone for Outlook.
    fn one_off_time(&self, name: &str, t: DateTime<Utc>) -> String {
        match self.dialect {
            Dialect::Google => format!("{name}:{}", utc_stamp(t)),
            Dialect::Outlook => format!(
                "{name};{}:{}",
                self.tzid(self.owner_zone),
                local_stamp(self.owner_zone, t)
            ),
        }
    }

    fn zoned_time(&self, name: &str, zone: Zone, t: DateTime<Utc>) -> String {
        format!("{name};{}:{}", self.tzid(zone), local_stamp(zone, t))
    }

    fn cn(&self, name: &str) -> String {
        match self.dialect {
            Dialect::Google if !name.contains([':', ';', ',', '"']) => format!("CN={name}"),
            _ => format!("CN=\"{}\"", name.replace('"', "'")),
        }
    }

    fn organizer(&self, name: &str, email: &str) -> String {
        format!("ORGANIZER;{}:mailto:{email}", self.cn(name))
    }

    fn attendee(&self, name: &str, email: &str, status: PartStat) -> String {
        match self.dialect {
            Dialect::Google => format!(
                "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={};{};X-NUM-GUESTS=0:mailto:{email}",
                status.as_str(),
                self.cn(name)
            ),
            Dialect::Outlook => format!(
                "ATTENDEE;{};RSVP=TRUE;PARTSTAT={}:mailto:{email}",
                self.cn(name),
                status.as_str()
            ),
        }
    }

    fn room(&self, name: &str, email: &str) -> String {
        format!(
            "ATTENDEE;CUTYPE=RESOURCE;ROLE=NON-PARTICIPANT;PARTSTAT=ACCEPTED;{}:mailto:{email}",
            self.cn(name)
        )
    }

    fn summary(&self, title: &str) -> String {
        match self.dialect {
            Dialect::Google => format!("SUMMARY:{}", escape(title)),
            Dialect::Outlook => format!("SUMMARY;LANGUAGE=en-us:{}", escape(title)),
        }
    }
}

/// Writes one person's calendar; returns the number of VEVENTs.
pub fn write_calendar(
    w: &mut dyn Write,
    org: &Org,
    person: usize,
    src: &Sources<'_>,
) -> io::Result<u64> {
    let me = &org.people[person];
    let dialect = org.team_of(person).dialect();
    let style = Style {
        dialect,
        owner_zone: me.zone,
        stamp: utc_stamp(org.export_time()),
    };
    let mut out = IcsWriter::new(w);

    let series: Vec<(&Series, &[Instance])> = std::iter::once(src.team)
        .chain(src.departments.iter())
        .flat_map(|s| s.series.iter().zip(s.instances.iter().map(Vec::as_slice)))
        .filter(|(s, _)| s.group || s.involves(person))
        .collect();
    let mut zones: BTreeSet<Zone> = series.iter().map(|(s, _)| s.zone).collect();
    zones.insert(me.zone);

    match dialect {
        Dialect::Google => {
            out.line("BEGIN:VCALENDAR")?;
            out.line("PRODID:-//Google Inc//Google Calendar 70.9054//EN")?;
            out.line("VERSION:2.0")?;
            out.line("CALSCALE:GREGORIAN")?;
            out.line("METHOD:PUBLISH")?;
            out.line(&format!("X-WR-CALNAME:{}", me.email))?;
            out.line(&format!("X-WR-TIMEZONE:{}", me.zone.iana()))?;
            for z in &zones {
                out.raw(z.google_vtimezone())?;
            }
        }
        Dialect::Outlook => {
            out.line("BEGIN:VCALENDAR")?;
            out.line("PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN")?;
            out.line("VERSION:2.0")?;
            out.line("METHOD:PUBLISH")?;
            out.line(&format!(
                "X-CALSTART:{}",
                utc_stamp(org.start.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
            ))?;
            out.line(&format!(
                "X-CALEND:{}",
                utc_stamp(org.end().and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
            ))?;
            out.line(&format!("X-WR-CALNAME:{}", escape(&me.name)))?;
            out.line("X-MS-OLK-FORCEINSPECTOROPEN:TRUE")?;
            for z in &zones {
                out.raw(z.outlook_vtimezone())?;
            }
        }
    }

    for (s, instances) in &series {
        write_series(&mut out, org, &style, person, s, instances)?;
    }
    for day in src.days {
        for m in day.meetings.iter().filter(|m| m.involves(person)) {
            write_meeting(&mut out, org, &style, m)?;
        }
        for f in day.focus.iter().filter(|f| f.person == person) {
            out.line("BEGIN:VEVENT")?;
            out.line(&style.one_off_time("DTSTART", f.start))?;
            out.line(
                &style.one_off_time("DTEND", f.start + Duration::minutes(i64::from(f.minutes))),
            )?;
            out.line(&format!("DTSTAMP:{}", style.stamp))?;
            out.line(&format!("UID:{}", f.uid))?;
            out.line(&format!("CREATED:{}", utc_stamp(f.created)))?;
            out.line(&format!("LAST-MODIFIED:{}", utc_stamp(f.created)))?;
            out.line("SEQUENCE:0")?;
            out.line("STATUS:CONFIRMED")?;
            out.line(&style.summary(f.title))?;
            out.line("TRANSP:OPAQUE")?;
            if dialect == Dialect::Outlook {
                out.line("X-MICROSOFT-CDO-BUSYSTATUS:BUSY")?;
            }
            out.line("END:VEVENT")?;
            out.events += 1;
        }
    }
    write_absences(&mut out, org, &style, me)?;
    out.line("END:VCALENDAR")?;
    Ok(out.events)
}

fn rrule(style: &Style, s: &Series) -> String {
    let mut r = match s.rule {
        Rule::Weekly { days, interval } => {
            let by: Vec<&str> = (0..7)
                .filter(|d| days & (1 << d) != 0)
                .map(|d| DAY_CODES[d])
                .collect();
            let mut r = "FREQ=WEEKLY".to_owned();
            if interval > 1 {
                r.push_str(&format!(";INTERVAL={interval}"));
            }
            r.push_str(&format!(";BYDAY={}", by.join(",")));
            r
        }
        Rule::MonthlyNth { day, nth } => {
            format!(
                "FREQ=MONTHLY;BYDAY={nth}{}",
                DAY_CODES[day.num_days_from_monday() as usize]
            )
        }
    };
    match s.end {
        SeriesEnd::Never => {}
        SeriesEnd::Count(n) => r.push_str(&format!(";COUNT={n}")),
        SeriesEnd::Until(_) => {
            if let Some(u) = s.until_instant() {
                r.push_str(&format!(";UNTIL={}", utc_stamp(u)));
            }
        }
    }
    if style.dialect == Dialect::Outlook {
        r.push_str(";WKST=SU");
    }
    format!("RRULE:{r}")
}

/// The owner's own answer to the all-hands: yes when it fits their day.
pub(crate) fn all_hands_answer(org: &Org, me: &Person, s: &Series) -> PartStat {
    let probe = org.start + Duration::days(3);
    let fits = crate::series::UsualHours::holds(me, s.start_on(probe), s.minutes);
    if !fits {
        PartStat::Declined
    } else if me.index % 7 == 3 {
        PartStat::Tentative
    } else {
        PartStat::Accepted
    }
}

fn attendee_lines(
    out: &mut Vec<String>,
    org: &Org,
    style: &Style,
    s: &Series,
    person: usize,
    declined: &[usize],
    instance_absent: bool,
) {
    let organizer = &org.people[s.organizer];
    if style.dialect == Dialect::Google {
        out.push(style.attendee(&organizer.name, &organizer.email, PartStat::Accepted));
    }
    for &(p, answer) in &s.invitees {
        let status = if declined.contains(&p) {
            PartStat::Declined
        } else {
            answer
        };
        let who = &org.people[p];
        out.push(style.attendee(&who.name, &who.email, status));
    }
    if s.group {
        out.push(format!(
            "ATTENDEE;CUTYPE=GROUP;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;{}:mailto:everyone@{DOMAIN}",
            style.cn(&format!("everyone@{DOMAIN}"))
        ));
        if person != s.organizer {
            let me = &org.people[person];
            let status = if instance_absent {
                PartStat::Declined
            } else {
                all_hands_answer(org, me, s)
            };
            out.push(style.attendee(&me.name, &me.email, status));
        }
    }
}

fn write_series<W: Write>(
    out: &mut IcsWriter<W>,
    org: &Org,
    style: &Style,
    person: usize,
    s: &Series,
    instances: &[Instance],
) -> io::Result<()> {
    let organizer = &org.people[s.organizer];
    let me = &org.people[person];
    let first_start = s.start_on(s.first);
    let end = first_start + Duration::minutes(i64::from(s.minutes));
    let excluded: Vec<&Instance> = instances
        .iter()
        .filter(|i| matches!(i.change, Some(Change::Excluded)))
        .collect();
    let mut lines = vec!["BEGIN:VEVENT".to_owned()];
    let props_time = |lines: &mut Vec<String>| {
        lines.push(style.zoned_time("DTSTART", s.zone, first_start));
        lines.push(style.zoned_time("DTEND", s.zone, end));
    };
    let attendees = |lines: &mut Vec<String>, declined: &[usize], absent: bool| {
        lines.push(style.organizer(&organizer.name, &organizer.email));
        attendee_lines(lines, org, style, s, person, declined, absent);
    };
    match style.dialect {
        Dialect::Google => {
            props_time(&mut lines);
            lines.push(rrule(style, s));
            for i in &excluded {
                lines.push(style.zoned_time("EXDATE", s.zone, i.original));
            }
            lines.push(format!("DTSTAMP:{}", style.stamp));
            attendees(&mut lines, &[], false);
            lines.push(format!("UID:{}", s.uid));
            lines.push(format!("CREATED:{}", utc_stamp(s.created)));
            lines.push(format!(
                "DESCRIPTION:{}",
                escape(s.description.as_deref().unwrap_or(""))
            ));
            lines.push(format!("LAST-MODIFIED:{}", utc_stamp(s.modified)));
            lines.push("LOCATION:".to_owned());
            lines.push(format!("SEQUENCE:{}", s.sequence));
            lines.push("STATUS:CONFIRMED".to_owned());
            lines.push(style.summary(&s.title));
            lines.push("TRANSP:OPAQUE".to_owned());
        }
        Dialect::Outlook => {
            lines.push("CLASS:PUBLIC".to_owned());
            lines.push(format!("CREATED:{}", utc_stamp(s.created)));
            if let Some(d) = &s.description {
                lines.push(format!("DESCRIPTION:{}", escape(d)));
            }
            lines.push(style.zoned_time("DTEND", s.zone, end));
            lines.push(format!("DTSTAMP:{}", style.stamp));
            lines.push(style.zoned_time("DTSTART", s.zone, first_start));
            if !excluded.is_empty() {
                let values: Vec<String> = excluded
                    .iter()
                    .map(|i| local_stamp(s.zone, i.original))
                    .collect();
                lines.push(format!(
                    "EXDATE;{}:{}",
                    style.tzid(s.zone),
                    values.join(",")
                ));
            }
            lines.push(format!("LAST-MODIFIED:{}", utc_stamp(s.modified)));
            attendees(&mut lines, &[], false);
            lines.push("PRIORITY:5".to_owned());
            lines.push(rrule(style, s));
            lines.push(format!("SEQUENCE:{}", s.sequence));
            lines.push(style.summary(&s.title));
            lines.push("TRANSP:OPAQUE".to_owned());
            lines.push(format!("UID:{}", s.uid));
            lines.push("X-MICROSOFT-CDO-BUSYSTATUS:BUSY".to_owned());
            lines.push("X-MICROSOFT-CDO-IMPORTANCE:1".to_owned());
            lines.push("X-MICROSOFT-DISALLOW-COUNTER:FALSE".to_owned());
        }
    }
    lines.push("END:VEVENT".to_owned());
    for l in &lines {
        out.line(l)?;
    }
    out.events += 1;

    // Overrides: moved or partly declined instances, cancellations, and the
    // owner's own absences from the all-hands.
    for inst in instances {
        let owner_absent =
            s.group && person != s.organizer && me.away_on(me.zone.date(inst.original));
        let (start, status, declined, sequence, modified) = match &inst.change {
            None if owner_absent => (
                inst.original,
                "CONFIRMED",
                Vec::new(),
                s.sequence,
                inst.original - Duration::days(3),
            ),
            Some(Change::Changed {
                moved_to,
                declined,
                at,
            }) => (
                moved_to.unwrap_or(inst.original),
                "CONFIRMED",
                declined.clone(),
                s.sequence + u32::from(moved_to.is_some()),
                *at,
            ),
            Some(Change::Cancelled { at }) => {
                (inst.original, "CANCELLED", Vec::new(), s.sequence + 1, *at)
            }
            _ => continue,
        };
        let mut lines = vec!["BEGIN:VEVENT".to_owned()];
        lines.push(style.zoned_time("DTSTART", s.zone, start));
        lines.push(style.zoned_time(
            "DTEND",
            s.zone,
            start + Duration::minutes(i64::from(s.minutes)),
        ));
        lines.push(format!("DTSTAMP:{}", style.stamp));
        lines.push(style.organizer(&organizer.name, &organizer.email));
        lines.push(format!("UID:{}", s.uid));
        lines.push(style.zoned_time("RECURRENCE-ID", s.zone, inst.original));
        attendee_lines(&mut lines, org, style, s, person, &declined, owner_absent);
        lines.push(format!("CREATED:{}", utc_stamp(s.created)));
        lines.push(format!("LAST-MODIFIED:{}", utc_stamp(modified)));
        lines.push(format!("SEQUENCE:{sequence}"));
        lines.push(format!("STATUS:{status}"));
        lines.push(style.summary(&s.title));
        lines.push("TRANSP:OPAQUE".to_owned());
        if style.dialect == Dialect::Outlook {
            lines.push(format!(
                "X-MICROSOFT-CDO-BUSYSTATUS:{}",
                if status == "CANCELLED" {
                    "FREE"
                } else {
                    "BUSY"
                }
            ));
        }
        lines.push("END:VEVENT".to_owned());
        for l in &lines {
            out.line(l)?;
        }
        out.events += 1;
    }
    let _ = SeriesKind::Standup;
    Ok(())
}

fn write_meeting<W: Write>(
    out: &mut IcsWriter<W>,
    org: &Org,
    style: &Style,
    m: &Meeting,
) -> io::Result<()> {
    let organizer = &org.people[m.organizer];
    let mut lines = vec!["BEGIN:VEVENT".to_owned()];
    // About a third of Outlook's booked meetings take a room (a resource
    // attendee, not a person), chosen by the UID so every copy agrees.
    let h = m
        .uid
        .bytes()
        .fold(0u64, |h, b| crate::rng::mix(h ^ u64::from(b)));
    let room = (style.dialect == Dialect::Outlook
        && matches!(
            m.kind,
            MeetingKind::Scheduled | MeetingKind::Fragmenting | MeetingKind::CheckIn
        )
        && h.is_multiple_of(3))
    .then(|| {
        let n = (h >> 8) % 5 + 1;
        let city = organizer.zone.city();
        (
            format!("Room {}.{n:02} ({city})", 2 + (h >> 16) % 3),
            format!(
                "room-{}-{n}@{DOMAIN}",
                city.to_lowercase().replace(' ', "-")
            ),
        )
    });
    let attendees = |lines: &mut Vec<String>| {
        lines.push(style.organizer(&organizer.name, &organizer.email));
        if style.dialect == Dialect::Google {
            lines.push(style.attendee(&organizer.name, &organizer.email, PartStat::Accepted));
        }
        for &(p, s) in &m.invitees {
            let who = &org.people[p];
            lines.push(style.attendee(&who.name, &who.email, s));
        }
        for &(e, s) in &m.externals {
            let (name, email) = EXTERNALS[e % EXTERNALS.len()];
            lines.push(style.attendee(name, email, s));
        }
        if let Some((name, email)) = &room {
            lines.push(style.room(name, email));
        }
    };
    let end = m.end();
    match style.dialect {
        Dialect::Google => {
            lines.push(style.one_off_time("DTSTART", m.start));
            lines.push(style.one_off_time("DTEND", end));
            lines.push(format!("DTSTAMP:{}", style.stamp));
            attendees(&mut lines);
            lines.push(format!("UID:{}", m.uid));
            lines.push(format!("CREATED:{}", utc_stamp(m.created)));
            lines.push(format!(
                "DESCRIPTION:{}",
                escape(m.description.as_deref().unwrap_or(""))
            ));
            lines.push(format!("LAST-MODIFIED:{}", utc_stamp(m.created)));
            lines.push(format!(
                "LOCATION:{}",
                if m.kind == MeetingKind::External {
                    "Google Meet"
                } else {
                    ""
                }
            ));
            lines.push("SEQUENCE:0".to_owned());
            lines.push("STATUS:CONFIRMED".to_owned());
            lines.push(style.summary(&m.title));
            lines.push("TRANSP:OPAQUE".to_owned());
        }
        Dialect::Outlook => {
            lines.push("CLASS:PUBLIC".to_owned());
            lines.push(format!("CREATED:{}", utc_stamp(m.created)));
            if let Some(d) = &m.description {
                lines.push(format!("DESCRIPTION:{}", escape(d)));
            }
            lines.push(style.one_off_time("DTEND", end));
            lines.push(format!("DTSTAMP:{}", style.stamp));
            lines.push(style.one_off_time("DTSTART", m.start));
            lines.push(format!("LAST-MODIFIED:{}", utc_stamp(m.created)));
            let location = match &room {
                Some((name, _)) => name.clone(),
                None => "Microsoft Teams Meeting".to_owned(),
            };
            lines.push(format!("LOCATION:{}", escape(&location)));
            attendees(&mut lines);
            lines.push("PRIORITY:5".to_owned());
            lines.push("SEQUENCE:0".to_owned());
            lines.push(style.summary(&m.title));
            lines.push("TRANSP:OPAQUE".to_owned());
            lines.push(format!("UID:{}", m.uid));
            lines.push("X-MICROSOFT-CDO-BUSYSTATUS:BUSY".to_owned());
            lines.push("X-MICROSOFT-CDO-IMPORTANCE:1".to_owned());
        }
    }
    lines.push("END:VEVENT".to_owned());
    for l in &lines {
        out.line(l)?;
    }
    out.events += 1;
    Ok(())
}

fn write_absences<W: Write>(
    out: &mut IcsWriter<W>,
    org: &Org,
    style: &Style,
    me: &Person,
) -> io::Result<()> {
    for (i, a) in me.absences.iter().enumerate() {
        let title = match (&a.kind, style.dialect) {
            (AbsenceKind::Holiday(name), Dialect::Google) => format!("Holiday: {name}"),
            (AbsenceKind::Holiday(name), Dialect::Outlook) => (*name).to_owned(),
            (AbsenceKind::Vacation, Dialect::Google) => {
                ["Vacation", "Out of office", "PTO"][i % 3].to_owned()
            }
            (AbsenceKind::Vacation, Dialect::Outlook) => {
                if me.zone == Zone::Berlin {
                    "Urlaub".to_owned()
                } else {
                    "Annual leave".to_owned()
                }
            }
            (AbsenceKind::Sick, _) => "OOO - sick".to_owned(),
        };
        let uid = make_uid(
            style.dialect,
            uid_key(org.seed, &[me.index as u64, i as u64, 0xAB5]),
        );
        out.line("BEGIN:VEVENT")?;
        out.line(&format!("DTSTART;VALUE=DATE:{}", date_stamp(a.first)))?;
        out.line(&format!(
            "DTEND;VALUE=DATE:{}",
            date_stamp(a.last + Duration::days(1))
        ))?;
        out.line(&format!("DTSTAMP:{}", style.stamp))?;
        out.line(&format!("UID:{uid}"))?;
        out.line(&format!("CREATED:{}", utc_stamp(a.created)))?;
        out.line(&format!("LAST-MODIFIED:{}", utc_stamp(a.created)))?;
        out.line("SEQUENCE:0")?;
        out.line("STATUS:CONFIRMED")?;
        out.line(&style.summary(&title))?;
        let transparent = matches!(a.kind, AbsenceKind::Holiday(_));
        out.line(if transparent && style.dialect == Dialect::Google {
            "TRANSP:TRANSPARENT"
        } else {
            "TRANSP:OPAQUE"
        })?;
        if style.dialect == Dialect::Outlook {
            out.line("X-MICROSOFT-CDO-BUSYSTATUS:OOF")?;
            out.line("X-MICROSOFT-CDO-ALLDAYEVENT:TRUE")?;
        }
        out.line("END:VEVENT")?;
        out.events += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut w = IcsWriter::new(Vec::new());
        let long = format!("SUMMARY:{}Ende", "Jürgen Müller ".repeat(12));
        w.line(&long).unwrap();
        let text = String::from_utf8(w.into_inner()).unwrap();
        for l in text.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
        }
        let unfolded = text.replace("\r\n ", "");
        assert_eq!(unfolded.strip_suffix("\r\n"), Some(long.as_str()));
    }

    #[test]
    fn escapes_text() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
