//! Imports: the one way the server runs one ([`run_import`]: the import
//! hook, then a new snapshot), used by the administrators' imports page and
//! by the schedule of `[store] import_every` ([`ScheduledImports`]), so a
//! team needs no cron job. A scheduled import that fails or panics is
//! logged and the next one runs on time; the server keeps serving the
//! snapshot it has.

use crate::state::AppState;
use fulcrum_store::Storage;
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

/// Runs the import hook, then the refresh hook: `None` when another import
/// is running, else the one-line summary or what went wrong.
pub async fn run_import<S: Storage + 'static>(
    state: &AppState<S>,
) -> Option<Result<String, String>> {
    let Ok(_running) = state.import_running.try_lock() else {
        return None;
    };
    let started = Instant::now();
    Some(match (state.hooks.import)().await {
        Ok(summary) => match state.refresh().await {
            Ok(()) => Ok(format!(
                "{summary}; dashboard recomputed ({:.1} s)",
                started.elapsed().as_secs_f64()
            )),
            Err(e) => Err(format!("{summary}; recomputing failed: {e}")),
        },
        Err(e) => Err(format!("import failed: {e}")),
    })
}

/// The background task of `[store] import_every`.
#[derive(Debug)]
pub struct ScheduledImports {
    task: JoinHandle<()>,
}

impl ScheduledImports {
    /// Imports right away, then every `every`, until [`ScheduledImports::stop`].
    /// A run that would overlap one still going (a slow import, or one an
    /// administrator started) is skipped; a missed tick is not made up.
    pub fn start<S: Storage + 'static>(state: AppState<S>, every: Duration) -> Self {
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                // Each run is a task of its own, so a panic inside ends that
                // run, not the schedule nor the server.
                let run = state.clone();
                match tokio::spawn(async move { run_import(&run).await }).await {
                    Ok(None) => {
                        tracing::info!("scheduled import skipped: another import is running")
                    }
                    Ok(Some(Ok(summary))) => tracing::info!(%summary, "scheduled import"),
                    Ok(Some(Err(error))) => tracing::warn!(%error, "scheduled import failed"),
                    Err(e) => tracing::error!(error = %e, "scheduled import failed"),
                }
            }
        });
        tracing::info!(every = ?every, "imports scheduled");
        ScheduledImports { task }
    }

    /// Stops the schedule. An import in flight gets up to `deadline` to
    /// finish (each source is its own transaction, so one cut short leaves
    /// no half-imported source, only an unfinished run on the imports page).
    pub async fn stop<S>(self, state: &AppState<S>, deadline: Duration) {
        let _ = tokio::time::timeout(deadline, state.import_running.lock()).await;
        self.task.abort();
        let _ = self.task.await;
    }
}
