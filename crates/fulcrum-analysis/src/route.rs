//! The decision router of `fulcrum route`: a decision, named by its type or
//! described by its attributes, goes sync or async, in a format, with an
//! SLA, a deadline, a template for the ask and the reasons.
//!
//! Pure: the policy arrives as a [`RoutePolicy`] (the app converts the
//! workspace's `[policy]`), the time the decision was asked arrives as a
//! value (the clock is read by the caller) and the business-hours clock as a
//! [`WorkClock`]. The attribute rules are data ([`RULES`]) so that
//! `docs/moves.md` and the "why" of every answer say the same thing.
//!
//! A type known to the policy is answered by the policy. Attributes given
//! with a type never silently change that answer: when they disagree with
//! it, the policy's route comes back with a [`Conflict`] naming both sides
//! and what to change.

use crate::week::WorkClock;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::fmt;

/// Sync (meeting, call) or async (in writing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// In a meeting or call.
    Sync,
    /// In writing.
    Async,
}

impl Mode {
    /// `"sync"` or `"async"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::Sync => "sync",
            Mode::Async => "async",
        }
    }
}

/// One decision type of the policy.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionType {
    /// Sync or async.
    pub mode: Mode,
    /// The expected format, e.g. "meeting with pre-read".
    pub format: String,
    /// Its SLA class (a key of [`RoutePolicy::sla_hours`]).
    pub sla: String,
    /// Who takes the decision.
    pub who_decides: String,
    /// Where people answer the ask.
    pub respond_in: String,
}

/// The part of the workspace policy the router needs.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutePolicy {
    /// SLA classes: name -> business hours. Must hold `urgent` and `normal`.
    pub sla_hours: BTreeMap<String, f64>,
    /// Decision types by name.
    pub types: BTreeMap<String, DecisionType>,
}

/// How urgent a decision is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// It cannot wait for a normal answer.
    High,
    /// It can wait for a normal answer.
    Normal,
    /// It can wait longer than that.
    Low,
}

impl Urgency {
    /// `"high"`, `"normal"` or `"low"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Urgency::High => "high",
            Urgency::Normal => "normal",
            Urgency::Low => "low",
        }
    }
}

/// What is known about a decision; every attribute is optional and an
/// attribute not given fires no rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attributes {
    /// Urgency.
    pub urgency: Option<Urgency>,
    /// Can the decision be undone cheaply?
    pub reversible: Option<bool>,
    /// How many people have a stake in it (at least 1).
    pub stakeholders: Option<u32>,
    /// Across how many time zones they work (at least 1, at most `stakeholders`).
    pub time_zones: Option<u32>,
    /// Has the team never taken a decision like it?
    pub novel: Option<bool>,
}

impl Attributes {
    /// True when no attribute is given.
    pub fn is_empty(&self) -> bool {
        *self == Attributes::default()
    }
}

/// A decision to route: by type, by attributes, or both.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteRequest {
    /// The decision type, a key of [`RoutePolicy::types`].
    pub decision_type: Option<String>,
    /// Its attributes.
    pub attributes: Attributes,
    /// When the decision was asked for (read from the clock by the caller).
    pub asked_at: DateTime<Utc>,
}

/// Which clock the deadline was counted on.
#[derive(Debug, Clone, PartialEq)]
pub enum DeadlineClock {
    /// Business hours of a work clock (the description says whose).
    Business(String),
    /// Wall-clock hours; the string says why.
    Wall(String),
}

/// An attribute rule: when it fires and what it routes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, shown in "why".
    pub id: &'static str,
    /// When it fires, in words.
    pub when: &'static str,
    /// The mode it routes to.
    pub mode: Mode,
    /// The format it routes to.
    pub format: &'static str,
    /// The SLA class it routes to.
    pub sla: &'static str,
    /// Why the rule exists.
    pub because: &'static str,
}

/// The attribute rules, strongest first: the first that fires decides the
/// route, the others that fire are listed in "why" as well.
pub const RULES: &[Rule] = &[
    Rule {
        id: "crisis",
        when: "urgency high and irreversible (or a crisis type such as incident)",
        mode: Mode::Sync,
        format: "call now, then a written outcome in the decision log",
        sla: "urgent",
        because: "a real crisis is the one case for sync first: get the people on a call now and document the outcome afterwards",
    },
    Rule {
        id: "urgent-reversible",
        when: "urgency high and reversible",
        mode: Mode::Async,
        format: "direct written ask to the decider, decide and inform",
        sla: "urgent",
        because: "a reversible decision can be taken fast by one person and corrected later; a meeting would only add waiting for a shared slot",
    },
    Rule {
        id: "urgent",
        when: "urgency high, reversibility not given",
        mode: Mode::Async,
        format: "direct written ask to the decider",
        sla: "urgent",
        because: "an urgent question needs a fast answer, not necessarily a meeting; if the decision cannot be undone, say so (--reversible no): that is the crisis rule",
    },
    Rule {
        id: "wide-audience",
        when: "3 or more time zones or more than 6 stakeholders, not urgent",
        mode: Mode::Async,
        format: "written proposal with comment period",
        sla: "normal",
        because: "no meeting slot is fair to that many people or zones; a written proposal lets everyone answer in their own hours",
    },
    Rule {
        id: "novel-irreversible",
        when: "novel and irreversible, not urgent",
        mode: Mode::Sync,
        format: "meeting with pre-read",
        sla: "normal",
        because: "a new, one-way decision needs real discussion; the pre-read makes the meeting about the decision, not the briefing",
    },
    Rule {
        id: "reversible-low-stakes",
        when: "reversible, not novel, at most 6 stakeholders in fewer than 3 time zones, not urgent",
        mode: Mode::Async,
        format: "async update: decide and inform",
        sla: "normal",
        because: "a cheap, familiar, undoable decision needs no discussion: the owner decides and tells the others",
    },
];

/// The route when no rule fires.
pub const DEFAULT_RULE: Rule = Rule {
    id: "default-async",
    when: "no other rule fires",
    mode: Mode::Async,
    format: "written ask",
    sla: "normal",
    because: "async is the default; sync first is kept for real crises",
};

/// One reason of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The rule id (`policy` when the policy's type table decided).
    pub rule: String,
    /// The reason in words.
    pub text: String,
}

/// Attributes that disagree with the policy's route of a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// What disagrees with what.
    pub message: String,
    /// What the user should do about it.
    pub what_to_do: String,
}

/// The template of a clear ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    /// What to write as context.
    pub context: String,
    /// The decision needed, and who decides.
    pub decision_needed: String,
    /// The deadline, as text for the ask (UTC; renderers add local time).
    pub deadline: String,
    /// Where to respond.
    pub where_to_respond: String,
}

/// The answer of the router.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// The decision type, when one was given.
    pub decision_type: Option<String>,
    /// Sync or async.
    pub mode: Mode,
    /// The format.
    pub format: String,
    /// The SLA class.
    pub sla: String,
    /// Its hours.
    pub sla_hours: f64,
    /// Who decides.
    pub who_decides: String,
    /// Where people respond.
    pub respond_in: String,
    /// When it was asked.
    pub asked_at: DateTime<Utc>,
    /// When it must be decided.
    pub deadline: DateTime<Utc>,
    /// The clock the deadline was counted on.
    pub clock: DeadlineClock,
    /// The zone to show times in: the business clock's, else UTC.
    pub tz: Tz,
    /// The ask to send.
    pub ask: Ask,
    /// Why: the policy entry or every rule that fired.
    pub why: Vec<Reason>,
    /// Disagreements between the attributes and the policy.
    pub conflicts: Vec<Conflict>,
}

/// Why a decision could not be routed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    /// The type is not in the policy.
    UnknownType {
        /// The type given.
        given: String,
        /// The types the policy knows, sorted.
        known: Vec<String>,
        /// The closest known name, when one is close enough.
        closest: Option<String>,
    },
    /// The request contradicts itself or says nothing.
    Invalid(String),
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::UnknownType {
                given,
                known,
                closest,
            } => {
                write!(
                    f,
                    "unknown decision type {given:?}; known types: {}",
                    known.join(", ")
                )?;
                if let Some(c) = closest {
                    write!(f, " (did you mean {c:?}?)")?;
                }
                write!(
                    f,
                    "; add it under [policy.decisions.{given}] in fulcrum.toml or route by attributes"
                )
            }
            RouteError::Invalid(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for RouteError {}

impl RoutePolicy {
    /// True when a type is handled as a crisis: sync, with an SLA no longer
    /// than the `urgent` class.
    pub fn is_crisis_type(&self, t: &DecisionType) -> bool {
        let urgent = self.sla_hours.get("urgent").copied().unwrap_or(f64::MIN);
        t.mode == Mode::Sync && self.sla_hours.get(&t.sla).is_some_and(|h| *h <= urgent)
    }
}

/// The attribute rules that fire, strongest first. `crisis_type` says the
/// request's type (if any) is handled as a crisis.
pub fn fired_rules(a: &Attributes, crisis_type: bool) -> Vec<&'static Rule> {
    let high = a.urgency == Some(Urgency::High);
    let not_urgent = matches!(a.urgency, Some(Urgency::Normal | Urgency::Low) | None);
    let irreversible = a.reversible == Some(false);
    let reversible = a.reversible == Some(true);
    let wide = a.time_zones.is_some_and(|n| n >= 3) || a.stakeholders.is_some_and(|n| n > 6);
    let narrow = a.time_zones.is_none_or(|n| n < 3) && a.stakeholders.is_none_or(|n| n <= 6);
    RULES
        .iter()
        .filter(|r| match r.id {
            "crisis" => high && (irreversible || crisis_type),
            "urgent-reversible" => high && reversible && !crisis_type,
            "urgent" => high && a.reversible.is_none() && !crisis_type,
            "novel-irreversible" => not_urgent && a.novel == Some(true) && irreversible,
            "wide-audience" => not_urgent && wide,
            "reversible-low-stakes" => not_urgent && reversible && a.novel != Some(true) && narrow,
            _ => false,
        })
        .collect()
}

/// Routes a decision. Errors: an unknown type, or a request that says
/// nothing or contradicts itself.
pub fn route(
    policy: &RoutePolicy,
    request: &RouteRequest,
    business_clock: Option<(&WorkClock, &str)>,
) -> Result<Route, RouteError> {
    let a = &request.attributes;
    check_attributes(a)?;
    let mut why = Vec::new();
    let mut conflicts = Vec::new();
    let (mode, format, sla, who_decides, respond_in, crisis) = match &request.decision_type {
        Some(name) => {
            let Some(t) = policy.types.get(name) else {
                let known: Vec<String> = policy.types.keys().cloned().collect();
                return Err(RouteError::UnknownType {
                    given: name.clone(),
                    closest: closest(name, &known),
                    known,
                });
            };
            let crisis = policy.is_crisis_type(t);
            let sla_h = sla_of(policy, &t.sla)?;
            why.push(Reason {
                rule: "policy".to_owned(),
                text: format!(
                    "the policy routes type `{name}` {} as \"{}\" with the {} SLA ({} h); {} decides",
                    t.mode.as_str(),
                    t.format,
                    t.sla,
                    hours_text(sla_h),
                    t.who_decides
                ),
            });
            type_conflicts(policy, name, t, crisis, a, &mut conflicts)?;
            (
                t.mode,
                t.format.clone(),
                t.sla.clone(),
                t.who_decides.clone(),
                t.respond_in.clone(),
                crisis,
            )
        }
        None => {
            if a.is_empty() {
                return Err(RouteError::Invalid(
                    "nothing to route: give a decision type (--type) or at least one attribute (--urgency, --reversible, --stakeholders, --time-zones, --novel)".to_owned(),
                ));
            }
            let fired = fired_rules(a, false);
            let decider = fired.first().copied().unwrap_or(&DEFAULT_RULE);
            for (i, r) in fired.iter().enumerate() {
                let role = if i == 0 {
                    "decides the route"
                } else {
                    "also fired"
                };
                why.push(Reason {
                    rule: r.id.to_owned(),
                    text: format!("{} ({role}): {}", r.when, r.because),
                });
            }
            if fired.is_empty() {
                why.push(Reason {
                    rule: DEFAULT_RULE.id.to_owned(),
                    text: format!("{}: {}", DEFAULT_RULE.when, DEFAULT_RULE.because),
                });
            }
            let ids: Vec<&str> = fired.iter().map(|r| r.id).collect();
            if ids.contains(&"novel-irreversible") && ids.contains(&"wide-audience") {
                why.push(Reason {
                    rule: "novel-irreversible+wide-audience".to_owned(),
                    text: "both fired: the discussion a new one-way decision needs happens in the comment period; hold a short meeting with pre-read only for the points the comments leave open, at a time that rotates across the zones".to_owned(),
                });
            }
            let (who, respond) = match decider.mode {
                Mode::Sync if decider.id == "crisis" => (
                    "the person on call for it (the incident commander)",
                    "the call, then the decision log",
                ),
                Mode::Sync => (
                    "the decision owner",
                    "comments on the pre-read, then the meeting",
                ),
                Mode::Async => ("the decision owner", "the document or thread of the ask"),
            };
            (
                decider.mode,
                decider.format.to_owned(),
                decider.sla.to_owned(),
                who.to_owned(),
                respond.to_owned(),
                decider.id == "crisis",
            )
        }
    };
    if crisis {
        why.push(Reason {
            rule: "crisis-outcome".to_owned(),
            text: "sync first for a real crisis, then write the outcome where everyone reads it (decision log), so the people who were not on the call are not left out".to_owned(),
        });
    }
    let sla_hours = sla_of(policy, &sla)?;
    let (deadline, clock) = deadline(request.asked_at, sla_hours, crisis, business_clock);
    let tz = business_clock.map_or(Tz::UTC, |(c, _)| *c.tz());
    let deadline_text = format!(
        "{} {} ({} h on the {})",
        deadline.with_timezone(&tz).format("%a %Y-%m-%d %H:%M"),
        tz.name(),
        hours_text(sla_hours),
        match &clock {
            DeadlineClock::Business(_) => "business-hours clock",
            DeadlineClock::Wall(_) => "wall clock",
        }
    );
    let ask = Ask {
        context: if crisis {
            "<what is broken, since when, who is affected, the call link>".to_owned()
        } else {
            format!("<{}>", part_hint("context"))
        },
        decision_needed: format!("<{}>; {who_decides} decides", part_hint("needed")),
        deadline: deadline_text,
        where_to_respond: respond_in.clone(),
    };
    Ok(Route {
        decision_type: request.decision_type.clone(),
        mode,
        format,
        sla,
        sla_hours,
        who_decides,
        respond_in,
        asked_at: request.asked_at,
        deadline,
        clock,
        tz,
        ask,
        why,
        conflicts,
    })
}

fn check_attributes(a: &Attributes) -> Result<(), RouteError> {
    if a.stakeholders == Some(0) {
        return Err(RouteError::Invalid(
            "--stakeholders 0: a decision has at least one stakeholder (the person deciding)"
                .to_owned(),
        ));
    }
    if a.time_zones == Some(0) {
        return Err(RouteError::Invalid(
            "--time-zones 0: the stakeholders work in at least one time zone".to_owned(),
        ));
    }
    if let (Some(s), Some(z)) = (a.stakeholders, a.time_zones)
        && z > s
    {
        return Err(RouteError::Invalid(format!(
            "--time-zones {z} with --stakeholders {s}: {s} people cannot work in {z} time zones; count the zones of the stakeholders only"
        )));
    }
    Ok(())
}

fn type_conflicts(
    policy: &RoutePolicy,
    name: &str,
    t: &DecisionType,
    crisis: bool,
    a: &Attributes,
    out: &mut Vec<Conflict>,
) -> Result<(), RouteError> {
    let type_hours = sla_of(policy, &t.sla)?;
    let urgent_hours = sla_of(policy, "urgent")?;
    let table = format!("[policy.decisions.{name}]");
    match a.urgency {
        Some(Urgency::High) if type_hours > urgent_hours => out.push(Conflict {
            message: format!(
                "--urgency high conflicts with type `{name}`: the policy routes it {} with the {} SLA ({} h), longer than the urgent SLA ({} h)",
                t.mode.as_str(),
                t.sla,
                hours_text(type_hours),
                hours_text(urgent_hours)
            ),
            what_to_do: format!(
                "if it cannot wait {} h, it is not a `{name}` decision: route it as another type (e.g. a crisis type) or by attributes; if `{name}` decisions are often urgent, change {table}",
                hours_text(type_hours)
            ),
        }),
        Some(u @ (Urgency::Low | Urgency::Normal)) if crisis => out.push(Conflict {
            message: format!(
                "--urgency {} conflicts with type `{name}`: the policy handles it as a crisis (sync now, {} SLA of {} h)",
                u.as_str(),
                t.sla,
                hours_text(type_hours)
            ),
            what_to_do: format!(
                "if it can wait, it is not a crisis: route it as another type or by attributes; do not pull people into a call for it (or change {table})"
            ),
        }),
        _ => {}
    }
    if out.is_empty() && !a.is_empty() {
        let fired = fired_rules(a, crisis);
        if let Some(r) = fired.first()
            && r.mode != t.mode
        {
            out.push(Conflict {
                message: format!(
                    "the attributes route this {} (rule `{}`: {}), but the policy routes type `{name}` {}",
                    r.mode.as_str(),
                    r.id,
                    r.when,
                    t.mode.as_str()
                ),
                what_to_do: format!(
                    "check the type: route by attributes alone (without --type) or pick the type that fits; if this type is usually like this, change {table}"
                ),
            });
        }
    }
    Ok(())
}

fn sla_of(policy: &RoutePolicy, class: &str) -> Result<f64, RouteError> {
    policy.sla_hours.get(class).copied().ok_or_else(|| {
        RouteError::Invalid(format!(
            "the SLA class {class:?} is not in [policy.sla] ({})",
            policy
                .sla_hours
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// What to write in a part of the ask: the one table of a clear ask's parts
/// (`fulcrum_model::workflow::ASK_PARTS`) that the server's ask form coaches
/// with too.
fn part_hint(field: &str) -> &'static str {
    fulcrum_model::workflow::ask_part(field).map_or("", |p| p.hint)
}

/// The deadline and the clock it was counted on. A crisis runs on the wall
/// clock (it does not wait for office hours); otherwise the business clock
/// when one is known, else the wall clock.
fn deadline(
    asked_at: DateTime<Utc>,
    sla_hours: f64,
    crisis: bool,
    business_clock: Option<(&WorkClock, &str)>,
) -> (DateTime<Utc>, DeadlineClock) {
    let sla = Duration::milliseconds((sla_hours * 3_600_000.0).round() as i64);
    if crisis {
        return (
            asked_at + sla,
            DeadlineClock::Wall("a crisis does not wait for working hours".to_owned()),
        );
    }
    match business_clock {
        Some((clock, whose)) => match add_business_time(clock, asked_at, sla) {
            Some(at) => (at, DeadlineClock::Business(whose.to_owned())),
            None => (
                asked_at + sla,
                DeadlineClock::Wall(format!("{whose} has no working time in the next year")),
            ),
        },
        None => (
            asked_at + sla,
            DeadlineClock::Wall("no working hours are known without a workspace".to_owned()),
        ),
    }
}

/// The instant at which `amount` of working time has passed after `from`
/// on `clock`; `None` when the clock has too little working time in the
/// next 366 days.
pub fn add_business_time(
    clock: &WorkClock,
    from: DateTime<Utc>,
    amount: Duration,
) -> Option<DateTime<Utc>> {
    let mut left = amount;
    if left <= Duration::zero() {
        return Some(from);
    }
    let first = from.with_timezone(clock.tz()).date_naive();
    let mut date: NaiveDate = first.pred_opt()?;
    for _ in 0..368 {
        let mut ranges = clock.working_on(date);
        ranges.sort_by_key(|i| i.start);
        for i in ranges {
            if i.end <= from {
                continue;
            }
            let start = i.start.max(from);
            let available = i.end - start;
            if available >= left {
                return Some(start + left);
            }
            left -= available;
        }
        date = date.succ_opt()?;
    }
    None
}

/// The closest name by edit distance to the whole name or to one of its
/// `-`-separated words (so `vendor` finds `vendor-choice`), when at most a
/// third of the given name's length away (at least 2), or the name starts
/// with the given text.
pub fn closest(given: &str, known: &[String]) -> Option<String> {
    let g = given.to_lowercase();
    if g.is_empty() {
        return None;
    }
    known
        .iter()
        .map(|k| {
            let k_low = k.to_lowercase();
            let d = if k_low.starts_with(&g) {
                0
            } else {
                k_low
                    .split('-')
                    .map(|word| edit_distance(&g, word) + 1)
                    .chain([edit_distance(&g, &k_low)])
                    .min()
                    .unwrap_or(usize::MAX)
            };
            (d, k)
        })
        .filter(|(d, _)| *d <= (g.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.clone())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Hours as short text: `24`, `1.5`.
pub fn hours_text(h: f64) -> String {
    if h.fract() == 0.0 {
        format!("{h:.0}")
    } else {
        format!("{h}")
    }
}
