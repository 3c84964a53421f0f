//! The workspace: `fulcrum.toml`, `people.csv`, and identity resolution.
//!
//! Pure: every function takes text (or model values) and returns values or
//! located errors ([`ConfigError`]: file, line, key, message). Reading the
//! files and expanding the source globs is `fulcrum-app`'s job.

pub mod caldav;
pub mod config;
pub mod error;
pub mod experiment;
pub mod hours;
pub mod identity;
pub mod notify;
pub mod people;
pub mod template;

pub use caldav::{CalDavSource, CalendarChoice, Secret, SecretAt};
pub use config::{PersonSpec, Policy, Sources, Team, Workspace, parse_workspace};
pub use error::{ConfigError, ConfigErrors};
pub use experiment::{Expect, ExperimentSpec};
pub use hours::parse_working_hours;
pub use identity::{Directory, IdentityReport, TzOrigin};
pub use notify::NotifyConfig;
pub use people::parse_people_csv;
