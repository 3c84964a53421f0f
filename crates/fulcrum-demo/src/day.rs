//! One team's day: the one-off meetings, focus blocks and chat posts it
//! holds, planted according to the team's archetype.
//!
//! A day plan is a pure function of the seed, the team and the date (and
//! the team's [`Schedule`], itself derived from them), so the calendar
//! writer and the chat writer each compute it on their own and agree: the
//! meeting booked after a thread went in circles is in the calendars of
//! exactly the people who wrote in that thread.

use crate::archetype::Archetype;
use crate::hours::{WorkClock, minute_time};
use crate::org::{Org, Team};
use crate::plan::{Author, Bot, Conv, FocusBlock, Meeting, MeetingKind, Msg, PartStat, Post, Say};
use crate::rng::{Rng, stream};
use crate::series::{Schedule, make_uid, uid_key};
use crate::text;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use std::collections::HashMap;

/// What one team did on one day.
#[derive(Debug, Clone, Default)]
pub struct TeamDay {
    /// One-off meetings planned on this day (they may take place later).
    pub meetings: Vec<Meeting>,
    /// Focus blocks booked for this day.
    pub focus: Vec<FocusBlock>,
    /// Chat posts started on this day (replies may come later).
    pub posts: Vec<Post>,
}

/// How a one-off meeting finds its slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Next to other meetings or the edges of the day: keeps blocks whole.
    Cluster,
    /// In the middle of the organizer's longest free stretch.
    Split,
    /// Anywhere it fits.
    Any,
}

type Busy = HashMap<usize, Vec<(DateTime<Utc>, DateTime<Utc>)>>;

/// Plans the days of one team.
#[derive(Debug)]
pub struct TeamPlanner<'a> {
    org: &'a Org,
    team: &'a Team,
    schedule: Schedule,
}

/// Business-minute medians of replies to asks, per archetype.
fn reply_median(a: Archetype) -> f64 {
    match a {
        Archetype::Healthy => 25.0,
        Archetype::LateNightPings => 30.0,
        Archetype::OneOrganizer => 60.0,
        _ => 45.0,
    }
}

impl<'a> TeamPlanner<'a> {
    /// A planner for one team.
    pub fn new(org: &'a Org, team: &'a Team) -> Self {
        TeamPlanner {
            org,
            team,
            schedule: Schedule::for_team(org, team),
        }
    }

    /// The team's recurring series.
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// The plan of one day.
    pub fn day(&self, date: NaiveDate) -> TeamDay {
        let org = self.org;
        let team = self.team;
        let day_index = org.day_index(date).max(0) as u64;
        let mut rng = Rng::derive(org.seed, &[stream::TEAM_DAY, team.index as u64, day_index]);
        let mut d = DayBuilder {
            p: self,
            date,
            day_index,
            out: TeamDay::default(),
            busy: Busy::new(),
            counter: 0,
        };
        let weekday = date.weekday().num_days_from_monday();
        if weekday >= 5 {
            // Someone always answers a message on Saturday.
            if rng.chance(0.2) {
                let who = *rng.pick(&team.members);
                let at = org.people[who]
                    .zone
                    .utc(date.and_time(minute_time(rng.range(10 * 60, 20 * 60) as u32)));
                d.out.posts.push(Post {
                    conv: Conv::Team(team.index),
                    threaded: false,
                    topic: rng.index(text::TOPICS.len()),
                    msgs: vec![msg(at, who, Say::Chatter)],
                });
            }
            return d.out;
        }
        let present: Vec<usize> = team
            .members
            .iter()
            .copied()
            .filter(|&p| org.people[p].works_on_date(date))
            .collect();
        if present.len() < 2 {
            return d.out;
        }
        for &p in &present {
            d.busy.insert(p, self.schedule.busy(org, p, date));
        }
        let arch = team.archetype;
        // The weeks a pattern that comes and goes is away, the team keeps
        // its habits (series, chat, tidiness) without the pattern itself.
        let active = team.active_in(org.week_of(date));
        if arch == Archetype::Healthy {
            // Focus first: the healthy team books around its focus blocks.
            d.focus_blocks(&mut rng, &present, 0.55, (120, 180), true);
        }
        match arch {
            Archetype::SmallBlockers if active => d.blockers(&mut rng, &present),
            // In its weeks without blockers the team talks things through
            // in ordinary meetings instead.
            Archetype::SmallBlockers => d.scheduled(&mut rng, &present, 0.2, Place::Any, 45),
            Archetype::FragmentedFocus => d.fragmenting(&mut rng, &present),
            Archetype::OneOrganizer => d.check_ins(&mut rng, &present),
            Archetype::UnfairTzBurden => d.late_sync(&mut rng, &present),
            _ => {}
        }
        let (rate, place, minutes) = match arch {
            Archetype::Healthy => (0.3, Place::Cluster, 45),
            Archetype::SmallBlockers => (0.10, Place::Any, 45),
            Archetype::ThreadsToMeetings => (0.45, Place::Any, 45),
            Archetype::LateNightPings => (0.3, Place::Any, 45),
            Archetype::HuddlesAfterSurprises => (0.15, Place::Any, 60),
            Archetype::FragmentedFocus => (0.0, Place::Split, 45),
            Archetype::OverloadSprawl => (0.50, Place::Any, 60),
            Archetype::OneOrganizer => (0.10, Place::Any, 45),
            Archetype::UnfairTzBurden => (0.25, Place::Cluster, 45),
        };
        d.scheduled(&mut rng, &present, rate, place, minutes);
        let pairing = if arch == Archetype::SmallBlockers {
            0.0
        } else if team.plant.noisy {
            0.10
        } else {
            0.05
        };
        d.pairing(&mut rng, &present, pairing);
        if arch != Archetype::Healthy {
            let p = if arch == Archetype::FragmentedFocus {
                0.3
            } else {
                0.12
            };
            let len = if arch == Archetype::FragmentedFocus {
                (90, 90)
            } else {
                (120, 120)
            };
            d.focus_blocks(&mut rng, &present, p, len, false);
        }
        // Chat.
        d.chatter(&mut rng, &present);
        if team.plant.multitasking {
            d.multitask_chatter(&present);
        }
        d.dm_asks(&mut rng, &present);
        d.mention_asks(&mut rng, &present);
        d.group_dm(&mut rng, &present);
        d.tracker_bot(&mut rng);
        let decided_rate = if arch == Archetype::Healthy { 0.5 } else { 0.2 };
        if rng.chance(decided_rate) {
            d.decided_thread(&mut rng, &present);
        }
        match arch {
            Archetype::ThreadsToMeetings => {
                if active && self.escalation_day(date) {
                    d.escalation(&mut rng, &present);
                }
            }
            Archetype::HuddlesAfterSurprises if active => {
                let n = (1 + rng.poisson(0.5)).min(3);
                for _ in 0..n {
                    d.surprise(&mut rng, &present, true);
                }
            }
            Archetype::Healthy => d.experiment(&mut rng, &present),
            _ => {
                if rng.chance(0.05) {
                    d.surprise(&mut rng, &present, false);
                }
            }
        }
        // Last, from a stream of its own: the planted experiment that
        // harms a guardrail leaves every other part of the day as it was.
        if let Some((t, week)) = org.evening_check
            && t == team.index
            && org.week_of(date) >= week
        {
            d.evening_check(&present);
        }
        d.out
    }

    /// The team planting escalations has three of them a week, on three of
    /// Monday to Thursday.
    fn escalation_day(&self, date: NaiveDate) -> bool {
        let week = self.org.week_of(date) as u64;
        let mut rng = Rng::derive(
            self.org.seed,
            &[stream::TEAM_DAY, self.team.index as u64, 1_000_000 + week],
        );
        let mut days = [0u32, 1, 2, 3];
        rng.shuffle(&mut days);
        days[..3].contains(&date.weekday().num_days_from_monday())
    }
}

fn msg(at: DateTime<Utc>, who: usize, say: Say) -> Msg {
    Msg {
        at,
        author: Author::Person(who),
        say,
        mention: None,
    }
}

struct DayBuilder<'p, 'a> {
    p: &'p TeamPlanner<'a>,
    date: NaiveDate,
    day_index: u64,
    out: TeamDay,
    busy: Busy,
    counter: u64,
}

impl DayBuilder<'_, '_> {
    fn org(&self) -> &Org {
        self.p.org
    }

    fn team(&self) -> &Team {
        self.p.team
    }

    /// Posts `msgs` to `conv` with a topic drawn for their words; returns
    /// the topic, for a meeting that follows the post.
    fn post(&mut self, rng: &mut Rng, conv: Conv, threaded: bool, msgs: Vec<Msg>) -> usize {
        let topic = rng.index(text::TOPICS.len());
        self.out.posts.push(Post {
            conv,
            threaded,
            topic,
            msgs,
        });
        topic
    }

    fn uid(&mut self, person: usize) -> String {
        self.counter += 1;
        let dialect = self.org().team_of(person).dialect();
        make_uid(
            dialect,
            uid_key(
                self.org().seed,
                &[
                    self.team().index as u64,
                    self.day_index,
                    self.counter,
                    0xDA7,
                ],
            ),
        )
    }

    /// Local minute-of-day of an instant for a person.
    fn minute_of(&self, person: usize, at: DateTime<Utc>) -> u32 {
        let l = self.org().people[person].zone.local(at);
        l.hour() * 60 + l.minute()
    }

    /// A random instant in a person's working time today, at least
    /// `margin` minutes before the end of their day.
    fn random_time(&self, rng: &mut Rng, person: usize, margin: u32) -> DateTime<Utc> {
        let p = &self.org().people[person];
        let ranges = &p.hours.ranges;
        let (a, b) = ranges[rng.index(ranges.len())];
        let hi = b.saturating_sub(margin).max(a + 1);
        let m = rng.range(i64::from(a), i64::from(hi - 1)) as u32;
        p.zone.utc(self.date.and_time(minute_time(m))) + Duration::seconds(rng.range(0, 59))
    }

    /// True when `[start, end)` lies in the person's working time on one
    /// local working day and does not overlap their busy time.
    fn fits(&self, person: usize, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        self.available(person, start, end)
            && self
                .busy
                .get(&person)
                .is_none_or(|iv| iv.iter().all(|&(s, e)| end <= s || start >= e))
    }

    /// True when `[start, end)` lies in one working range of the person on
    /// one local working day (their calendar aside).
    fn available(&self, person: usize, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        let p = &self.org().people[person];
        let ls = p.zone.local(start);
        let le = p.zone.local(end - Duration::minutes(1));
        if ls.date() != le.date() || !p.works_on_date(ls.date()) {
            return false;
        }
        let (ms, me) = (ls.hour() * 60 + ls.minute(), le.hour() * 60 + le.minute());
        p.hours.ranges.iter().any(|&(a, b)| a <= ms && me < b)
    }

    /// A start for a meeting of `people` (the first organizes) today.
    fn place(
        &self,
        rng: &mut Rng,
        people: &[usize],
        minutes: u32,
        place: Place,
    ) -> Option<DateTime<Utc>> {
        let org = self.org();
        let organizer = &org.people[people[0]];
        let len = Duration::minutes(i64::from(minutes));
        let mut valid: Vec<(DateTime<Utc>, i64)> = Vec::new();
        let mut m = 6 * 60;
        while m + minutes <= 22 * 60 {
            let start = organizer.zone.utc(self.date.and_time(minute_time(m)));
            if people.iter().all(|&p| self.fits(p, start, start + len)) {
                valid.push((start, 0));
            }
            m += 15;
        }
        if valid.is_empty() {
            return None;
        }
        match place {
            Place::Any => Some(valid[rng.index(valid.len())].0),
            Place::Cluster => {
                for v in &mut valid {
                    let (s, e) = (v.0, v.0 + len);
                    v.1 = people
                        .iter()
                        .filter(|&&p| {
                            let touches_meeting = self
                                .busy
                                .get(&p)
                                .is_some_and(|iv| iv.iter().any(|&(a, b)| b == s || a == e));
                            let ms = self.minute_of(p, s);
                            let me = self.minute_of(p, e);
                            let hours = &org.people[p].hours;
                            touches_meeting || hours.ranges.iter().any(|&(a, b)| a == ms || b == me)
                        })
                        .count() as i64;
                }
                let best = valid.iter().map(|v| v.1).max().unwrap_or(0);
                let top: Vec<DateTime<Utc>> =
                    valid.iter().filter(|v| v.1 == best).map(|v| v.0).collect();
                Some(top[rng.index(top.len())])
            }
            Place::Split => {
                // The organizer's longest free stretch today; aim at its middle.
                let gaps = self.free_gaps(people[0]);
                let Some(&(gs, ge)) = gaps
                    .iter()
                    .max_by_key(|(s, e)| (*e - *s, std::cmp::Reverse(*s)))
                else {
                    return Some(valid[rng.index(valid.len())].0);
                };
                let target = gs + (ge - gs) / 2 - len / 2 + Duration::minutes(rng.range(-15, 15));
                valid
                    .iter()
                    .min_by_key(|v| (v.0 - target).num_minutes().abs())
                    .map(|v| v.0)
            }
        }
    }

    /// Free stretches of a person's working time today.
    fn free_gaps(&self, person: usize) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let p = &self.org().people[person];
        let mut busy = self.busy.get(&person).cloned().unwrap_or_default();
        busy.sort();
        let mut out = Vec::new();
        for &(a, b) in &p.hours.ranges {
            let mut cursor = p.zone.utc(self.date.and_time(minute_time(a)));
            let end = p.zone.utc(self.date.and_time(minute_time(b)));
            for &(s, e) in &busy {
                if e <= cursor || s >= end {
                    continue;
                }
                if s > cursor {
                    out.push((cursor, s));
                }
                cursor = cursor.max(e);
            }
            if cursor < end {
                out.push((cursor, end));
            }
        }
        out
    }

    fn answer(rng: &mut Rng, kind: MeetingKind) -> PartStat {
        let r = rng.unit();
        let (accept, tentative, decline) = match kind {
            MeetingKind::Escalation | MeetingKind::Huddle => (0.93, 0.07, 0.0),
            MeetingKind::Blocker | MeetingKind::Pairing => (0.94, 0.03, 0.03),
            _ => (0.87, 0.05, 0.06),
        };
        if r < accept {
            PartStat::Accepted
        } else if r < accept + tentative {
            PartStat::Tentative
        } else if r < accept + tentative + decline {
            PartStat::Declined
        } else {
            PartStat::NeedsAction
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn add_meeting(
        &mut self,
        rng: &mut Rng,
        kind: MeetingKind,
        people: &[usize],
        start: DateTime<Utc>,
        minutes: u32,
        created: DateTime<Utc>,
        topic: usize,
        external: Option<usize>,
    ) {
        let organizer = people[0];
        // Invitees away that day decline (calendars do it for them).
        let invitees: Vec<(usize, PartStat)> = people[1..]
            .iter()
            .map(|&p| {
                let answer = Self::answer(rng, kind);
                let person = &self.org().people[p];
                (
                    p,
                    if person.works_on_date(person.zone.date(start)) {
                        answer
                    } else {
                        PartStat::Declined
                    },
                )
            })
            .collect();
        let end = start + Duration::minutes(i64::from(minutes));
        self.busy.entry(organizer).or_default().push((start, end));
        for &(p, s) in &invitees {
            if s == PartStat::Accepted {
                self.busy.entry(p).or_default().push((start, end));
            }
        }
        let uid = self.uid(organizer);
        let org = self.org();
        let names: Vec<&str> = people
            .iter()
            .map(|&p| org.people[p].first.as_str())
            .collect();
        let tidy = !matches!(
            self.team().archetype,
            Archetype::SmallBlockers | Archetype::HuddlesAfterSurprises | Archetype::OverloadSprawl
        );
        let (title, description) = text::meeting_words(rng, kind, topic, &names, tidy);
        let externals = external
            .map(|e| {
                vec![(
                    e,
                    if rng.chance(0.8) {
                        PartStat::Accepted
                    } else {
                        PartStat::NeedsAction
                    },
                )]
            })
            .unwrap_or_default();
        let zone = org.people[organizer].zone;
        self.out.meetings.push(Meeting {
            uid,
            title,
            kind,
            organizer,
            invitees,
            externals,
            zone,
            start,
            minutes,
            created,
            description,
        });
    }

    /// Others than `except`, up to `k` of them, chosen at random.
    fn others(rng: &mut Rng, from: &[usize], except: usize, k: usize) -> Vec<usize> {
        let mut v: Vec<usize> = from.iter().copied().filter(|&p| p != except).collect();
        rng.shuffle(&mut v);
        v.truncate(k);
        v
    }

    /// Frequent short one-off meetings to clear small blockers.
    fn blockers(&mut self, rng: &mut Rng, present: &[usize]) {
        let n = rng.poisson(0.5 * present.len() as f64);
        for _ in 0..n {
            let organizer = *rng.pick(present);
            let k = if rng.chance(0.7) { 1 } else { 2 };
            let mut people = vec![organizer];
            people.extend(Self::others(rng, present, organizer, k));
            let minutes = if rng.chance(0.45) { 15 } else { 30 };
            let Some(start) = self.place(rng, &people, minutes, Place::Any) else {
                continue;
            };
            let short_notice = rng.chance(0.25);
            let created = if short_notice {
                start - Duration::minutes(rng.range(30, 20 * 60))
            } else {
                start - Duration::minutes(rng.range(26 * 60, 72 * 60))
            };
            let topic = rng.index(text::TOPICS.len());
            self.add_meeting(
                rng,
                MeetingKind::Blocker,
                &people,
                start,
                minutes,
                created,
                topic,
                None,
            );
            // A same-day booking comes with a DM saying so.
            if short_notice
                && self.org().people[organizer].zone.date(created) == self.date
                && self.org().people[organizer].in_working_time(created)
            {
                let invitee = people[1];
                let reply_at = self.org().people[invitee]
                    .after_business_minutes(created, rng.range(2, 25) as u32);
                let mut ask = msg(created, organizer, Say::InviteNote);
                ask.mention = None;
                self.out.posts.push(Post {
                    conv: Conv::dm(organizer, invitee),
                    threaded: false,
                    topic,
                    msgs: vec![ask, msg(reply_at, invitee, Say::Thanks)],
                });
            }
        }
    }

    /// 45-minute meetings in the middle of everyone's free time: whoever
    /// still has the longest free stretch books a meeting in its middle
    /// with others free then, until no stretch of 90 minutes is left (or
    /// about three meetings a person).
    fn fragmenting(&mut self, rng: &mut Rng, present: &[usize]) {
        let cap = (present.len() as f64 * 3.2 / 2.5).round() as usize;
        let minutes: u32 = 45;
        let len = Duration::minutes(i64::from(minutes));
        let mut stuck: Vec<usize> = Vec::new();
        for _ in 0..cap {
            let mut order: Vec<usize> = present
                .iter()
                .copied()
                .filter(|p| !stuck.contains(p))
                .collect();
            rng.shuffle(&mut order);
            let longest = |p: usize| {
                self.free_gaps(p)
                    .iter()
                    .map(|(s, e)| (*e - *s).num_minutes())
                    .max()
                    .unwrap_or(0)
            };
            let Some(organizer) = order.iter().copied().max_by_key(|&p| longest(p)) else {
                break;
            };
            if longest(organizer) < 90 {
                break;
            }
            let Some(start) = self.place(rng, &[organizer], minutes, Place::Split) else {
                stuck.push(organizer);
                continue;
            };
            // Invitees free then, those whose own long stretch it breaks first.
            let containing = |p: usize| {
                self.free_gaps(p)
                    .iter()
                    .find(|(s, e)| *s <= start && start + len <= *e)
                    .map_or(0, |(s, e)| (*e - *s).num_minutes())
            };
            let mut others: Vec<(usize, i64)> = present
                .iter()
                .copied()
                .filter(|&p| p != organizer && self.fits(p, start, start + len))
                .map(|p| (p, containing(p) + rng.range(0, 20)))
                .collect();
            if others.is_empty() {
                stuck.push(organizer);
                continue;
            }
            others.sort_by_key(|&(_, g)| std::cmp::Reverse(g));
            let k = if rng.chance(0.5) { 1 } else { 2 };
            let mut people = vec![organizer];
            people.extend(others.iter().take(k).map(|&(p, _)| p));
            let created = start - Duration::hours(rng.range(26, 6 * 24));
            let topic = rng.index(text::TOPICS.len());
            self.add_meeting(
                rng,
                MeetingKind::Fragmenting,
                &people,
                start,
                minutes,
                created,
                topic,
                None,
            );
        }
    }

    /// The lead's check-ins: one person books most of the team's time.
    fn check_ins(&mut self, rng: &mut Rng, present: &[usize]) {
        let lead = self.team().lead();
        let n = rng.poisson(0.35 * present.len() as f64);
        for _ in 0..n {
            let organizer = if present.contains(&lead) && rng.chance(0.9) {
                lead
            } else {
                *rng.pick(present)
            };
            let k = rng.range(1, 3) as usize;
            let mut people = vec![organizer];
            people.extend(Self::others(rng, present, organizer, k));
            let Some(start) = self.place(rng, &people, 45, Place::Any) else {
                continue;
            };
            let created = start - Duration::hours(rng.range(26, 96));
            let topic = rng.index(text::TOPICS.len());
            self.add_meeting(
                rng,
                MeetingKind::CheckIn,
                &people,
                start,
                45,
                created,
                topic,
                None,
            );
        }
    }

    /// Discussions booked days ahead; a few with a guest from outside and a
    /// few booked the same day.
    fn scheduled(
        &mut self,
        rng: &mut Rng,
        present: &[usize],
        rate: f64,
        place: Place,
        minutes: u32,
    ) {
        let n = rng.poisson(rate * present.len() as f64);
        let lead = self.team().lead();
        let one_organizer = self.team().archetype == Archetype::OneOrganizer;
        let late_night = self.team().archetype == Archetype::LateNightPings;
        for _ in 0..n {
            let organizer = if one_organizer && present.contains(&lead) && rng.chance(0.85) {
                lead
            } else {
                *rng.pick(present)
            };
            let pool: Vec<usize> = if late_night {
                let z = self.org().people[organizer].zone;
                present
                    .iter()
                    .copied()
                    .filter(|&p| self.org().people[p].zone == z)
                    .collect()
            } else {
                present.to_vec()
            };
            let k = rng.range(1, 3) as usize;
            let mut people = vec![organizer];
            people.extend(Self::others(rng, &pool, organizer, k));
            if people.len() < 2 {
                continue;
            }
            let len = if minutes == 45 && rng.chance(0.3) {
                60
            } else {
                minutes
            };
            let Some(start) = self.place(rng, &people, len, place) else {
                continue;
            };
            let created = if rng.chance(0.06) {
                start - Duration::minutes(rng.range(60, 20 * 60))
            } else {
                start - Duration::hours(rng.range(30, 8 * 24))
            };
            let external = rng
                .chance(0.06)
                .then(|| rng.index(crate::names::EXTERNALS.len()));
            let kind = if external.is_some() {
                MeetingKind::External
            } else {
                MeetingKind::Scheduled
            };
            let topic = rng.index(text::TOPICS.len());
            self.add_meeting(rng, kind, &people, start, len, created, topic, external);
        }
    }

    /// Occasional 30-minute pairing sessions.
    fn pairing(&mut self, rng: &mut Rng, present: &[usize], rate: f64) {
        let n = rng.poisson(rate * present.len() as f64);
        for _ in 0..n {
            let organizer = *rng.pick(present);
            let mut people = vec![organizer];
            people.extend(Self::others(rng, present, organizer, 1));
            if people.len() < 2 {
                continue;
            }
            let Some(start) = self.place(rng, &people, 30, Place::Cluster) else {
                continue;
            };
            let created = start - Duration::hours(rng.range(25, 72));
            let topic = rng.index(text::TOPICS.len());
            self.add_meeting(
                rng,
                MeetingKind::Pairing,
                &people,
                start,
                30,
                created,
                topic,
                None,
            );
        }
    }

    /// Focus blocks people book for themselves in their longest free stretch.
    fn focus_blocks(
        &mut self,
        rng: &mut Rng,
        present: &[usize],
        p: f64,
        len: (u32, u32),
        protect: bool,
    ) {
        for &person in present {
            if !rng.chance(p) {
                continue;
            }
            let minutes = rng.range(i64::from(len.0) / 30, i64::from(len.1) / 30) as u32 * 30;
            let gaps = self.free_gaps(person);
            let Some(&(gs, ge)) = gaps
                .iter()
                .filter(|(s, e)| (*e - *s).num_minutes() >= i64::from(minutes))
                .max_by_key(|(s, e)| *e - *s)
            else {
                continue;
            };
            let slack = (ge - gs).num_minutes() - i64::from(minutes);
            let start = gs + Duration::minutes((rng.range(0, slack.max(0)) / 15) * 15);
            let created = start - Duration::hours(rng.range(20, 7 * 24));
            let uid = self.uid(person);
            if protect {
                self.busy
                    .entry(person)
                    .or_default()
                    .push((start, start + Duration::minutes(i64::from(minutes))));
            }
            let title = *rng.pick(&[
                "Focus time",
                "Deep work",
                "Focus time",
                "Heads down: no meetings",
            ]);
            self.out.focus.push(FocusBlock {
                uid,
                person,
                title,
                start,
                minutes,
                created,
            });
        }
    }

    /// A reply time on the responder's business clock.
    fn reply_at(
        &self,
        rng: &mut Rng,
        responder: usize,
        after: DateTime<Utc>,
        median: f64,
    ) -> DateTime<Utc> {
        let minutes = rng.log_normal(median, 0.9).clamp(1.0, 8.0 * 60.0) as u32;
        let t = self.org().people[responder].after_business_minutes(after, minutes)
            + Duration::seconds(rng.range(0, 59));
        self.after_meeting(responder, t)
    }

    /// A reply to `to`, who wrote at `after`: on the responder's business
    /// clock, except that a team mindful of time zones answers before the
    /// other person's day ends when the usual delay would miss it.
    fn reply_to(
        &self,
        rng: &mut Rng,
        responder: usize,
        to: usize,
        after: DateTime<Utc>,
        median: f64,
    ) -> DateTime<Utc> {
        let t = self.reply_at(rng, responder, after, median);
        if self.team().archetype == Archetype::LateNightPings {
            return t;
        }
        let org = self.org();
        let (r, a) = (&org.people[responder], &org.people[to]);
        if a.in_working_time(t) {
            return t;
        }
        let quick = after + Duration::minutes(rng.range(5, 40));
        if r.in_working_time(quick) && a.in_working_time(quick) {
            quick
        } else {
            t
        }
    }

    /// Channel chatter: short, undecided, harmless.
    fn chatter(&mut self, rng: &mut Rng, present: &[usize]) {
        let n = rng.poisson(0.9 * present.len() as f64);
        for _ in 0..n {
            let author = *rng.pick(present);
            let mut at = self.random_time(rng, author, 30);
            if rng.chance(0.03) {
                // Someone working late.
                at = self.after_hours(rng, author);
            }
            let at = self.after_meeting(author, at);
            let mut msgs = vec![msg(at, author, Say::Chatter)];
            let threaded = rng.chance(0.5);
            if threaded {
                let replies = rng.range(1, 3) as usize;
                let mut last = at;
                for r in Self::others(rng, present, author, replies.min(2))
                    .into_iter()
                    .cycle()
                    .take(replies)
                {
                    last = self.reply_at(rng, r, last, 20.0);
                    last = self.after_meeting(r, last);
                    msgs.push(msg(last, r, Say::Chatter));
                }
            }
            let topic = rng.index(text::TOPICS.len());
            self.out.posts.push(Post {
                conv: Conv::Team(self.team().index),
                threaded,
                topic,
                msgs,
            });
        }
    }

    /// Where a member's chatter lands given their meetings: people keep
    /// chat out of their meetings and post a few minutes after one ends, if
    /// that is still their working time and not another meeting; otherwise
    /// (and on a team that multitasks, whose members chat through their
    /// meetings) where it was. Draws nothing, so the day is otherwise the same.
    fn after_meeting(&self, person: usize, at: DateTime<Utc>) -> DateTime<Utc> {
        if self.team().plant.multitasking {
            return at;
        }
        let busy = self.busy.get(&person).map_or(&[][..], Vec::as_slice);
        let inside = |t: DateTime<Utc>| busy.iter().find(|&&(s, e)| s <= t && t < e).copied();
        let mut t = at;
        // A few meetings back to back at most.
        for _ in 0..4 {
            let Some((s, e)) = inside(t) else {
                return if self.available(person, t, t + Duration::minutes(1)) {
                    t
                } else {
                    at
                };
            };
            t = e + Duration::seconds(60 + (t - s).num_seconds() % 540);
        }
        at
    }

    /// The team that multitasks: besides its chatter, each member posts
    /// in most of their meetings of 25 minutes or more, at a time inside
    /// the meeting. From a stream of its own, so the rest of the day is
    /// the same as without the plant.
    fn multitask_chatter(&mut self, present: &[usize]) {
        let org = self.p.org;
        let team = self.p.team;
        let mut rng = Rng::derive(
            org.seed,
            &[
                stream::TEAM_DAY,
                team.index as u64,
                3_000_000 + self.day_index,
            ],
        );
        for &person in present {
            let mut meetings = self.busy.get(&person).cloned().unwrap_or_default();
            meetings.sort();
            for (s, e) in meetings {
                let minutes = (e - s).num_minutes();
                if minutes < 25 || !rng.chance(0.75) {
                    continue;
                }
                let at = s
                    + Duration::minutes(rng.range(2, minutes - 2))
                    + Duration::seconds(rng.range(0, 59));
                self.out.posts.push(Post {
                    conv: Conv::Team(team.index),
                    threaded: false,
                    topic: rng.index(text::TOPICS.len()),
                    msgs: vec![msg(at, person, Say::Chatter)],
                });
            }
        }
    }

    /// An evening instant in a person's own day.
    fn after_hours(&self, rng: &mut Rng, person: usize) -> DateTime<Utc> {
        let p = &self.org().people[person];
        let m = (p.hours.end() + rng.range(30, 180) as u32).min(23 * 60 + 30);
        p.zone.utc(self.date.and_time(minute_time(m)))
    }

    /// When an ask between two people is sent: inside both working days when
    /// they share hours (the late-night team does not look).
    /// On a team planted with late answers, now and then an ask is urgent
    /// and waits: the recipient answers 3 to 7 hours of their working time
    /// later, past the 2-hour SLA of an urgent ask. (A normal ask would have
    /// to wait three working days to breach its 24-hour SLA, and the first
    /// later message of the recipient anywhere in the DM counts as the
    /// answer: in a team that talks every day, that is rarely so long.)
    /// Returns the ask's kind and the answer's time.
    fn late_answer(
        &self,
        rng: &mut Rng,
        recipient: usize,
        asked: DateTime<Utc>,
    ) -> Option<(Say, DateTime<Utc>)> {
        let p = self.team().plant.late_answers;
        if p <= 0.0 || !rng.chance(p) {
            return None;
        }
        let minutes = rng.range(3 * 60, 7 * 60) as u32;
        Some((
            Say::UrgentAsk,
            self.org().people[recipient].after_business_minutes(asked, minutes)
                + Duration::seconds(rng.range(0, 59)),
        ))
    }

    /// A time in the asker's working day after the recipient's has ended
    /// (the sender's afternoon, the recipient's evening), if there is one.
    fn evening_of(&self, rng: &mut Rng, asker: usize, recipient: usize) -> Option<DateTime<Utc>> {
        let r = &self.org().people[recipient];
        let candidates: Vec<DateTime<Utc>> = (0..24)
            .map(|_| self.random_time(rng, asker, 10))
            .filter(|&t| !r.in_working_time(t) && r.zone.date(t) == self.date)
            .collect();
        (!candidates.is_empty()).then(|| candidates[rng.index(candidates.len())])
    }

    /// The unfair team's sync: most weekdays a 45-minute meeting of the
    /// whole team, booked days ahead in the lead's afternoon, after the day
    /// of every member in another office has ended. They accept it: the
    /// after-hours time is theirs alone.
    fn late_sync(&mut self, rng: &mut Rng, present: &[usize]) {
        let org = self.p.org;
        let team = self.p.team;
        let lead = team.lead();
        if !present.contains(&lead) || !rng.chance(0.8) {
            return;
        }
        let home = org.people[lead].zone;
        // The latest end of the day among members away from the lead's office.
        let Some(latest) = team
            .members
            .iter()
            .filter(|&&p| org.people[p].zone != home)
            .map(|&p| {
                let q = &org.people[p];
                q.zone.utc(self.date.and_time(minute_time(q.hours.end())))
            })
            .max()
        else {
            return;
        };
        let start = round_up_half_hour(latest + Duration::minutes(15));
        let end = start + Duration::minutes(45);
        if !self.fits(lead, start, end) {
            return;
        }
        let mut people = vec![lead];
        people.extend(
            present
                .iter()
                .copied()
                .filter(|&p| p != lead && (org.people[p].zone != home || self.fits(p, start, end))),
        );
        if people.len() < 3 {
            return;
        }
        let created = start - Duration::hours(rng.range(30, 6 * 24));
        let topic = rng.index(text::TOPICS.len());
        let before = self.out.meetings.len();
        self.add_meeting(
            rng,
            MeetingKind::Scheduled,
            &people,
            start,
            45,
            created,
            topic,
            None,
        );
        // Everyone takes it: the remote members because it is the only
        // time the whole team meets.
        if let Some(m) = self.out.meetings.get_mut(before) {
            for (p, s) in &mut m.invitees {
                if *s != PartStat::Accepted
                    && org.people[*p].works_on_date(org.people[*p].zone.date(start))
                {
                    *s = PartStat::Accepted;
                    self.busy.entry(*p).or_default().push((start, end));
                }
            }
        }
    }

    fn ask_time(&self, rng: &mut Rng, asker: usize, recipient: usize) -> DateTime<Utc> {
        let org = self.org();
        let evening = self.team().plant.evening_asks;
        if evening > 0.0
            && org.people[asker].zone != org.people[recipient].zone
            && rng.chance(evening)
            && let Some(t) = self.evening_of(rng, asker, recipient)
        {
            return t;
        }
        if self.team().archetype != Archetype::LateNightPings {
            // Both at work now and for the next three hours, so the answer
            // (and the thanks) land inside both days too.
            let (a, r) = (&org.people[asker], &org.people[recipient]);
            let later = Duration::minutes(180);
            let mut fallback = None;
            for _ in 0..24 {
                let t = self.after_meeting(asker, self.random_time(rng, asker, 20));
                if r.in_working_time(t) {
                    if r.in_working_time(t + later) && a.in_working_time(t + later) {
                        return t;
                    }
                    fallback.get_or_insert(t);
                }
            }
            if let Some(t) = fallback {
                return t;
            }
        }
        self.random_time(rng, asker, 10)
    }

    /// Direct-message asks with replies on the recipient's clock.
    fn dm_asks(&mut self, rng: &mut Rng, present: &[usize]) {
        let arch = self.team().archetype;
        let rate = match arch {
            Archetype::LateNightPings => 1.6,
            Archetype::Healthy => 1.0,
            _ => 1.2,
        };
        let members = self.team().members.clone();
        let n = rng.poisson(rate * present.len() as f64);
        for _ in 0..n {
            let asker = *rng.pick(present);
            let recipient = self.pick_recipient(rng, asker, present, &members);
            let Some(recipient) = recipient else { continue };
            let mut at = self.ask_time(rng, asker, recipient);
            let noisy = self.team().plant.noisy;
            if rng.chance(if noisy { 0.05 } else { 0.02 }) {
                at = self.after_hours(rng, asker);
            }
            let late = self.late_answer(rng, recipient, at);
            let mut ask = msg(at, asker, Say::Ask);
            ask.mention = None;
            if let Some((say, _)) = &late {
                ask.say = say.clone();
            }
            let mut msgs = vec![ask];
            if !rng.chance(if noisy { 0.05 } else { 0.03 }) {
                let reply = match late {
                    Some((_, t)) => t,
                    None => self.reply_to(rng, recipient, asker, at, reply_median(arch)),
                };
                msgs.push(msg(reply, recipient, Say::Answer));
                if rng.chance(0.5) {
                    let thanks = self.reply_to(rng, asker, recipient, reply, 10.0);
                    msgs.push(msg(thanks, asker, Say::Thanks));
                }
            }
            self.post(rng, Conv::dm(asker, recipient), false, msgs);
        }
    }

    fn pick_recipient(
        &self,
        rng: &mut Rng,
        asker: usize,
        present: &[usize],
        members: &[usize],
    ) -> Option<usize> {
        let org = self.org();
        if self.team().archetype == Archetype::LateNightPings && rng.chance(0.65) {
            let z = org.people[asker].zone;
            let other: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&p| org.people[p].zone != z)
                .collect();
            if !other.is_empty() {
                return Some(*rng.pick(&other));
            }
        }
        let pool: Vec<usize> = if rng.chance(0.92) {
            present.to_vec()
        } else {
            members.to_vec()
        };
        let pool: Vec<usize> = pool.into_iter().filter(|&p| p != asker).collect();
        (!pool.is_empty()).then(|| *rng.pick(&pool))
    }

    /// @mentions in the team channel, answered in the thread.
    fn mention_asks(&mut self, rng: &mut Rng, present: &[usize]) {
        let arch = self.team().archetype;
        let rate = if arch == Archetype::LateNightPings {
            0.5
        } else {
            0.25
        };
        let members = self.team().members.clone();
        let n = rng.poisson(rate * present.len() as f64);
        for _ in 0..n {
            let asker = *rng.pick(present);
            let Some(recipient) = self.pick_recipient(rng, asker, present, &members) else {
                continue;
            };
            let at = self.ask_time(rng, asker, recipient);
            let late = self.late_answer(rng, recipient, at);
            let mut ask = msg(at, asker, Say::Ask);
            ask.mention = Some(recipient);
            let reply = match late {
                Some((say, t)) => {
                    ask.say = say;
                    t
                }
                None => self.reply_to(rng, recipient, asker, at, reply_median(arch)),
            };
            let mut msgs = vec![ask, msg(reply, recipient, Say::Answer)];
            if rng.chance(0.4) {
                let thanks = self.reply_to(rng, asker, recipient, reply, 10.0);
                msgs.push(msg(thanks, asker, Say::Thanks));
            }
            self.post(rng, Conv::Team(self.team().index), true, msgs);
        }
    }

    /// Now and then the team's group DM (its first three members).
    fn group_dm(&mut self, rng: &mut Rng, present: &[usize]) {
        let trio: Vec<usize> = self
            .team()
            .members
            .iter()
            .take(3)
            .copied()
            .filter(|p| present.contains(p))
            .collect();
        if trio.len() < 3 || !rng.chance(0.25) {
            return;
        }
        let mut at = self.random_time(rng, trio[0], 60);
        let mut msgs = vec![msg(at, trio[0], Say::Chatter)];
        for k in 0..rng.range(1, 3) as usize {
            let who = trio[1 + k % 2];
            at = self.reply_at(rng, who, at, 15.0);
            msgs.push(msg(at, who, Say::Chatter));
        }
        self.post(rng, Conv::TeamGroup(self.team().index), false, msgs);
    }

    /// The tracker's app posts ticket moves in the team channel.
    fn tracker_bot(&mut self, rng: &mut Rng) {
        let lead = self.team().lead();
        for _ in 0..rng.poisson(1.0) {
            let at = self.random_time(rng, lead, 0);
            let topic = rng.index(text::TOPICS.len());
            self.out.posts.push(Post {
                conv: Conv::Team(self.team().index),
                threaded: false,
                topic,
                msgs: vec![Msg {
                    at,
                    author: Author::Bot(Bot::Tracker),
                    say: Say::BotTicket,
                    mention: None,
                }],
            });
        }
    }

    /// A long thread that ends with a written decision (no meeting follows).
    fn decided_thread(&mut self, rng: &mut Rng, present: &[usize]) {
        if present.len() < 3 {
            return;
        }
        let mut people = present.to_vec();
        rng.shuffle(&mut people);
        people.truncate(3);
        let mut at = self.random_time(rng, people[0], 120);
        let mut msgs = vec![msg(at, people[0], Say::Proposal)];
        let n = rng.range(6, 9) as usize;
        for i in 1..n {
            let who = people[i % 3];
            at = self.reply_at(rng, who, at, 12.0);
            msgs.push(msg(at, who, Say::Discuss));
        }
        at = self.reply_at(rng, people[0], at, 10.0);
        msgs.push(msg(at, people[0], Say::Decide));
        self.post(rng, Conv::Team(self.team().index), true, msgs);
    }

    /// A thread of 10-16 messages among 3-5 people that decides nothing,
    /// ends with "let's jump on a call", and the meeting booked right after.
    fn escalation(&mut self, rng: &mut Rng, present: &[usize]) {
        if present.len() < 3 {
            return;
        }
        let mut people = present.to_vec();
        rng.shuffle(&mut people);
        people.truncate(rng.range(3, 5.min(present.len() as i64)) as usize);
        let initiator = people[0];
        let p0 = &self.org().people[initiator];
        let start_minute =
            (p0.hours.start() + rng.range(30, 180) as u32).min(p0.hours.end().saturating_sub(180));
        let mut at = p0.zone.utc(self.date.and_time(minute_time(start_minute)));
        let mut msgs = vec![msg(at, initiator, Say::Proposal)];
        let n = rng.range(10, 16) as usize;
        for i in 1..n - 1 {
            // Everyone speaks at least once, then turns are random.
            let who = if i < people.len() {
                people[i]
            } else {
                *rng.pick(&people)
            };
            at = self.reply_at(rng, who, at, 14.0);
            msgs.push(msg(at, who, Say::Discuss));
        }
        let closer = *rng.pick(&people);
        at = self.reply_at(rng, closer, at, 8.0);
        msgs.push(msg(at, closer, Say::CallPhrase));
        let topic = self.post(rng, Conv::Team(self.team().index), true, msgs);
        // The meeting: booked minutes later, for later today or the next
        // working morning, never more than a day ahead.
        let created = at + Duration::minutes(rng.range(4, 25));
        let minutes: u32 = 45;
        let len = Duration::minutes(i64::from(minutes));
        // The first half hour inside everyone's working time, else inside
        // the organizer's, within the next 23 hours.
        let first = round_up_half_hour(created + Duration::minutes(30));
        let slots: Vec<DateTime<Utc>> =
            (0..46).map(|k| first + Duration::minutes(30 * k)).collect();
        let org = self.org();
        let working_that_day =
            |p: usize, s: DateTime<Utc>| org.people[p].works_on_date(org.people[p].zone.date(s));
        let start = slots
            .iter()
            .find(|&&s| people.iter().all(|&p| self.available(p, s, s + len)))
            .or_else(|| {
                slots.iter().find(|&&s| {
                    let here: Vec<usize> = people
                        .iter()
                        .copied()
                        .filter(|&p| working_that_day(p, s))
                        .collect();
                    here.len() >= 2 && here.iter().all(|&p| self.available(p, s, s + len))
                })
            })
            .copied();
        // No time works for the people involved within a day: the thread
        // just ends with its call request.
        let Some(start) = start else { return };
        // Whoever asked for the call books it, unless they are off then.
        let organizer = if self.available(closer, start, start + len) {
            closer
        } else {
            people
                .iter()
                .copied()
                .find(|&p| self.available(p, start, start + len))
                .unwrap_or(closer)
        };
        let mut attendees = vec![organizer];
        attendees.extend(people.iter().copied().filter(|&p| p != organizer));
        self.add_meeting(
            rng,
            MeetingKind::Escalation,
            &attendees,
            start,
            minutes,
            created,
            topic,
            None,
        );
    }

    /// A surprise: an urgent report, a huddle within minutes, a meeting
    /// created as it starts. `huddle` false: the report is handled in the
    /// thread.
    fn surprise(&mut self, rng: &mut Rng, present: &[usize], huddle: bool) {
        if present.len() < 3 {
            return;
        }
        let reporter = *rng.pick(present);
        let t0 = self.random_time(rng, reporter, 90);
        let topic = rng.index(text::INCIDENTS.len());
        let k = rng.range(2, 4) as usize;
        // Whoever is at work right now answers.
        let around: Vec<usize> = present
            .iter()
            .copied()
            .filter(|&p| self.available(p, t0, t0 + Duration::minutes(75)))
            .collect();
        let mut responders = Self::others(rng, &around, reporter, k);
        let huddle = huddle && !responders.is_empty();
        let mut msgs = vec![msg(t0, reporter, Say::Urgent)];
        let mut at = t0;
        for &r in responders.iter().take(if huddle { 1 } else { 2 }) {
            at += Duration::seconds(rng.range(40, 200));
            msgs.push(msg(at, r, Say::UrgentReply));
        }
        if huddle {
            let start = at + Duration::seconds(rng.range(60, 400));
            let ended = start + Duration::minutes(rng.range(15, 40));
            let mut participants = vec![reporter];
            participants.append(&mut responders);
            self.out.posts.push(Post {
                conv: Conv::Team(self.team().index),
                threaded: false,
                topic,
                msgs: vec![msg(
                    start,
                    reporter,
                    Say::Huddle {
                        ended,
                        participants: participants.clone(),
                    },
                )],
            });
            let resolved_after = Duration::minutes(rng.range(2, 10));
            // The calendar placeholder, created as the huddle starts.
            let created = start - Duration::minutes(rng.range(1, 4));
            let minutes: u32 = if rng.chance(0.5) { 45 } else { 60 };
            let end = start + Duration::minutes(i64::from(minutes));
            // Written up once the call and its calendar slot are over.
            msgs.push(msg(
                ended.max(end) + resolved_after,
                reporter,
                Say::Resolved,
            ));
            let invited: Vec<usize> = participants
                .iter()
                .copied()
                .filter(|&p| self.available(p, start, end))
                .collect();
            if invited.len() >= 2 {
                self.add_meeting(
                    rng,
                    MeetingKind::Huddle,
                    &invited,
                    start,
                    minutes,
                    created,
                    topic,
                    None,
                );
            }
        } else {
            msgs.push(msg(
                at + Duration::minutes(rng.range(10, 40)),
                reporter,
                Say::Resolved,
            ));
        }
        self.out.posts.push(Post {
            conv: Conv::Team(self.team().index),
            threaded: true,
            topic,
            msgs,
        });
    }

    /// The evening check (`crate::experiments`): every weekday at 18:30 on
    /// the lead's clock, 45 minutes, the whole team present that day, hosted
    /// in turn; booked a week ahead, no agenda (this team writes none).
    fn evening_check(&mut self, present: &[usize]) {
        let org = self.p.org;
        let team = self.p.team;
        if present.len() < 2 {
            return;
        }
        let mut rng = Rng::derive(
            org.seed,
            &[
                stream::TEAM_DAY,
                team.index as u64,
                2_000_000 + self.day_index,
            ],
        );
        let zone = org.people[team.lead()].zone;
        let start = zone.utc(self.date.and_time(minute_time(18 * 60 + 30)));
        let host = present[self.date.weekday().num_days_from_monday() as usize % present.len()];
        let invitees: Vec<(usize, PartStat)> = present
            .iter()
            .copied()
            .filter(|&p| p != host)
            .map(|p| {
                let person = &org.people[p];
                let works = person.works_on_date(person.zone.date(start));
                (
                    p,
                    if works {
                        PartStat::Accepted
                    } else {
                        PartStat::Declined
                    },
                )
            })
            .collect();
        let uid = self.uid(host);
        self.out.meetings.push(Meeting {
            uid,
            title: "Evening blockers check".to_owned(),
            kind: MeetingKind::Scheduled,
            organizer: host,
            invitees,
            externals: Vec::new(),
            zone: org.people[host].zone,
            start,
            minutes: 45,
            created: start - Duration::hours(rng.range(5 * 24, 8 * 24)),
            description: None,
        });
    }

    /// The healthy team's experiment: announced on the Thursday before,
    /// then a written update from everyone every morning.
    fn experiment(&mut self, rng: &mut Rng, present: &[usize]) {
        let Some(start) = self.org().experiment_start() else {
            return;
        };
        let lead = self.team().lead();
        if self.date == start - Duration::days(4) && present.contains(&lead) {
            let at = self.random_time(rng, lead, 60);
            let topic = rng.index(text::TOPICS.len());
            let mut msgs = vec![msg(at, lead, Say::ExperimentAnnounce)];
            let mut last = at;
            for r in Self::others(rng, present, lead, 3) {
                last = self.reply_at(rng, r, last, 20.0);
                msgs.push(msg(last, r, Say::Thanks));
            }
            self.out.posts.push(Post {
                conv: Conv::Team(self.team().index),
                threaded: true,
                topic,
                msgs,
            });
        }
        if self.date < start {
            return;
        }
        for &p in present {
            let person = &self.org().people[p];
            let at = person.zone.utc(
                self.date
                    .and_time(minute_time(person.hours.start() + rng.range(0, 40) as u32)),
            );
            let mut msgs = vec![msg(at, p, Say::AsyncUpdate)];
            if rng.chance(0.3) {
                let r = *rng.pick(present);
                if r != p {
                    msgs.push(msg(self.reply_at(rng, r, at, 30.0), r, Say::Answer));
                }
            }
            self.post(rng, Conv::Team(self.team().index), true, msgs);
        }
    }
}

fn round_up_half_hour(t: DateTime<Utc>) -> DateTime<Utc> {
    let secs = t.timestamp();
    let rounded = (secs + 1799) / 1800 * 1800;
    DateTime::from_timestamp(rounded, 0).unwrap_or(t)
}
