//! Use cases wired together: the only library that touches files (and,
//! later, the clock and the store). The CLI and the server are thin shells
//! over these functions.

pub mod audit;
pub mod chat;
pub mod dashboard;
pub mod demo;
pub mod focus;
pub mod ics;
pub mod lint;
pub mod overlap;
pub mod report;
pub mod rotate;
pub mod route;
#[cfg(feature = "store")]
pub mod stored;
pub mod workspace;
