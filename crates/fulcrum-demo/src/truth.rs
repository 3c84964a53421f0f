//! The answer key: `truth.json` for programs (the end-to-end test of the
//! report reads it) and `TRUTH.md` for people. Per team: the pattern, the
//! finding ids that should fire, where it was planted, and the ranges its
//! signals fall in. Every range is checked against the files themselves by
//! this crate's tests (`tests/truth.rs`), not against the generator.

use crate::archetype::{Archetype, Chat, Dialect};
use crate::org::{Org, Team};
use crate::preset::{Activity, NEAR_CROSS_TZ_EVENING_ASKS, NEAR_SLOW_LATE_ANSWERS, Plant};
use crate::pulse::EXPERIMENT_MORALE_SHIFT;
use crate::work_items::EXPERIMENT_THROUGHPUT_FACTOR;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One expected range of a signal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expect {
    /// Signal id (see [`DEFINITIONS`]).
    pub signal: &'static str,
    /// How person-weeks or team-weeks are aggregated.
    pub aggregate: &'static str,
    /// `>=` or `<=`.
    pub op: &'static str,
    /// The bound.
    pub value: f64,
    /// `all`, `baseline` or `treatment`.
    pub window: &'static str,
}

const fn e(signal: &'static str, aggregate: &'static str, op: &'static str, value: f64) -> Expect {
    Expect {
        signal,
        aggregate,
        op,
        value,
        window: "all",
    }
}

/// What each signal and aggregate in `expect` means, precisely enough to
/// recompute it from the files.
pub const DEFINITIONS: &[(&str, &str)] = &[
    (
        "person_week",
        "an ISO week in the person's own time zone inside the window in which the person has at least 3 working days (weekdays of their working hours, minus days covered by an all-day out-of-office event in their own calendar)",
    ),
    (
        "attended_meeting",
        "as SIGNALS.md: an occurrence in the person's own calendar that is not cancelled, not TRANSP:TRANSPARENT, not all-day, shorter than 12 h, with at least two participants (organizer and attendees, resources and groups not counted), where the person is the organizer or an ACCEPTED attendee",
    ),
    ("median_person_week", "median over the team's person-weeks"),
    (
        "median_team_week",
        "median over the window's weeks (Monday to Sunday in UTC) of the team's count",
    ),
    (
        "team_share",
        "sum of the numerator over sum of the denominator over the team's person-weeks (or, for chat, over the window)",
    ),
    (
        "short_meetings",
        "attended non-recurring meetings of 30 minutes or less",
    ),
    (
        "short_notice_share",
        "attended non-recurring meetings whose CREATED is 24 h or less before their start / attended non-recurring meetings",
    ),
    (
        "meeting_share",
        "union of attended meeting time inside working time / working time",
    ),
    (
        "focus_hours",
        "free working time (no attended meeting) in blocks of at least 2 h",
    ),
    (
        "fragmentation",
        "free working time in blocks under 2 h / free working time",
    ),
    (
        "recurring_share",
        "attended meeting hours from recurring series / attended meeting hours",
    ),
    (
        "organizer_concentration",
        "share of the team's attended meeting person-hours organized by the single top organizer",
    ),
    (
        "series_without_end_share",
        "series (RRULE masters) organized by team members without UNTIL or COUNT / series organized by team members",
    ),
    (
        "standups",
        "attended occurrences whose title contains \"standup\"",
    ),
    (
        "thread_escalations",
        "as SIGNALS.md: threads in the team's channel with 10+ messages, or 3+ participants and 6+ messages, without a decision marker, followed within 48 h of their last message by a one-off short-notice meeting whose non-declined participants include at least half of the thread's participants, or ending (last 3 messages) with a call/huddle phrase or a huddle post; counted once, in the week of the thread's last message",
    ),
    (
        "huddles",
        "Slack messages with subtype huddle_thread in the team's channel",
    ),
    (
        "cross_tz_ask_share",
        "asks (see `ask`) received by team members that arrive outside the recipient's working time but were sent inside the sender's / asks received by team members",
    ),
    (
        "multitasking_share",
        "union of the attended meetings during which the person sent a chat message / union of attended meeting time",
    ),
    (
        "conflict_hours",
        "time during which two or more of the person's non-declined meetings overlap",
    ),
    (
        "hygiene_agenda",
        "share of the occurrences of meetings organized by team members whose description has an agenda (the reader's DescriptionFlags); hygiene_outcome likewise for a desired outcome",
    ),
    (
        "tz_burden",
        "per team-week, the Gini coefficient over the team's members with a calendar of their attended meeting hours outside their working time that week (0 when nobody has any); the finding judges the median over the window's weeks",
    ),
    (
        "ask",
        "as SIGNALS.md's clarification: in a DM, a turn (one member's messages before the other writes) is one ask to the other member when it opens an exchange (nothing written in the DM for 8 h before it) or when one of its messages asks something (a question mark or a request phrase); in channels and threads, a message is one ask to each distinct listed person it @mentions other than its author; a message that only acknowledges or closes (\"Thanks!\", \"On it.\") is never an ask; @here/@channel are not asks",
    ),
    (
        "reply_latency_business_hours",
        "median, over the asks received by team members (pooled), of the time to the recipient's first later message in the same DM or thread, counted on the recipient's working time; asks unanswered after 5 working days are not latencies",
    ),
    (
        "sla_breach_rate",
        "pooled over the team, as SIGNALS.md: asks received by team members whose business-hours latency exceeds their SLA (2 h when the ask says urgent/asap/blocker, else 24 h), unanswered asks (no reply within 5 times the recipient's working hours per day) included / asks whose outcome is known",
    ),
    (
        "throughput",
        "work items completed per team-week (work_items.csv, Completed in that week)",
    ),
    (
        "throughput_ratio",
        "work items the team completed per working person-day (working days from people.csv hours, minus all-day out-of-office days) in the treatment window, over the same in the baseline window",
    ),
    (
        "focus_hours_gain",
        "median focus_hours of the team's person-weeks in the treatment window minus the same in the baseline window",
    ),
    (
        "morale_gain",
        "mean pulse score of the team in the treatment window minus the baseline window",
    ),
    (
        "findings",
        "`findings` must fire; `also_fires` fire too, as consequences of the pattern; `expected_findings` is the two together, and no other finding of SIGNALS.md's table should fire for the team (`expected_silent`): in particular not those of `near_misses`, planted just under their threshold, nor a pattern that `weeks` says shows in too few weeks for the window median (recurring_sprawl means recurring_share > 60%, as 'series without end' has no threshold yet)",
    ),
    ("morale", "mean pulse score of the team's answers"),
    (
        "computed",
        "per team, SIGNALS.md's team-week values of the finding signals (short_meetings, conflict_hours, focus_hours, fragmentation, meeting_share, recurring_share, short_notice_meetings, organizer_concentration, tz_burden, cross_tz_asks, sla_breach_rate, response_latency in business hours, thread_escalations), computed by the generator from the events it wrote, never by the analysis: `weeks` (window week 1 first; null when the team-week is left out because half the team or more is away, listed in `weeks_left_out`, or fewer than 5 members have data) and `window`, the median of the known weeks, which the finding table judges; `expect` ranges only say on which side of a threshold a pattern should fall",
    ),
];

/// The ranges each archetype's signals fall in.
pub fn expectations(a: Archetype) -> Vec<Expect> {
    match a {
        Archetype::Healthy => vec![
            e("short_meetings", "median_person_week", "<=", 2.0),
            e("short_notice_share", "team_share", "<=", 0.2),
            e("meeting_share", "median_person_week", "<=", 0.3),
            e("focus_hours", "median_person_week", ">=", 14.0),
            e("fragmentation", "median_person_week", "<=", 0.4),
            e("recurring_share", "team_share", "<=", 0.6),
            e("organizer_concentration", "team_share", "<=", 0.45),
            e("series_without_end_share", "team_share", "<=", 0.0),
            e("cross_tz_ask_share", "team_share", "<=", 0.08),
            e("thread_escalations", "median_team_week", "<=", 0.0),
            e("reply_latency_business_hours", "median", "<=", 1.0),
            e("sla_breach_rate", "team_share", "<=", 0.1),
        ],
        Archetype::SmallBlockers => vec![
            e("short_meetings", "median_person_week", ">=", 4.0),
            e("short_notice_share", "team_share", "<=", 0.35),
        ],
        Archetype::ThreadsToMeetings => vec![
            e("thread_escalations", "median_team_week", ">=", 2.0),
            e("short_notice_share", "team_share", "<=", 0.35),
            e("short_meetings", "median_person_week", "<=", 2.0),
        ],
        Archetype::LateNightPings => vec![e("cross_tz_ask_share", "team_share", ">=", 0.25)],
        Archetype::HuddlesAfterSurprises => vec![
            e("short_notice_share", "team_share", ">=", 0.5),
            e("huddles", "median_team_week", ">=", 4.0),
            e("short_meetings", "median_person_week", "<=", 2.0),
        ],
        Archetype::FragmentedFocus => vec![
            e("focus_hours", "median_person_week", "<=", 8.0),
            e("fragmentation", "median_person_week", ">=", 0.6),
            e("meeting_share", "median_person_week", "<=", 0.4),
            e("short_meetings", "median_person_week", "<=", 2.0),
        ],
        Archetype::OverloadSprawl => vec![
            e("meeting_share", "median_person_week", ">=", 0.45),
            e("recurring_share", "team_share", ">=", 0.7),
            e("series_without_end_share", "team_share", ">=", 0.6),
        ],
        Archetype::OneOrganizer => vec![e("organizer_concentration", "team_share", ">=", 0.7)],
        Archetype::UnfairTzBurden => vec![
            e("tz_burden", "median_team_week", ">=", 0.6),
            e("meeting_share", "median_person_week", "<=", 0.35),
            e("focus_hours", "median_person_week", ">=", 12.0),
            e("organizer_concentration", "team_share", "<=", 0.5),
        ],
    }
}

/// The ranges a team's signals fall in: its archetype's, minus those its
/// plant changes (a pattern that comes and goes, slower answers), plus
/// those the plant adds.
pub fn team_expectations(team: &Team) -> Vec<Expect> {
    let plant = &team.plant;
    let mut out: Vec<Expect> = expectations(team.archetype)
        .into_iter()
        .filter(|x| {
            let pattern =
                team.archetype.findings().iter().any(|f| {
                    finding_signals(f).contains(&x.signal) && x.op == pattern_op(f, x.signal)
                });
            let async_signal =
                matches!(x.signal, "sla_breach_rate" | "reply_latency_business_hours");
            let noise_sensitive =
                plant.noisy && matches!(x.signal, "short_meetings" | "sla_breach_rate");
            let changed = (plant.activity != Activity::EveryWeek && pattern)
                || (plant.late_answers > 0.0 && async_signal)
                || (plant.evening_asks > 0.0 && x.signal == "cross_tz_ask_share")
                || (plant.lead_organizes_series && x.signal == "organizer_concentration")
                || noise_sensitive;
            !changed
        })
        .collect();
    if plant.late_answers >= 0.2 {
        out.push(e("sla_breach_rate", "team_share", ">=", 0.25));
    } else if plant.late_answers > 0.0 {
        out.push(e("sla_breach_rate", "team_share", "<=", 0.2));
    }
    if plant.evening_asks > 0.0 {
        out.push(e("cross_tz_ask_share", "team_share", "<", 0.1));
    }
    if plant.lead_organizes_series {
        out.push(e("organizer_concentration", "team_share", ">=", 0.6));
    }
    if plant.multitasking {
        out.push(e("multitasking_share", "median_person_week", ">=", 0.6));
    }
    out
}

/// The signals a planted finding is judged on (SIGNALS.md's table).
fn finding_signals(finding: &str) -> &'static [&'static str] {
    match finding {
        "meetings_clear_small_blockers" => &["short_meetings"],
        "threads_end_in_sudden_meetings" => &["thread_escalations"],
        "late_night_pings" => &["cross_tz_ask_share"],
        "huddles_after_surprises" => &["short_notice_share", "huddles"],
        "fragmented_deep_work" => &["focus_hours", "fragmentation"],
        "meeting_overload" => &["meeting_share"],
        "one_person_controls_sync_time" => &["organizer_concentration"],
        "recurring_sprawl" => &["recurring_share", "series_without_end_share"],
        "unfair_tz_burden" => &["tz_burden"],
        "multitasked_meetings" => &["multitasking_share"],
        _ => &[],
    }
}

/// The side of a range that says the pattern is there.
fn pattern_op(finding: &str, signal: &str) -> &'static str {
    match (finding, signal) {
        ("fragmented_deep_work", "focus_hours") => "<=",
        _ => ">=",
    }
}

/// A finding planted just under its threshold: it must not fire.
#[derive(Debug, Clone, PartialEq)]
pub struct NearMiss {
    /// The finding id.
    pub finding: &'static str,
    /// The signal it is judged on.
    pub signal: &'static str,
    /// SIGNALS.md's default threshold.
    pub threshold: f64,
    /// What was planted, in words.
    pub planted: String,
}

/// The near misses of a team's plant.
pub fn near_misses(plant: &Plant) -> Vec<NearMiss> {
    let mut out = Vec::new();
    if plant.late_answers > 0.0 && plant.late_answers < 0.2 {
        out.push(NearMiss {
            finding: "slow_async",
            signal: "sla_breach_rate",
            threshold: 0.2,
            planted: format!(
                "{:.0}% of asks urgent and answered 3-7 working hours later (past the 2-hour SLA), plus the usual unanswered and late ones: a pooled breach rate around 16% (default {:.0}%)",
                plant.late_answers * 100.0,
                NEAR_SLOW_LATE_ANSWERS * 100.0
            ),
        });
    }
    if plant.evening_asks > 0.0 {
        out.push(NearMiss {
            finding: "late_night_pings",
            signal: "cross_tz_asks",
            threshold: 0.1,
            planted: format!(
                "{:.0}% of the asks between offices sent in the sender's afternoon after the recipient's day (default {:.0}%): a cross-time-zone share of asks around 8%, of which about 5 points come from next-morning answers that open an exchange after 8 h of silence",
                plant.evening_asks * 100.0,
                NEAR_CROSS_TZ_EVENING_ASKS * 100.0
            ),
        });
    }
    out
}

/// The findings that must fire for a team: its archetype's (unless its
/// pattern shows in too few weeks for the window median) and its plant's.
pub fn team_findings(team: &Team) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = if team.plant.activity == Activity::FewWeeks {
        Vec::new()
    } else {
        team.archetype.findings().to_vec()
    };
    if team.plant.late_answers >= 0.2 {
        out.push("slow_async");
    }
    if team.plant.lead_organizes_series {
        out.push("one_person_controls_sync_time");
    }
    if team.plant.multitasking {
        out.push("multitasked_meetings");
    }
    out
}

/// Every finding id of SIGNALS.md's table, in its order.
pub const CATALOGUE: [&str; 13] = [
    "meetings_clear_small_blockers",
    "threads_end_in_sudden_meetings",
    "calendar_conflicts",
    "late_night_pings",
    "huddles_after_surprises",
    "fragmented_deep_work",
    "meeting_overload",
    "meetings_without_artifacts",
    "one_person_controls_sync_time",
    "slow_async",
    "recurring_sprawl",
    "unfair_tz_burden",
    "multitasked_meetings",
];

/// Every finding expected to fire for a team, sorted: planted and consequences.
pub fn expected_findings(team: &Team) -> Vec<&'static str> {
    let mut v = team_findings(team);
    v.extend(also_fires(team.archetype).iter().map(|(f, _)| *f));
    v.sort_unstable();
    v.dedup();
    v
}

/// What truth.json says about the weeks a team's pattern shows in.
fn weeks_json(org: &Org, team: &Team) -> Value {
    let active: Vec<u32> = (1..=org.weeks).filter(|&w| team.active_in(w)).collect();
    let activity = team.plant.activity;
    let expected = match activity {
        Activity::EveryWeek => "the pattern shows every week".to_owned(),
        Activity::MostWeeks => format!(
            "the pattern shows in {} of {} weeks: the window median is a week with it, so {} fire",
            active.len(),
            org.weeks,
            team.archetype.findings().join(", ")
        ),
        Activity::FewWeeks => format!(
            "the pattern shows in {} of {} weeks only: the window median is a week without it, so {} do not fire",
            active.len(),
            org.weeks,
            team.archetype.findings().join(", ")
        ),
    };
    json!({"pattern": activity.as_str(), "active_weeks": active, "expected": expected})
}

/// The experiment's expected effects (baseline vs treatment window).
pub fn experiment_expectations() -> Vec<Expect> {
    let w = |x: Expect, window| Expect { window, ..x };
    vec![
        w(e("standups", "median_person_week", ">=", 4.0), "baseline"),
        w(e("standups", "median_person_week", "<=", 0.0), "treatment"),
        w(
            e("focus_hours_gain", "median_person_week", ">=", 2.0),
            "treatment_minus_baseline",
        ),
        w(
            e("throughput_ratio", "per_working_person_day", ">=", 1.1),
            "treatment_over_baseline",
        ),
        w(
            e("morale_gain", "team_mean", ">=", 0.2),
            "treatment_minus_baseline",
        ),
    ]
}

/// Findings that fire besides the planted ones, with why: patterns come
/// with their consequences (an overloaded calendar leaves no focus time).
/// Every other finding of SIGNALS.md's table should not fire.
pub fn also_fires(a: Archetype) -> Vec<(&'static str, &'static str)> {
    let artifacts = "meetings_without_artifacts";
    match a {
        Archetype::SmallBlockers => vec![(
            artifacts,
            "quick unblock meetings carry no agenda and no desired outcome",
        )],
        Archetype::HuddlesAfterSurprises => vec![(
            artifacts,
            "war rooms booked as the huddle starts have no agenda",
        )],
        Archetype::OverloadSprawl => vec![
            (
                "calendar_conflicts",
                "three weekly series are double-booked over others and nobody declines them",
            ),
            (
                "fragmented_deep_work",
                "with half the week in meetings, few two-hour blocks survive",
            ),
            (artifacts, "most of the series have no description at all"),
        ],
        Archetype::UnfairTzBurden => Vec::new(),
        _ => Vec::new(),
    }
}

/// What was planted, in numbers a person can check (per archetype).
fn planted(a: Archetype) -> Value {
    match a {
        Archetype::Healthy => {
            json!({"scheduled_meetings_per_person_day": 0.3, "focus_block_probability_per_person_day": 0.55, "decided_threads_per_day": 0.5, "dm_reply_median_business_minutes": 25})
        }
        Archetype::SmallBlockers => {
            json!({"blocker_meetings_per_person_day": 0.5, "blocker_minutes": [15, 30], "blocker_invitees": "1 (70%) or 2", "short_notice_fraction_of_blockers": 0.25})
        }
        Archetype::ThreadsToMeetings => {
            json!({"escalations_per_week": 3, "escalation_days": "3 of Monday-Thursday", "thread_messages": [10, 16], "thread_participants": [3, 5], "meeting_created_after_last_message_minutes": [4, 25], "meeting_minutes": 45, "meeting_attendees": "every thread participant"})
        }
        Archetype::LateNightPings => {
            json!({"offices": ["America/Los_Angeles", "Asia/Kolkata"], "dm_asks_per_person_day": 1.6, "scheduled_meetings_per_person_day": 0.3, "cross_office_fraction_of_asks": 0.65, "asks_sent_any_time_of_senders_day": true})
        }
        Archetype::HuddlesAfterSurprises => {
            json!({"surprises_per_weekday": "1 + Poisson(0.5), at most 3", "huddle_after_report_minutes": [1, 10], "meeting_created_before_start_minutes": [1, 4], "meeting_minutes": [45, 60]})
        }
        Archetype::FragmentedFocus => {
            json!({"one_off_meetings_per_person_day": 3.0, "meeting_minutes": 45, "placement": "middle of the organizer's longest free stretch"})
        }
        Archetype::OverloadSprawl => {
            json!({"team_series": 23, "one_on_ones": "weekly", "series_without_end": "20 of 23 team series (3 of them double-booked on purpose) and every 1:1", "scheduled_meetings_per_person_day": 0.5})
        }
        Archetype::OneOrganizer => {
            json!({"series_organized_by_lead": "all", "check_ins_per_person_day": 0.35, "lead_organizes_one_offs": 0.85})
        }
        Archetype::UnfairTzBurden => {
            json!({"late_sync_probability_per_weekday": 0.8, "late_sync_minutes": 45, "late_sync_start": "15 minutes after the latest end of day of the members outside the lead's office, rounded up to the half hour", "burdened_members": "the London members"})
        }
    }
}

/// The plant's knobs, for truth.json.
fn plant_json(p: &Plant) -> Value {
    json!({
        "late_answers": p.late_answers,
        "evening_asks": p.evening_asks,
        "activity": p.activity.as_str(),
        "lead_organizes_series": p.lead_organizes_series,
        "noisy": p.noisy,
        "multitasking": p.multitasking,
    })
}

fn expect_json(x: &Expect) -> Value {
    json!({"signal": x.signal, "aggregate": x.aggregate, "op": x.op, "value": x.value, "window": x.window})
}

/// The planted experiments (`crate::experiments`), as `fulcrum.toml`
/// declares them, with the true effect on the treated of each primary and
/// guardrail ([`crate::key::experiment_truth`]).
fn experiments_json(org: &Org) -> Vec<Value> {
    crate::experiments::planted(org)
        .iter()
        .map(|p| {
            let week = |w: u32| org.start + chrono::Duration::days(7 * i64::from(w - 1));
            let truth = crate::key::experiment_truth(org, p);
            json!({
                "id": p.id,
                "team": org.teams[p.team].slug,
                "kind": match p.kind {
                    crate::experiments::Kind::AsyncStandup => "known_effect",
                    crate::experiments::Kind::NoChange => "null",
                    crate::experiments::Kind::EveningCheck => "harms_guardrail",
                },
                "change": p.change,
                "start": week(p.start_week).to_string(),
                "baseline_weeks": [p.start_week - p.baseline_weeks, p.start_week - 1],
                "treatment_weeks": [p.start_week, p.start_week + p.weeks - 1],
                "control": p.control.iter().map(|&t| org.teams[t].slug.clone()).collect::<Vec<_>>(),
                "primary": p.primary,
                "expect": p.expect,
                "min_effect": p.min_effect,
                "guardrails": p.guardrails,
                "expected_verdict": p.verdict,
                "true_effect": truth["true_effect"],
                "true_effect_basis": truth["true_effect_basis"],
            })
        })
        .collect()
}

/// `truth.json`.
pub fn truth_json(org: &Org, computed: &[Value]) -> Value {
    let teams: Vec<Value> = org
        .teams
        .iter()
        .map(|t| {
            let mut zones: BTreeMap<&str, usize> = BTreeMap::new();
            for &p in &t.members {
                *zones.entry(org.people[p].zone.iana()).or_default() += 1;
            }
            json!({
                "team": t.slug,
                "name": t.name,
                "department": t.department,
                "pattern": t.archetype.id(),
                "findings": team_findings(t),
                "expected_findings": expected_findings(t),
                "expected_silent": CATALOGUE.iter().filter(|f| !expected_findings(t).contains(f)).collect::<Vec<_>>(),
                "near_misses": near_misses(&t.plant).iter().map(|n| json!({"finding": n.finding, "signal": n.signal, "threshold": n.threshold, "planted": n.planted})).collect::<Vec<_>>(),
                "weeks": weeks_json(org, t),
                "plant": plant_json(&t.plant),
                "story": t.archetype.story(),
                "size": t.members.len(),
                "lead": org.people[t.lead()].email,
                "members": t.members.iter().map(|&p| org.people[p].email.clone()).collect::<Vec<_>>(),
                "zones": zones,
                "calendar_dialect": match t.dialect() { Dialect::Google => "google", Dialect::Outlook => "outlook" },
                "chat": match t.chat() {
                    Chat::Slack => json!({"platform": "slack", "channel": t.slug, "channel_id": t.slack_channel_id}),
                    Chat::Mattermost => json!({"platform": "mattermost", "team": crate::mattermost::MM_TEAM, "channel": t.slug}),
                },
                "planted": planted(t.archetype),
                "also_fires": also_fires(t.archetype).iter().map(|(f, why)| json!({"finding": f, "why": why})).collect::<Vec<_>>(),
                "expect": team_expectations(t).iter().map(expect_json).collect::<Vec<_>>(),
                "experiment": t.archetype == Archetype::Healthy && org.experiment_week.is_some(),
                "computed": computed.iter().find(|c| c["team"] == t.slug.as_str()).map(|c| json!({"weeks_left_out": c["weeks_left_out"], "signals": c["signals"]})),
            })
        })
        .collect();
    let experiment = match (
        org.experiment_week,
        org.teams.iter().find(|t| t.archetype == Archetype::Healthy),
    ) {
        (Some(w), Some(t)) => json!({
            "team": t.slug,
            "change": "the daily standup series ends (UNTIL) the Friday before the treatment; from then on everyone posts a written update (status, blockers, needs) in the team channel each morning",
            "baseline_weeks": [1, w - 1],
            "treatment_weeks": [w, org.weeks],
            "treatment_start": org.experiment_start().map(|d| d.to_string()),
            "planted": {"throughput_factor": EXPERIMENT_THROUGHPUT_FACTOR, "morale_shift": EXPERIMENT_MORALE_SHIFT},
            "expect": experiment_expectations().iter().map(expect_json).collect::<Vec<_>>(),
        }),
        _ => Value::Null,
    };
    json!({
        "generator": "fulcrum demo",
        "format_version": 2,
        "difficulty": org.difficulty.as_str(),
        "seed": org.seed,
        "people": org.people.len(),
        "weeks": org.weeks,
        "start": org.start.to_string(),
        "end_exclusive": org.end().to_string(),
        "export_time": org.export_time().to_rfc3339(),
        "organisation": {"name": crate::org::COMPANY, "domain": crate::org::DOMAIN, "teams": org.teams.len(), "departments": org.departments()},
        "deviation": "Seven patterns plus a healthy team do not fit in 6 teams; the demo uses 8 teams of 7-8 people (60 people by default), one per pattern and one healthy. meeting_overload and recurring_sprawl share one team, as the seed list pairs them. Larger organisations repeat the 8 archetypes in departments of 8 teams.",
        "definitions": DEFINITIONS.iter().map(|(k, v)| (k.to_string(), Value::String((*v).to_owned()))).collect::<serde_json::Map<_, _>>(),
        "teams": teams,
        "experiment": experiment,
        "experiments": experiments_json(org),
        "noise": [
            "vacations (0-2 blocks of 2-10 weekdays per person), sick days reported the same morning, public holidays of each office (US, UK, Germany; India's fixed-date ones)",
            "part-timers (the fifth member of every other team): Mon-Thu or mornings only",
            "working hours that differ by person (08:00-16:00, 10:00-18:00, split days)",
            "declined, tentative and unanswered invites; instances declined by people away; moved and cancelled instances",
            "after-hours messages (about 2-3% of chat), weekend messages, bots, joins, a deactivated Slack account",
            "focus blocks people book for themselves (not meetings), external guests, meeting rooms as resources (Outlook)",
            "people who are the exception: the New York member of the San Francisco blockers team, the London member of the Berlin team",
        ],
    })
}

/// The planted experiments of `truth.json` as declared, with the true
/// effect on the treated of each primary and guardrail.
fn experiments_md(s: &mut String, truth: &Value) {
    let Some(list) = truth["experiments"].as_array().filter(|l| !l.is_empty()) else {
        return;
    };
    let _ = writeln!(s, "## The planted experiments\n");
    let _ = writeln!(
        s,
        "Declared in `fulcrum.toml` (`fulcrum experiment list`). The true effect on the treated is the treated team's weeks generated with and without the change from the same random stream, averaged over its people with data in the treatment weeks (`true_effect_basis` in truth.json), with the signals' own definitions; `fulcrum experiment show ID` should hold it inside its interval in about nine demos of ten, and give the expected verdict.\n"
    );
    let text = |v: &Value| match v {
        Value::String(x) => x.clone(),
        Value::Array(xs) => xs
            .iter()
            .map(|x| format!("`{}`", x.as_str().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    };
    for e in list {
        let _ = writeln!(
            s,
            "### `{}` ({})\n",
            text(&e["id"]),
            text(&e["kind"]).replace('_', " ")
        );
        let _ = writeln!(s, "{}.\n", text(&e["change"]).trim_end_matches('.'));
        let weeks = |k: &str| format!("weeks {}-{}", e[k][0], e[k][1]);
        let _ = writeln!(
            s,
            "- team `{}`, start {} (baseline {}, treatment {}), control teams {}",
            text(&e["team"]),
            text(&e["start"]),
            weeks("baseline_weeks"),
            weeks("treatment_weeks"),
            text(&e["control"])
        );
        let _ = writeln!(
            s,
            "- primary `{}` (expected to {}, at least {}), guardrails {}",
            text(&e["primary"]),
            text(&e["expect"]),
            text(&e["min_effect"]),
            text(&e["guardrails"])
        );
        let _ = writeln!(s, "- expected verdict: {}", text(&e["expected_verdict"]));
        if let Some(effects) = e["true_effect"].as_object() {
            let shown: Vec<String> = effects
                .iter()
                .map(|(k, v)| {
                    format!(
                        "`{k}` {}",
                        v.as_f64()
                            .map_or_else(|| v.to_string(), |x| format!("{x:+}"))
                    )
                })
                .collect();
            let _ = writeln!(s, "- true effect on the treated: {}", shown.join(", "));
        }
        let _ = writeln!(s);
    }
}

/// `TRUTH.md`, from the organisation and its `truth.json` (`truth`: the
/// noise list and the planted experiments with their true effects).
pub fn truth_md(org: &Org, truth: &Value) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Answer key of this demo workspace\n");
    let _ = writeln!(
        s,
        "Written by `fulcrum demo --seed {} --people {} --weeks {} --start {}`: {} people of {} (an invented company, domain `{}`) in {} teams, {} weeks from {} to {} (exclusive). The same command writes the same bytes again. `truth.json` holds the same facts for programs.\n",
        org.seed,
        org.people.len(),
        org.weeks,
        org.start,
        org.people.len(),
        crate::org::COMPANY,
        crate::org::DOMAIN,
        org.teams.len(),
        org.weeks,
        org.start,
        org.end()
    );
    let _ = writeln!(s, "## Teams and what was planted\n");
    let _ = writeln!(
        s,
        "| team | people | offices | calendars | chat | pattern | findings that should fire | also fire, as consequences |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|");
    for t in &org.teams {
        let mut zones: BTreeMap<&str, usize> = BTreeMap::new();
        for &p in &t.members {
            *zones.entry(org.people[p].zone.city()).or_default() += 1;
        }
        let zones: Vec<String> = zones.iter().map(|(z, n)| format!("{z} {n}")).collect();
        let planted = team_findings(t);
        let findings = if planted.is_empty() {
            "none".to_owned()
        } else {
            planted
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let also: Vec<String> = also_fires(t.archetype)
            .iter()
            .map(|(f, _)| format!("`{f}`"))
            .collect();
        let also = if also.is_empty() {
            "none".to_owned()
        } else {
            also.join(", ")
        };
        let _ = writeln!(
            s,
            "| {} (`{}`) | {} | {} | {} | {} | {} | {} | {} |",
            t.name,
            t.slug,
            t.members.len(),
            zones.join(", "),
            match t.dialect() {
                Dialect::Google => "Google",
                Dialect::Outlook => "Outlook",
            },
            match t.chat() {
                Chat::Slack => format!("Slack `#{}`", t.slug),
                Chat::Mattermost => format!("Mattermost `{}`", t.slug),
            },
            t.archetype.id(),
            findings,
            also
        );
        if org.teams.len() > 40 && t.index == 39 {
            let _ = writeln!(s, "| ... | | | | | | | (every team is in truth.json) |");
            break;
        }
    }
    let _ = writeln!(s, "\n## The patterns\n");
    for a in Archetype::ALL {
        let teams: Vec<&str> = org
            .teams
            .iter()
            .filter(|t| t.archetype == a)
            .map(|t| t.slug.as_str())
            .collect();
        if teams.is_empty() {
            continue;
        }
        let shown: Vec<String> = teams.iter().take(6).map(|t| format!("`{t}`")).collect();
        let more = if teams.len() > 6 {
            format!(" and {} more", teams.len() - 6)
        } else {
            String::new()
        };
        let _ = writeln!(s, "### {} ({}{})\n", a.id(), shown.join(", "), more);
        let _ = writeln!(s, "{}\n", a.story());
        for (f, why) in also_fires(a) {
            let _ = writeln!(s, "Also fires: `{f}`, because {why}.\n");
        }
        let _ = writeln!(
            s,
            "Expected, checked against the files by the generator's tests:\n"
        );
        for x in expectations(a) {
            let _ = writeln!(s, "- `{}` ({}) {} {}", x.signal, x.aggregate, x.op, x.value);
        }
        let _ = writeln!(s);
    }
    if let (Some(w), Some(t)) = (
        org.experiment_week,
        org.teams.iter().find(|t| t.archetype == Archetype::Healthy),
    ) {
        let _ = writeln!(s, "## The experiment\n");
        let _ = writeln!(
            s,
            "Team `{}` replaces its daily standup with written async updates from week {w} ({}): the standup series ends the Friday before (an `UNTIL` in its RRULE), the lead announces the change in the team channel on the Thursday before, and from then on every member posts a morning update (status, blockers, needs) in the channel. Baseline: weeks 1-{}; treatment: weeks {w}-{}. Planted effects: work items closed x{EXPERIMENT_THROUGHPUT_FACTOR}, pulse +{EXPERIMENT_MORALE_SHIFT}; focus time rises because the standup sat mid-morning.\n",
            t.slug,
            org.experiment_start()
                .map(|d| d.to_string())
                .unwrap_or_default(),
            w - 1,
            org.weeks
        );
        for x in experiment_expectations() {
            let _ = writeln!(
                s,
                "- `{}` ({}, {}) {} {}",
                x.signal, x.aggregate, x.window, x.op, x.value
            );
        }
        let _ = writeln!(s);
    }
    experiments_md(&mut s, truth);
    let _ = writeln!(s, "## Why eight teams\n");
    let _ = writeln!(
        s,
        "Seven patterns plus a healthy team do not fit in 6 teams of about 60 people, so the demo has 8 teams of 7-8 people: one per pattern and one healthy. Meeting overload and recurring sprawl are one team, as the seed list pairs them. Every team has at least 5 people, the minimum group size for team aggregates. A larger `--people` repeats the eight archetypes in departments of eight teams.\n"
    );
    let _ = writeln!(s, "## Noise, so the patterns are not too clean\n");
    for n in truth["noise"].as_array().into_iter().flatten() {
        let _ = writeln!(s, "- {}", n.as_str().unwrap_or_default());
    }
    let _ = writeln!(s, "\n## Definitions\n");
    for (k, v) in DEFINITIONS {
        let _ = writeln!(s, "- `{k}`: {v}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_key_lists_each_planted_experiment_with_its_true_effect() {
        let truth = json!({"experiments": [{
            "id": "async-standup", "kind": "known_effect", "team": "data",
            "change": "Replace the daily standup with a written update",
            "start": "2026-10-12", "baseline_weeks": [1, 6], "treatment_weeks": [7, 13],
            "control": ["payments", "search"], "primary": "focus_hours",
            "expect": "increase", "min_effect": 1.0,
            "guardrails": ["morale"], "expected_verdict": "worked",
            "true_effect": {"focus_hours": 2.6117, "morale": -0.5},
        }]});
        let mut s = String::new();
        experiments_md(&mut s, &truth);
        for want in [
            "### `async-standup` (known effect)",
            "Replace the daily standup with a written update.\n",
            "team `data`, start 2026-10-12 (baseline weeks 1-6, treatment weeks 7-13), control teams `payments`, `search`",
            "primary `focus_hours` (expected to increase, at least 1.0), guardrails `morale`",
            "expected verdict: worked",
            "true effect on the treated: `focus_hours` +2.6117, `morale` -0.5",
        ] {
            assert!(s.contains(want), "{want:?} missing from\n{s}");
        }
        // No experiments: no section.
        let mut none = String::new();
        experiments_md(&mut none, &json!({"experiments": []}));
        assert_eq!(none, "");
    }
}
