//! Renderers: view models in, text out, always over `impl Write`.
//!
//! Nothing here reads files or decides what to compute; it only formats what
//! the app hands it.

pub mod audit;
pub mod chat_summary;
pub mod experiment;
pub mod focus;
pub mod ics_write;
pub mod lint;
pub mod occurrences;
pub mod overlap;
pub mod report;
pub mod rotate;
pub mod route;
pub mod tool_json;
