//! Use cases wired together: the only library that touches files (and,
//! later, the clock and the store). The CLI and the server are thin shells
//! over these functions.

pub mod audit;
#[cfg(feature = "store")]
pub mod caldav;
pub mod chat;
pub mod dashboard;
pub mod demo;
pub mod experiments;
pub mod focus;
pub mod ics;
pub mod lint;
pub mod meeting_picker;
pub mod overlap;
pub mod pulse;
pub mod report;
pub mod rotate;
pub mod route;
pub mod sources;
#[cfg(feature = "store")]
pub mod stored;
pub mod window;
pub mod workflow;
pub mod workspace;
#[cfg(feature = "store")]
pub mod written;

/// Sets how many threads the use cases read and compute with, for the
/// whole process; call it before any work starts. Results do not depend on
/// it: work done in parallel is folded back in a fixed order.
pub fn set_jobs(jobs: usize) -> Result<(), String> {
    if jobs == 0 {
        return Err("needs at least one thread".to_owned());
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build_global()
        .map_err(|e| e.to_string())
}
