//! Chat signals on small hand-worked fixtures.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is a failed test with its location.

mod common;

use chrono::Duration;
use chrono_tz::{America, Europe, UTC};
use common::*;
use fulcrum_analysis::coverage::CoverageKey;
use fulcrum_analysis::{LatencyStats, Params, SignalId::*, TeamValue, Unknown, Value};
use fulcrum_model::chat::{MessageKind, SystemEvent};

fn w19() -> fulcrum_analysis::Window {
    week_of(date(2024, 5, 6))
}

fn latency(m: Option<fulcrum_analysis::Measured>) -> LatencyStats {
    match m {
        Some(Ok(Value::Latency(l))) => l,
        other => panic!("expected latency, got {other:?}"),
    }
}

/// Ana and Bo in New York, Cy in Berlin, all Mon-Fri 09:00-17:00 local;
/// no calendars needed. Week 2024-W19 (6-12 May; New York is UTC-4, Berlin
/// UTC+2).
fn trio() -> Vec<fulcrum_analysis::PersonData> {
    vec![
        data(person("ana", "t", America::New_York), vec![]),
        data(person("bo", "t", America::New_York), vec![]),
        data(person("cy", "t", Europe::Berlin), vec![]),
    ]
}

#[test]
fn asks_latencies_sla_and_after_hours() {
    let ny = America::New_York;
    let dm = dm("ana", "bo");
    let general = channel("#general");
    let incidents = channel("#incidents");
    let messages = vec![
        // (a) Ana DMs Bo on Friday 10 May 16:00; Bo answers Monday 13 May
        // 10:00. Wall: 8 h to midnight + 48 h + 10 h = 66 h. Business (Bo's
        // 9-17): 16:00-17:00 Friday + 09:00-10:00 Monday = 2 h.
        msg("a", &dm, "ana", at(ny, 2024, 5, 10, 16, 0)).m(),
        msg("a-reply", &dm, "bo", at(ny, 2024, 5, 13, 10, 0)).m(),
        // (b) Ana @mentions Bo in #incidents (a policy urgent channel: 2 h
        // SLA) Monday 6 May 10:00; Bo answers in the thread at 13:00: 3 h on
        // both clocks, a breach.
        msg("b", &incidents, "ana", at(ny, 2024, 5, 6, 10, 0))
            .parent()
            .mention("bo")
            .m(),
        msg("b-reply", &incidents, "bo", at(ny, 2024, 5, 6, 13, 0))
            .reply_to("b")
            .m(),
        // (c) Ana @mentions Cy in #general Monday 10:00 New York = 16:00
        // Berlin, inside Cy's working time. Cy never answers.
        msg("c", &general, "ana", at(ny, 2024, 5, 6, 10, 0))
            .mention("cy")
            .m(),
        // (d) 12:00 New York = 18:00 Berlin: after hours for Cy, inside
        // Ana's day: a cross-time-zone ask.
        msg("d", &general, "ana", at(ny, 2024, 5, 6, 12, 0))
            .mention("cy")
            .m(),
        // (e) 20:00 New York = 02:00 Berlin: after hours for both: after
        // hours for Cy but not cross-time-zone; after hours for Ana too.
        msg("e", &general, "ana", at(ny, 2024, 5, 6, 20, 0))
            .mention("cy")
            .m(),
        // Not asks: a self-mention, a bot.
        msg("f", &general, "bo", at(ny, 2024, 5, 7, 11, 0))
            .mention("bo")
            .m(),
        msg("g", &general, "ana", at(ny, 2024, 5, 7, 11, 0))
            .mention("cy")
            .bot()
            .m(),
        // The data ends Monday 20 May: Cy's limit of 5 x 8 business hours has
        // passed for (c), (d), (e) (from Monday 16:00 Berlin: 1 + 4 x 8 + 8 =
        // 41 h by Monday 13 May 17:00 already).
        msg("z", &general, "ana", at(ny, 2024, 5, 20, 12, 0)).m(),
    ];
    let params = Params {
        urgent_channels: vec!["incidents".into()],
        ..Params::default()
    };
    let conversations = [dm.clone(), general, incidents];
    let s = run(&trio(), w19(), params.clone(), &conversations, &messages);
    // Each conversation settled when its messages are in (as a Slack
    // export is read): asks with a reply decided then, the rest at the
    // end. The same signals.
    let settled = run_settling(&trio(), w19(), params, &conversations, &messages);
    assert_eq!(s, settled);
    let (ana, bo, cy) = (0, 1, 2);

    // Ana sent a, b, c, d, e in W19 (g is a bot's; z is in W21): 5, of which
    // (e) after hours.
    assert_close(number(get(&s, ana, 0, MessagesSent)), 5.0);
    assert_eq!(ratio(get(&s, ana, 0, AfterHoursMessages)), (1.0, 5.0));
    // Bo sent b-reply and f in W19 (a-reply is in W20).
    assert_close(number(get(&s, bo, 0, MessagesSent)), 2.0);

    // Bo: two answered asks. Wall [66, 3]: median 34.5, p90 = 3 + 0.9 x 63 =
    // 59.7. Business [2, 3]: median 2.5, p90 = 2 + 0.9 x 1 = 2.9.
    let l = latency(get(&s, bo, 0, ResponseLatency));
    assert_eq!((l.answered, l.unanswered, l.pending), (2, 0, 0));
    let (wall, business) = (l.wall.unwrap(), l.business.unwrap());
    assert_close(wall.median, 34.5);
    assert_close(wall.p90, 59.7);
    assert_close(business.median, 2.5);
    assert_close(business.p90, 2.9);
    // SLA: (a) 2 h <= 24 h met, (b) 3 h > 2 h urgent breached: 1 of 2.
    assert_eq!(ratio(get(&s, bo, 0, SlaBreachRate)), (1.0, 2.0));
    // Both asks reached Bo inside his working time.
    assert_eq!(ratio(get(&s, bo, 0, AfterHoursAsksReceived)), (0.0, 2.0));

    // Cy: three asks, (d) and (e) after hours, (d) sent inside Ana's day.
    assert_eq!(ratio(get(&s, cy, 0, AfterHoursAsksReceived)), (2.0, 3.0));
    assert_eq!(ratio(get(&s, cy, 0, CrossTzAsks)), (1.0, 3.0));
    // All unanswered: no latency, three SLA breaches of three.
    let l = latency(get(&s, cy, 0, ResponseLatency));
    assert_eq!(
        (l.answered, l.unanswered, l.pending, l.wall, l.business),
        (0, 3, 0, None, None)
    );
    assert_eq!(ratio(get(&s, cy, 0, SlaBreachRate)), (3.0, 3.0));
    // Ana received nothing: no latency to speak of (not 0 h).
    assert_eq!(get(&s, ana, 0, ResponseLatency), Some(Err(Unknown::NoAsks)));
    assert_eq!(get(&s, ana, 0, SlaBreachRate), Some(Err(Unknown::NoAsks)));

    let cov = |k| s.coverage.get(k).map(|f| (f.part, f.whole)).unwrap();
    assert_eq!(cov(CoverageKey::AsksDecided), (5, 5));
    assert_eq!(cov(CoverageKey::DmMembersKnown), (2, 2));
    // Mentions by listed people of someone else: b, c, d, e.
    assert_eq!(cov(CoverageKey::MentionsResolved), (4, 4));
    assert_eq!(s.coverage.bot_or_system_messages, 1);
    // z (W21) and a-reply (W20) are outside the window's weeks.
    assert_eq!(s.coverage.messages_outside_window, 2);

    // The team of three is below the minimum group of 5: suppressed, with
    // why (Ana received no asks: two members have a latency value).
    let tw = &s.teams[0].weeks[0];
    assert_eq!(
        tw.get(ResponseLatency).unwrap().value,
        Err(Unknown::Suppressed {
            members_with_data: 2,
            min_group_size: 5
        })
    );

    // With a minimum of 2 the team's latency pools every ask: Bo's two
    // answered, Cy's three unanswered; wall median over [66, 3] = 34.5.
    let params = Params {
        urgent_channels: vec!["incidents".into()],
        min_group_size: 2,
        ..Params::default()
    };
    let convs = [dm, channel("#general"), channel("#incidents")];
    let s = run(&trio(), w19(), params, &convs, &messages);
    let tw = &s.teams[0].weeks[0];
    let Ok(TeamValue::Aggregate(a)) = &tw.get(ResponseLatency).unwrap().value else {
        panic!()
    };
    let pooled = a.latency.unwrap();
    assert_eq!((pooled.answered, pooled.unanswered), (2, 3));
    assert_close(pooled.wall.unwrap().median, 34.5);
    // Cross-time-zone asks: 1 of the team's 5 asks, pooled.
    let Ok(TeamValue::Aggregate(a)) = &tw.get(CrossTzAsks).unwrap().value else {
        panic!()
    };
    let pooled = a.pooled.unwrap();
    assert_eq!((pooled.part, pooled.whole), (1.0, 5.0));
}

/// Chat read in parallel must give what one thread gives: a conversation's
/// settled state may reach the analysis in any order. Bo's latencies come
/// from two conversations ([66, 3] h one way round, [3, 66] the other) and
/// Cy's unanswered asks from a third; every signal must be the same.
#[test]
fn the_order_conversations_are_settled_in_changes_nothing() {
    let ny = America::New_York;
    let dm = dm("ana", "bo");
    let general = channel("#general");
    let incidents = channel("#incidents");
    let messages = vec![
        msg("a", &dm, "ana", at(ny, 2024, 5, 10, 16, 0)).m(),
        msg("a-reply", &dm, "bo", at(ny, 2024, 5, 13, 10, 0)).m(),
        msg("b", &incidents, "ana", at(ny, 2024, 5, 6, 10, 0))
            .parent()
            .mention("bo")
            .m(),
        msg("b-reply", &incidents, "bo", at(ny, 2024, 5, 6, 13, 0))
            .reply_to("b")
            .m(),
        msg("b-2", &incidents, "cy", at(ny, 2024, 5, 6, 13, 30))
            .reply_to("b")
            .mention("ana")
            .m(),
        msg("c", &general, "ana", at(ny, 2024, 5, 6, 10, 0))
            .mention("cy")
            .m(),
        msg("d", &general, "bo", at(ny, 2024, 5, 7, 12, 0))
            .mention("ana")
            .m(),
        msg("d-reply", &general, "ana", at(ny, 2024, 5, 7, 12, 20)).m(),
        msg("z", &general, "ana", at(ny, 2024, 5, 20, 12, 0)).m(),
    ];
    let params = Params {
        urgent_channels: vec!["incidents".into()],
        min_group_size: 2,
        ..Params::default()
    };
    let forward = [dm.clone(), general.clone(), incidents.clone()];
    let backward = [incidents, dm, general];
    let one = run_settling(&trio(), w19(), params.clone(), &forward, &messages);
    let other = run_settling(&trio(), w19(), params, &backward, &messages);
    assert_eq!(one, other);
    // The fixture does reach the latencies that could depend on order.
    let l = latency(get(&one, 1, 0, ResponseLatency));
    assert_eq!(l.answered, 2);
    assert_close(l.wall.unwrap().median, 34.5);
}

#[test]
fn an_ask_answered_after_a_weekend_on_both_clocks() {
    let ny = America::New_York;
    let dm = dm("ana", "bo");
    // Friday 10 May 2024 16:00 -> Monday 13 May 10:00, New York (EDT all
    // along): wall 66 h; business (Bo's 09:00-17:00) 1 h Friday + 1 h
    // Monday = 2 h.
    let messages = vec![
        msg("a", &dm, "ana", at(ny, 2024, 5, 10, 16, 0)).m(),
        msg("b", &dm, "bo", at(ny, 2024, 5, 13, 10, 0)).m(),
    ];
    let s = run(
        &trio(),
        w19(),
        Params::default(),
        std::slice::from_ref(&dm),
        &messages,
    );
    let l = latency(get(&s, 1, 0, ResponseLatency));
    assert_eq!(l.answered, 1);
    assert_close(l.wall.unwrap().median, 66.0);
    assert_close(l.business.unwrap().median, 2.0);
    assert_eq!(ratio(get(&s, 1, 0, SlaBreachRate)), (0.0, 1.0));

    // The same over the weekend New York springs forward (Sunday 10 March
    // 2024, 02:00 -> 03:00): the wall clock loses an hour, 65 h; business
    // hours are still 2.
    let messages = vec![
        msg("a", &dm, "ana", at(ny, 2024, 3, 8, 16, 0)).m(),
        msg("b", &dm, "bo", at(ny, 2024, 3, 11, 10, 0)).m(),
    ];
    let s = run(
        &trio(),
        week_of(date(2024, 3, 4)),
        Params::default(),
        &[dm],
        &messages,
    );
    let l = latency(get(&s, 1, 0, ResponseLatency));
    assert_close(l.wall.unwrap().median, 65.0);
    assert_close(l.business.unwrap().median, 2.0);
}

#[test]
fn pending_asks_are_neither_answered_nor_unanswered() {
    let ny = America::New_York;
    let dm = dm("ana", "bo");
    let dm2 = common::dm("cy", "bo");
    let general = channel("#general");
    let messages = vec![
        // Friday 10 May 10:00: a normal ask to Bo from Ana and an urgent
        // one from Cy (two DMs: in one DM two messages in a row are one
        // turn, one ask), no reply.
        msg("a", &dm, "ana", at(ny, 2024, 5, 10, 10, 0)).m(),
        msg("b", &dm2, "cy", at(ny, 2024, 5, 10, 10, 1))
            .urgent()
            .m(),
        // The data ends Monday 13 May 12:00: Bo's clock ran 7 h on Friday and
        // 3 h on Monday = 10 business hours, short of 40: pending. The
        // normal SLA (24 h) is not decided yet; the urgent one (2 h) is
        // already breached.
        msg("z", &general, "ana", at(ny, 2024, 5, 13, 12, 0)).m(),
    ];
    let s = run(
        &trio(),
        w19(),
        Params::default(),
        &[dm.clone(), dm2, general],
        &messages,
    );
    let l = latency(get(&s, 1, 0, ResponseLatency));
    assert_eq!((l.answered, l.unanswered, l.pending), (0, 0, 2));
    assert_eq!(ratio(get(&s, 1, 0, SlaBreachRate)), (1.0, 1.0));
    let f = s.coverage.get(CoverageKey::AsksDecided).unwrap();
    assert_eq!((f.part, f.whole), (0, 2));
    let w = pw(&s, 1, 0).chat.as_ref().unwrap();
    assert_eq!(w.urgent_asks, 1);
}

#[test]
fn a_top_level_mention_is_answered_in_its_thread_or_the_channel() {
    let general = channel("#general");
    let messages = vec![
        // Ana mentions Bo at 10:00 (UTC people); Bo writes in another thread
        // at 10:30 (not an answer), then at the channel's top level at 11:00.
        msg("a", &general, "ana", utc(2024, 5, 6, 10, 0))
            .mention("bo")
            .m(),
        msg("x", &general, "bo", utc(2024, 5, 6, 10, 30))
            .reply_to("other")
            .m(),
        msg("y", &general, "bo", utc(2024, 5, 6, 11, 0)).m(),
        // Ana mentions Bo in a thread at 12:00; Bo's top-level message at
        // 12:30 is not an answer there, his reply in the thread at 13:00 is.
        msg("b", &general, "ana", utc(2024, 5, 6, 12, 0))
            .reply_to("t")
            .mention("bo")
            .m(),
        msg("c", &general, "bo", utc(2024, 5, 6, 12, 30)).m(),
        msg("d", &general, "bo", utc(2024, 5, 6, 13, 0))
            .reply_to("t")
            .m(),
    ];
    let people = vec![
        data(person("ana", "t", UTC), vec![]),
        data(person("bo", "t", UTC), vec![]),
    ];
    let s = run(&people, w19(), Params::default(), &[general], &messages);
    // Latencies 1 h and 1 h.
    let l = latency(get(&s, 1, 0, ResponseLatency));
    assert_eq!(l.answered, 2);
    assert_close(l.wall.unwrap().median, 1.0);
    assert_close(l.wall.unwrap().p90, 1.0);
}

/// Four UTC people; threads in #eng during W19 (6-12 May 2024), and the
/// meetings of Ana's calendar they may escalate into.
#[test]
fn thread_escalations() {
    let eng = channel("#eng");
    let d = |day, h, m| utc(2024, 5, day, h, m);
    let mut messages = Vec::new();
    // A thread of `n` messages from `start`, 5 minutes apart, by `who` in turn.
    let mut thread = |id: &str, start, who: &[&str], n: usize| {
        for k in 0..n {
            let t = start + Duration::minutes(5 * k as i64);
            let author = who[k % who.len()];
            let m = if k == 0 {
                msg(id, &eng, author, t).parent()
            } else {
                msg(&format!("{id}.{k}"), &eng, author, t).reply_to(id)
            };
            messages.push(m.m());
        }
    };
    // T1: 6 messages by 3 people (10:00-10:25 Monday), the last asks for a
    // call: escalated (and Tuesday's meeting below would do too).
    thread("t1", d(6, 10, 0), &["ana", "bo", "cy"], 6);
    // T2: 10 messages by Ana and Bo, Tuesday 10:00-10:45; followed at 14:00
    // by a meeting created at 13:00 (short notice) with both: escalated.
    thread("t2", d(7, 10, 0), &["ana", "bo"], 10);
    // T3: 12 messages with a decision marker: not an escalation, even though
    // it ends with a call request.
    thread("t3", d(8, 10, 0), &["ana", "bo"], 12);
    // T4: 5 messages by 3 people ending with a call: too small.
    thread("t4", d(9, 10, 0), &["ana", "bo", "cy"], 5);
    // T5: 10 messages Thursday 12:00-12:45; the next short-notice meeting
    // with Ana and Bo starts Saturday 14:00, 49 h 15 min later: too late.
    // Friday's 11:00 meeting with both is within 48 h but was planned days
    // ahead: not short notice.
    thread("t5", d(9, 12, 0), &["ana", "bo"], 10);
    // T6: 10 messages by four people Saturday 10:00-10:45, followed at 14:00
    // by the short-notice meeting with Ana and Bo: 2 of 4 is half: escalated.
    thread("t6", d(11, 10, 0), &["ana", "bo", "cy", "dan"], 10);
    // T7: the same shape Saturday 11:00-11:45 but by Cy, Dan, Eve and Ana:
    // only Ana of the four is in the 14:00 meeting: not escalated.
    thread("t7", d(11, 11, 0), &["cy", "dan", "eve", "ana"], 10);
    let mut flag = |id: &str, set: fn(&mut fulcrum_model::chat::MessageFlags)| {
        let m = messages.iter_mut().find(|m| &*m.id == id).unwrap();
        set(&mut m.flags);
    };
    flag("t1.5", |f| f.call_request = true);
    flag("t3.4", |f| f.decision = true);
    flag("t3.11", |f| f.call_request = true);
    flag("t4.4", |f| f.call_request = true);

    let calendar = vec![
        ev("E2", UTC, d(7, 14, 0), 30)
            .organizer("ana")
            .accepted("bo")
            .created(d(7, 13, 0))
            .build(),
        ev("E5", UTC, d(11, 14, 0), 30)
            .organizer("ana")
            .accepted("bo")
            .created(d(11, 12, 0))
            .build(),
        ev("E6", UTC, d(10, 11, 0), 30)
            .organizer("ana")
            .accepted("bo")
            .created(d(7, 9, 0))
            .build(),
    ];
    let people = vec![
        data(person("ana", "t", UTC), calendar),
        data(person("bo", "t", UTC), vec![]),
        data(person("cy", "t", UTC), vec![]),
        data(person("dan", "t", UTC), vec![]),
        data(person("eve", "t", UTC), vec![]),
    ];
    let s = run(
        &people,
        w19(),
        Params::default(),
        std::slice::from_ref(&eng),
        &messages,
    );
    // Settled when the conversation ends, as a Slack export is read: the same.
    let settled = run_settling(&people, w19(), Params::default(), &[eng], &messages);
    assert_eq!(s, settled);
    // T1, T2, T6 escalated. Ana and Bo were in all three, Cy in T1 and T6,
    // Dan in T6, Eve in none that escalated.
    let esc = |i| number(get(&s, i, 0, ThreadEscalations));
    assert_eq!(
        [esc(0), esc(1), esc(2), esc(3), esc(4)],
        [3.0, 3.0, 2.0, 1.0, 0.0]
    );
    // The team-week counts each thread once: 3 (not 3 + 3 + 2 + 1).
    let tw = &s.teams[0].weeks[0];
    match &tw.get(ThreadEscalations).unwrap().value {
        Ok(TeamValue::Aggregate(a)) => assert_close(a.total, 3.0),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_thread_ending_in_a_huddle_escalates() {
    let eng = channel("#eng");
    let mut messages: Vec<_> = (0..6)
        .map(|k| {
            let who = ["ana", "bo", "cy"][k % 3];
            let t = utc(2024, 5, 6, 10, 5 * k as u32);
            if k == 0 {
                msg("t", &eng, who, t).parent().m()
            } else {
                msg(&format!("t.{k}"), &eng, who, t).reply_to("t").m()
            }
        })
        .collect();
    // The huddle post is the system's, not a person's message.
    let mut huddle = msg("t.h", &eng, "ana", utc(2024, 5, 6, 10, 40))
        .reply_to("t")
        .m();
    huddle.huddle = true;
    huddle.kind = MessageKind::System(SystemEvent::Other);
    messages.push(huddle);
    let people: Vec<_> = ["ana", "bo", "cy"]
        .iter()
        .map(|n| data(person(n, "t", UTC), vec![]))
        .collect();
    let s = run(
        &people,
        w19(),
        Params::default(),
        std::slice::from_ref(&eng),
        &messages,
    );
    assert_close(number(get(&s, 0, 0, ThreadEscalations)), 1.0);
    // Without the huddle post the same thread does not escalate.
    messages.pop();
    let s = run(&people, w19(), Params::default(), &[eng], &messages);
    assert_close(number(get(&s, 0, 0, ThreadEscalations)), 0.0);
    // The huddle post did not count as Ana's message.
    assert_close(number(get(&s, 0, 0, MessagesSent)), 2.0);
}

#[test]
fn uninterrupted_hours_and_sync_share() {
    // Ana (UTC, 9-17) has a meeting Monday 12:00-13:00. Free Monday:
    // 09:00-12:00 and 13:00-17:00. She sends messages at 10:00:40 and 10:30,
    // and receives an ask at 16:20:
    //   09:00-10:00 (1 h, counts), 10:00-10:30 (too short), 10:30-12:00
    //   (1.5 h), 13:00-16:20 (3 h 20 min), 16:20-17:00 (too short)
    //   = 1 + 1.5 + 3.333... = 5.8333 h; Tuesday to Friday 4 x 8 = 32 h.
    let general = channel("#general");
    let mut first = msg("a", &general, "ana", utc(2024, 5, 6, 10, 0)).m();
    first.at += Duration::seconds(40);
    let messages = vec![
        first,
        msg("b", &general, "ana", utc(2024, 5, 6, 10, 30)).m(),
        msg("c", &general, "bo", utc(2024, 5, 6, 16, 20))
            .mention("ana")
            .m(),
    ];
    let meeting = ev("M", UTC, utc(2024, 5, 6, 12, 0), 60)
        .organizer("ana")
        .accepted("bo")
        .build();
    let people = vec![
        data(person("ana", "t", UTC), vec![meeting]),
        fulcrum_analysis::PersonData {
            person: person("cy", "t", UTC),
            calendar: Some(vec![]),
            in_chat: false,
        },
        // Bo must be on the list: messages of unknown authors are not asks.
        data(person("bo", "t", UTC), vec![]),
    ];
    let s = run(&people, w19(), Params::default(), &[general], &messages);
    assert_close(
        number(get(&s, 0, 0, UninterruptedHours)),
        1.0 + 1.5 + 10.0 / 3.0 + 32.0,
    );
    // Cy has no chat account: unknown, though focus hours are known.
    assert_eq!(
        get(&s, 1, 0, UninterruptedHours),
        Some(Err(Unknown::NoChat))
    );
    assert_close(number(get(&s, 1, 0, FocusHours)), 40.0);
    // Sync share, an estimate: 1 meeting hour / (1 h + 2 messages x 2 min =
    // 4 min) = 1 / (1 + 1/15) = 0.9375.
    let (part, whole) = ratio(get(&s, 0, 0, SyncShare));
    assert_close(part / whole, 0.9375);
    assert!(SyncShare.is_estimate());
    // Cy: unknown (no chat), not 100% or 0%.
    assert_eq!(get(&s, 1, 0, SyncShare), Some(Err(Unknown::NoChat)));
}

/// The asks received by person `i` in week `w`: (asks, answered,
/// unanswered, pending).
fn asks_of(s: &fulcrum_analysis::Signals, i: usize) -> (u32, u32, u32, u32) {
    let w = pw(s, i, 0).chat.as_ref().unwrap();
    let l = &w.latency;
    (w.asks_received, l.answered, l.unanswered, l.pending)
}

#[test]
fn a_reply_and_a_closing_thanks_are_not_asks() {
    let ny = America::New_York;
    let dm = dm("ana", "bo");
    let messages = vec![
        // Monday 10:00 Ana opens the DM (nothing before it): one ask to Bo.
        msg("a", &dm, "ana", at(ny, 2024, 5, 6, 10, 0))
            .question()
            .m(),
        // 10:30 Bo answers: his turn neither opens an exchange (30 min after
        // Ana's message, under the 8 h gap) nor asks anything.
        msg("b", &dm, "bo", at(ny, 2024, 5, 6, 10, 30)).m(),
        // 10:31 Ana closes: an acknowledgement, never an ask.
        msg("c", &dm, "ana", at(ny, 2024, 5, 6, 10, 31)).ack().m(),
        // Friday the data ends (a message elsewhere).
        msg("z", &channel("#general"), "cy", at(ny, 2024, 5, 10, 16, 0)).m(),
    ];
    let s = run(
        &trio(),
        w19(),
        Params::default(),
        &[dm, channel("#general")],
        &messages,
    );
    // Bo: one ask, answered in 30 min. Ana: none (before, every DM message
    // was an ask: Ana would have had one unanswered "thanks").
    assert_eq!(asks_of(&s, 1), (1, 1, 0, 0));
    assert_eq!(asks_of(&s, 0), (0, 0, 0, 0));
    assert_close(
        latency(get(&s, 1, 0, ResponseLatency)).wall.unwrap().median,
        0.5,
    );
    assert_eq!(ratio(get(&s, 1, 0, SlaBreachRate)), (0.0, 1.0));
    // Ana has a chat account and received nothing: 0 asks, a known value.
    assert_eq!(pw(&s, 0, 0).chat.as_ref().unwrap().messages_sent, 2);
}

#[test]
fn a_question_inside_an_exchange_is_an_ask_and_a_burst_is_one() {
    let ny = America::New_York;
    let dm = dm("ana", "bo");
    let messages = vec![
        // 09:00, 09:01, 09:02: Ana writes three messages before Bo writes:
        // one turn, opening the DM: one ask at 09:00.
        msg("a1", &dm, "ana", at(ny, 2024, 5, 6, 9, 0)).m(),
        msg("a2", &dm, "ana", at(ny, 2024, 5, 6, 9, 1))
            .question()
            .m(),
        msg("a3", &dm, "ana", at(ny, 2024, 5, 6, 9, 2)).m(),
        // 09:30 Bo answers, and at 09:31 asks back (same turn, inside the
        // exchange): an ask to Ana at 09:31.
        msg("b1", &dm, "bo", at(ny, 2024, 5, 6, 9, 30)).m(),
        msg("b2", &dm, "bo", at(ny, 2024, 5, 6, 9, 31))
            .question()
            .m(),
        // 10:31 Ana answers: 60 min.
        msg("a4", &dm, "ana", at(ny, 2024, 5, 6, 10, 31)).m(),
        // 19:00 (8 h 29 min of silence): Bo writes again without a
        // question: it opens a new exchange, an ask to Ana, unanswered
        // until the data ends Friday 16:00 (4 business days: pending).
        msg("b3", &dm, "bo", at(ny, 2024, 5, 6, 19, 0)).m(),
        msg("z", &channel("#general"), "cy", at(ny, 2024, 5, 10, 16, 0)).m(),
    ];
    let s = run(
        &trio(),
        w19(),
        Params::default(),
        &[dm, channel("#general")],
        &messages,
    );
    assert_eq!(asks_of(&s, 1), (1, 1, 0, 0), "Bo: Ana's burst is one ask");
    assert_close(
        latency(get(&s, 1, 0, ResponseLatency)).wall.unwrap().median,
        0.5,
    );
    assert_eq!(
        asks_of(&s, 0),
        (2, 1, 0, 1),
        "Ana: the question back and the new exchange"
    );
    assert_close(
        latency(get(&s, 0, 0, ResponseLatency)).wall.unwrap().median,
        1.0,
    );
    // Bo's 19:00 message is outside Ana's working time and inside... not
    // Bo's (same zone, 9-17): after hours but not across time zones.
    let ana = pw(&s, 0, 0).chat.as_ref().unwrap();
    assert_eq!((ana.after_hours_asks_received, ana.cross_tz_asks), (1, 0));
}

#[test]
fn thanks_with_a_mention_is_not_an_ask_and_huddles_are_calls() {
    let general = channel("#general");
    let messages = vec![
        msg("a", &general, "ana", utc(2024, 5, 6, 14, 0))
            .mention("bo")
            .m(),
        msg("b", &general, "ana", utc(2024, 5, 6, 14, 5))
            .mention("bo")
            .ack()
            .m(),
        // A huddle post by Bo: a call, not a written message.
        msg("h", &general, "bo", utc(2024, 5, 6, 15, 0))
            .huddle()
            .m(),
    ];
    let mut people = trio();
    for p in &mut people {
        p.person.tz = UTC;
    }
    let s = run(&people, w19(), Params::default(), &[general], &messages);
    assert_eq!(asks_of(&s, 1).0, 1, "the thanks is not a second ask");
    let bo = pw(&s, 1, 0).chat.as_ref().unwrap();
    assert_eq!((bo.messages_sent, bo.huddles), (0, 1));
}

#[test]
fn an_answer_exactly_at_the_limit_is_too_late() {
    let ny = America::New_York;
    let dm = dm("ana", "bo");
    let messages = vec![
        // Monday 10:00 to the next Monday 10:00: 5 x 8 = 40 business hours,
        // exactly the limit (5 business days): unanswered, not a latency.
        msg("a", &dm, "ana", at(ny, 2024, 5, 6, 10, 0)).m(),
        msg("b", &dm, "bo", at(ny, 2024, 5, 13, 10, 0)).m(),
    ];
    let s = run(
        &trio(),
        week_of(date(2024, 5, 6)),
        Params::default(),
        &[dm],
        &messages,
    );
    let l = latency(get(&s, 1, 0, ResponseLatency));
    assert_eq!((l.answered, l.unanswered, l.pending), (0, 1, 0));
}

#[test]
fn the_team_breach_rate_pools_its_asks() {
    // Cy (Berlin) gets four asks by mention from Ana in one hour on
    // Monday and answers none within the week: four breaches (pending past
    // the 24 h SLA: known breaches). Bo gets one DM ask, answered in 10 min.
    // Per person: Cy 4/4 = 100%, Bo 0/1 = 0%; the median of the two is 50%,
    // pooled 4 of 5 asks = 80%.
    let ny = America::New_York;
    let general = channel("#general");
    let dm = dm("ana", "bo");
    let mut messages = vec![
        msg("d1", &dm, "ana", at(ny, 2024, 5, 6, 10, 0)).m(),
        msg("d2", &dm, "bo", at(ny, 2024, 5, 6, 10, 10)).m(),
    ];
    for k in 0..4u32 {
        messages.push(
            msg(
                &format!("m{k}"),
                &general,
                "ana",
                at(ny, 2024, 5, 6, 9, 10 * k),
            )
            .mention("cy")
            .m(),
        );
    }
    messages.push(msg("z", &general, "bo", at(ny, 2024, 5, 10, 16, 0)).m());
    let params = Params {
        min_group_size: 2,
        ..Params::default()
    };
    let s = run(&trio(), w19(), params, &[dm, general], &messages);
    assert_eq!(ratio(get(&s, 2, 0, SlaBreachRate)), (4.0, 4.0));
    assert_eq!(ratio(get(&s, 1, 0, SlaBreachRate)), (0.0, 1.0));
    let v = s.teams[0].weeks[0]
        .get(SlaBreachRate)
        .unwrap()
        .value
        .clone()
        .unwrap();
    assert_close(v.headline(SlaBreachRate).unwrap(), 0.8);
}

#[test]
fn without_any_thread_escalations_are_not_assessed() {
    let general = channel("#general");
    let flat = vec![
        msg("a", &general, "ana", utc(2024, 5, 6, 14, 0)).m(),
        msg("b", &general, "bo", utc(2024, 5, 6, 14, 5)).m(),
    ];
    let s = run(
        &trio(),
        w19(),
        Params::default(),
        std::slice::from_ref(&general),
        &flat,
    );
    assert_eq!(
        get(&s, 0, 0, ThreadEscalations),
        Some(Err(Unknown::NoThreads))
    );
    // One thread anywhere: escalations can occur, and none did.
    let mut threaded = flat.clone();
    threaded.push(
        msg("c", &general, "cy", utc(2024, 5, 6, 15, 0))
            .parent()
            .m(),
    );
    threaded.push(
        msg("d", &general, "ana", utc(2024, 5, 6, 15, 5))
            .reply_to("c")
            .m(),
    );
    let s = run(&trio(), w19(), Params::default(), &[general], &threaded);
    assert_eq!(number(get(&s, 0, 0, ThreadEscalations)), 0.0);
}
