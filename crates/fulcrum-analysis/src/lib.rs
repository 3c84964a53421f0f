//! The signals of `docs/SIGNALS.md`, per person and ISO week in the
//! person's own time zone, and their team-week aggregates.
//!
//! Pure: model values in, [`Signals`] out. No I/O, no clock (the end of the
//! chat data is the latest message seen, or [`Analysis::set_chat_horizon`]),
//! no format crate. Findings and renderers build on [`Signals`]: every value
//! is keyed by a [`SignalId`] with its stable id and unit, is either known
//! or [`Unknown`] with a reason, and every team value carries how many
//! members had data and is suppressed below the minimum group size.
//!
//! ```text
//! let mut a = Analysis::new(&people, window, params, &addresses); // calendars
//! a.add_messages(&conversations, &messages, &users);            // chat, streamed
//! let signals = a.finish();
//! ```
//!
//! Modules: [`week`] (weeks and working time), [`meetings`] (which
//! occurrences are attended meetings), [`calendar`], [`chat`], [`team`]
//! (team signals, aggregation, privacy), [`coverage`], [`params`],
//! [`stats`], [`signal`] (ids, units, values), [`resolve`] (who an address
//! is), [`viva`] (meeting types, urgent meetings, generated workload and
//! the fairness of meeting load, as Viva Insights users know them),
//! [`workflow`] (an ask's answer-by time on the recipient's clock, a
//! meeting summary's due time), and
//! [`analysis`] (the driver and the output types).

pub mod analysis;
pub mod audit;
pub mod calendar;
pub mod chat;
pub mod coverage;
pub mod findings;
pub mod focus;
pub mod intervals;
pub mod joined;
pub mod lint;
pub mod meetings;
pub mod overlap;
pub mod params;
pub mod person;
pub mod resolve;
pub mod rotate;
pub mod route;
pub mod signal;
pub mod stats;
pub mod team;
pub mod viva;
pub mod week;
pub mod workflow;
pub mod written;

pub use analysis::{Analysis, Escalation, PersonWeek, PersonWeeks, Sensitivity, Signals};
pub use calendar::CalendarWeek;
pub use coverage::{Coverage, CoverageFact, CoverageKey};
pub use params::Params;
pub use person::ChatWeek;
pub use resolve::{PeopleIndex, Resolver};
pub use signal::{Better, LatencyStats, Measured, Ratio, Scope, SignalId, Unit, Unknown, Value};
pub use team::{Aggregate, TeamSignal, TeamValue, TeamWeek, TeamWeeks};
pub use week::{Week, Window, WorkClock, WorkingDays};

use chrono::{DateTime, Utc};
use fulcrum_model::chat::{ChatMessage, Conversation};
use fulcrum_model::{Occurrence, Person};

/// A person and their own calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonData {
    /// The person (zone, working hours, team, aliases).
    pub person: Person,
    /// The occurrences of their own calendar, expanded by ingest over at
    /// least [`Window::instant_bounds`]; `None` when the sources hold no
    /// calendar of theirs (then calendar signals are unknown, not zero).
    pub calendar: Option<Vec<Occurrence>>,
    /// The person has an account in the chat sources (from identity
    /// resolution). `false` makes chat signals unknown rather than zero; a
    /// person who turns out to write or receive messages is counted as
    /// having one anyway.
    pub in_chat: bool,
}

/// A closed work item (`throughput`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkItem {
    /// Who closed it: index of the person.
    pub person: usize,
    /// When.
    pub closed_at: DateTime<Utc>,
}

/// One pulse answer (`morale`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PulseAnswer {
    /// Who answered: index of the person.
    pub person: usize,
    /// The week it is about.
    pub week: Week,
    /// The score, 1 to 5.
    pub score: f64,
}

/// Everything at once, for inputs already in memory: calendars, then the
/// chat messages (conversations looked up by id). The same as
/// [`Analysis::new`], [`Analysis::add_messages`], [`Analysis::finish`].
pub fn compute(
    people: &[PersonData],
    window: Window,
    params: &Params,
    addresses: &dyn Resolver,
    conversations: &[Conversation],
    messages: &[ChatMessage],
    users: &dyn Resolver,
) -> Signals {
    let mut a = Analysis::new(people, window, params.clone(), addresses);
    a.add_messages(conversations, messages, users);
    a.finish()
}
