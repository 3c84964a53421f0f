//! Organisation-wide chat of one day: `#general`, `#random`, `#incidents`,
//! `#deploys`, the department leads' private channels, joins, bots, and
//! DMs between people of different teams.

use crate::archetype::Chat;
use crate::hours::{WorkClock, minute_time};
use crate::org::Org;
use crate::plan::{Author, Bot, Conv, Msg, Post, Say};
use crate::rng::{Rng, stream};
use crate::text;
use chrono::{Datelike, Duration, NaiveDate};

/// Each person's two contacts in other teams of their department: the only
/// cross-team DMs (so `dms.json` can list them before any message).
pub fn cross_team_pairs(org: &Org) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for p in &org.people {
        let dept = org.teams[p.team].department;
        // People DM those they can reach: two hours of shared working time.
        let others: Vec<usize> = org
            .teams
            .iter()
            .filter(|t| t.department == dept && t.index != p.team)
            .flat_map(|t| t.members.iter().copied())
            .filter(|&q| shared_minutes(org, p.index, q) >= 120)
            .collect();
        if others.is_empty() {
            continue;
        }
        let mut rng = Rng::derive(org.seed, &[stream::ORG, 2_000_000 + p.index as u64]);
        for _ in 0..2 {
            let q = *rng.pick(&others);
            pairs.push(if p.index < q {
                (p.index, q)
            } else {
                (q, p.index)
            });
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Minutes of working time two people share on an ordinary Wednesday.
fn shared_minutes(org: &Org, a: usize, b: usize) -> u32 {
    let probe = org.start + Duration::days(9);
    let (pa, pb) = (&org.people[a], &org.people[b]);
    let mut n = 0;
    for &(s, e) in &pa.hours.ranges {
        let mut m = s;
        while m < e {
            let t = pa.zone.utc(probe.and_time(minute_time(m)));
            let local = pb.zone.local(t);
            use chrono::Timelike;
            if pb.hours.works_on(local.weekday())
                && pb.hours.contains_minute(local.hour() * 60 + local.minute())
            {
                n += 15;
            }
            m += 15;
        }
    }
    n
}

/// The organisation's posts of one day. `pairs` is [`cross_team_pairs`].
pub fn org_day(org: &Org, date: NaiveDate, pairs: &[(usize, usize)]) -> Vec<Post> {
    let day_index = org.day_index(date).max(0) as u64;
    let mut rng = Rng::derive(org.seed, &[stream::ORG_DAY, day_index]);
    let mut posts = Vec::new();
    let weekday = date.weekday().num_days_from_monday();
    let n_people = org.people.len();
    let scale = (n_people as f64 / 60.0).max(0.2);
    let ceo = org.ceo();
    let at_for = |rng: &mut Rng, person: usize| {
        let p = &org.people[person];
        let (a, b) = p.hours.ranges[rng.index(p.hours.ranges.len())];
        p.zone
            .utc(date.and_time(minute_time(rng.range(i64::from(a), i64::from(b) - 1) as u32)))
            + Duration::seconds(rng.range(0, 59))
    };
    let person_msg = |at, who, say| Msg {
        at,
        author: Author::Person(who),
        say,
        mention: None,
    };
    let bot_msg = |at, bot, say| Msg {
        at,
        author: Author::Bot(bot),
        say,
        mention: None,
    };
    if weekday >= 5 {
        if rng.chance(0.5) {
            let who = rng.index(n_people);
            let at = at_for(&mut rng, who) + Duration::hours(2);
            posts.push(Post {
                conv: Conv::Random,
                threaded: false,
                topic: rng.index(text::TOPICS.len()),
                msgs: vec![person_msg(at, who, Say::Chatter)],
            });
        }
        return posts;
    }
    // #general: announcements, the CEO on Mondays, a Slackbot reminder on Fridays.
    if weekday == 0 && org.people[ceo].works_on_date(date) {
        let at = at_for(&mut rng, ceo);
        let mut msgs = vec![person_msg(at, ceo, Say::Announce)];
        let mut last = at;
        for _ in 0..rng.range(1, 4) {
            let who = rng.index(n_people);
            last = org.people[who].after_business_minutes(last, rng.range(5, 120) as u32);
            msgs.push(person_msg(last, who, Say::Thanks));
        }
        posts.push(Post {
            conv: Conv::General,
            threaded: true,
            topic: rng.index(text::TOPICS.len()),
            msgs,
        });
    }
    for _ in 0..rng.poisson(0.3 * scale.min(5.0)) {
        let lead = org.teams[rng.index(org.teams.len())].lead();
        if org.people[lead].works_on_date(date) {
            let at = at_for(&mut rng, lead);
            posts.push(Post {
                conv: Conv::General,
                threaded: false,
                topic: rng.index(text::TOPICS.len()),
                msgs: vec![person_msg(at, lead, Say::Announce)],
            });
        }
    }
    if weekday == 4 {
        let at = org.people[ceo]
            .zone
            .utc(date.and_time(minute_time(10 * 60)));
        posts.push(Post {
            conv: Conv::General,
            threaded: false,
            topic: 0,
            msgs: vec![bot_msg(at, Bot::Slackbot, Say::Reminder)],
        });
    }
    // #random.
    for _ in 0..rng.poisson((2.0 * scale).min(60.0)) {
        let who = rng.index(n_people);
        if !org.people[who].works_on_date(date) {
            continue;
        }
        let at = at_for(&mut rng, who);
        let mut msgs = vec![person_msg(at, who, Say::Chatter)];
        let threaded = rng.chance(0.3);
        if threaded {
            let r = rng.index(n_people);
            if r != who {
                msgs.push(person_msg(
                    org.people[r].after_business_minutes(at, rng.range(2, 60) as u32),
                    r,
                    Say::Chatter,
                ));
            }
        }
        posts.push(Post {
            conv: Conv::Random,
            threaded,
            topic: rng.index(text::TOPICS.len()),
            msgs,
        });
    }
    // Joins: people join #random and #incidents now and then.
    for _ in 0..rng.poisson((0.3 * scale).min(20.0)) {
        let who = rng.index(n_people);
        let at = at_for(&mut rng, who);
        let conv = if rng.chance(0.5) {
            Conv::Random
        } else {
            Conv::Incidents
        };
        posts.push(Post {
            conv,
            threaded: false,
            topic: 0,
            msgs: vec![Msg {
                at,
                author: Author::Person(who),
                say: Say::Join,
                mention: Some(who),
            }],
        });
    }
    // #deploys and #incidents: bots, with a person answering an alert.
    for _ in 0..rng.poisson((4.0 * scale.sqrt()).min(40.0)) {
        let who = rng.index(n_people);
        let at = at_for(&mut rng, who);
        posts.push(Post {
            conv: Conv::Deploys,
            threaded: false,
            topic: rng.index(text::TOPICS.len()),
            msgs: vec![bot_msg(at, Bot::Deploy, Say::BotDeploy)],
        });
    }
    for _ in 0..rng.poisson((1.0 * scale.sqrt()).min(20.0)) {
        let who = rng.index(n_people);
        if !org.people[who].works_on_date(date) {
            continue;
        }
        let at = at_for(&mut rng, who);
        let topic = rng.index(text::INCIDENTS.len());
        let reply = org.people[who].after_business_minutes(at, rng.range(2, 15) as u32);
        posts.push(Post {
            conv: Conv::Incidents,
            threaded: true,
            topic,
            msgs: vec![
                bot_msg(at, Bot::Alerts, Say::BotAlert),
                person_msg(reply, who, Say::UrgentReply),
            ],
        });
    }
    // Leads' private channel per department.
    for dept in 0..org.departments() {
        let leads = org.department_leads(dept);
        if leads.len() < 2 || !rng.chance(0.5) {
            continue;
        }
        let who = *rng.pick(&leads);
        if !org.people[who].works_on_date(date) {
            continue;
        }
        let at = at_for(&mut rng, who);
        let mut msgs = vec![person_msg(at, who, Say::Chatter)];
        let r = *rng.pick(&leads);
        if r != who {
            msgs.push(person_msg(
                org.people[r].after_business_minutes(at, rng.range(10, 120) as u32),
                r,
                Say::Answer,
            ));
        }
        posts.push(Post {
            conv: Conv::Leads(dept),
            threaded: true,
            topic: rng.index(text::TOPICS.len()),
            msgs,
        });
    }
    // Cross-team asks, inside both people's hours when they share any.
    let n = rng.poisson((0.08 * n_people as f64).min(5000.0));
    for _ in 0..n {
        if pairs.is_empty() {
            break;
        }
        let (a, b) = pairs[rng.index(pairs.len())];
        let (asker, recipient) = if rng.chance(0.5) { (a, b) } else { (b, a) };
        if !org.people[asker].works_on_date(date) {
            continue;
        }
        let later = Duration::minutes(180);
        let mut at = at_for(&mut rng, asker);
        for _ in 0..24 {
            let (a, r) = (&org.people[asker], &org.people[recipient]);
            if r.in_working_time(at)
                && r.in_working_time(at + later)
                && a.in_working_time(at + later)
            {
                break;
            }
            at = at_for(&mut rng, asker);
        }
        let mut msgs = vec![person_msg(at, asker, Say::Ask)];
        let reply = org.people[recipient]
            .after_business_minutes(at, rng.log_normal(60.0, 0.9).clamp(2.0, 480.0) as u32);
        msgs.push(person_msg(reply, recipient, Say::Answer));
        posts.push(Post {
            conv: Conv::dm(asker, recipient),
            threaded: false,
            topic: rng.index(text::TOPICS.len()),
            msgs,
        });
    }
    posts
}

/// True when a conversation lives in Mattermost rather than Slack.
pub fn in_mattermost(org: &Org, conv: Conv) -> bool {
    match conv {
        Conv::Team(t) | Conv::TeamGroup(t) => org.teams[t].chat() == Chat::Mattermost,
        Conv::Dm(a, b) => {
            let (ta, tb) = (org.people[a].team, org.people[b].team);
            ta == tb && org.teams[ta].chat() == Chat::Mattermost
        }
        _ => false,
    }
}
