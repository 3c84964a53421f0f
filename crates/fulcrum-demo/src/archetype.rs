//! The patterns a team can carry: one healthy team, the seven patterns of
//! the seed list of patterns, and one finding of SIGNALS.md's table the
//! seed list leaves out, an unfair time-zone burden, each named by the
//! finding id of the table that should detect it. How strongly and in
//! which weeks a team shows its pattern, and what it carries on top (slow
//! written answers, the last finding of the table, are planted that way),
//! is its [`crate::preset::Plant`].

use crate::zones::Zone;

/// What a team's habits look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Archetype {
    /// Few, purposeful meetings, written decisions, protected focus time.
    /// This team also runs the experiment (standup -> written updates).
    Healthy,
    /// Frequent short meetings to clear small blockers.
    SmallBlockers,
    /// Long threads that decide nothing, then a sudden meeting.
    ThreadsToMeetings,
    /// A team split between San Francisco and Bangalore: asks land at night.
    LateNightPings,
    /// Every unplanned event becomes a huddle and a short-notice meeting.
    HuddlesAfterSurprises,
    /// Meetings scattered over the day: no two-hour block survives.
    FragmentedFocus,
    /// Too many meetings, most of them recurring series nobody audits.
    OverloadSprawl,
    /// One person organizes nearly every meeting of the team.
    OneOrganizer,
    /// New York with two London members who take every late meeting.
    UnfairTzBurden,
}

/// How a team's calendars are exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Google Calendar: UTC times, X-WR-TIMEZONE, IANA VTIMEZONEs.
    Google,
    /// Outlook / Exchange: Windows zone names, 1601-based VTIMEZONEs.
    Outlook,
}

/// Where a team chats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chat {
    /// The organisation's Slack.
    Slack,
    /// The Berlin office's Mattermost.
    Mattermost,
}

impl Archetype {
    /// Every archetype.
    pub const ALL: [Archetype; 9] = [
        Archetype::Healthy,
        Archetype::SmallBlockers,
        Archetype::ThreadsToMeetings,
        Archetype::LateNightPings,
        Archetype::HuddlesAfterSurprises,
        Archetype::FragmentedFocus,
        Archetype::OverloadSprawl,
        Archetype::OneOrganizer,
        Archetype::UnfairTzBurden,
    ];

    /// The eight archetypes of the easy preset; an organisation of `8k`
    /// teams has `k` of each.
    pub const EASY: [Archetype; 8] = [
        Archetype::Healthy,
        Archetype::SmallBlockers,
        Archetype::ThreadsToMeetings,
        Archetype::LateNightPings,
        Archetype::HuddlesAfterSurprises,
        Archetype::FragmentedFocus,
        Archetype::OverloadSprawl,
        Archetype::OneOrganizer,
    ];

    /// The pattern id written to truth.json.
    pub fn id(self) -> &'static str {
        match self {
            Archetype::Healthy => "healthy",
            Archetype::SmallBlockers => "meetings_clear_small_blockers",
            Archetype::ThreadsToMeetings => "threads_end_in_sudden_meetings",
            Archetype::LateNightPings => "late_night_pings",
            Archetype::HuddlesAfterSurprises => "huddles_after_surprises",
            Archetype::FragmentedFocus => "fragmented_deep_work",
            Archetype::OverloadSprawl => "meeting_overload+recurring_sprawl",
            Archetype::OneOrganizer => "one_person_controls_sync_time",
            Archetype::UnfairTzBurden => "unfair_tz_burden",
        }
    }

    /// The finding ids (SIGNALS.md) the report should raise for the team.
    pub fn findings(self) -> &'static [&'static str] {
        match self {
            Archetype::Healthy => &[],
            Archetype::SmallBlockers => &["meetings_clear_small_blockers"],
            Archetype::ThreadsToMeetings => &["threads_end_in_sudden_meetings"],
            Archetype::LateNightPings => &["late_night_pings"],
            Archetype::HuddlesAfterSurprises => &["huddles_after_surprises"],
            Archetype::FragmentedFocus => &["fragmented_deep_work"],
            Archetype::OverloadSprawl => &["meeting_overload", "recurring_sprawl"],
            Archetype::OneOrganizer => &["one_person_controls_sync_time"],
            Archetype::UnfairTzBurden => &["unfair_tz_burden"],
        }
    }

    /// The office of the `i`th member (the lead is member 0).
    pub fn zone_of_member(self, i: usize) -> Zone {
        use Zone::*;
        let pattern: &[Zone] = match self {
            Archetype::Healthy => &[
                NewYork, NewYork, London, NewYork, NewYork, London, NewYork, NewYork,
            ],
            Archetype::SmallBlockers => &[
                SanFrancisco,
                SanFrancisco,
                SanFrancisco,
                NewYork,
                SanFrancisco,
                SanFrancisco,
                SanFrancisco,
                SanFrancisco,
            ],
            Archetype::ThreadsToMeetings => &[
                NewYork,
                SanFrancisco,
                NewYork,
                NewYork,
                SanFrancisco,
                NewYork,
                SanFrancisco,
                NewYork,
            ],
            Archetype::LateNightPings => &[
                SanFrancisco,
                Bangalore,
                SanFrancisco,
                Bangalore,
                SanFrancisco,
                Bangalore,
                Bangalore,
                SanFrancisco,
            ],
            Archetype::HuddlesAfterSurprises => &[
                Berlin, London, Berlin, Berlin, London, Berlin, Berlin, London,
            ],
            Archetype::FragmentedFocus => &[
                Berlin, Berlin, Berlin, Berlin, London, Berlin, Berlin, Berlin,
            ],
            Archetype::OverloadSprawl => &[
                NewYork,
                NewYork,
                NewYork,
                SanFrancisco,
                NewYork,
                NewYork,
                NewYork,
                NewYork,
            ],
            Archetype::OneOrganizer => &[
                Bangalore, Bangalore, Bangalore, Berlin, Bangalore, Bangalore, Bangalore, Bangalore,
            ],
            // Two London members of eight (one of six or seven in smaller
            // teams still pays alone): the burden sits on few people.
            Archetype::UnfairTzBurden => &[
                NewYork, NewYork, London, NewYork, NewYork, London, NewYork, NewYork,
            ],
        };
        pattern[i % pattern.len()]
    }

    /// The calendar exporter the team's people use.
    pub fn dialect(self) -> Dialect {
        match self {
            Archetype::FragmentedFocus | Archetype::OneOrganizer => Dialect::Outlook,
            _ => Dialect::Google,
        }
    }

    /// The chat the team works in.
    pub fn chat(self) -> Chat {
        match self {
            Archetype::FragmentedFocus => Chat::Mattermost,
            _ => Chat::Slack,
        }
    }

    /// Work items a full-time member closes in a typical week.
    pub fn throughput(self) -> f64 {
        match self {
            Archetype::Healthy => 3.0,
            Archetype::SmallBlockers => 2.4,
            Archetype::ThreadsToMeetings => 2.2,
            Archetype::LateNightPings => 2.1,
            Archetype::HuddlesAfterSurprises => 1.9,
            Archetype::FragmentedFocus => 1.7,
            Archetype::OverloadSprawl => 1.5,
            Archetype::OneOrganizer => 2.0,
            Archetype::UnfairTzBurden => 2.3,
        }
    }

    /// The mean weekly pulse score (1-5).
    pub fn morale(self) -> f64 {
        match self {
            Archetype::Healthy => 3.9,
            Archetype::SmallBlockers => 3.4,
            Archetype::ThreadsToMeetings => 3.2,
            Archetype::LateNightPings => 3.0,
            Archetype::HuddlesAfterSurprises => 2.9,
            Archetype::FragmentedFocus => 3.1,
            Archetype::OverloadSprawl => 2.7,
            Archetype::OneOrganizer => 3.1,
            Archetype::UnfairTzBurden => 3.2,
        }
    }

    /// One sentence on what was planted, for TRUTH.md.
    pub fn story(self) -> &'static str {
        match self {
            Archetype::Healthy => {
                "Few meetings with agendas and outcomes, series with end dates, focus blocks on the calendar, questions answered in writing within hours, decisions written down. Runs the experiment."
            }
            Archetype::SmallBlockers => {
                "Every small question becomes a 15- or 30-minute one-off meeting between two or three people (\"quick unblock\"), mostly booked a day or more ahead."
            }
            Archetype::ThreadsToMeetings => {
                "Three times a week a channel thread runs to 10-16 replies among 3-5 people without a decision, ends in \"let's jump on a call\", and a meeting with the thread's participants is booked within the hour for later that day or the next morning."
            }
            Archetype::LateNightPings => {
                "Half the team in San Francisco, half in Bangalore, no shared working hours: DMs and @mentions are sent in the sender's afternoon and land in the recipient's night; replies come the next working morning."
            }
            Archetype::HuddlesAfterSurprises => {
                "Most weekdays an urgent message (\"checkout errors spiking\") is followed within minutes by a Slack huddle and a calendar \"war room\" created as it starts."
            }
            Archetype::FragmentedFocus => {
                "Standup plus 45-minute one-off meetings placed in the middle of whatever free time is left, so almost no free block reaches two hours. Exchange calendars, Mattermost chat."
            }
            Archetype::OverloadSprawl => {
                "Over twenty recurring series (standup, triage, planning, refinement, reviews, syncs; three of them double-booked over others), most without an end date, plus weekly 1:1s, fill about half of everyone's working week."
            }
            Archetype::OneOrganizer => {
                "The lead organizes every series and nearly every one-off meeting of the team. Exchange calendars."
            }
            Archetype::UnfairTzBurden => {
                "A New York team with two London members: most weekdays a 45-minute sync is booked after the London members' day has ended, so they alone carry the after-hours meeting time."
            }
        }
    }
}
