//! A VEVENT as read, before expansion: times still carry their TZID, the
//! description is already reduced to flags.

use crate::describe::description_flags;
use crate::diag::Diagnostics;
use crate::lex::{ContentLine, upper_case};
use crate::rrule::RRule;
use crate::value::{
    IcalDuration, RawTime, parse_date_time, parse_duration, parse_time, split_list, unescape_text,
};
use chrono::{DateTime, TimeZone, Utc};
use fulcrum_model::{
    Attendee, EventDetails, EventStatus, PartStat, Participant, Role, SourceRef, Transparency,
};
use std::borrow::Cow;
use std::sync::Arc;

/// One `RDATE` value: an extra start, or an extra period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RDate {
    /// An extra start, with the series' duration.
    Start(RawTime),
    /// An extra period with its own end.
    Period(RawTime, PeriodEnd),
}

/// The end of an RDATE period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodEnd {
    /// An explicit end.
    End(RawTime),
    /// A duration from the start.
    Duration(IcalDuration),
}

/// A VEVENT component.
#[derive(Debug, Clone)]
pub struct EventComponent {
    /// `UID` (a synthetic one when missing).
    pub uid: Arc<str>,
    /// `RECURRENCE-ID`, for an override of one instance.
    pub recurrence_id: Option<RawTime>,
    /// `RANGE=THISANDFUTURE` on the recurrence id.
    pub this_and_future: bool,
    /// `DTSTART`.
    pub dtstart: RawTime,
    /// `DTEND`.
    pub dtend: Option<RawTime>,
    /// `DURATION`.
    pub duration: Option<IcalDuration>,
    /// `RRULE`s (almost always one).
    pub rrules: Vec<RRule>,
    /// `RDATE`s.
    pub rdates: Vec<RDate>,
    /// `EXDATE`s.
    pub exdates: Vec<RawTime>,
    /// `X-WR-TIMEZONE` of the enclosing calendar.
    pub calendar_zone: Option<Arc<str>>,
    /// Everything else Fulcrum keeps, shared with the occurrences expanded
    /// from it when their series facts are its own (a one-off's are): an
    /// occurrence then costs no copy of the attendee list.
    pub details: Arc<EventDetails>,
}

impl EventComponent {
    /// `SEQUENCE`.
    pub fn sequence(&self) -> u32 {
        self.details.sequence
    }

    /// True when it defines a series.
    pub fn is_recurring(&self) -> bool {
        !self.rrules.is_empty() || !self.rdates.is_empty()
    }
}

/// Builds an event from its properties. `None` (with an error diagnostic)
/// when it cannot be placed in time. Only what the event keeps is copied out
/// of the lines.
pub fn build_event(
    props: &[ContentLine<'_>],
    begin_line: u32,
    calendar_zone: Option<Arc<str>>,
    diags: &mut Diagnostics,
) -> Option<EventComponent> {
    let file = diags.file().clone();
    let mut uid: Option<&str> = None;
    let mut dtstart: Option<RawTime> = None;
    let mut dtend: Option<RawTime> = None;
    let mut duration = None;
    let mut rrules = Vec::new();
    let mut rdates = Vec::new();
    let mut exdates = Vec::new();
    let mut recurrence_id = None;
    let mut this_and_future = false;
    let mut d = EventDetails {
        source: Some(SourceRef {
            file: file.clone(),
            line: begin_line,
        }),
        ..EventDetails::default()
    };
    let mut busy_oof = false;

    for p in props {
        let line = Some(p.line);
        match p.name.as_ref() {
            "UID" => uid = Some(p.value.trim()),
            "DTSTART" => match time_of(p) {
                Some(t) => dtstart = Some(t),
                None => diags.error(
                    line,
                    format!("DTSTART `{}` is not a valid date or date-time", p.value),
                    Some("expected YYYYMMDD or YYYYMMDDTHHMMSS[Z]"),
                ),
            },
            "DTEND" => match time_of(p) {
                Some(t) => dtend = Some(t),
                None => diags.warn(
                    line,
                    format!("DTEND `{}` is not a valid date or date-time; ignored", p.value),
                    Some("the end then follows RFC 5545 3.6.1 (a day for dates, zero length otherwise)"),
                ),
            },
            "DURATION" => match parse_duration(&p.value) {
                Some(v) => duration = Some(v),
                None => diags.warn(
                    line,
                    format!("DURATION `{}` is not valid; ignored", p.value),
                    Some("expected a duration such as PT1H30M"),
                ),
            },
            "RECURRENCE-ID" => match time_of(p) {
                Some(t) => {
                    recurrence_id = Some(t);
                    this_and_future = p.param("RANGE").is_some_and(|r| r.eq_ignore_ascii_case("THISANDFUTURE"));
                }
                None => diags.warn(
                    line,
                    format!("RECURRENCE-ID `{}` is not valid; the event is read as a one-off", p.value),
                    None,
                ),
            },
            "RRULE" => match RRule::parse(&p.value) {
                Ok((rule, warnings)) => {
                    for w in warnings {
                        diags.warn(line, format!("RRULE: {w}"), None);
                    }
                    rrules.push(rule);
                }
                Err(e) => diags.warn(
                    line,
                    format!("RRULE `{}` is not valid ({e}); the event is read without it", p.value),
                    Some("fix the rule in the calendar application and export again"),
                ),
            },
            "RDATE" => read_rdates(p, &mut rdates, diags),
            "EXDATE" => {
                let [value_param, tzid] = p.params_named(["VALUE", "TZID"]);
                for v in split_list(&p.value) {
                    if v.trim().is_empty() {
                        continue;
                    }
                    match parse_time(v, value_param.as_deref(), tzid.as_deref()) {
                        Some(t) => exdates.push(t),
                        None => diags.warn(line, format!("EXDATE value `{v}` is not valid; ignored"), None),
                    }
                }
            }
            "SUMMARY" => d.summary = unescape_text(&p.value),
            "DESCRIPTION" => {
                // Only flags survive: the text is dropped right here.
                let flags = description_flags(&unescape_text(&p.value));
                d.description = merge_flags(d.description, flags);
            }
            "X-ALT-DESC" => {
                let flags = description_flags(&p.value);
                d.description = merge_flags(d.description, flags);
            }
            "STATUS" => {
                d.status = match upper_case(Cow::Borrowed(p.value.trim())).as_ref() {
                    "CANCELLED" | "CANCELED" => EventStatus::Cancelled,
                    "TENTATIVE" => EventStatus::Tentative,
                    _ => EventStatus::Confirmed,
                }
            }
            "TRANSP" if p.value.trim().eq_ignore_ascii_case("TRANSPARENT") => {
                d.transparency = Transparency::Transparent;
            }
            "SEQUENCE" => d.sequence = p.value.trim().parse().unwrap_or(0),
            "CREATED" => d.created = utc_stamp(&p.value),
            "DTSTAMP" => d.dtstamp = utc_stamp(&p.value),
            "LAST-MODIFIED" => d.last_modified = utc_stamp(&p.value),
            "ORGANIZER" => d.organizer = Some(participant(p)),
            "ATTENDEE" => d.attendees.push(attendee(p)),
            "CATEGORIES" => d.categories.extend(
                split_list(&p.value).into_iter().map(|c| unescape_text(c.trim())).filter(|c| !c.is_empty()),
            ),
            "X-MICROSOFT-CDO-BUSYSTATUS" | "X-MICROSOFT-CDO-INTENDEDSTATUS" => {
                busy_oof |= p.value.trim().eq_ignore_ascii_case("OOF");
            }
            _ => {}
        }
    }

    let Some(dtstart) = dtstart else {
        diags.error(
            Some(begin_line),
            "event has no valid DTSTART; skipped",
            Some("every event needs a start; check the export for truncated events"),
        );
        return None;
    };
    let uid = match uid.filter(|u| !u.is_empty()) {
        Some(u) => Arc::from(u),
        None => {
            diags.warn(
                Some(begin_line),
                "event has no UID; a synthetic one from the file and line is used",
                Some("overrides of this event cannot be matched without a UID"),
            );
            Arc::from(format!("{file}:{begin_line}").as_str())
        }
    };
    // Values on different clocks (a flight from Tokyo to Honolulu, a zoned
    // start with a UTC end) are compared as instants by `expand`, once
    // the file's zones are known.
    if dtend
        .as_ref()
        .is_some_and(|end| same_clock(end, &dtstart) && end.naive() < dtstart.naive())
    {
        diags.warn(Some(begin_line), END_BEFORE_START, None);
        dtend = None;
        duration = Some(IcalDuration::default());
    }
    d.out_of_office = busy_oof || is_out_of_office_title(&d.summary);
    d.urgent = is_urgent_title(&d.summary);
    d.tzid = match &dtstart {
        RawTime::Local { tzid, .. } => Some(tzid.to_string()),
        _ => None,
    };
    Some(EventComponent {
        uid,
        recurrence_id,
        this_and_future,
        dtstart,
        dtend,
        duration,
        rrules,
        rdates,
        exdates,
        calendar_zone,
        details: Arc::new(d),
    })
}

/// The problem of an event that ends before it starts.
pub(crate) const END_BEFORE_START: &str =
    "DTEND is before DTSTART; the event is read as zero length";

/// True when two values are on one clock as written (two dates, two
/// floating times, two UTC times, or two times with the same TZID), so
/// that their wall clocks can be compared before zones are resolved.
pub(crate) fn same_clock(a: &RawTime, b: &RawTime) -> bool {
    match (a, b) {
        (RawTime::Date(_), RawTime::Date(_))
        | (RawTime::Floating(_), RawTime::Floating(_))
        | (RawTime::Utc(_), RawTime::Utc(_)) => true,
        (RawTime::Local { tzid: x, .. }, RawTime::Local { tzid: y, .. }) => x == y,
        _ => false,
    }
}

fn time_of(p: &ContentLine<'_>) -> Option<RawTime> {
    let [value_param, tzid] = p.params_named(["VALUE", "TZID"]);
    parse_time(&p.value, value_param.as_deref(), tzid.as_deref())
}

fn merge_flags(
    a: fulcrum_model::DescriptionFlags,
    b: fulcrum_model::DescriptionFlags,
) -> fulcrum_model::DescriptionFlags {
    fulcrum_model::DescriptionFlags {
        present: a.present || b.present,
        has_agenda: a.has_agenda || b.has_agenda,
        has_outcome: a.has_outcome || b.has_outcome,
        has_preread_link: a.has_preread_link || b.has_preread_link,
        has_notes_link: a.has_notes_link || b.has_notes_link,
        decision: a.decision || b.decision,
    }
}

fn read_rdates(p: &ContentLine<'_>, out: &mut Vec<RDate>, diags: &mut Diagnostics) {
    let [value_param, tzid] = p.params_named(["VALUE", "TZID"]);
    for v in split_list(&p.value) {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        match rdate_value(v, value_param.as_deref(), tzid.as_deref()) {
            Some(r) => out.push(r),
            None => diags.warn(
                Some(p.line),
                format!("RDATE value `{v}` is not valid; ignored"),
                None,
            ),
        }
    }
}

/// One item of an RDATE list (trimmed, not empty): a start, or a period when
/// `VALUE=PERIOD` or the item has a `/`. `None` when it is not valid.
pub(crate) fn rdate_value(v: &str, value_param: Option<&str>, tzid: Option<&str>) -> Option<RDate> {
    let is_period = value_param.is_some_and(|v| v.eq_ignore_ascii_case("PERIOD"));
    if is_period || v.contains('/') {
        v.split_once('/').and_then(|(s, e)| {
            let start = parse_time(s, None, tzid)?;
            let end = match parse_time(e, None, tzid) {
                Some(t) => PeriodEnd::End(t),
                None => PeriodEnd::Duration(parse_duration(e)?),
            };
            Some(RDate::Period(start, end))
        })
    } else {
        parse_time(v, value_param, tzid).map(RDate::Start)
    }
}

/// CREATED, DTSTAMP and LAST-MODIFIED are UTC by the RFC; a value written
/// without `Z` is read as UTC too.
pub(crate) fn utc_stamp(v: &str) -> Option<DateTime<Utc>> {
    let (t, _) = parse_date_time(v)?;
    Some(Utc.from_utc_datetime(&t))
}

fn address(value: &str) -> String {
    let v = value.trim();
    // `get` rather than slicing: the value may hold multi-byte characters.
    let v = match v.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => &v[7..],
        _ => v,
    };
    v.trim().to_ascii_lowercase()
}

fn participant(p: &ContentLine<'_>) -> Participant {
    let [cn] = p.params_named(["CN"]);
    participant_named(p, cn)
}

fn participant_named(p: &ContentLine<'_>, cn: Option<Cow<'_, str>>) -> Participant {
    Participant {
        email: address(&p.value),
        name: cn.filter(|n| !n.is_empty()).map(Cow::into_owned),
    }
}

fn attendee(p: &ContentLine<'_>) -> Attendee {
    let [partstat, role, cutype, cn] = p.params_named(["PARTSTAT", "ROLE", "CUTYPE", "CN"]);
    let partstat = match partstat.map(upper_case).as_deref() {
        Some("ACCEPTED") => PartStat::Accepted,
        Some("DECLINED") => PartStat::Declined,
        Some("TENTATIVE") => PartStat::Tentative,
        Some("DELEGATED") => PartStat::Delegated,
        _ => PartStat::NeedsAction,
    };
    let role = match role.map(upper_case).as_deref() {
        Some("CHAIR") => Role::Chair,
        Some("OPT-PARTICIPANT") => Role::Optional,
        Some("NON-PARTICIPANT") => Role::NonParticipant,
        _ => Role::Required,
    };
    let is_resource = cutype
        .as_deref()
        .is_some_and(|c| c.eq_ignore_ascii_case("RESOURCE") || c.eq_ignore_ascii_case("ROOM"));
    let is_group = cutype.is_some_and(|c| c.eq_ignore_ascii_case("GROUP"));
    Attendee {
        who: participant_named(p, cn),
        partstat,
        role,
        is_resource,
        is_group,
    }
}

/// Titles that mark time away, as Google, Outlook and people write them.
/// An urgent title (SIGNALS.md, `urgent_meeting_hours`): one of the words
/// as a whole word, any case, so "Incident review" is urgent and
/// "Incidental costs" is not.
pub(crate) fn is_urgent_title(summary: &str) -> bool {
    const WORDS: &[&str] = &["urgent", "asap", "escalation", "escalated", "incident"];
    summary
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| WORDS.iter().any(|u| w.eq_ignore_ascii_case(u)))
}

fn is_out_of_office_title(summary: &str) -> bool {
    let s = summary.trim().to_lowercase();
    const PREFIXES: &[&str] = &[
        "out of office",
        "out of the office",
        "ooo",
        "vacation",
        "holiday",
        "annual leave",
        "pto",
        "sick leave",
        "parental leave",
        "urlaub",
    ];
    PREFIXES.iter().any(|p| {
        s.strip_prefix(p).is_some_and(|rest| {
            // "OOO - dentist" is time away; "Holiday party" is not.
            rest.trim_start()
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_with_multibyte_characters_near_the_scheme() {
        // Found by fuzzing: byte 7 falls inside the Cyrillic "о".
        assert_eq!(address(":эCто, x"), ":эcто, x");
        assert_eq!(address("MAILTO:Ana@Example.com"), "ana@example.com");
        assert_eq!(address("mailto:ben@example.com"), "ben@example.com");
    }

    #[test]
    fn out_of_office_titles() {
        assert!(is_out_of_office_title("Out of office"));
        assert!(is_out_of_office_title("OOO - dentist"));
        assert!(is_out_of_office_title("Vacation"));
        assert!(!is_out_of_office_title("Holiday party planning"));
        assert!(!is_out_of_office_title("Oooh team lunch"));
        assert!(!is_out_of_office_title("Sprint planning"));
    }

    #[test]
    fn urgent_titles_are_whole_words() {
        assert!(is_urgent_title("URGENT: payments down"));
        assert!(is_urgent_title("Incident review"));
        assert!(is_urgent_title("sync asap"));
        assert!(is_urgent_title("Escalation/billing"));
        assert!(!is_urgent_title("Incidental costs"));
        assert!(!is_urgent_title("Weekly sync"));
    }
}
