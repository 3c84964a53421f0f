//! `fulcrum audit`: the quarterly audit of recurring meetings
//! (`docs/moves.md`, "audit").
//!
//! Pure: calendars in, one [`SeriesAudit`] per recurring series with a
//! meeting in the window out, sorted by cost (person-hours). Which
//! occurrences are meetings is decided by [`crate::meetings::event_shape`];
//! each instance counts once even when several calendars hold it (same UID
//! and start), and the attendees' answers of all copies are merged (a
//! DECLINED in any copy wins, as the attendee's own copy is the one that
//! knows).

use crate::lint::CalendarInput;
use crate::meetings::event_shape;
use crate::params::Params;
use crate::resolve::{Resolver, normalize};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use fulcrum_model::{EventDetails, PartStat, Person, SourceRef};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The thresholds of the recommendation rule (`[policy.audit]`, and the
/// timebox of `[policy.meetings]`).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditConfig {
    /// Cancel at this decline rate or above.
    pub cancel_decline_rate: f64,
    /// Make async when the share of instances with an outcome and the share
    /// with an agenda are both below this.
    pub async_hygiene_share: f64,
    /// Shorten when this share of instances overran, or more.
    pub shorten_overrun_share: f64,
    /// Shorten when the usual length is over this (the timebox).
    pub timebox_minutes: u32,
    /// Cost of one person-hour, when known.
    pub hourly_rate: Option<f64>,
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig {
            cancel_decline_rate: 0.5,
            async_hygiene_share: 0.5,
            shorten_overrun_share: 0.25,
            timebox_minutes: 50,
            hourly_rate: None,
        }
    }
}

/// What to do with a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Recommendation {
    /// Nothing calls for a change.
    Keep,
    /// Shorter instances.
    Shorten,
    /// Replace with a written update.
    MakeAsync,
    /// Stop it.
    Cancel,
}

impl Recommendation {
    /// Snake-case name for output.
    pub fn as_str(&self) -> &'static str {
        match self {
            Recommendation::Keep => "keep",
            Recommendation::Shorten => "shorten",
            Recommendation::MakeAsync => "make_async",
            Recommendation::Cancel => "cancel",
        }
    }
}

/// One attendee of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct AttendeeStats {
    /// Address (normalized).
    pub address: String,
    /// Instances they were invited to.
    pub invited: u32,
    /// Instances they declined.
    pub declined: u32,
}

/// The audit of one recurring series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesAudit {
    /// UID.
    pub uid: Arc<str>,
    /// Title (of the master, else the first instance).
    pub summary: String,
    /// Organizer address.
    pub organizer: Option<String>,
    /// The organizer's name, when they are on the people list.
    pub organizer_name: Option<String>,
    /// The organizer's team, when they are on the people list.
    pub team: Option<String>,
    /// Where the master VEVENT was read.
    pub source: Option<SourceRef>,
    /// Instances in the window.
    pub occurrences: u32,
    /// The most common instance length, minutes (the shorter on a tie).
    pub usual_minutes: i64,
    /// Instances longer than the usual length.
    pub overruns: u32,
    /// Sum over instances of length x participants who did not decline.
    pub person_hours: f64,
    /// `person_hours` x the hourly rate, when one is set.
    pub cost: Option<f64>,
    /// Attendees (organizer excluded), by address.
    pub attendees: Vec<AttendeeStats>,
    /// Declines / invitations over all attendees and instances.
    pub decline_rate: f64,
    /// Share of instances whose description has an agenda.
    pub agenda_share: f64,
    /// Share of instances whose description states an outcome.
    pub outcome_share: f64,
    /// The series has an end (COUNT or UNTIL).
    pub has_end: bool,
    /// Latest LAST-MODIFIED of master and overrides (DTSTAMP when none
    /// gives LAST-MODIFIED).
    pub last_changed: Option<DateTime<Utc>>,
    /// Highest SEQUENCE of master and overrides.
    pub sequence: u32,
    /// The recommendation.
    pub recommendation: Recommendation,
    /// Every reason that triggered (the strongest decides).
    pub reasons: Vec<String>,
}

#[derive(Default)]
struct Acc {
    details: Vec<Arc<EventDetails>>,
    instances: BTreeMap<DateTime<Utc>, Instance>,
}

struct Instance {
    minutes: i64,
    details: Arc<EventDetails>,
    /// Address -> declined, merged over copies.
    answers: BTreeMap<String, bool>,
    organizer: Option<String>,
}

/// Audits every recurring series with a meeting in the calendars.
pub fn audit(
    calendars: &[CalendarInput<'_>],
    people: &[Person],
    resolver: &dyn Resolver,
    params: &Params,
    config: &AuditConfig,
) -> Vec<SeriesAudit> {
    let mut series: HashMap<Arc<str>, Acc> = HashMap::new();
    for cal in calendars {
        let tz: Tz = cal
            .owner
            .and_then(|i| people.get(i))
            .map_or(Tz::UTC, |p| p.tz);
        for occ in cal.occurrences {
            if !occ.details.series.in_series {
                continue;
            }
            let Ok(shape) = event_shape(occ, &tz, params, resolver) else {
                continue;
            };
            let acc = series.entry(occ.uid.clone()).or_default();
            if !acc.details.iter().any(|d| Arc::ptr_eq(d, &occ.details)) {
                acc.details.push(occ.details.clone());
            }
            let d = &occ.details;
            let organizer = d.organizer.as_ref().map(|o| normalize(&o.email));
            let inst = acc
                .instances
                .entry(shape.interval.start)
                .or_insert_with(|| Instance {
                    minutes: shape.interval.duration().num_minutes(),
                    details: d.clone(),
                    answers: BTreeMap::new(),
                    organizer: organizer.clone(),
                });
            for a in d.attendees.iter().filter(|a| a.is_person()) {
                let address = normalize(&a.who.email);
                if address.is_empty() || Some(&address) == inst.organizer.as_ref() {
                    continue;
                }
                let declined = a.partstat == PartStat::Declined;
                *inst.answers.entry(address).or_insert(false) |= declined;
            }
        }
    }
    let mut out: Vec<SeriesAudit> = series
        .into_iter()
        .map(|(uid, acc)| {
            let mut a = summarize(uid, acc, config);
            if let Some(p) = a
                .organizer
                .as_deref()
                .and_then(|o| resolver.person(o))
                .and_then(|i| people.get(i))
            {
                a.organizer_name = Some(p.name.clone());
                a.team = Some(p.team.clone());
            }
            a
        })
        .collect();
    out.sort_by(|a, b| {
        b.person_hours
            .total_cmp(&a.person_hours)
            .then_with(|| a.uid.cmp(&b.uid))
    });
    out
}

fn summarize(uid: Arc<str>, acc: Acc, config: &AuditConfig) -> SeriesAudit {
    let n = acc.instances.len() as u32;
    // The master is the details most instances share.
    let mut counts: HashMap<usize, (u32, &Arc<EventDetails>)> = HashMap::new();
    for i in acc.instances.values() {
        counts
            .entry(Arc::as_ptr(&i.details) as usize)
            .or_insert((0, &i.details))
            .0 += 1;
    }
    let master = counts
        .values()
        .max_by_key(|(c, d)| (*c, std::cmp::Reverse(d.source.as_ref().map(|s| s.line))))
        .map(|(_, d)| (*d).clone())
        .unwrap_or_default();
    let mut lengths: BTreeMap<i64, u32> = BTreeMap::new();
    for i in acc.instances.values() {
        *lengths.entry(i.minutes).or_default() += 1;
    }
    let usual_minutes = lengths
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map_or(0, |(m, _)| *m);
    let overruns = acc
        .instances
        .values()
        .filter(|i| i.minutes > usual_minutes)
        .count() as u32;
    let mut person_minutes = 0i64;
    let mut attendees: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let (mut agenda, mut outcome) = (0u32, 0u32);
    for i in acc.instances.values() {
        let present = i.organizer.iter().count() as i64
            + i.answers.values().filter(|declined| !**declined).count() as i64;
        person_minutes += i.minutes * present;
        for (a, declined) in &i.answers {
            let e = attendees.entry(a.clone()).or_default();
            e.0 += 1;
            e.1 += u32::from(*declined);
        }
        agenda += u32::from(i.details.description.has_agenda);
        outcome += u32::from(i.details.description.has_outcome);
    }
    let invitations: u32 = attendees.values().map(|v| v.0).sum();
    let declines: u32 = attendees.values().map(|v| v.1).sum();
    let share = |x: u32, of: u32| {
        if of == 0 {
            0.0
        } else {
            f64::from(x) / f64::from(of)
        }
    };
    let decline_rate = share(declines, invitations);
    let agenda_share = share(agenda, n);
    let outcome_share = share(outcome, n);
    let overrun_share = share(overruns, n);
    let person_hours = person_minutes as f64 / 60.0;
    let last_changed = acc
        .details
        .iter()
        .filter_map(|d| d.last_modified.or(d.dtstamp))
        .max();
    let sequence = acc.details.iter().map(|d| d.sequence).max().unwrap_or(0);
    let has_end = master.series.series_ends;

    let mut reasons = Vec::new();
    let mut rec = Recommendation::Keep;
    let mut raise = |r: Recommendation, why: String, reasons: &mut Vec<String>| {
        rec = rec.max(r);
        reasons.push(why);
    };
    if invitations > 0 && decline_rate >= config.cancel_decline_rate {
        raise(
            Recommendation::Cancel,
            format!(
                "{:.0}% of invitations declined (cancel at {:.0}%)",
                decline_rate * 100.0,
                config.cancel_decline_rate * 100.0
            ),
            &mut reasons,
        );
    }
    if outcome_share < config.async_hygiene_share && agenda_share < config.async_hygiene_share {
        raise(
            Recommendation::MakeAsync,
            format!(
                "outcome stated in {:.0}% and agenda in {:.0}% of instances (below {:.0}%): a written update may do",
                outcome_share * 100.0,
                agenda_share * 100.0,
                config.async_hygiene_share * 100.0
            ),
            &mut reasons,
        );
    }
    if usual_minutes > i64::from(config.timebox_minutes) {
        raise(
            Recommendation::Shorten,
            format!(
                "usually {usual_minutes} min, over the {} min timebox",
                config.timebox_minutes
            ),
            &mut reasons,
        );
    }
    if n > 0 && overruns > 0 && overrun_share >= config.shorten_overrun_share {
        raise(
            Recommendation::Shorten,
            format!("{overruns} of {n} instances ran longer than the usual {usual_minutes} min"),
            &mut reasons,
        );
    }
    if !has_end {
        reasons.push("no end date: review it each quarter".to_owned());
    }
    let organizer = master.organizer.as_ref().map(|o| normalize(&o.email));
    SeriesAudit {
        uid,
        summary: master.summary.clone(),
        organizer,
        organizer_name: None,
        team: None,
        source: master.source.clone(),
        occurrences: n,
        usual_minutes,
        overruns,
        person_hours,
        cost: config.hourly_rate.map(|r| r * person_hours),
        attendees: attendees
            .into_iter()
            .map(|(address, (invited, declined))| AttendeeStats {
                address,
                invited,
                declined,
            })
            .collect(),
        decline_rate,
        agenda_share,
        outcome_share,
        has_end,
        last_changed,
        sequence,
        recommendation: rec,
        reasons,
    }
}

/// Distinct addresses of a set of audits' attendees (for reports).
pub fn attendee_count(a: &SeriesAudit) -> usize {
    a.attendees
        .iter()
        .map(|x| x.address.as_str())
        .collect::<BTreeSet<_>>()
        .len()
}
