//! Use cases wired together: the only library that touches files (and,
//! later, the clock and the store). The CLI and the server are thin shells
//! over these functions.

pub mod chat;
pub mod demo;
pub mod ics;
pub mod report;
pub mod workspace;
