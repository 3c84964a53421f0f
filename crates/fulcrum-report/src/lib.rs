//! Renderers: view models in, text out, always over `impl Write`.
//!
//! Nothing here reads files or decides what to compute; it only formats what
//! the app hands it.

pub mod chat_summary;
pub mod occurrences;
pub mod report;
