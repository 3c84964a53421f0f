//! Import runs: a row when `fulcrum import` starts, completed when it
//! finishes, so that an interrupted import is visible to reports and the
//! server instead of leaving a store that silently lacks sources.

use super::Core;
use crate::backend::Backend;
use crate::sql::{DbResult, from_micros, get, micros, query, vals};
use crate::types::{ImportRun, NewImportRun, StoreError};
use chrono::{DateTime, Utc};

impl<B: Backend> Core<B> {
    /// See [`crate::Storage::start_import_run`].
    pub async fn start_import_run(&self, run: NewImportRun) -> Result<i64, StoreError> {
        let row = query(
            "INSERT INTO import_runs (started_at_us, planned) VALUES ($1, $2) RETURNING id",
            vals![micros(run.started_at), run.planned],
        )
        .fetch_one(&self.pool)
        .await
        .db()?;
        get(&row, "id")
    }

    /// See [`crate::Storage::finish_import_run`].
    pub async fn finish_import_run(
        &self,
        id: i64,
        finished_at: DateTime<Utc>,
        summary: String,
    ) -> Result<(), StoreError> {
        query(
            "UPDATE import_runs SET finished_at_us = $1, summary = $2 WHERE id = $3",
            vals![micros(finished_at), summary, id],
        )
        .execute(&self.pool)
        .await
        .db()?;
        Ok(())
    }

    /// See [`crate::Storage::last_import_run`].
    pub async fn last_import_run(&self) -> Result<Option<ImportRun>, StoreError> {
        let Some(row) = query(
            "SELECT id, started_at_us, finished_at_us, planned, summary FROM import_runs \
             ORDER BY started_at_us DESC, id DESC LIMIT 1",
            vals![],
        )
        .fetch_optional(&self.pool)
        .await
        .db()?
        else {
            return Ok(None);
        };
        Ok(Some(ImportRun {
            id: get(&row, "id")?,
            started_at: from_micros(get(&row, "started_at_us")?, "import run")?,
            finished_at: get::<Option<i64>>(&row, "finished_at_us")?
                .map(|v| from_micros(v, "import run"))
                .transpose()?,
            planned: get(&row, "planned")?,
            summary: get(&row, "summary")?,
        }))
    }
}
