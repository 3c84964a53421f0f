//! Signal ids, units and values: the vocabulary writers iterate over.
//!
//! [`SignalId::as_str`] gives the stable ids of `docs/SIGNALS.md`; every
//! value is either known ([`Value`]) or [`Unknown`] with the reason, never a
//! zero standing in for missing data. Shares are fractions in `[0, 1]`
//! (multiply by 100 to show a percentage), as policy thresholds are.

use crate::stats::Spread;
use fulcrum_model::Interval;

/// Where a signal lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Per person-week, and aggregated to team-week.
    Person,
    /// Team-week only.
    Team,
}

/// The unit a signal is reported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Hours.
    Hours,
    /// A count.
    Count,
    /// A share (a fraction in `[0, 1]`, shown as %).
    Percent,
    /// A count together with the share of its denominator.
    CountAndPercent,
    /// Hours as median and 90th percentile.
    HoursMedianP90,
    /// A Gini coefficient with the hours it is computed over.
    GiniAndHours,
    /// Hours per working day.
    HoursPerDay,
    /// Work items.
    Items,
    /// A score from 1 to 5.
    Score,
    /// Money, at the policy's hourly rate of a meeting person-hour.
    Cost,
}

impl Unit {
    /// As SIGNALS.md writes it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Unit::Hours => "h",
            Unit::Count => "count",
            Unit::Percent => "%",
            Unit::CountAndPercent => "count, %",
            Unit::HoursMedianP90 => "h (median, p90)",
            Unit::GiniAndHours => "Gini, h",
            Unit::HoursPerDay => "h/day",
            Unit::Items => "items",
            Unit::Score => "1-5",
            Unit::Cost => "cost",
        }
    }
}

macro_rules! signals {
    ($( $variant:ident = $id:literal, $unit:ident, $scope:ident; )*) => {
        /// A signal of SIGNALS.md, by its stable id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum SignalId {
            $(
                #[doc = concat!("`", $id, "`.")]
                $variant,
            )*
        }

        impl SignalId {
            /// Every signal, in the order of SIGNALS.md.
            pub const ALL: &'static [SignalId] = &[$(SignalId::$variant),*];

            /// The stable id.
            pub fn as_str(&self) -> &'static str {
                match self { $(SignalId::$variant => $id,)* }
            }

            /// Its unit.
            pub fn unit(&self) -> Unit {
                match self { $(SignalId::$variant => Unit::$unit,)* }
            }

            /// Person-week (and team aggregate) or team-week only.
            pub fn scope(&self) -> Scope {
                match self { $(SignalId::$variant => Scope::$scope,)* }
            }
        }
    };
}

signals! {
    MeetingHours = "meeting_hours", Hours, Person;
    MeetingCount = "meeting_count", Count, Person;
    MeetingShare = "meeting_share", Percent, Person;
    ConflictHours = "conflict_hours", Hours, Person;
    FocusHours = "focus_hours", Hours, Person;
    Open1hBlocks = "open_1h_blocks", Count, Person;
    Open2hBlocks = "open_2h_blocks", Count, Person;
    FragmentedHours = "fragmented_hours", Hours, Person;
    Fragmentation = "fragmentation", Percent, Person;
    UninterruptedHours = "uninterrupted_hours", Hours, Person;
    InterruptedHours = "interrupted_hours", Hours, Person;
    AfterHoursMeetingHours = "after_hours_meeting_hours", Hours, Person;
    ShortMeetings = "short_meetings", Count, Person;
    ShortNoticeMeetings = "short_notice_meetings", CountAndPercent, Person;
    LargeLongMeetings = "large_long_meetings", Count, Person;
    RecurringShare = "recurring_share", Percent, Person;
    LargeLongMeetingShare = "large_long_meeting_share", Percent, Person;
    SmallShortMeetingShare = "small_short_meeting_share", Percent, Person;
    DecisionSizedMeetingShare = "decision_sized_meeting_share", Percent, Person;
    UrgentMeetingHours = "urgent_meeting_hours", Hours, Person;
    GeneratedWorkloadHours = "generated_workload_hours", Hours, Person;
    CollaborationSpan = "collaboration_span", Count, Person;
    CollaborationSpanTeams = "collaboration_span_teams", Count, Person;
    OutsideTeamShare = "outside_team_share", Percent, Person;
    MultitaskingHours = "multitasking_hours", Hours, Person;
    MultitaskingShare = "multitasking_share", Percent, Person;
    LowQualityMeetingHours = "low_quality_meeting_hours", Hours, Person;
    LowQualityMeetingShare = "low_quality_meeting_share", Percent, Person;
    LowQualityMeetingCost = "low_quality_meeting_cost", Cost, Person;
    FlexibilityIndex = "flexibility_index", Percent, Person;
    HygieneAgenda = "hygiene_agenda", Percent, Team;
    HygieneOutcome = "hygiene_outcome", Percent, Team;
    HygienePreread = "hygiene_preread", Percent, Team;
    HygieneTimebox = "hygiene_timebox", Percent, Team;
    HygieneAttendees = "hygiene_attendees", Percent, Team;
    HygieneSummary = "hygiene_summary", Percent, Team;
    HygieneSeriesEnd = "hygiene_series_end", Percent, Team;
    MessagesSent = "messages_sent", Count, Person;
    AfterHoursMessages = "after_hours_messages", CountAndPercent, Person;
    AfterHoursAsksReceived = "after_hours_asks_received", CountAndPercent, Person;
    CrossTzAsks = "cross_tz_asks", CountAndPercent, Person;
    ResponseLatency = "response_latency", HoursMedianP90, Person;
    SlaBreachRate = "sla_breach_rate", Percent, Person;
    ThreadEscalations = "thread_escalations", Count, Person;
    SyncShare = "sync_share", Percent, Person;
    OverlapHours = "overlap_hours", HoursPerDay, Team;
    TzBurden = "tz_burden", GiniAndHours, Team;
    MeetingLoadGini = "meeting_load_gini", GiniAndHours, Team;
    OrganizerConcentration = "organizer_concentration", Percent, Team;
    Throughput = "throughput", Items, Team;
    Morale = "morale", Score, Team;
    WrittenAskLatency = "written_ask_latency", Hours, Team;
    WrittenAskBreachRate = "written_ask_breach_rate", Percent, Team;
    UpdateCoverage = "update_coverage", Percent, Team;
    DecisionLatency = "decision_latency", Hours, Team;
    AsyncDecisionShare = "async_decision_share", Percent, Team;
    IncidentReviewsOnTime = "incident_reviews_on_time", Percent, Team;
}

impl SignalId {
    /// True when the value is an estimate and must be labelled so
    /// (`sync_share`: async hours are messages x minutes per message).
    pub fn is_estimate(&self) -> bool {
        matches!(self, SignalId::SyncShare)
    }

    /// Looks an id up.
    pub fn from_id(id: &str) -> Option<SignalId> {
        SignalId::ALL.iter().copied().find(|s| s.as_str() == id)
    }

    /// Which way is better for the team, when one is: experiments read it
    /// for the default expected direction and for the bad side of a
    /// guardrail. `None` for signals that describe rather than judge
    /// (meeting counts, messages sent, overlap hours depend on the plan).
    pub fn better(&self) -> Option<Better> {
        use SignalId::*;
        match self {
            FocusHours
            | Open1hBlocks
            | Open2hBlocks
            | UninterruptedHours
            | FlexibilityIndex
            | HygieneAgenda
            | HygieneOutcome
            | HygienePreread
            | HygieneTimebox
            | HygieneAttendees
            | HygieneSummary
            | HygieneSeriesEnd
            | OverlapHours
            | Throughput
            | Morale
            | UpdateCoverage
            | AsyncDecisionShare
            | IncidentReviewsOnTime => Some(Better::Higher),
            MeetingHours
            | MeetingShare
            | ConflictHours
            | FragmentedHours
            | Fragmentation
            | AfterHoursMeetingHours
            | ShortMeetings
            | ShortNoticeMeetings
            | LargeLongMeetings
            | RecurringShare
            | LargeLongMeetingShare
            | UrgentMeetingHours
            | InterruptedHours
            | MultitaskingHours
            | MultitaskingShare
            | LowQualityMeetingHours
            | LowQualityMeetingShare
            | LowQualityMeetingCost
            | MeetingLoadGini
            | AfterHoursMessages
            | AfterHoursAsksReceived
            | CrossTzAsks
            | ResponseLatency
            | SlaBreachRate
            | ThreadEscalations
            | TzBurden
            | OrganizerConcentration
            | WrittenAskLatency
            | WrittenAskBreachRate
            | DecisionLatency => Some(Better::Lower),
            // Meeting types and generated workload describe how a calendar
            // is made up; neither way is better in itself.
            MeetingCount
            | MessagesSent
            | SyncShare
            | SmallShortMeetingShare
            | DecisionSizedMeetingShare
            | GeneratedWorkloadHours
            | CollaborationSpan
            | CollaborationSpanTeams
            | OutsideTeamShare => None,
        }
    }

    /// The signal's name in words (`focus_hours` -> "focus hours").
    pub fn words(&self) -> String {
        self.as_str().replace('_', " ")
    }
}

/// Which side of a signal is better for the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Better {
    /// More is better (focus hours, morale, throughput).
    Higher,
    /// Less is better (meeting load, after-hours load, latency).
    Lower,
}

/// Why a value is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unknown {
    /// The person has no calendar among the sources.
    NoCalendar,
    /// The person has no account in the chat sources.
    NoChat,
    /// No working time that week (away all week, or no working hours).
    NoWorkingTime,
    /// No free working time that week.
    NoFreeTime,
    /// No meeting time that week.
    NoMeetings,
    /// No asks received that week.
    NoAsks,
    /// No asks whose SLA outcome is known yet (all still pending).
    NoDecidedAsks,
    /// Neither meetings nor messages that week.
    NoActivity,
    /// No meetings of the kind the share is over (team-organized meetings,
    /// recurring series).
    NoMeetingsToRate,
    /// The optional source (work items, pulse) was not given.
    NoSource,
    /// No pulse answers that week.
    NoAnswers,
    /// The chat sources hold no thread at all (older Slack exports, or a
    /// workspace that never threads): an escalated thread cannot occur, so
    /// its count is not 0 but not assessed.
    NoThreads,
    /// A share of nothing: its whole is 0 (no asks, no messages of the
    /// kind) that week.
    NoDenominator,
    /// No ask received that week was answered yet (all unanswered or
    /// pending): a latency has no value.
    NoAnsweredAsks,
    /// The week starts after the data ends: calendars hold only plans for
    /// it, so nothing is judged on it.
    AfterData,
    /// Half or more of the team was away that week (holidays, a team
    /// offsite): the week is left out of team values and findings.
    TeamAway,
    /// The team aggregate is withheld: too few members with data.
    Suppressed {
        /// Members with data that week.
        members_with_data: u32,
        /// The minimum group size.
        min_group_size: u32,
    },
}

impl Unknown {
    /// Snake-case reason for output.
    pub fn as_str(&self) -> &'static str {
        match self {
            Unknown::NoCalendar => "no_calendar",
            Unknown::NoChat => "no_chat",
            Unknown::NoWorkingTime => "no_working_time",
            Unknown::NoFreeTime => "no_free_time",
            Unknown::NoMeetings => "no_meetings",
            Unknown::NoAsks => "no_asks",
            Unknown::NoDecidedAsks => "no_decided_asks",
            Unknown::NoActivity => "no_activity",
            Unknown::NoMeetingsToRate => "no_meetings_to_rate",
            Unknown::NoSource => "no_source",
            Unknown::NoAnswers => "no_answers",
            Unknown::NoThreads => "no_threads",
            Unknown::NoDenominator => "no_denominator",
            Unknown::AfterData => "after_data",
            Unknown::NoAnsweredAsks => "no_answered_asks",
            Unknown::TeamAway => "team_away",
            Unknown::Suppressed { .. } => "suppressed",
        }
    }
}

/// A part of a whole: a share with what it is made of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio {
    /// The part (a count, or hours).
    pub part: f64,
    /// The whole (same unit).
    pub whole: f64,
}

impl Ratio {
    /// A ratio.
    pub fn new(part: f64, whole: f64) -> Ratio {
        Ratio { part, whole }
    }

    /// `part / whole`; `None` when the whole is zero.
    pub fn share(&self) -> Option<f64> {
        (self.whole > 0.0).then(|| self.part / self.whole)
    }

    /// As a known share, or `why` when the whole is zero.
    pub(crate) fn known_or(self, why: Unknown) -> Measured {
        if self.whole > 0.0 {
            Ok(Value::Ratio(self))
        } else {
            Err(why)
        }
    }
}

/// Response latencies of a set of asks, on both clocks.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LatencyStats {
    /// Asks answered within the unanswered limit: these have a latency.
    pub answered: u32,
    /// Asks with no reply within the limit.
    pub unanswered: u32,
    /// Asks whose limit had not passed when the data ends (no reply yet):
    /// neither answered nor unanswered.
    pub pending: u32,
    /// Wall-clock latency of the answered asks, hours.
    pub wall: Option<Spread>,
    /// Business-hours latency (responder's working time) of the answered asks, hours.
    pub business: Option<Spread>,
}

/// `tz_burden` of a team-week.
#[derive(Debug, Clone, PartialEq)]
pub struct Burden {
    /// Gini coefficient of after-hours meeting hours across members.
    pub gini: f64,
    /// The members' after-hours meeting hours, summed.
    pub total_hours: f64,
    /// Largest member value, hours.
    pub max_hours: f64,
    /// Members counted.
    pub members: u32,
    /// The Lorenz curve: the share of the hours held by the lightest 20%,
    /// 40%, 60% and 80% of members ([`crate::viva::LORENZ_AT`]).
    pub lorenz: [f64; 4],
}

/// `overlap_hours` of a team-week, with the windows themselves.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    /// Overlap hours per working day.
    pub hours_per_day: f64,
    /// Overlap hours in the week.
    pub hours: f64,
    /// Working days the week's hours are divided by.
    pub working_days: u32,
    /// The windows when every member is in working time, as instants.
    pub windows: Vec<Interval>,
}

/// `organizer_concentration` of a team-week.
#[derive(Debug, Clone, PartialEq)]
pub struct Concentration {
    /// Person-hours organized by the top organizer / person-hours with a
    /// known organizer.
    pub ratio: Ratio,
    /// The top organizer: an email of the list, or an address. Identifies a
    /// person: the report decides who may see it.
    pub top_organizer: String,
    /// The top organizer is a member of the team.
    pub top_is_member: bool,
}

/// A known value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number in the signal's unit: hours, a count, items, a score.
    Number(f64),
    /// A share, or a count with its share (`count, %` signals: `part` is the count).
    Ratio(Ratio),
    /// Latency statistics.
    Latency(LatencyStats),
    /// Time-zone burden.
    Burden(Burden),
    /// Overlap windows.
    Overlap(Overlap),
    /// Organizer concentration.
    Concentration(Concentration),
}

impl Value {
    /// The one number a threshold compares against: the number, the share,
    /// the median business-hours latency, the Gini, the hours per day, the
    /// concentration share. `None` when that number is itself unknown (a
    /// count whose share has no denominator).
    pub fn headline(&self) -> Option<f64> {
        match self {
            Value::Number(x) => Some(*x),
            Value::Ratio(r) => r.share(),
            Value::Latency(l) => l.business.map(|s| s.median),
            Value::Burden(b) => Some(b.gini),
            Value::Overlap(o) => Some(o.hours_per_day),
            Value::Concentration(c) => c.ratio.share(),
        }
    }
}

/// A value or the reason it is unknown.
pub type Measured = Result<Value, Unknown>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_spec_ids_and_unique() {
        let mut ids: Vec<&str> = SignalId::ALL.iter().map(SignalId::as_str).collect();
        assert_eq!(ids.len(), 57);
        assert_eq!(
            SignalId::from_id("cross_tz_asks"),
            Some(SignalId::CrossTzAsks)
        );
        assert_eq!(SignalId::ResponseLatency.unit().as_str(), "h (median, p90)");
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 57);
        // Every id appears in the spec the project keeps next to the code.
        let spec = include_str!("../../../docs/SIGNALS.md");
        for id in SignalId::ALL {
            let needle = format!("`{}`", id.as_str());
            assert!(spec.contains(&needle), "{needle} is not in docs/SIGNALS.md");
        }
    }
}
