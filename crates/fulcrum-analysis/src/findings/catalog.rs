//! The finding table of SIGNALS.md as data: for each finding its stable id,
//! the pattern it names, the checks that fire it (signal, threshold key,
//! direction), the moves that fit with a sentence on why, and one
//! experiment to run first.
//!
//! Threshold keys are those of `[policy.thresholds]` (the workspace's
//! `THRESHOLDS` list); [`super::Thresholds`] holds their values.

use crate::signal::SignalId;

/// A finding of SIGNALS.md's finding table, by its stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingId {
    /// `meetings_clear_small_blockers`.
    MeetingsClearSmallBlockers,
    /// `threads_end_in_sudden_meetings`.
    ThreadsEndInSuddenMeetings,
    /// `calendar_conflicts`.
    CalendarConflicts,
    /// `late_night_pings`.
    LateNightPings,
    /// `huddles_after_surprises`.
    HuddlesAfterSurprises,
    /// `fragmented_deep_work`.
    FragmentedDeepWork,
    /// `meeting_overload`.
    MeetingOverload,
    /// `meetings_without_artifacts`.
    MeetingsWithoutArtifacts,
    /// `one_person_controls_sync_time`.
    OnePersonControlsSyncTime,
    /// `slow_async`.
    SlowAsync,
    /// `recurring_sprawl`.
    RecurringSprawl,
    /// `unfair_tz_burden`.
    UnfairTzBurden,
    /// `multitasked_meetings`.
    MultitaskedMeetings,
}

/// Which side of the threshold fires a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The value is at least the threshold (`>=`).
    AtLeast,
    /// The value is above the threshold (`>`).
    Above,
    /// The value is below the threshold (`<`).
    Below,
}

impl Direction {
    /// `>=`, `>` or `<`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Direction::AtLeast => ">=",
            Direction::Above => ">",
            Direction::Below => "<",
        }
    }

    /// True when `value` is past `threshold` on this side.
    pub fn passes(&self, value: f64, threshold: f64) -> bool {
        match self {
            Direction::AtLeast => value >= threshold,
            Direction::Above => value > threshold,
            Direction::Below => value < threshold,
        }
    }
}

/// One condition of a finding: a signal's team-week value against a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckSpec {
    /// The signal.
    pub signal: SignalId,
    /// The `[policy.thresholds]` key.
    pub threshold: &'static str,
    /// Which side fires.
    pub direction: Direction,
    /// The check this one is preferred to: when this one has data in the
    /// window, that one is left out (an exact signal over its guess).
    pub replaces: Option<SignalId>,
}

/// A move that fits a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    /// The move, as PRODUCT.md names it.
    pub name: &'static str,
    /// One sentence on why it fits.
    pub why: &'static str,
}

/// The one experiment to run first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Experiment {
    /// The one change.
    pub change: &'static str,
    /// For how long, in weeks (compared with as many weeks before).
    pub weeks: u32,
    /// The signals to watch.
    pub watch: &'static [SignalId],
}

const fn check(signal: SignalId, threshold: &'static str, direction: Direction) -> CheckSpec {
    CheckSpec {
        signal,
        threshold,
        direction,
        replaces: None,
    }
}

/// A check preferred to the check of `replaces` where it has data.
const fn preferred(
    signal: SignalId,
    threshold: &'static str,
    direction: Direction,
    replaces: SignalId,
) -> CheckSpec {
    CheckSpec {
        signal,
        threshold,
        direction,
        replaces: Some(replaces),
    }
}

impl FindingId {
    /// Every finding, in the order of SIGNALS.md's table.
    pub const ALL: [FindingId; 13] = [
        FindingId::MeetingsClearSmallBlockers,
        FindingId::ThreadsEndInSuddenMeetings,
        FindingId::CalendarConflicts,
        FindingId::LateNightPings,
        FindingId::HuddlesAfterSurprises,
        FindingId::FragmentedDeepWork,
        FindingId::MeetingOverload,
        FindingId::MeetingsWithoutArtifacts,
        FindingId::OnePersonControlsSyncTime,
        FindingId::SlowAsync,
        FindingId::RecurringSprawl,
        FindingId::UnfairTzBurden,
        FindingId::MultitaskedMeetings,
    ];

    /// The stable id (JSON output, `truth.json` of the demo).
    pub fn as_str(&self) -> &'static str {
        match self {
            FindingId::MeetingsClearSmallBlockers => "meetings_clear_small_blockers",
            FindingId::ThreadsEndInSuddenMeetings => "threads_end_in_sudden_meetings",
            FindingId::CalendarConflicts => "calendar_conflicts",
            FindingId::LateNightPings => "late_night_pings",
            FindingId::HuddlesAfterSurprises => "huddles_after_surprises",
            FindingId::FragmentedDeepWork => "fragmented_deep_work",
            FindingId::MeetingOverload => "meeting_overload",
            FindingId::MeetingsWithoutArtifacts => "meetings_without_artifacts",
            FindingId::OnePersonControlsSyncTime => "one_person_controls_sync_time",
            FindingId::SlowAsync => "slow_async",
            FindingId::RecurringSprawl => "recurring_sprawl",
            FindingId::UnfairTzBurden => "unfair_tz_burden",
            FindingId::MultitaskedMeetings => "multitasked_meetings",
        }
    }

    /// Looks an id up.
    pub fn from_id(id: &str) -> Option<FindingId> {
        FindingId::ALL.iter().copied().find(|f| f.as_str() == id)
    }

    /// The finding's name in SIGNALS.md's table.
    pub fn title(&self) -> &'static str {
        match self {
            FindingId::MeetingsClearSmallBlockers => "Meetings clear small blockers",
            FindingId::ThreadsEndInSuddenMeetings => "Threads end in sudden meetings",
            FindingId::CalendarConflicts => "Calendar conflicts",
            FindingId::LateNightPings => "Late-night pings across time zones",
            FindingId::HuddlesAfterSurprises => "Huddles after every surprise",
            FindingId::FragmentedDeepWork => "Fragmented deep work",
            FindingId::MeetingOverload => "Meeting overload",
            FindingId::MeetingsWithoutArtifacts => "Meetings without artifacts",
            FindingId::OnePersonControlsSyncTime => "One person controls sync time",
            FindingId::SlowAsync => "Slow async",
            FindingId::RecurringSprawl => "Recurring sprawl",
            FindingId::UnfairTzBurden => "Unfair time-zone burden",
            FindingId::MultitaskedMeetings => "Meetings people work through",
        }
    }

    /// The pattern, in one sentence.
    pub fn pattern(&self) -> &'static str {
        match self {
            FindingId::MeetingsClearSmallBlockers => {
                "Frequent short one-off meetings clear small blockers that could have been written down."
            }
            FindingId::ThreadsEndInSuddenMeetings => {
                "Long threads decide nothing and end in a sudden meeting or call."
            }
            FindingId::CalendarConflicts => {
                "People are booked into meetings that overlap, so someone is always missing."
            }
            FindingId::LateNightPings => {
                "Asks sent inside the sender's working hours land outside the recipient's: the time zones, not the people, cause it."
            }
            FindingId::HuddlesAfterSurprises => {
                "Unplanned events turn into meetings booked at short notice."
            }
            FindingId::FragmentedDeepWork => {
                "Meetings are scattered across the day, so little free time comes in blocks long enough for deep work."
            }
            FindingId::MeetingOverload => "Meetings take a large share of working time.",
            FindingId::MeetingsWithoutArtifacts => {
                "The team's meetings have no stated outcome or agenda, so nobody knows what they are for or what they decided."
            }
            FindingId::OnePersonControlsSyncTime => {
                "One person organizes most of the team's meeting time."
            }
            FindingId::SlowAsync => "Written asks wait past their SLA.",
            FindingId::RecurringSprawl => {
                "Recurring series fill most meeting time, or run on without an end date nobody revisits."
            }
            FindingId::UnfairTzBurden => {
                "After-hours meeting time falls on a few members: the same people pay for the time zones."
            }
            FindingId::MultitaskedMeetings => {
                "People chat through a large part of their meeting time: they sit in meetings that do not need them, or that do not hold them."
            }
        }
    }

    /// The checks that fire it (any one is enough).
    pub fn checks(&self) -> &'static [CheckSpec] {
        use Direction::*;
        use SignalId::*;
        match self {
            FindingId::MeetingsClearSmallBlockers => {
                const C: &[CheckSpec] = &[check(ShortMeetings, "short_meetings_per_week", AtLeast)];
                C
            }
            FindingId::ThreadsEndInSuddenMeetings => {
                const C: &[CheckSpec] = &[check(
                    ThreadEscalations,
                    "thread_escalations_per_team_week",
                    AtLeast,
                )];
                C
            }
            FindingId::CalendarConflicts => {
                const C: &[CheckSpec] = &[check(ConflictHours, "conflict_hours_per_week", AtLeast)];
                C
            }
            FindingId::LateNightPings => {
                const C: &[CheckSpec] = &[check(CrossTzAsks, "cross_tz_ask_share", AtLeast)];
                C
            }
            FindingId::HuddlesAfterSurprises => {
                const C: &[CheckSpec] =
                    &[check(ShortNoticeMeetings, "short_notice_share", AtLeast)];
                C
            }
            FindingId::FragmentedDeepWork => {
                const C: &[CheckSpec] = &[
                    check(FocusHours, "focus_hours_per_week", Below),
                    check(Fragmentation, "fragmentation", Above),
                ];
                C
            }
            FindingId::MeetingOverload => {
                const C: &[CheckSpec] = &[check(MeetingShare, "meeting_share", Above)];
                C
            }
            FindingId::MeetingsWithoutArtifacts => {
                const C: &[CheckSpec] = &[
                    check(HygieneOutcome, "hygiene_min_share", Below),
                    check(HygieneAgenda, "hygiene_min_share", Below),
                ];
                C
            }
            FindingId::OnePersonControlsSyncTime => {
                const C: &[CheckSpec] = &[check(
                    OrganizerConcentration,
                    "organizer_concentration",
                    Above,
                )];
                C
            }
            FindingId::SlowAsync => {
                // Written asks are exact; the chat's asks are guessed.
                const C: &[CheckSpec] = &[
                    preferred(
                        WrittenAskBreachRate,
                        "sla_breach_rate",
                        Above,
                        SlaBreachRate,
                    ),
                    check(SlaBreachRate, "sla_breach_rate", Above),
                ];
                C
            }
            FindingId::RecurringSprawl => {
                // "or series without end" has no threshold of its own in
                // the policy: the share of series with an end is shown as
                // context and the series without one as examples.
                const C: &[CheckSpec] = &[check(RecurringShare, "recurring_share", Above)];
                C
            }
            FindingId::UnfairTzBurden => {
                const C: &[CheckSpec] = &[check(TzBurden, "tz_burden_gini", Above)];
                C
            }
            FindingId::MultitaskedMeetings => {
                const C: &[CheckSpec] = &[check(MultitaskingShare, "multitasking_share", AtLeast)];
                C
            }
        }
    }

    /// Other signals shown with the evidence, for context.
    pub fn context(&self) -> &'static [SignalId] {
        use SignalId::*;
        match self {
            FindingId::MeetingsClearSmallBlockers => &[MeetingCount, ShortNoticeMeetings],
            FindingId::ThreadsEndInSuddenMeetings => &[ShortNoticeMeetings, ResponseLatency],
            FindingId::CalendarConflicts => &[MeetingHours, LargeLongMeetings],
            FindingId::LateNightPings => &[AfterHoursAsksReceived, ResponseLatency],
            FindingId::HuddlesAfterSurprises => &[MeetingCount, FocusHours],
            FindingId::FragmentedDeepWork => &[MeetingCount, Open2hBlocks],
            FindingId::MeetingOverload => &[MeetingHours, RecurringShare, FocusHours],
            FindingId::MeetingsWithoutArtifacts => &[HygieneSummary, HygienePreread],
            FindingId::OnePersonControlsSyncTime => &[MeetingHours],
            FindingId::SlowAsync => &[ResponseLatency, WrittenAskLatency],
            FindingId::RecurringSprawl => &[HygieneSeriesEnd, MeetingShare],
            FindingId::UnfairTzBurden => &[AfterHoursMeetingHours, OverlapHours],
            FindingId::MultitaskedMeetings => &[MeetingHours, LowQualityMeetingShare],
        }
    }

    /// The moves that fit, each with why.
    pub fn moves(&self) -> &'static [Move] {
        const CLEAR_ASKS: Move = Move {
            name: "Clear asks",
            why: "An ask with its context, the decision needed, a deadline and where to answer can be settled in writing, without a meeting.",
        };
        const ASYNC_SLA: Move = Move {
            name: "Response SLAs for async questions",
            why: "When a non-urgent question is known to get an answer within 24 business hours, nobody needs a call to be sure of one, and nobody needs to answer at night.",
        };
        const RECURRING_AUDIT: Move = Move {
            name: "Quarterly audit of recurring meetings",
            why: "Series nobody revisits outlive their purpose; deciding keep, shorten, make async or cancel per series frees the most hours at once.",
        };
        const CHECKLIST: Move = Move {
            name: "Meeting checklist",
            why: "A desired outcome, only the needed attendees, a pre-read and a timebox in every invite make a meeting earn its slot.",
        };
        const DECISION_MODES: Move = Move {
            name: "Map decision types to sync or async",
            why: "Agreeing up front which decisions are taken in writing and which in a meeting stops a thread from drifting until someone calls a meeting.",
        };
        match self {
            FindingId::MeetingsClearSmallBlockers => &[
                CLEAR_ASKS,
                ASYNC_SLA,
                Move {
                    name: "Office hours",
                    why: "A fixed daily slot for quick questions batches the interruptions that otherwise each become a meeting.",
                },
            ],
            FindingId::ThreadsEndInSuddenMeetings => &[
                DECISION_MODES,
                CLEAR_ASKS,
                Move {
                    name: "Decision log",
                    why: "Writing each decision where the team can find it ends the thread, and the meeting that would have ended it is not needed.",
                },
            ],
            FindingId::CalendarConflicts => &[
                Move {
                    name: "Meeting checklist: only needed attendees",
                    why: "Inviting only the people the outcome needs, and sending the others the notes, spares them the choice between two meetings.",
                },
                RECURRING_AUDIT,
            ],
            FindingId::LateNightPings => &[
                ASYNC_SLA,
                Move {
                    name: "Overlap windows",
                    why: "Keeping the few shared working hours for the exchanges that need both sides makes everything else safe to do asynchronously.",
                },
                Move {
                    name: "Scheduled send",
                    why: "A message scheduled to arrive in the recipient's working hours costs the sender nothing and keeps the recipient's evening free.",
                },
            ],
            FindingId::HuddlesAfterSurprises => &[
                Move {
                    name: "Sync-first only for real crises, then document",
                    why: "Keeping instant calls for real incidents, and writing down what each call decided, stops every surprise from pulling the team into a room.",
                },
                DECISION_MODES,
            ],
            FindingId::FragmentedDeepWork => &[
                Move {
                    name: "Visible focus blocks",
                    why: "Focus blocks on the calendar make free time bookable only on purpose, so it stays in long pieces.",
                },
                Move {
                    name: "Meeting-free windows",
                    why: "Shared meeting-free mornings or days pack meetings together and leave whole blocks free for everyone at once.",
                },
            ],
            FindingId::MeetingOverload => &[
                RECURRING_AUDIT,
                Move {
                    name: "Templates for async updates",
                    why: "Status rounds are the easiest meetings to replace with a written update (status, blockers, decisions) read at each person's own time.",
                },
            ],
            FindingId::MeetingsWithoutArtifacts => &[
                CHECKLIST,
                Move {
                    name: "Shared artifacts and a summary after each meeting",
                    why: "A short written summary shares the decision with those who were not there and keeps the same meeting from happening again.",
                },
            ],
            FindingId::OnePersonControlsSyncTime => &[Move {
                name: "Rotate facilitation",
                why: "Rotating who runs the recurring meetings spreads ownership of the agenda and shows which meetings the team itself wants.",
            }],
            FindingId::SlowAsync => &[
                ASYNC_SLA,
                Move {
                    name: "Decision rights",
                    why: "Saying who decides what sends an ask straight to the person who can answer it.",
                },
                Move {
                    name: "An escalation path",
                    why: "A known way to escalate an ask past its SLA keeps it from waiting silently.",
                },
            ],
            FindingId::RecurringSprawl => &[
                RECURRING_AUDIT,
                Move {
                    name: "An end date on every series",
                    why: "A series that ends forces the question whether it is still needed; one without an end never asks it.",
                },
            ],
            FindingId::UnfairTzBurden => &[
                Move {
                    name: "Rotate meeting times",
                    why: "Rotating the time of cross-zone meetings shares the early and late slots instead of leaving them to the same people.",
                },
                Move {
                    name: "Async by default",
                    why: "Moving status and review meetings to written updates removes most after-hours meetings outright.",
                },
            ],
            FindingId::MultitaskedMeetings => &[
                Move {
                    name: "Meeting checklist: only needed attendees",
                    why: "Someone who chats through a meeting is rarely needed in it; inviting only the people the outcome needs and sending the others the notes gives them the time back.",
                },
                Move {
                    name: "Templates for async updates",
                    why: "Status rounds are the meetings people work through most; a written update read at each person's own time replaces them.",
                },
            ],
        }
    }

    /// The one experiment to run first.
    pub fn experiment(&self) -> Experiment {
        use SignalId::*;
        match self {
            FindingId::MeetingsClearSmallBlockers => Experiment {
                change: "Route small blockers to written asks in the team channel with a 24-hour SLA, and hold one 30-minute office hour a day for what is left.",
                weeks: 4,
                watch: &[ShortMeetings, MeetingCount, ResponseLatency, FocusHours],
            },
            FindingId::ThreadsEndInSuddenMeetings => Experiment {
                change: "Open every decision thread with a clear ask (decision needed, options, deadline, who decides) and record the outcome in a decision log.",
                weeks: 4,
                watch: &[ThreadEscalations, ShortNoticeMeetings, ResponseLatency],
            },
            FindingId::CalendarConflicts => Experiment {
                change: "Apply the checklist's attendee rule to every new invite: only the people the outcome needs; the others get the notes.",
                weeks: 4,
                watch: &[ConflictHours, MeetingHours, LargeLongMeetings],
            },
            FindingId::LateNightPings => Experiment {
                change: "Schedule cross-time-zone messages to arrive in the recipient's working hours, with a 24-hour SLA for non-urgent asks.",
                weeks: 4,
                watch: &[CrossTzAsks, AfterHoursAsksReceived, ResponseLatency, Morale],
            },
            FindingId::HuddlesAfterSurprises => Experiment {
                change: "Write down what counts as an incident; for anything else, post the problem and the ask in writing and decide in the thread; after each incident call, post a summary.",
                weeks: 4,
                watch: &[ShortNoticeMeetings, MeetingCount, FocusHours],
            },
            FindingId::FragmentedDeepWork => Experiment {
                change: "Make two mornings a week meeting-free for the whole team and book them as focus blocks.",
                weeks: 4,
                watch: &[FocusHours, Fragmentation, Open2hBlocks, Throughput],
            },
            FindingId::MeetingOverload => Experiment {
                change: "Audit the recurring series: cancel, shorten or make async one in three, and replace status meetings with written updates.",
                weeks: 6,
                watch: &[MeetingShare, RecurringShare, FocusHours, Morale],
            },
            FindingId::MeetingsWithoutArtifacts => Experiment {
                change: "Put a desired outcome and an agenda in every invite the team sends, and post a summary after each meeting.",
                weeks: 4,
                watch: &[HygieneOutcome, HygieneAgenda, HygieneSummary, MeetingHours],
            },
            FindingId::OnePersonControlsSyncTime => Experiment {
                change: "Rotate facilitation of the team's recurring meetings every week (`fulcrum rotate`).",
                weeks: 6,
                watch: &[OrganizerConcentration, MeetingHours, Morale],
            },
            FindingId::SlowAsync => Experiment {
                change: "Publish SLAs per ask class (urgent 2 h, normal 24 h) and triage open asks for 15 minutes each day.",
                weeks: 4,
                watch: &[
                    SlaBreachRate,
                    ResponseLatency,
                    ShortMeetings,
                    WrittenAskBreachRate,
                    WrittenAskLatency,
                ],
            },
            FindingId::RecurringSprawl => Experiment {
                change: "Give every recurring series an end date within the quarter and audit them all once (`fulcrum audit`).",
                weeks: 6,
                watch: &[RecurringShare, HygieneSeriesEnd, MeetingShare],
            },
            FindingId::UnfairTzBurden => Experiment {
                change: "Rotate the time of the team's cross-time-zone recurring meetings between the zones every week.",
                weeks: 6,
                watch: &[TzBurden, AfterHoursMeetingHours, OverlapHours],
            },
            FindingId::MultitaskedMeetings => Experiment {
                change: "Invite only the people each meeting's outcome needs, send everyone else the summary, and turn the team's status meeting into a written update.",
                weeks: 4,
                watch: &[MultitaskingShare, MeetingHours, LowQualityMeetingShare],
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_threshold_key_is_a_policy_key() {
        let mut ids: Vec<&str> = FindingId::ALL.iter().map(FindingId::as_str).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 13);
        assert_eq!(
            FindingId::from_id("late_night_pings"),
            Some(FindingId::LateNightPings)
        );
        for f in FindingId::ALL {
            assert!(!f.checks().is_empty() && !f.moves().is_empty());
            assert!(f.experiment().weeks >= 2 && !f.experiment().watch.is_empty());
            for c in f.checks() {
                assert!(
                    super::super::Thresholds::default()
                        .get(c.threshold)
                        .is_some(),
                    "{} uses unknown threshold {}",
                    f.as_str(),
                    c.threshold
                );
            }
        }
    }

    #[test]
    fn directions() {
        assert!(Direction::AtLeast.passes(3.0, 3.0));
        assert!(!Direction::Above.passes(0.5, 0.5));
        assert!(Direction::Below.passes(9.9, 10.0));
        assert!(!Direction::Below.passes(10.0, 10.0));
    }
}
