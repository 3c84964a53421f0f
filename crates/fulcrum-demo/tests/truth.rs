//! The answer key agrees with the files: every range `truth.json` states
//! for a team (and for the experiment) is recomputed here from the
//! calendars (read with fulcrum-ics), the Slack ZIP (zip + serde_json), the
//! Mattermost export, work_items.csv and pulse.csv, with people, time zones
//! and working hours from people.csv (read with fulcrum-workspace). Asks,
//! the breach rate, escalations and tz_burden follow SIGNALS.md (see
//! `common`'s spec section); the findings that fire are judged on the
//! window median of team-week values, as SIGNALS.md's finding table is.
//! Each check runs on the default (easy) demo and on a 60-person,
//! 13-week demo of the realistic preset.

#![allow(clippy::unwrap_used)] // Tests: a panic is a failed test with its location.

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

struct Ctx<'a> {
    world: &'a World,
    chat: &'a [ChatMsg],
    files: &'a Files,
    /// SIGNALS.md's asks, with their replies.
    asks: &'a [SpecAsk],
    /// SIGNALS.md's team-week values.
    spec: &'a BTreeMap<String, TeamWeekValues>,
}

fn window(world: &World, name: &str) -> std::ops::RangeInclusive<u32> {
    let e = &world.truth["experiment"];
    let range = |k: &str| {
        let v = e[k].as_array().unwrap();
        v[0].as_u64().unwrap() as u32..=v[1].as_u64().unwrap() as u32
    };
    match name {
        "baseline" => range("baseline_weeks"),
        "treatment" => range("treatment_weeks"),
        _ => 1..=world.weeks,
    }
}

fn team_conv(team: &Value) -> String {
    let chat = &team["chat"];
    match chat["platform"].as_str().unwrap() {
        "slack" => format!("slack:{}", chat["channel"].as_str().unwrap()),
        _ => format!("mm:{}", chat["channel"].as_str().unwrap()),
    }
}

/// Team-week counts of a team's channel (UTC weeks).
fn per_week(world: &World, times: impl Iterator<Item = DateTime<Utc>>) -> Vec<f64> {
    let mut counts = vec![0.0; world.weeks as usize];
    for t in times {
        if let Some(w) = utc_week(world, t) {
            counts[w as usize - 1] += 1.0;
        }
    }
    counts
}

/// The window median of a signal's team-week values (SIGNALS.md).
fn spec_window(c: &Ctx<'_>, team: &Value, signal: &str) -> f64 {
    let slug = team["team"].as_str().unwrap();
    window_median(&c.spec[slug][signal])
        .unwrap_or_else(|| panic!("{slug}: no week with a value of {signal}"))
}

fn csv_rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

fn week_of_date(world: &World, d: NaiveDate) -> Option<u32> {
    let days = (d - world.start).num_days();
    (days >= 0 && days < 7 * i64::from(world.weeks)).then_some((days / 7) as u32 + 1)
}

fn throughput(c: &Ctx<'_>, team_name: &str, weeks: std::ops::RangeInclusive<u32>) -> f64 {
    let rows = csv_rows(c.files.text("work_items.csv"));
    let n = rows
        .iter()
        .filter(|r| r["Team"] == team_name && !r["Completed"].is_empty())
        .filter_map(|r| DateTime::parse_from_rfc3339(&r["Completed"]).ok())
        .filter_map(|t| week_of_date(c.world, t.date_naive()))
        .filter(|w| weeks.contains(w))
        .count();
    // Per working person-day: capacity moves with vacations and holidays.
    let slug = c.world.truth["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == team_name)
        .unwrap()["team"]
        .as_str()
        .unwrap()
        .to_owned();
    let days: usize = c.world.teams[&slug]
        .iter()
        .map(|e| {
            let p = &c.world.people[e];
            (0..7 * i64::from(c.world.weeks))
                .map(|d| c.world.start + Duration::days(d))
                .filter(|d| {
                    week_of_date(c.world, *d).is_some_and(|w| weeks.contains(&w))
                        && !p.working(*d).is_empty()
                })
                .count()
        })
        .sum();
    n as f64 / days as f64
}

fn morale(c: &Ctx<'_>, team_name: &str, weeks: std::ops::RangeInclusive<u32>) -> f64 {
    let rows = csv_rows(c.files.text("pulse.csv"));
    let scores: Vec<f64> = rows
        .iter()
        .filter(|r| r["team"] == team_name)
        .filter(|r| {
            week_of_date(
                c.world,
                NaiveDate::parse_from_str(&r["week_start"], "%Y-%m-%d").unwrap(),
            )
            .is_some_and(|w| weeks.contains(&w))
        })
        .map(|r| r["score"].parse().unwrap())
        .collect();
    scores.iter().sum::<f64>() / scores.len() as f64
}

/// The value of one expectation for one team.
fn value(c: &Ctx<'_>, team: &Value, signal: &str, aggregate: &str, window_name: &str) -> f64 {
    let world = c.world;
    let slug = team["team"].as_str().unwrap();
    let members: Vec<String> = world.teams[slug].clone();
    let weeks = window(world, window_name);
    let pws = || world.team_weeks(slug, weeks.clone());
    let med = |f: fn(&PersonWeek) -> f64| median(pws().iter().map(f).collect());
    match (signal, aggregate) {
        ("short_meetings", "median_person_week") => med(|p| p.short_meetings),
        ("meeting_share", "median_person_week") => med(|p| p.meeting_share),
        ("focus_hours", "median_person_week") => med(|p| p.focus_hours),
        ("fragmentation", "median_person_week") => med(|p| p.fragmentation),
        ("standups", "median_person_week") => med(|p| p.standups),
        ("short_notice_share", "team_share") => {
            let v = pws();
            v.iter().map(|p| p.short_notice).sum::<f64>()
                / v.iter().map(|p| p.non_recurring).sum::<f64>()
        }
        ("recurring_share", "team_share") => {
            let v = pws();
            v.iter().map(|p| p.recurring_hours).sum::<f64>()
                / v.iter().map(|p| p.meeting_hours).sum::<f64>()
        }
        ("organizer_concentration", "team_share") => {
            let mut by: HashMap<String, f64> = HashMap::new();
            for p in pws() {
                for (o, h) in p.by_organizer {
                    *by.entry(o).or_default() += h;
                }
            }
            let total: f64 = by.values().sum();
            by.values().copied().fold(0.0, f64::max) / total
        }
        ("series_without_end_share", "team_share") => {
            let ours: Vec<bool> = world
                .series
                .values()
                .filter(|(o, _)| members.contains(o))
                .map(|(_, ends)| *ends)
                .collect();
            assert!(!ours.is_empty(), "{slug} organizes no series");
            ours.iter().filter(|e| !**e).count() as f64 / ours.len() as f64
        }
        ("cross_tz_ask_share", "team_share") => {
            let received: Vec<&SpecAsk> = c
                .asks
                .iter()
                .filter(|a| members.contains(&a.recipient))
                .collect();
            let cross = received
                .iter()
                .filter(|a| {
                    !world.people[&a.recipient].in_working_time(a.at)
                        && world.people[&a.sender].in_working_time(a.at)
                })
                .count();
            cross as f64 / received.len() as f64
        }
        ("conflict_hours", "median_person_week") => med(|p| p.conflict_hours),
        ("multitasking_share", "median_person_week") => {
            let mut v = Vec::new();
            for e in &members {
                let mut mine: Vec<DateTime<Utc>> = c
                    .chat
                    .iter()
                    .filter(|m| written(m) && m.author.as_deref() == Some(e.as_str()))
                    .map(|m| m.at)
                    .collect();
                mine.sort();
                let pws = world.spec_person_weeks(e);
                for w in weeks.clone() {
                    let p = &pws[w as usize - 1];
                    if !p.away
                        && let Some(x) = multitasking_share(p, &mine)
                    {
                        v.push(x);
                    }
                }
            }
            median(v)
        }
        ("hygiene_agenda", "team_share") | ("hygiene_outcome", "team_share") => {
            let mut seen = std::collections::HashSet::new();
            let (mut n, mut yes) = (0.0, 0.0);
            for m in members.iter().flat_map(|e| world.calendars[e].iter()) {
                let organized = m.organizer.as_ref().is_some_and(|o| members.contains(o));
                if organized && m.participants().len() >= 2 && seen.insert((m.uid.clone(), m.start))
                {
                    n += 1.0;
                    if (signal == "hygiene_agenda" && m.agenda)
                        || (signal == "hygiene_outcome" && m.outcome)
                    {
                        yes += 1.0;
                    }
                }
            }
            yes / n
        }
        ("tz_burden", "gini") | ("tz_burden", "median_team_week") => {
            spec_window(c, team, "tz_burden")
        }
        ("reply_latency_business_hours", "median") | ("sla_breach_rate", "team_share") => {
            // Pooled over the window: every ask the members received.
            let data_end =
                DateTime::parse_from_rfc3339(world.truth["export_time"].as_str().unwrap())
                    .unwrap()
                    .with_timezone(&Utc);
            let mut latencies = Vec::new();
            let (mut decided, mut breaches) = (0.0, 0.0);
            for a in c.asks.iter().filter(|a| members.contains(&a.recipient)) {
                let o = outcome(world, a, data_end);
                if let Outcome::Answered(h) = o {
                    latencies.push(h);
                }
                if let Some(b) = breach(a, o) {
                    decided += 1.0;
                    if b {
                        breaches += 1.0;
                    }
                }
            }
            if signal == "sla_breach_rate" {
                breaches / decided
            } else {
                median(latencies)
            }
        }
        ("thread_escalations", "median_team_week") => spec_window(c, team, "thread_escalations"),
        ("huddles", "median_team_week") => {
            let conv = team_conv(team);
            median(per_week(
                world,
                c.chat
                    .iter()
                    .filter(|m| m.conv == conv && m.subtype == "huddle_thread")
                    .map(|m| m.at),
            ))
        }
        _ => panic!("the test does not know how to compute {signal} ({aggregate})"),
    }
}

fn check(op: &str, got: f64, bound: f64) -> bool {
    match op {
        ">=" => got >= bound,
        "<=" => got <= bound,
        "<" => got < bound,
        ">" => got > bound,
        _ => panic!("unknown op {op}"),
    }
}

fn with_files<T>(files: &Files, f: impl FnOnce(&Ctx<'_>) -> T) -> T {
    let world = World::read(files);
    let chat = read_chat(files, &world);
    let asks = spec_asks(&chat);
    let spec = spec_team_weeks(&world, &chat);
    f(&Ctx {
        world: &world,
        chat: &chat,
        files,
        asks: &asks,
        spec: &spec,
    })
}

#[test]
fn every_team_range_in_truth_json_holds_in_the_files() {
    every_team_range_in_truth_json_holds_in_the_files_in(default_demo());
}

#[test]
fn every_team_range_in_truth_json_holds_in_the_files_realistic() {
    every_team_range_in_truth_json_holds_in_the_files_in(realistic_demo());
}

fn every_team_range_in_truth_json_holds_in_the_files_in(files: &Files) {
    with_files(files, |c| {
        let mut failures = Vec::new();
        let mut table = Vec::new();
        for team in c.world.truth["teams"].as_array().unwrap() {
            for x in team["expect"].as_array().unwrap() {
                let (signal, aggregate, op, bound, win) = (
                    x["signal"].as_str().unwrap(),
                    x["aggregate"].as_str().unwrap(),
                    x["op"].as_str().unwrap(),
                    x["value"].as_f64().unwrap(),
                    x["window"].as_str().unwrap(),
                );
                let got = value(c, team, signal, aggregate, win);
                let line = format!(
                    "{:<14} {:<34} {signal:<26} {aggregate:<20} {got:>7.3} {op} {bound}",
                    team["team"].as_str().unwrap(),
                    team["pattern"].as_str().unwrap()
                );
                if !check(op, got, bound) {
                    failures.push(line.clone());
                }
                table.push(line);
            }
        }
        println!("{}", table.join("\n"));
        assert!(
            failures.is_empty(),
            "ranges that do not hold:\n{}",
            failures.join("\n")
        );
    });
}

#[test]
fn the_experiment_moves_standups_focus_throughput_and_morale() {
    the_experiment_moves_standups_focus_throughput_and_morale_in(default_demo());
}

#[test]
fn the_experiment_moves_standups_focus_throughput_and_morale_realistic() {
    the_experiment_moves_standups_focus_throughput_and_morale_in(realistic_demo());
}

fn the_experiment_moves_standups_focus_throughput_and_morale_in(files: &Files) {
    with_files(files, |c| {
        let e = &c.world.truth["experiment"];
        let slug = e["team"].as_str().unwrap();
        let team = c.world.truth["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["team"] == slug)
            .unwrap()
            .clone();
        let name = team["name"].as_str().unwrap();
        let b = window(c.world, "baseline");
        let t = window(c.world, "treatment");
        let mut got: BTreeMap<&str, f64> = BTreeMap::new();
        got.insert(
            "standups baseline",
            value(c, &team, "standups", "median_person_week", "baseline"),
        );
        got.insert(
            "standups treatment",
            value(c, &team, "standups", "median_person_week", "treatment"),
        );
        got.insert(
            "focus_hours_gain",
            value(c, &team, "focus_hours", "median_person_week", "treatment")
                - value(c, &team, "focus_hours", "median_person_week", "baseline"),
        );
        got.insert(
            "throughput_ratio",
            throughput(c, name, t.clone()) / throughput(c, name, b.clone()),
        );
        got.insert("morale_gain", morale(c, name, t) - morale(c, name, b));
        println!("{got:#?}");
        for x in e["expect"].as_array().unwrap() {
            let signal = x["signal"].as_str().unwrap();
            let key = match (signal, x["window"].as_str().unwrap()) {
                ("standups", "baseline") => "standups baseline",
                ("standups", "treatment") => "standups treatment",
                (s, _) => got
                    .keys()
                    .copied()
                    .find(|k| *k == s)
                    .unwrap_or_else(|| panic!("unknown {s}")),
            };
            let (op, bound) = (x["op"].as_str().unwrap(), x["value"].as_f64().unwrap());
            assert!(
                check(op, got[key], bound),
                "{key}: {} {op} {bound} does not hold",
                got[key]
            );
        }
        // The standup series itself ends (UNTIL) before the treatment.
        let lead = team["lead"].as_str().unwrap();
        let start =
            NaiveDate::parse_from_str(e["treatment_start"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        let cutoff = start.and_hms_opt(0, 0, 0).unwrap().and_utc() - Duration::hours(14);
        let standups_after = c.world.calendars[lead]
            .iter()
            .filter(|m| {
                m.title.to_lowercase().contains("standup") && m.start > cutoff + Duration::days(1)
            })
            .count();
        assert_eq!(standups_after, 0);
    });
}

#[test]
fn the_healthy_team_fires_no_finding_the_others_fire() {
    the_healthy_team_fires_no_finding_the_others_fire_in(default_demo());
}

#[test]
fn the_healthy_team_fires_no_finding_the_others_fire_realistic() {
    the_healthy_team_fires_no_finding_the_others_fire_in(realistic_demo());
}

fn the_healthy_team_fires_no_finding_the_others_fire_in(files: &Files) {
    // Every finding threshold of SIGNALS.md that the test can recompute,
    // at its default, on the healthy team: none fires.
    with_files(files, |c| {
        let healthy = c.world.truth["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["pattern"] == "healthy")
            .unwrap()
            .clone();
        let checks: [(&str, &str, &str, f64); 8] = [
            ("short_meetings", "median_person_week", "<", 3.0),
            ("short_notice_share", "team_share", "<", 0.35),
            ("focus_hours", "median_person_week", ">=", 10.0),
            ("fragmentation", "median_person_week", "<=", 0.5),
            ("meeting_share", "median_person_week", "<=", 0.4),
            ("organizer_concentration", "team_share", "<=", 0.5),
            ("cross_tz_ask_share", "team_share", "<", 0.10),
            ("recurring_share", "team_share", "<=", 0.6),
        ];
        for (signal, aggregate, op, bound) in checks {
            let got = value(c, &healthy, signal, aggregate, "all");
            let ok = match op {
                "<" => got < bound,
                "<=" => got <= bound,
                _ => got >= bound,
            };
            assert!(ok, "healthy team: {signal} = {got} is not {op} {bound}");
        }
        assert!(spec_window(c, &healthy, "thread_escalations") < 2.0);
    });
}

/// The findings of SIGNALS.md's table that fire on a team at the default
/// thresholds, as recomputed here: each signal's window value is the median
/// of its team-week values (the hygiene shares are pooled over the window).
fn fired(c: &Ctx<'_>, team: &Value) -> Vec<&'static str> {
    let w = |s| spec_window(c, team, s);
    let v = |s, a| value(c, team, s, a, "all");
    let mut out = Vec::new();
    let mut fire = |id: &'static str, yes: bool| {
        if yes {
            out.push(id);
        }
    };
    fire("meetings_clear_small_blockers", w("short_meetings") >= 3.0);
    fire(
        "threads_end_in_sudden_meetings",
        w("thread_escalations") >= 2.0,
    );
    fire("calendar_conflicts", w("conflict_hours") >= 1.0);
    fire("late_night_pings", w("cross_tz_asks") >= 0.10);
    fire(
        "huddles_after_surprises",
        w("short_notice_meetings") >= 0.35,
    );
    fire(
        "fragmented_deep_work",
        w("focus_hours") < 10.0 || w("fragmentation") > 0.5,
    );
    fire("meeting_overload", w("meeting_share") > 0.4);
    fire(
        "meetings_without_artifacts",
        v("hygiene_outcome", "team_share") < 0.5 || v("hygiene_agenda", "team_share") < 0.5,
    );
    fire(
        "one_person_controls_sync_time",
        w("organizer_concentration") > 0.5,
    );
    fire("slow_async", w("sla_breach_rate") > 0.2);
    fire("recurring_sprawl", w("recurring_share") > 0.6);
    fire("unfair_tz_burden", w("tz_burden") > 0.5);
    fire("multitasked_meetings", w("multitasking_share") >= 0.5);
    out
}

#[test]
fn the_findings_that_fire_are_the_planted_ones_and_the_declared_side_effects() {
    the_findings_that_fire_are_the_planted_ones_and_the_declared_side_effects_in(default_demo());
}

#[test]
fn the_findings_that_fire_are_the_planted_ones_and_the_declared_side_effects_realistic() {
    the_findings_that_fire_are_the_planted_ones_and_the_declared_side_effects_in(realistic_demo());
}

fn the_findings_that_fire_are_the_planted_ones_and_the_declared_side_effects_in(files: &Files) {
    with_files(files, |c| {
        let mut wrong = Vec::new();
        for team in c.world.truth["teams"].as_array().unwrap() {
            let mut expected: Vec<&str> = team["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap())
                .collect();
            expected.extend(
                team["also_fires"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["finding"].as_str().unwrap()),
            );
            expected.sort_unstable();
            let mut got = fired(c, team);
            got.sort_unstable();
            if got != expected {
                wrong.push(format!(
                    "{}: expected {expected:?}, fired {got:?}",
                    team["team"]
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    });
}

/// The generator's computed values (truth.json `computed`) against this
/// recomputation from the files, team-week by team-week: every mismatch.
fn computed_mismatches(c: &Ctx<'_>) -> (usize, usize, Vec<String>) {
    let (mut cells, mut agree, mut out) = (0, 0, Vec::new());
    for team in c.world.truth["teams"].as_array().unwrap() {
        let slug = team["team"].as_str().unwrap();
        let computed = &team["computed"]["signals"];
        for &signal in SPEC_SIGNALS {
            let key: Vec<Option<f64>> = computed[signal]["weeks"]
                .as_array()
                .unwrap_or_else(|| panic!("{slug}: no computed {signal}"))
                .iter()
                .map(Value::as_f64)
                .collect();
            for (i, (k, f)) in key.iter().zip(&c.spec[slug][signal]).enumerate() {
                cells += 1;
                // Mattermost's create_at adds up to a second to the
                // planned instant, so a latency read from the files may
                // cross a minute boundary the plan does not.
                let tolerance = if signal == "response_latency" {
                    0.02
                } else {
                    1e-3
                };
                let same = match (k, f) {
                    (Some(a), Some(b)) => (a - b).abs() <= tolerance,
                    (None, None) => true,
                    _ => false,
                };
                if same {
                    agree += 1;
                } else {
                    out.push(format!(
                        "{slug} week {} {signal}: key {k:?}, files {f:?}",
                        i + 1
                    ));
                }
            }
        }
    }
    (cells, agree, out)
}

#[test]
fn the_computed_values_of_truth_json_agree_with_the_files() {
    for files in [default_demo(), realistic_demo()] {
        with_files(files, |c| {
            let (cells, agree, wrong) = computed_mismatches(c);
            println!("{agree} of {cells} team-week values agree");
            assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        });
    }
}
