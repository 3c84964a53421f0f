//! A synthetic organization to measure how the analysis scales: N people in
//! teams of 8 over W weeks, with a weekly team meeting, a daily 1:1 each,
//! and M chat messages per person and working day (threads, mentions, DMs),
//! streamed one at a time.
//!
//! ```sh
//! cargo run --release -p fulcrum-analysis --example scale -- 2000 52 10
//! /usr/bin/time -v target/release/examples/scale 2000 52 10   # peak memory
//! ```

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use fulcrum_analysis::{Analysis, Params, PeopleIndex, PersonData, Window};
use fulcrum_model::chat::{
    ChatMessage, Conversation, ConversationKind, Mentions, MessageFlags, MessageKind, ThreadRole,
};
use fulcrum_model::{
    Attendee, CalTime, EventDetails, Occurrence, PartStat, Participant, Person, Role, SeriesInfo,
    WorkingHours,
};
use std::sync::Arc;
use std::time::Instant;

/// A small deterministic generator (SplitMix64), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn arg(i: usize, default: usize) -> usize {
    std::env::args()
        .nth(i)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let (n, weeks, per_day) = (arg(1, 2000), arg(2, 52), arg(3, 10));
    let zones: [Tz; 6] = [
        chrono_tz::UTC,
        chrono_tz::America::New_York,
        chrono_tz::Europe::Berlin,
        chrono_tz::Asia::Kolkata,
        chrono_tz::Pacific::Auckland,
        chrono_tz::America::Los_Angeles,
    ];
    let first = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
    let window = Window {
        from: first,
        to: first + Duration::days(7 * weeks as i64 - 1),
    };
    let person = |i: usize| Person {
        email: format!("p{i}@acme.com"),
        name: format!("p{i}"),
        team: format!("team{}", i / 8),
        tz: zones[(i / 8) % zones.len()],
        working_hours: WorkingHours::standard(),
        aliases: vec![format!("U{i}")],
    };
    let people: Vec<Person> = (0..n).map(person).collect();
    let mut rng = Rng(42);
    let mut calendars: Vec<Vec<Occurrence>> = vec![Vec::new(); n];
    let zoned = |t: chrono::DateTime<Utc>| {
        CalTime::zoned(t, chrono::FixedOffset::east_opt(0).expect("offset"))
    };
    let attendee = |i: usize| Attendee {
        who: Participant {
            email: format!("p{i}@acme.com"),
            name: None,
        },
        partstat: PartStat::Accepted,
        role: Role::Required,
        is_resource: false,
        is_group: false,
    };
    let mut uid = 0u64;
    for team in 0..n.div_ceil(8) {
        let members: Vec<usize> = (team * 8..(team * 8 + 8).min(n)).collect();
        let lead = members[0];
        let series = Arc::new(EventDetails {
            organizer: Some(Participant {
                email: format!("p{lead}@acme.com"),
                name: None,
            }),
            attendees: members.iter().map(|&m| attendee(m)).collect(),
            series: SeriesInfo {
                in_series: true,
                series_ends: false,
            },
            ..EventDetails::default()
        });
        uid += 1;
        let series_uid: Arc<str> = Arc::from(format!("series{uid}").as_str());
        for day in first.iter_days().take(7 * weeks) {
            let tz = people[lead].tz;
            let local = |h: u32| {
                tz.from_local_datetime(&day.and_hms_opt(h, 0, 0).expect("time"))
                    .earliest()
                    .map(|t| t.with_timezone(&Utc))
            };
            if day.weekday() == Weekday::Mon
                && let (Some(s), Some(e)) = (local(10), local(11))
            {
                let occ = Occurrence {
                    uid: series_uid.clone(),
                    recurrence_id: Some(zoned(s)),
                    start: zoned(s),
                    end: zoned(e),
                    details: series.clone(),
                };
                for &m in &members {
                    calendars[m].push(occ.clone());
                }
            }
            if day.weekday().num_days_from_monday() >= 5 {
                continue;
            }
            for &m in &members {
                let other = members[rng.below(members.len() as u64) as usize];
                if other == m {
                    continue;
                }
                let Some(s) = local(11 + rng.below(5) as u32) else {
                    continue;
                };
                uid += 1;
                let details = Arc::new(EventDetails {
                    organizer: Some(Participant {
                        email: format!("p{m}@acme.com"),
                        name: None,
                    }),
                    attendees: vec![attendee(m), attendee(other)],
                    created: Some(s - Duration::hours(rng.below(72) as i64)),
                    ..EventDetails::default()
                });
                let occ = Occurrence {
                    uid: Arc::from(format!("m{uid}").as_str()),
                    recurrence_id: None,
                    start: zoned(s),
                    end: zoned(s + Duration::minutes(30)),
                    details,
                };
                calendars[m].push(occ.clone());
                calendars[other].push(occ);
            }
        }
    }
    let occurrences: usize = calendars.iter().map(Vec::len).sum();
    let data: Vec<PersonData> = people
        .iter()
        .cloned()
        .zip(calendars)
        .map(|(person, cal)| PersonData {
            person,
            calendar: Some(cal),
            in_chat: true,
        })
        .collect();
    let index = PeopleIndex::new(&people);
    let started = Instant::now();
    let mut analysis = Analysis::new(&data, window, Params::default(), &index);
    let calendar_time = started.elapsed();
    drop(data);

    // Chat, streamed: one team channel per team and one DM per pair used.
    let channels: Vec<Conversation> = (0..n.div_ceil(8))
        .map(|t| Conversation {
            id: Arc::from(format!("C{t}").as_str()),
            name: format!("team{t}"),
            kind: ConversationKind::Channel,
            members: (t * 8..(t * 8 + 8).min(n))
                .map(|i| format!("U{i}"))
                .collect(),
        })
        .collect();
    let started = Instant::now();
    let mut messages = 0u64;
    let mut id = 0u64;
    for day in first.iter_days().take(7 * weeks) {
        if day.weekday().num_days_from_monday() >= 5 {
            continue;
        }
        let base = Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("time"));
        for p in 0..n {
            let team = p / 8;
            let mut thread: Option<Arc<str>> = None;
            for _ in 0..per_day {
                id += 1;
                let at = base + Duration::minutes(rng.below(24 * 60) as i64);
                let teammate = (team * 8 + rng.below(8) as usize).min(n - 1);
                let roll = rng.below(10);
                let (conversation, thread_role, mentions) = if roll < 3 && teammate != p {
                    let (a, b) = (p.min(teammate), p.max(teammate));
                    let dm = Conversation {
                        id: Arc::from(format!("D{a}_{b}").as_str()),
                        name: String::new(),
                        kind: ConversationKind::Dm,
                        members: vec![format!("U{a}"), format!("U{b}")],
                    };
                    (dm, ThreadRole::Standalone, Vec::new())
                } else {
                    let role = match &thread {
                        Some(parent) if roll < 8 => ThreadRole::Reply {
                            parent: parent.clone(),
                        },
                        _ => {
                            let own: Arc<str> = Arc::from(format!("{id}").as_str());
                            thread = Some(own);
                            ThreadRole::Parent
                        }
                    };
                    let mentions = if roll == 9 {
                        vec![format!("U{teammate}")]
                    } else {
                        Vec::new()
                    };
                    (channels[team].clone(), role, mentions)
                };
                let message = ChatMessage {
                    id: Arc::from(format!("{id}").as_str()),
                    at,
                    conversation: conversation.id.clone(),
                    author: Some(Arc::from(format!("U{p}").as_str())),
                    kind: MessageKind::Person,
                    thread: thread_role,
                    broadcast: false,
                    reply_count: 0,
                    reply_users: 0,
                    mentions: Mentions {
                        users: mentions,
                        here: false,
                        channel: false,
                    },
                    huddle: false,
                    edited: false,
                    text_chars: 40,
                    flags: MessageFlags {
                        call_request: rng.below(50) == 0,
                        ..MessageFlags::default()
                    },
                };
                analysis.add_message(&conversation, &message, &index);
                messages += 1;
            }
        }
    }
    let chat_time = started.elapsed();
    let started = Instant::now();
    let signals = analysis.finish();
    let finish_time = started.elapsed();
    let shown = signals
        .teams
        .iter()
        .flat_map(|t| &t.weeks)
        .flat_map(|w| &w.signals)
        .filter(|s| s.value.is_ok())
        .count();
    println!(
        "{n} people, {weeks} weeks, {occurrences} occurrences, {messages} messages\n\
         calendar {calendar_time:.2?}, chat {chat_time:.2?}, finish {finish_time:.2?}; \
         {shown} team values shown"
    );
}
