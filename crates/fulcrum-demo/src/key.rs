//! The answer key's numbers: SIGNALS.md's values per team-week, computed
//! from the events the generator itself wrote (its series and their
//! instances, its one-off meetings, its absences, the chat messages the
//! writers rendered, with the flags of their text), not by running the
//! analysis. `truth.json` records them per team (`computed`).
//!
//! The definitions are SIGNALS.md's, with its Clarifications: person-weeks
//! in the person's own ISO week; meeting time as the union of attended
//! meetings, clipped to the week; asks as DM turns (an exchange opens after
//! `EXCHANGE_GAP_HOURS` of silence; an acknowledgement is never an ask) and
//! @mentions; a huddle post is a call, neither an ask nor an answer; the
//! team's breach rate pooled over its decided asks; escalated threads in
//! the week of their last message on the clock of the team's first member
//! (people order) who wrote in them; `tz_burden` a Gini per team-week; a
//! member away (working time under half the usual week) left out, a
//! team-week with half the team or more away left out; fewer than
//! `MIN_GROUP` members with data: no value. The window value is the median
//! of the known team-week values, as the finding table judges.

use crate::calendar::all_hands_answer;
use crate::day::TeamDay;
use crate::hours::{WorkClock, minute_time};
use crate::org::{Org, Person};
use crate::plan::{Conv, PartStat};
use crate::series::{Change, Schedule};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// `policy.chat.exchange_gap_hours`.
pub const EXCHANGE_GAP_HOURS: i64 = 8;
/// `min_group_size`.
pub const MIN_GROUP: usize = 5;
/// The signals computed, by their SIGNALS.md ids.
pub const SIGNALS: [&str; 13] = [
    "short_meetings",
    "conflict_hours",
    "focus_hours",
    "fragmentation",
    "meeting_share",
    "recurring_share",
    "short_notice_meetings",
    "organizer_concentration",
    "tz_burden",
    "cross_tz_asks",
    "sla_breach_rate",
    "response_latency",
    "thread_escalations",
];

/// One chat message as a writer rendered it.
#[derive(Debug, Clone)]
pub struct Said {
    /// When.
    pub at: DateTime<Utc>,
    /// The person who wrote it.
    pub author: usize,
    /// Where.
    pub conv: Conv,
    /// The thread it is in (a serial of the writer's posts), if any.
    pub thread: Option<u64>,
    /// It is the thread's parent.
    pub parent: bool,
    /// A Slack huddle post.
    pub huddle: bool,
    /// The person it @mentions.
    pub mention: Option<usize>,
    /// Its text asks something (`?` or a request phrase).
    pub question: bool,
    /// Its text only acknowledges or closes.
    pub ack: bool,
    /// Its text says urgent/asap/blocker.
    pub urgent: bool,
    /// Its text asks for a call.
    pub call: bool,
    /// Its text states a decision.
    pub decision: bool,
}

impl Said {
    /// Flags of a rendered text, by docs/chat.md's word lists.
    pub fn flags(text: &str) -> (bool, bool, bool, bool, bool) {
        (
            text.contains('?') || phrase(text, REQUESTS),
            ack(text),
            phrase(text, URGENT),
            phrase(text, CALLS),
            phrase(text, DECISIONS),
        )
    }
}

const URGENT: &[&str] = &[
    "urgent",
    "urgently",
    "asap",
    "a.s.a.p",
    "blocker",
    "blockers",
    "blocking us",
    "emergency",
    "right away",
    "immediately",
    "time-sensitive",
    "time sensitive",
    "p0",
    "sev1",
    "sev-1",
    ":rotating_light:",
];
const REQUESTS: &[&str] = &[
    "can you",
    "could you",
    "would you",
    "will you",
    "can u",
    "are you able",
    "do you have",
    "do you know",
    "please",
    "pls",
    "plz",
    "let me know",
    "lmk",
    "any update",
    "any updates",
    "any news",
    "thoughts",
    "wdyt",
    "what do you think",
    "need you to",
    "would you mind",
    "mind taking",
    "take a look",
    "have a look",
    "when can",
    "when will",
];
const CALLS: &[&str] = &[
    "jump on a call",
    "hop on a call",
    "get on a call",
    "jump on a quick call",
    "hop on a quick call",
    "quick call",
    "call me",
    "give me a call",
    "jump on zoom",
    "hop on zoom",
    "jump on a huddle",
    "hop on a huddle",
    "start a huddle",
    "let's huddle",
    "let's meet",
    "let us meet",
    "let's sync",
    "quick sync",
    "can we sync",
    "let's talk live",
    "take this offline",
    "set up a meeting",
    "schedule a meeting",
];
const DECISIONS: &[&str] = &[
    "decided",
    "decision:",
    "decision is",
    "final decision",
    "#decision",
    "agreed:",
    "resolution:",
    "we'll go with",
    "we will go with",
];
const ACK_WORDS: &[&str] = &[
    "thanks",
    "thank",
    "you",
    "thx",
    "ty",
    "tysm",
    "tx",
    "ta",
    "cheers",
    "appreciated",
    "appreciate",
    "it",
    "much",
    "a",
    "lot",
    "so",
    "many",
    "very",
    "ok",
    "okay",
    "k",
    "kk",
    "got",
    "gotcha",
    "on",
    "will",
    "do",
    "sounds",
    "good",
    "great",
    "cool",
    "perfect",
    "nice",
    "awesome",
    "amazing",
    "done",
    "np",
    "no",
    "problem",
    "worries",
    "noted",
    "sure",
    "yep",
    "yes",
    "yeah",
    "yup",
    "lgtm",
    "ack",
    "roger",
    "that",
    "makes",
    "sense",
    "all",
    "welcome",
    "you're",
    "youre",
    "the",
    "same",
    "to",
    "again",
];
const ACK_SYMBOLS: &[&str] = &[
    "👍",
    "🙏",
    "👌",
    "✅",
    "🙌",
    "🎉",
    "💯",
    ":+1:",
    ":thumbsup:",
    ":pray:",
    ":ok_hand:",
    ":white_check_mark:",
    ":heavy_check_mark:",
    ":raised_hands:",
    ":tada:",
    ":100:",
];

fn phrase(text: &str, phrases: &[&str]) -> bool {
    let t = text.to_ascii_lowercase().replace('’', "'");
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    phrases.iter().any(|p| {
        let plain = p.replace('\'', "");
        [p.to_string(), plain].iter().any(|p| {
            t.match_indices(p.as_str()).any(|(i, _)| {
                (!alnum(p.chars().next()) || !alnum(t[..i].chars().next_back()))
                    && (!alnum(p.chars().next_back()) || !alnum(t[i + p.len()..].chars().next()))
            })
        })
    })
}

fn ack(text: &str) -> bool {
    if text.contains('?') || text.len() > 60 {
        return false;
    }
    let mut t = text.replace('’', "'");
    let mut any = false;
    for s in ACK_SYMBOLS {
        if t.contains(s) {
            any = true;
            t = t.replace(s, " ");
        }
    }
    for w in t.split(|c: char| c.is_whitespace() || ".,!-~…".contains(c)) {
        if w.is_empty() || w.starts_with("<@") || w.starts_with('@') {
            continue;
        }
        if !ACK_WORDS.contains(&w.to_lowercase().as_str()) {
            return false;
        }
        any = true;
    }
    any
}

/// One person-week's calendar values.
#[derive(Debug, Clone, Default)]
struct CalWeek {
    away: bool,
    working: f64,
    meeting: f64,
    in_work: f64,
    focus: f64,
    fragmented: f64,
    short: f64,
    one_offs: f64,
    short_notice: f64,
    recurring: f64,
    conflict: f64,
    by_organizer: BTreeMap<usize, f64>,
}

/// One meeting occurrence in a person's calendar.
struct Occ {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    recurring: bool,
    organizer: usize,
    created: DateTime<Utc>,
    /// Organizes it or accepted it (and it has two participants or more).
    attended: bool,
    /// Organizes it or has not declined it.
    not_declined: bool,
}

type Span = (DateTime<Utc>, DateTime<Utc>);

/// What the generator remembers of its own output for the key.
#[derive(Debug, Default)]
pub struct Ledger {
    weeks: Vec<Vec<CalWeek>>,
    /// One-off short-notice meetings: start and the people who did not
    /// decline (organizer included).
    short_notice: Vec<(DateTime<Utc>, Vec<usize>)>,
    /// Every chat message people wrote (and huddle posts).
    pub chat: Vec<Said>,
}

fn working(p: &Person, date: NaiveDate) -> Vec<Span> {
    if !p.works_on_date(date) {
        return Vec::new();
    }
    p.hours
        .ranges
        .iter()
        .map(|&(a, b)| {
            (
                p.zone.utc(date.and_time(minute_time(a))),
                p.zone.utc(date.and_time(minute_time(b))),
            )
        })
        .collect()
}

fn hours(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (b - a).num_seconds() as f64 / 3600.0
}

fn union(mut v: Vec<Span>) -> Vec<Span> {
    v.sort();
    let mut out: Vec<Span> = Vec::new();
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

fn clip(v: &[Span], a: DateTime<Utc>, b: DateTime<Utc>) -> Vec<Span> {
    v.iter()
        .filter(|(s, e)| *s < b && *e > a)
        .map(|(s, e)| ((*s).max(a), (*e).min(b)))
        .collect()
}

fn overlap(v: &[Span], w: &[Span]) -> f64 {
    v.iter()
        .map(|&(a, b)| {
            clip(w, a, b)
                .iter()
                .map(|(s, e)| hours(*s, *e))
                .sum::<f64>()
        })
        .sum()
}

/// Time covered by two or more intervals.
fn doubled(v: &[Span]) -> f64 {
    let mut edges: Vec<(DateTime<Utc>, i32)> =
        v.iter().flat_map(|&(s, e)| [(s, 1), (e, -1)]).collect();
    edges.sort();
    let (mut depth, mut total, mut last) = (0, 0.0, None);
    for (t, d) in edges {
        if let Some(l) = last
            && depth >= 2
        {
            total += hours(l, t);
        }
        depth += d;
        last = Some(t);
    }
    total
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn gini(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    if mean <= 0.0 {
        return 0.0;
    }
    let diffs: f64 = v
        .iter()
        .flat_map(|a| v.iter().map(move |b| (a - b).abs()))
        .sum();
    diffs / (2.0 * n * n * mean)
}

/// The person's week (1-based) of an instant, on their own clock.
fn week_of(org: &Org, p: &Person, t: DateTime<Utc>) -> Option<u32> {
    let days = (p.zone.date(t) - org.start).num_days();
    (days >= 0 && days < 7 * i64::from(org.weeks)).then_some((days / 7) as u32 + 1)
}

impl Ledger {
    /// Records one team's calendars, as the calendar writer writes them.
    pub fn add_team(
        &mut self,
        org: &Org,
        members: &[usize],
        team: &Schedule,
        departments: &[Schedule],
        days: &[TeamDay],
    ) {
        if self.weeks.is_empty() {
            self.weeks = vec![Vec::new(); org.people.len()];
        }
        for m in days.iter().flat_map(|d| &d.meetings) {
            if m.start - m.created <= Duration::hours(24) {
                let mut who = vec![m.organizer];
                who.extend(
                    m.invitees
                        .iter()
                        .filter(|(_, s)| *s != PartStat::Declined)
                        .map(|(p, _)| *p),
                );
                self.short_notice.push((m.start, who));
            }
        }
        for &p in members {
            let occ = occurrences(org, p, team, departments, days);
            self.weeks[p] = person_weeks(org, &org.people[p], &occ);
        }
    }

    /// The key: per team, its values per week and over the window.
    pub fn team_values(&self, org: &Org) -> Vec<Value> {
        let export = org.export_time();
        let asks = asks(&self.chat);
        let escalated = self.escalated_threads();
        let mut received: BTreeMap<(usize, u32), Vec<usize>> = BTreeMap::new();
        for (i, a) in asks.iter().enumerate() {
            if let Some(w) = week_of(org, &org.people[a.recipient], a.at) {
                received.entry((a.recipient, w)).or_default().push(i);
            }
        }
        let n = org.weeks as usize;
        org.teams
            .iter()
            .map(|team| {
                let members = &team.members;
                let mut values: BTreeMap<&str, Vec<Option<f64>>> =
                    SIGNALS.iter().map(|s| (*s, vec![None; n])).collect();
                let mut escalations = vec![0.0; n];
                for (last, writers) in &escalated {
                    if let Some(&first) = writers.iter().filter(|p| members.contains(p)).min()
                        && let Some(w) = week_of(org, &org.people[first], *last)
                    {
                        escalations[w as usize - 1] += 1.0;
                    }
                }
                let mut left_out = Vec::new();
                for i in 0..n {
                    let w = i as u32 + 1;
                    let present: Vec<usize> = members
                        .iter()
                        .copied()
                        .filter(|&p| !self.weeks[p][i].away)
                        .collect();
                    if (members.len() - present.len()) * 2 >= members.len() {
                        left_out.push(w);
                        continue;
                    }
                    let week: Vec<&CalWeek> = present.iter().map(|&p| &self.weeks[p][i]).collect();
                    let mut set = |id: &str, with_data: usize, v: Option<f64>| {
                        if with_data >= MIN_GROUP
                            && let Some(slot) = values.get_mut(id)
                        {
                            slot[i] = v;
                        }
                    };
                    let med = |f: &dyn Fn(&CalWeek) -> Option<f64>| {
                        let v: Vec<f64> = week.iter().filter_map(|c| f(c)).collect();
                        (v.len(), median(v))
                    };
                    let (k, v) = med(&|c| Some(c.short));
                    set("short_meetings", k, v);
                    let (k, v) = med(&|c| Some(c.conflict));
                    set("conflict_hours", k, v);
                    let (k, v) = med(&|c| (c.working > 0.0).then_some(c.focus));
                    set("focus_hours", k, v);
                    let (k, v) = med(&|c| {
                        let free = c.focus + c.fragmented;
                        (free > 0.0).then(|| c.fragmented / free)
                    });
                    set("fragmentation", k, v);
                    let (k, v) = med(&|c| (c.working > 0.0).then(|| c.in_work / c.working));
                    set("meeting_share", k, v);
                    let (k, v) = med(&|c| (c.meeting > 0.0).then(|| c.recurring / c.meeting));
                    set("recurring_share", k, v);
                    let whole: f64 = week.iter().map(|c| c.one_offs).sum();
                    set(
                        "short_notice_meetings",
                        week.iter().filter(|c| c.one_offs > 0.0).count(),
                        (whole > 0.0)
                            .then(|| week.iter().map(|c| c.short_notice).sum::<f64>() / whole),
                    );
                    let mut by: BTreeMap<usize, f64> = BTreeMap::new();
                    for c in &week {
                        for (o, h) in &c.by_organizer {
                            *by.entry(*o).or_default() += h;
                        }
                    }
                    let total: f64 = by.values().sum();
                    set(
                        "organizer_concentration",
                        week.iter().filter(|c| c.meeting > 0.0).count(),
                        (total > 0.0).then(|| by.values().copied().fold(0.0, f64::max) / total),
                    );
                    let burden: Vec<f64> = week.iter().map(|c| c.meeting - c.in_work).collect();
                    set("tz_burden", burden.len(), Some(gini(&burden)));
                    // Chat: the asks present members received that week.
                    let theirs: Vec<(usize, &[usize])> = present
                        .iter()
                        .map(|&p| (p, received.get(&(p, w)).map_or(&[][..], |v| v.as_slice())))
                        .collect();
                    let all: Vec<&Ask> = theirs
                        .iter()
                        .flat_map(|(_, v)| v.iter().map(|&i| &asks[i]))
                        .collect();
                    let cross = all
                        .iter()
                        .filter(|a| {
                            !org.people[a.recipient].in_working_time(a.at)
                                && org.people[a.sender].in_working_time(a.at)
                        })
                        .count();
                    set(
                        "cross_tz_asks",
                        theirs.iter().filter(|(_, v)| !v.is_empty()).count(),
                        (!all.is_empty()).then(|| cross as f64 / all.len() as f64),
                    );
                    let (mut decided, mut breaches, mut deciders) = (0usize, 0usize, 0usize);
                    let (mut latencies, mut answerers) = (Vec::new(), 0usize);
                    for (p, v) in &theirs {
                        let (mut d, mut a) = (false, false);
                        for &i in v.iter() {
                            let ask = &asks[i];
                            let o = outcome(&org.people[*p], ask, export);
                            if let Outcome::Answered(h) = o {
                                latencies.push(h);
                                a = true;
                            }
                            if let Some(b) = breach(ask, o) {
                                decided += 1;
                                breaches += usize::from(b);
                                d = true;
                            }
                        }
                        deciders += usize::from(d);
                        answerers += usize::from(a);
                    }
                    set(
                        "sla_breach_rate",
                        deciders,
                        (decided > 0).then(|| breaches as f64 / decided as f64),
                    );
                    set("response_latency", answerers, median(latencies));
                    set("thread_escalations", present.len(), Some(escalations[i]));
                }
                let computed: serde_json::Map<String, Value> = values
                    .iter()
                    .map(|(id, weekly)| {
                        let known: Vec<f64> = weekly.iter().flatten().copied().collect();
                        (
                            (*id).to_owned(),
                            json!({
                                "window": median(known).map(round),
                                "weeks": weekly.iter().map(|v| v.map(round)).collect::<Vec<_>>(),
                            }),
                        )
                    })
                    .collect();
                json!({"team": team.slug, "weeks_left_out": left_out, "signals": computed})
            })
            .collect()
    }

    /// Escalated threads: (last message, the people who wrote in them).
    fn escalated_threads(&self) -> Vec<(DateTime<Utc>, Vec<usize>)> {
        let mut threads: BTreeMap<(Conv, u64), Vec<&Said>> = BTreeMap::new();
        for s in &self.chat {
            if let Some(t) = s.thread {
                threads.entry((s.conv, t)).or_default().push(s);
            }
        }
        let mut out = Vec::new();
        for all in threads.values_mut() {
            all.sort_by_key(|s| s.at);
            let msgs: Vec<&&Said> = all.iter().filter(|s| !s.huddle).collect();
            let Some(last) = msgs.last().map(|s| s.at) else {
                continue;
            };
            let mut writers: Vec<usize> = msgs.iter().map(|s| s.author).collect();
            writers.sort_unstable();
            writers.dedup();
            let long = msgs.len() >= 10 || (writers.len() >= 3 && msgs.len() >= 6);
            if !long || msgs.iter().any(|s| s.decision) {
                continue;
            }
            let tail = &all[all.len().saturating_sub(3)..];
            let ends_with_call = tail.iter().any(|s| s.huddle || s.call);
            let need = writers.len().div_ceil(2);
            let followed = self.short_notice.iter().any(|(start, who)| {
                *start >= last
                    && *start <= last + Duration::hours(48)
                    && writers.iter().filter(|p| who.contains(p)).count() >= need
            });
            if ends_with_call || followed {
                out.push((last, writers));
            }
        }
        out
    }
}

fn round(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

/// Every meeting in `person`'s calendar, with their answer.
fn occurrences(
    org: &Org,
    person: usize,
    team: &Schedule,
    departments: &[Schedule],
    days: &[TeamDay],
) -> Vec<Occ> {
    let me = &org.people[person];
    let mut out = Vec::new();
    for sched in std::iter::once(team).chain(departments.iter()) {
        for (s, instances) in sched.series.iter().zip(&sched.instances) {
            if !(s.group || s.involves(person)) {
                continue;
            }
            for inst in instances {
                let (start, declined) = match &inst.change {
                    Some(Change::Excluded | Change::Cancelled { .. }) => continue,
                    Some(Change::Changed {
                        moved_to, declined, ..
                    }) => (moved_to.unwrap_or(inst.original), declined.as_slice()),
                    None => (inst.original, &[][..]),
                };
                let status = if person == s.organizer {
                    Some(PartStat::Accepted)
                } else if declined.contains(&person) {
                    Some(PartStat::Declined)
                } else if let Some(a) = s.answer(person) {
                    Some(a)
                } else if s.group {
                    if me.away_on(me.zone.date(inst.original)) {
                        Some(PartStat::Declined)
                    } else {
                        Some(all_hands_answer(org, me, s))
                    }
                } else {
                    None
                };
                let Some(status) = status else { continue };
                let participants = 1
                    + s.invitees.len()
                    + usize::from(s.group && person != s.organizer && s.answer(person).is_none());
                let end = start + Duration::minutes(i64::from(s.minutes));
                out.push(Occ {
                    start,
                    end,
                    recurring: true,
                    organizer: s.organizer,
                    created: s.created,
                    attended: participants >= 2 && status == PartStat::Accepted,
                    not_declined: participants >= 2 && status != PartStat::Declined,
                });
            }
        }
    }
    for m in days.iter().flat_map(|d| &d.meetings) {
        if !m.involves(person) {
            continue;
        }
        let status = if m.organizer == person {
            PartStat::Accepted
        } else {
            m.invitees
                .iter()
                .find(|(p, _)| *p == person)
                .map_or(PartStat::NeedsAction, |(_, s)| *s)
        };
        let participants = 1 + m.invitees.len() + m.externals.len();
        out.push(Occ {
            start: m.start,
            end: m.end(),
            recurring: false,
            organizer: m.organizer,
            created: m.created,
            attended: participants >= 2 && status == PartStat::Accepted,
            not_declined: participants >= 2 && status != PartStat::Declined,
        });
    }
    out.retain(|o| o.end > o.start && o.end - o.start < Duration::hours(12));
    out
}

fn person_weeks(org: &Org, p: &Person, occ: &[Occ]) -> Vec<CalWeek> {
    let usual =
        f64::from(p.hours.minutes_per_day()) * f64::from(p.hours.weekdays.count_ones()) / 60.0;
    (0..org.weeks)
        .map(|i| {
            let monday = org.start + Duration::days(7 * i64::from(i));
            let (ws, we) = (
                p.zone.utc(monday.and_time(minute_time(0))),
                p.zone
                    .utc((monday + Duration::days(7)).and_time(minute_time(0))),
            );
            let work: Vec<Span> = (0..7)
                .flat_map(|d| working(p, monday + Duration::days(d)))
                .collect();
            let work_h: f64 = work.iter().map(|(a, b)| hours(*a, *b)).sum();
            let attended: Vec<&Occ> = occ
                .iter()
                .filter(|o| o.attended && o.end > ws && o.start < we)
                .collect();
            let spans = |f: &dyn Fn(&Occ) -> bool| {
                let v: Vec<Span> = attended
                    .iter()
                    .filter(|o| f(o))
                    .map(|o| (o.start, o.end))
                    .collect();
                union(clip(&v, ws, we))
            };
            let all = spans(&|_| true);
            let recurring = spans(&|o| o.recurring);
            let meeting: f64 = all.iter().map(|(a, b)| hours(*a, *b)).sum();
            let (mut focus, mut fragmented) = (0.0, 0.0);
            for &(s, e) in &work {
                let mut cursor = s;
                let mut free = |a: DateTime<Utc>, b: DateTime<Utc>| {
                    let h = hours(a, b);
                    if h >= 2.0 {
                        focus += h;
                    } else if h > 0.0 {
                        fragmented += h;
                    }
                };
                for &(a, b) in all.iter().filter(|(a, b)| *b > s && *a < e) {
                    if a > cursor {
                        free(cursor, a);
                    }
                    cursor = cursor.max(b);
                }
                if cursor < e {
                    free(cursor, e);
                }
            }
            let one_offs: Vec<&&Occ> = attended
                .iter()
                .filter(|o| !o.recurring && o.start >= ws && o.start < we)
                .collect();
            let not_declined: Vec<Span> = occ
                .iter()
                .filter(|o| o.not_declined)
                .map(|o| (o.start, o.end))
                .collect();
            let mut by_organizer = BTreeMap::new();
            for o in &attended {
                *by_organizer.entry(o.organizer).or_insert(0.0) +=
                    hours(o.start.max(ws), o.end.min(we));
            }
            CalWeek {
                away: work_h < usual / 2.0,
                working: work_h,
                meeting,
                in_work: overlap(&all, &work),
                focus,
                fragmented,
                short: one_offs
                    .iter()
                    .filter(|o| o.end - o.start <= Duration::minutes(30))
                    .count() as f64,
                one_offs: one_offs.len() as f64,
                short_notice: one_offs
                    .iter()
                    .filter(|o| o.start - o.created <= Duration::hours(24))
                    .count() as f64,
                recurring: overlap(&recurring, &all),
                conflict: doubled(&clip(&not_declined, ws, we)),
                by_organizer,
            }
        })
        .collect()
}

/// An ask and its reply.
struct Ask {
    recipient: usize,
    sender: usize,
    at: DateTime<Utc>,
    urgent: bool,
    reply: Option<DateTime<Utc>>,
}

fn asks(chat: &[Said]) -> Vec<Ask> {
    let mut by_conv: BTreeMap<Conv, Vec<&Said>> = BTreeMap::new();
    for s in chat.iter().filter(|s| !s.huddle) {
        by_conv.entry(s.conv).or_default().push(s);
    }
    let mut out = Vec::new();
    for (conv, msgs) in by_conv.iter_mut() {
        msgs.sort_by_key(|s| s.at);
        if let Conv::Dm(a, b) = *conv {
            let mut i = 0;
            while i < msgs.len() {
                let author = msgs[i].author;
                let mut j = i;
                while j < msgs.len() && msgs[j].author == author {
                    j += 1;
                }
                let turn = &msgs[i..j];
                let opens =
                    i == 0 || turn[0].at - msgs[i - 1].at >= Duration::hours(EXCHANGE_GAP_HOURS);
                let ask = turn.iter().find(|s| !s.ack && (opens || s.question));
                if let Some(s) = ask {
                    let recipient = if author == a { b } else { a };
                    out.push(Ask {
                        recipient,
                        sender: author,
                        at: s.at,
                        urgent: s.urgent,
                        reply: msgs[j..]
                            .iter()
                            .find(|x| x.author == recipient)
                            .map(|x| x.at),
                    });
                }
                i = j;
            }
            continue;
        }
        for (i, s) in msgs.iter().enumerate() {
            let Some(r) = s.mention.filter(|r| *r != s.author) else {
                continue;
            };
            if s.ack {
                continue;
            }
            // In the same thread; for a top-level message also at the
            // channel's top level.
            let reply = msgs[i + 1..]
                .iter()
                .find(|x| {
                    x.author == r && (x.thread == s.thread || (s.parent && x.thread.is_none()))
                })
                .map(|x| x.at);
            out.push(Ask {
                recipient: r,
                sender: s.author,
                at: s.at,
                urgent: s.urgent,
                reply,
            });
        }
    }
    out
}

#[derive(Debug, Clone, Copy)]
enum Outcome {
    Answered(f64),
    Unanswered,
    Pending(f64),
}

/// Business minutes of `p`'s working time in `[a, b)`.
fn business_minutes(p: &Person, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
    let mut total = 0;
    let mut d = p.zone.date(a);
    let last = p.zone.date(b);
    while d <= last {
        for (s, e) in working(p, d) {
            let (s, e) = (s.max(a), e.min(b));
            if s < e {
                total += (e - s).num_minutes();
            }
        }
        d += Duration::days(1);
    }
    total
}

fn outcome(p: &Person, a: &Ask, data_end: DateTime<Utc>) -> Outcome {
    let days = i64::from(p.hours.weekdays.count_ones());
    let limit = if days == 0 {
        5 * 24 * 60
    } else {
        5 * i64::from(p.hours.minutes_per_day())
    };
    let m = business_minutes(p, a.at, a.reply.unwrap_or(data_end));
    match a.reply {
        _ if m >= limit => Outcome::Unanswered,
        Some(_) => Outcome::Answered(m as f64 / 60.0),
        None => Outcome::Pending(m as f64 / 60.0),
    }
}

fn breach(a: &Ask, o: Outcome) -> Option<bool> {
    let sla = if a.urgent { 2.0 } else { 24.0 };
    match o {
        Outcome::Answered(h) => Some(h > sla),
        Outcome::Unanswered => Some(true),
        Outcome::Pending(h) => (h > sla).then_some(true),
    }
}

/// One team's calendar values per member and week, generated afresh.
fn team_weeks(org: &Org, team: usize) -> Vec<(usize, Vec<CalWeek>)> {
    let t = &org.teams[team];
    let departments: Vec<Schedule> = (0..org.departments())
        .map(|d| Schedule::for_department(org, d))
        .collect();
    let planner = crate::day::TeamPlanner::new(org, t);
    let days: Vec<TeamDay> = org.days().map(|d| planner.day(d)).collect();
    t.members
        .iter()
        .map(|&p| {
            let occ = occurrences(org, p, planner.schedule(), &departments, &days);
            (p, person_weeks(org, &org.people[p], &occ))
        })
        .collect()
}

/// A person-week value of the calendar signals the experiments use
/// (SIGNALS.md's definitions, as [`Ledger::team_values`] computes them).
fn calendar_value(signal: &str, c: &CalWeek) -> Option<f64> {
    match signal {
        "focus_hours" => (c.working > 0.0).then_some(c.focus),
        "meeting_hours" => Some(c.meeting),
        "after_hours_meeting_hours" => Some(c.meeting - c.in_work),
        "short_meetings" => Some(c.short),
        "meeting_share" => (c.working > 0.0).then(|| c.in_work / c.working),
        _ => None,
    }
}

/// Pulse scores per (person, week) of one team.
fn team_scores(org: &Org, team: usize) -> BTreeMap<(usize, u32), Vec<f64>> {
    let mut out: BTreeMap<(usize, u32), Vec<f64>> = BTreeMap::new();
    for week in 1..=org.weeks {
        for a in crate::pulse::team_week_answers(org, &org.teams[team], week) {
            out.entry((a.person, week))
                .or_default()
                .push(f64::from(a.score));
        }
    }
    out
}

/// Items one team closed per week (1-based index - 1).
fn team_closed(org: &Org, team: usize) -> Vec<f64> {
    let mut out = vec![0.0; org.weeks as usize];
    let _ = crate::work_items::write_team_items(
        &mut std::io::sink(),
        org,
        &org.teams[team],
        &mut |_, week, n| out[week as usize - 1] += f64::from(n),
    );
    out
}

/// The true effect on the treated of each planted experiment's primary
/// and guardrails (and a few calendar signals besides): the treated team's
/// weeks generated twice from the same seed, with the change and without
/// it ([`crate::experiments::without`]), and the mean difference over the
/// treated person-weeks of the treatment window (team-weeks for
/// `throughput`). Person-weeks of members away (working time under half
/// their usual week) and team-weeks with half the team or more away are
/// left out, as the experiments' panels do; `morale` is each person-week's
/// mean answer, over the person-weeks with an answer.
pub fn experiment_truth(org: &Org, p: &crate::experiments::Planted) -> Value {
    let cf = crate::experiments::without(org, p.kind);
    let (with, without) = (team_weeks(org, p.team), team_weeks(&cf, p.team));
    let weeks: Vec<usize> =
        (p.start_week as usize - 1..(p.start_week + p.weeks) as usize - 1).collect();
    let members = with.len();
    let team_out = |i: usize| {
        let away = with.iter().filter(|(_, w)| w[i].away).count();
        away * 2 >= members
    };
    let counted: Vec<usize> = weeks.iter().copied().filter(|&i| !team_out(i)).collect();
    let mut signals: Vec<&str> = vec![p.primary];
    signals.extend(p.guardrails.iter().copied());
    for extra in ["focus_hours", "meeting_hours", "after_hours_meeting_hours"] {
        if !signals.contains(&extra) {
            signals.push(extra);
        }
    }
    let mut effects = serde_json::Map::new();
    let mut person_weeks = 0usize;
    for s in &signals {
        let v = match *s {
            "morale" => {
                let (a, b) = (team_scores(org, p.team), team_scores(&cf, p.team));
                let diffs: Vec<f64> = with
                    .iter()
                    .flat_map(|(person, w)| {
                        counted
                            .iter()
                            .filter(|&&i| !w[i].away)
                            .filter_map(|&i| {
                                let key = (*person, i as u32 + 1);
                                let m = |x: &Vec<f64>| x.iter().sum::<f64>() / x.len() as f64;
                                Some(m(a.get(&key)?) - m(b.get(&key)?))
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect();
                mean(&diffs)
            }
            "throughput" => {
                let (a, b) = (team_closed(org, p.team), team_closed(&cf, p.team));
                mean(&counted.iter().map(|&i| a[i] - b[i]).collect::<Vec<_>>())
            }
            _ => {
                let diffs: Vec<f64> = with
                    .iter()
                    .zip(&without)
                    .flat_map(|((_, w), (_, w0))| {
                        counted
                            .iter()
                            .filter(|&&i| !w[i].away)
                            .filter_map(|&i| {
                                Some(calendar_value(s, &w[i])? - calendar_value(s, &w0[i])?)
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect();
                if *s == p.primary {
                    person_weeks = diffs.len();
                }
                mean(&diffs)
            }
        };
        effects.insert((*s).to_owned(), json!(v.map(round)));
    }
    json!({
        "true_effect": effects,
        "true_effect_basis": {
            "person_weeks": person_weeks,
            "team_weeks": counted.len(),
            "team_weeks_left_out": weeks.len() - counted.len(),
        },
    })
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}
