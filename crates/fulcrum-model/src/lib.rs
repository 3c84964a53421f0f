//! Pure domain types of Fulcrum.
//!
//! Everything downstream of ingest speaks these types: people with their time
//! zone and working hours, intervals of time, calendar occurrences, and the
//! async workflow's objects (`workflow`: asks and decisions; `pulse`: the
//! weekly pulse and its aggregates). The
//! crate does no I/O, knows no file format and no database; it may compute
//! (interval unions, local-time helpers) but never reads or writes.

pub mod chat;
pub mod diagnostic;
pub mod fxhash;
pub mod identity;
pub mod interval;
pub mod limits;
pub mod occurrence;
pub mod person;
pub mod policy;
pub mod pulse;
pub mod time;
pub mod workflow;

pub use interval::{Interval, union_of};
pub use occurrence::{
    Attendee, DescriptionFlags, EventDetails, EventStatus, Occurrence, PartStat, Participant, Role,
    SeriesInfo, SourceRef, Transparency, series_short_id,
};
pub use person::{Person, WorkingHours, WorkingRange};
pub use time::{CalTime, CalTimeText};
