//! What the analysis keeps per person and per week while it runs: the
//! window's week index, each person's state, and the chat signals of a
//! person-week. The calendar side (`analysis`) and the chat side (`chat`)
//! both write here and neither imports the other's internals.

use crate::calendar::{CalendarWeek, Interruptions};
use crate::signal::LatencyStats;
use crate::week::{Week, Window, WorkClock, WorkingDays};
use chrono::{DateTime, NaiveDate, Utc};
use fulcrum_model::Person;

/// Maps a person's instant to the index of their own week in the window.
#[derive(Debug, Clone)]
pub(crate) struct WeekIndex {
    first_monday: NaiveDate,
    pub(crate) weeks: Vec<Week>,
}

impl WeekIndex {
    pub(crate) fn new(window: &Window) -> Self {
        let weeks = window.weeks();
        WeekIndex {
            first_monday: weeks[0].monday(),
            weeks,
        }
    }

    /// The index of the week holding `at` on `tz`'s wall clock, if in the window.
    pub(crate) fn index(&self, at: DateTime<Utc>, tz: &chrono_tz::Tz) -> Option<usize> {
        self.index_of_date(Week::of_instant(at, tz).monday())
    }

    /// The index of the week holding the local date `date`, if in the window.
    pub(crate) fn index_of_date(&self, date: NaiveDate) -> Option<usize> {
        let days = (Week::of_date(date).monday() - self.first_monday).num_days();
        (days >= 0 && ((days / 7) as usize) < self.weeks.len()).then_some((days / 7) as usize)
    }
}

/// What the analysis keeps per person.
#[derive(Debug, Clone)]
pub(crate) struct PersonState {
    pub(crate) person: Person,
    pub(crate) clock: WorkClock,
    /// [`WorkClock::is_working`] of `clock`, memoized for chat.
    pub(crate) working: WorkingDays,
    pub(crate) calendar: Option<Vec<CalendarWeek>>,
    pub(crate) chat: Vec<ChatWeek>,
    pub(crate) in_chat: bool,
    pub(crate) interruptions: Interruptions,
    /// What the joined calendar-and-chat signals keep ([`crate::joined`]).
    pub(crate) joined: crate::joined::Joined,
    /// Per week, the listed people the person's messages reached (each
    /// once), for `collaboration_span`; merged into the calendar's
    /// people met once everyone is read ([`crate::viva::count_teams_met`]).
    pub(crate) messaged: Vec<Vec<u32>>,
}

impl PersonState {
    /// Applies one written message (not a huddle) this person sent at `at`,
    /// in week `week` of the window, inside their working time or not,
    /// reaching the listed people `reached`. This is the one place where a
    /// sent message reaches the sender's state: a new per-message mark of
    /// the sender goes here.
    pub(crate) fn sent_message(
        &mut self,
        week: usize,
        at: DateTime<Utc>,
        working: bool,
        reached: impl IntoIterator<Item = u32>,
    ) {
        let counts = &mut self.chat[week];
        counts.messages_sent += 1;
        if !working {
            counts.after_hours_messages += 1;
        }
        self.interruptions.mark(at);
        let tz = *self.clock.tz();
        self.joined.message_sent(at, &tz);
        // Each person once a week: a few dozen at most, so a scan is cheap
        // and the lists stay the size of the people reached.
        let seen = &mut self.messaged[week];
        for r in reached {
            if !seen.contains(&r) {
                seen.push(r);
            }
        }
    }
}

/// The chat signals of one person-week.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatWeek {
    /// `messages_sent`.
    pub messages_sent: u32,
    /// `after_hours_messages`: sent outside the sender's working time.
    pub after_hours_messages: u32,
    /// Asks received (the whole of the ask shares).
    pub asks_received: u32,
    /// `after_hours_asks_received`: arrived outside the recipient's working time.
    pub after_hours_asks_received: u32,
    /// `cross_tz_asks`: after-hours asks sent inside the sender's working time.
    pub cross_tz_asks: u32,
    /// `response_latency` of the asks received.
    pub latency: LatencyStats,
    /// Asks received that breached their SLA (`sla_breach_rate`'s part).
    pub sla_breaches: u32,
    /// Asks received whose SLA outcome is known (`sla_breach_rate`'s whole).
    pub sla_decided: u32,
    /// Urgent asks received (flagged urgent, or in a policy urgent channel).
    pub urgent_asks: u32,
    /// `thread_escalations`: escalated threads the person took part in,
    /// in the week of the thread's last message.
    pub thread_escalations: u32,
    /// Huddle posts the person wrote: calls, on the sync side of
    /// `sync_share`.
    pub huddles: u32,
    /// The chat sources hold no thread at all: `thread_escalations` is not
    /// assessed.
    pub no_threads: bool,
}
