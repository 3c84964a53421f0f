//! The policy catalogues: the one owner of the vocabularies that
//! `fulcrum.toml` may tune and the analysis applies (finding thresholds,
//! lint rules and their severities). The workspace parser reads these
//! tables to accept and default `[policy]` keys; the analysis reads the same
//! tables, so the two cannot drift apart.

/// A finding threshold: its `[policy.thresholds]` key and default value
/// (docs/SIGNALS.md, "Findings").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    /// The key.
    pub key: &'static str,
    /// The value when the policy does not set it.
    pub default: f64,
}

/// Every finding threshold, in the order they are documented.
pub const THRESHOLDS: &[Threshold] = &[
    Threshold {
        key: "short_meetings_per_week",
        default: 3.0,
    },
    Threshold {
        key: "thread_escalations_per_team_week",
        default: 2.0,
    },
    Threshold {
        key: "conflict_hours_per_week",
        default: 1.0,
    },
    Threshold {
        key: "cross_tz_ask_share",
        default: 0.10,
    },
    Threshold {
        key: "short_notice_share",
        default: 0.35,
    },
    Threshold {
        key: "focus_hours_per_week",
        default: 10.0,
    },
    Threshold {
        key: "fragmentation",
        default: 0.50,
    },
    Threshold {
        key: "meeting_share",
        default: 0.40,
    },
    Threshold {
        key: "hygiene_min_share",
        default: 0.50,
    },
    Threshold {
        key: "organizer_concentration",
        default: 0.50,
    },
    Threshold {
        key: "sla_breach_rate",
        default: 0.20,
    },
    Threshold {
        key: "recurring_share",
        default: 0.60,
    },
    Threshold {
        key: "tz_burden_gini",
        default: 0.50,
    },
    Threshold {
        key: "multitasking_share",
        default: 0.50,
    },
];

/// The levels a lint rule may be given in `[policy.lint]`: `off` or a
/// [`LintSeverity`].
pub const LINT_LEVELS: &[&str] = &["off", "note", "warning", "error"];

/// `policy.chat.exchange_gap_hours` by default: a DM message after this
/// much silence in the DM opens an exchange (SIGNALS.md, asks).
pub const EXCHANGE_GAP_HOURS: f64 = 8.0;

/// How serious a lint finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LintSeverity {
    /// Worth knowing.
    Note,
    /// Should be fixed.
    Warning,
    /// Must be fixed.
    Error,
}

impl LintSeverity {
    /// Lower-case name, as in `[policy.lint]` and the output.
    pub fn as_str(&self) -> &'static str {
        match self {
            LintSeverity::Note => "note",
            LintSeverity::Warning => "warning",
            LintSeverity::Error => "error",
        }
    }

    /// Parses `note`, `warning` or `error`.
    pub fn parse(s: &str) -> Option<LintSeverity> {
        match s {
            "note" => Some(LintSeverity::Note),
            "warning" => Some(LintSeverity::Warning),
            "error" => Some(LintSeverity::Error),
            _ => None,
        }
    }
}

/// A lint rule: id, default severity, help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LintRule {
    /// Stable id.
    pub id: &'static str,
    /// Severity when `[policy.lint]` says nothing.
    pub default: LintSeverity,
    /// How to fix a finding.
    pub help: &'static str,
    /// The rule needs people's working hours (a workspace).
    pub needs_people: bool,
}

/// Every rule, in the order they are documented.
pub const LINT_RULES: &[LintRule] = &[
    LintRule {
        id: "missing_outcome",
        default: LintSeverity::Warning,
        help: "state the desired outcome in the description (e.g. \"Outcome: pick a vendor\")",
        needs_people: false,
    },
    LintRule {
        id: "missing_agenda",
        default: LintSeverity::Warning,
        help: "add an agenda to the description (\"Agenda:\" or a list of topics)",
        needs_people: false,
    },
    LintRule {
        id: "missing_preread",
        default: LintSeverity::Warning,
        help: "link the proposal or design doc as a pre-read in the description",
        needs_people: false,
    },
    LintRule {
        id: "over_timebox",
        default: LintSeverity::Warning,
        help: "shorten it to the timebox ([policy.meetings] max_minutes) or split it",
        needs_people: false,
    },
    LintRule {
        id: "too_many_invitees",
        default: LintSeverity::Warning,
        help: "invite only who is needed; share the outcome with the rest",
        needs_people: false,
    },
    LintRule {
        id: "series_without_end",
        default: LintSeverity::Warning,
        help: "give the series an end date (UNTIL or COUNT) and review it before renewing",
        needs_people: false,
    },
    LintRule {
        id: "outside_working_hours",
        default: LintSeverity::Warning,
        help: "move it into everyone's working hours, or make it async",
        needs_people: true,
    },
    LintRule {
        id: "outside_overlap",
        default: LintSeverity::Note,
        help: "move it into the team's overlap window (`fulcrum overlap`) or rotate the time",
        needs_people: true,
    },
    LintRule {
        id: "back_to_back",
        default: LintSeverity::Note,
        help: "end meetings 5 minutes early or move one to leave a break",
        needs_people: false,
    },
    LintRule {
        id: "on_focus_block",
        default: LintSeverity::Warning,
        help: "move it off the focus block, or ask the attendee to move the block",
        needs_people: false,
    },
];
