//! How much of its input each signal could use, over the whole window
//! ("CREATED present on 72% of attended one-off meetings").
//!
//! A [`CoverageFact`] is a part of a whole with what it measures and the
//! signals it bears on; [`Coverage::for_signal`] lists the facts of one
//! signal. The occurrences that were not meetings are counted by reason, so
//! that, for example, many `not_invited` point at an alias missing from the
//! people list.

use crate::meetings::Exclusion;
use crate::signal::SignalId;

/// What a coverage fact measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoverageKey {
    /// People with a calendar among the sources.
    PeopleWithCalendar,
    /// People with an account in the chat sources.
    PeopleWithChat,
    /// Attended one-off meetings whose invite time is CREATED.
    InviteFromCreated,
    /// ... whose invite time falls back to DTSTAMP.
    InviteFromDtstamp,
    /// ... whose invite time is known at all.
    InviteKnown,
    /// Attended meeting person-minutes whose organizer is known (minutes,
    /// so the counts stay whole numbers).
    OrganizerKnown,
    /// Team-organized meetings with a description.
    DescriptionPresent,
    /// Person messages whose author is a listed person.
    AuthorResolved,
    /// @mentions of users that resolve to a listed person.
    MentionsResolved,
    /// DM messages in DMs whose members are known.
    DmMembersKnown,
    /// Asks answered or unanswered (the rest are pending at the end of the data).
    AsksDecided,
    /// Asks whose SLA outcome is known.
    SlaDecided,
    /// Work items whose person resolved.
    WorkItemsResolved,
}

impl CoverageKey {
    /// Snake-case name for output.
    pub fn as_str(&self) -> &'static str {
        match self {
            CoverageKey::PeopleWithCalendar => "people_with_calendar",
            CoverageKey::PeopleWithChat => "people_with_chat",
            CoverageKey::InviteFromCreated => "invite_from_created",
            CoverageKey::InviteFromDtstamp => "invite_from_dtstamp",
            CoverageKey::InviteKnown => "invite_known",
            CoverageKey::OrganizerKnown => "organizer_known",
            CoverageKey::DescriptionPresent => "description_present",
            CoverageKey::AuthorResolved => "author_resolved",
            CoverageKey::MentionsResolved => "mentions_resolved",
            CoverageKey::DmMembersKnown => "dm_members_known",
            CoverageKey::AsksDecided => "asks_decided",
            CoverageKey::SlaDecided => "sla_decided",
            CoverageKey::WorkItemsResolved => "work_items_resolved",
        }
    }

    /// What is present, and of what: ("CREATED present", "attended one-off meetings").
    pub fn words(&self) -> (&'static str, &'static str) {
        match self {
            CoverageKey::PeopleWithCalendar => ("a calendar", "people"),
            CoverageKey::PeopleWithChat => ("a chat account", "people"),
            CoverageKey::InviteFromCreated => ("CREATED present", "attended one-off meetings"),
            CoverageKey::InviteFromDtstamp => ("only DTSTAMP used", "attended one-off meetings"),
            CoverageKey::InviteKnown => ("invite time known", "attended one-off meetings"),
            CoverageKey::OrganizerKnown => ("ORGANIZER present", "meeting person-minutes"),
            CoverageKey::DescriptionPresent => ("a description", "team-organized meetings"),
            CoverageKey::AuthorResolved => ("author on the people list", "messages by people"),
            CoverageKey::MentionsResolved => ("on the people list", "@mentions"),
            CoverageKey::DmMembersKnown => ("DM members known", "DM messages"),
            CoverageKey::AsksDecided => ("answered or unanswered (not pending)", "asks"),
            CoverageKey::SlaDecided => ("SLA outcome known", "asks"),
            CoverageKey::WorkItemsResolved => ("person on the people list", "work items"),
        }
    }

    /// The signals it bears on.
    pub fn signals(&self) -> &'static [SignalId] {
        use SignalId::*;
        const CALENDAR: &[SignalId] = &[
            MeetingHours,
            MeetingCount,
            MeetingShare,
            ConflictHours,
            FocusHours,
            Open1hBlocks,
            Open2hBlocks,
            FragmentedHours,
            Fragmentation,
            UninterruptedHours,
            InterruptedHours,
            AfterHoursMeetingHours,
            ShortMeetings,
            ShortNoticeMeetings,
            LargeLongMeetings,
            RecurringShare,
            LargeLongMeetingShare,
            SmallShortMeetingShare,
            DecisionSizedMeetingShare,
            UrgentMeetingHours,
            GeneratedWorkloadHours,
            CollaborationSpan,
            CollaborationSpanTeams,
            OutsideTeamShare,
            MultitaskingHours,
            MultitaskingShare,
            LowQualityMeetingHours,
            LowQualityMeetingShare,
            LowQualityMeetingCost,
            FlexibilityIndex,
            HygieneAgenda,
            HygieneOutcome,
            HygienePreread,
            HygieneTimebox,
            HygieneAttendees,
            HygieneSummary,
            HygieneSeriesEnd,
            SyncShare,
            TzBurden,
            MeetingLoadGini,
            OrganizerConcentration,
        ];
        const CHAT: &[SignalId] = &[
            UninterruptedHours,
            InterruptedHours,
            MultitaskingHours,
            MultitaskingShare,
            LowQualityMeetingHours,
            LowQualityMeetingShare,
            LowQualityMeetingCost,
            FlexibilityIndex,
            MessagesSent,
            AfterHoursMessages,
            AfterHoursAsksReceived,
            CrossTzAsks,
            ResponseLatency,
            SlaBreachRate,
            ThreadEscalations,
            SyncShare,
        ];
        match self {
            CoverageKey::PeopleWithCalendar => CALENDAR,
            CoverageKey::PeopleWithChat => CHAT,
            CoverageKey::InviteFromCreated
            | CoverageKey::InviteFromDtstamp
            | CoverageKey::InviteKnown => &[ShortNoticeMeetings, ThreadEscalations],
            CoverageKey::OrganizerKnown => &[OrganizerConcentration],
            CoverageKey::DescriptionPresent => &[
                LowQualityMeetingHours,
                LowQualityMeetingShare,
                LowQualityMeetingCost,
                HygieneAgenda,
                HygieneOutcome,
                HygienePreread,
                HygieneSummary,
            ],
            CoverageKey::AuthorResolved => CHAT,
            CoverageKey::MentionsResolved | CoverageKey::DmMembersKnown => &[
                UninterruptedHours,
                InterruptedHours,
                AfterHoursAsksReceived,
                CrossTzAsks,
                ResponseLatency,
                SlaBreachRate,
            ],
            CoverageKey::AsksDecided => &[ResponseLatency],
            CoverageKey::SlaDecided => &[SlaBreachRate],
            CoverageKey::WorkItemsResolved => &[Throughput],
        }
    }
}

/// A part of a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverageFact {
    /// What it measures.
    pub key: CoverageKey,
    /// How many had it.
    pub part: u64,
    /// Out of how many.
    pub whole: u64,
}

impl CoverageFact {
    /// `part / whole`, `None` when there was nothing to measure.
    pub fn share(&self) -> Option<f64> {
        (self.whole > 0).then(|| self.part as f64 / self.whole as f64)
    }

    /// A sentence for reports: "CREATED present on 72% of attended one-off
    /// meetings (18 of 25)"; "no attended one-off meetings" when the whole is 0.
    pub fn describe(&self) -> String {
        let (what, of) = self.key.words();
        match self.share() {
            Some(s) => format!(
                "{what} on {:.0}% of {of} ({} of {})",
                s * 100.0,
                self.part,
                self.whole
            ),
            None => format!("no {of}"),
        }
    }
}

/// The coverage of a computation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coverage {
    /// Every fact.
    pub facts: Vec<CoverageFact>,
    /// Calendar occurrences that were not attended meetings, by reason (over
    /// every person's calendar).
    pub excluded_occurrences: Vec<(Exclusion, u64)>,
    /// Person-days out of office found.
    pub away_days: u64,
    /// Chat messages outside the window's weeks (not counted in any week).
    pub messages_outside_window: u64,
    /// Bot and system messages (excluded by definition).
    pub bot_or_system_messages: u64,
}

impl Coverage {
    /// The facts bearing on one signal.
    pub fn for_signal(&self, id: SignalId) -> impl Iterator<Item = &CoverageFact> {
        self.facts
            .iter()
            .filter(move |f| f.key.signals().contains(&id))
    }

    /// The fact of one key.
    pub fn get(&self, key: CoverageKey) -> Option<&CoverageFact> {
        self.facts.iter().find(|f| f.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_a_share_and_nothing() {
        let f = CoverageFact {
            key: CoverageKey::InviteFromCreated,
            part: 18,
            whole: 25,
        };
        assert_eq!(
            f.describe(),
            "CREATED present on 72% of attended one-off meetings (18 of 25)"
        );
        let none = CoverageFact {
            whole: 0,
            part: 0,
            ..f
        };
        assert_eq!(none.describe(), "no attended one-off meetings");
        assert_eq!(none.share(), None);
    }
}
