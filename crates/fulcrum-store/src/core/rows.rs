//! Work-item and pulse rows, the list of sources, retention, and the weekly
//! team aggregates.

use super::{
    Core, SourceFields, find_source, page_bounds, person_key, source_kind, unchanged, upsert_source,
};
use crate::backend::Backend;
use crate::codec::{date_from_number, date_number};
use crate::sql::{DbResult, corrupt, count, from_micros, get, insert_batched, micros, query, vals};
use crate::types::{
    Aggregate, ImportOutcome, Page, RetentionReport, Row, RowKind, RowsImport, SourceInfo,
    SourceKind, StoreError, StoredRow,
};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};

fn kind_of(kind: RowKind) -> SourceKind {
    match kind {
        RowKind::WorkItem => SourceKind::WorkItems,
        RowKind::Pulse => SourceKind::Pulse,
    }
}

/// What makes two rows the same in a re-import.
type RowIdentity = (String, i64, Option<u64>);

/// The score of a `work_rows` row.
fn score(row: &sqlx::any::AnyRow) -> Result<Option<f64>, StoreError> {
    Ok(if get::<i64>(row, "has_score")? != 0 {
        Some(get(row, "score")?)
    } else {
        None
    })
}

fn identity(who: &str, at_us: i64, score: Option<f64>) -> RowIdentity {
    (who.to_owned(), at_us, score.map(f64::to_bits))
}

impl<B: Backend> Core<B> {
    /// See [`crate::Storage::import_rows`].
    pub async fn import_rows(&self, import: RowsImport) -> Result<ImportOutcome, StoreError> {
        let kind = kind_of(import.kind);
        let mut tx = self.write().await?;
        let existing = find_source(&mut tx, kind, &import.source).await?;
        if let Some(outcome) = unchanged(
            &mut tx,
            &existing,
            &import.fingerprint,
            "SELECT count(*) AS n FROM work_rows WHERE source_id = $1",
        )
        .await?
        {
            tx.rollback().await.db()?;
            return Ok(outcome);
        }
        let source_id = upsert_source(
            &mut tx,
            existing.map(|(id, _)| id),
            SourceFields {
                kind,
                source: &import.source,
                file: &import.file,
                fingerprint: &import.fingerprint,
                owner: None,
                data_first: None,
                data_last: None,
                problems: 0,
                expanded_from_us: None,
                expanded_to_us: None,
                platform: None,
                skipped: 0,
            },
        )
        .await?;
        // The old rows as a multiset, to count what the new file keeps.
        let mut old: HashMap<RowIdentity, u64> = HashMap::new();
        let mut old_total = 0;
        for row in query(
            "SELECT who, at_us, has_score, score FROM work_rows WHERE source_id = $1",
            vals![source_id],
        )
        .fetch_all(&mut *tx)
        .await
        .db()?
        {
            let who: String = get(&row, "who")?;
            *old.entry(identity(&who, get(&row, "at_us")?, score(&row)?))
                .or_insert(0) += 1;
            old_total += 1;
        }
        let mut outcome = ImportOutcome {
            source_id,
            ..ImportOutcome::default()
        };
        for r in &import.rows {
            match old.get_mut(&identity(&r.who, micros(r.at), r.score)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    outcome.kept += 1;
                }
                _ => outcome.added += 1,
            }
        }
        outcome.removed = old_total - outcome.kept;
        query(
            "DELETE FROM work_rows WHERE source_id = $1",
            vals![source_id],
        )
        .execute(&mut *tx)
        .await
        .db()?;
        let kind_name = kind.as_str();
        insert_batched(
            &mut tx,
            "work_rows",
            &[
                "kind",
                "source_id",
                "who",
                "who_key",
                "at_us",
                "has_score",
                "score",
            ],
            import
                .rows
                .iter()
                .map(|r| {
                    vals![
                        kind_name,
                        source_id,
                        r.who.as_str(),
                        person_key(&r.who),
                        micros(r.at),
                        i64::from(r.score.is_some()),
                        r.score.unwrap_or(0.0),
                    ]
                })
                .collect(),
            "",
        )
        .await?;
        tx.commit().await.db()?;
        Ok(outcome)
    }

    /// See [`crate::Storage::rows`].
    pub async fn rows(&self, kind: RowKind) -> Result<Vec<StoredRow>, StoreError> {
        let rows = query(
            "SELECT r.who, r.at_us, r.has_score, r.score, s.source FROM work_rows r \
             JOIN sources s ON s.id = r.source_id WHERE r.kind = $1 ORDER BY r.id",
            vals![kind_of(kind).as_str()],
        )
        .fetch_all(&self.pool)
        .await
        .db()?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(StoredRow {
                row: Row {
                    who: get(&row, "who")?,
                    at: from_micros(get(&row, "at_us")?, "work row")?,
                    score: score(&row)?,
                },
                source: get(&row, "source")?,
            });
        }
        // Grouped by source, each in the order of its file.
        out.sort_by(|a, b| a.source.cmp(&b.source));
        Ok(out)
    }

    /// See [`crate::Storage::sources`].
    pub async fn sources(&self, page: Page) -> Result<Vec<SourceInfo>, StoreError> {
        let (limit, offset) = page_bounds(page);
        let rows = query(
            "SELECT s.id, s.kind, s.source, s.file, s.fingerprint, s.imported_at_us, s.owner, \
             CASE s.kind \
               WHEN 'calendar' THEN (SELECT count(*) FROM occurrences o WHERE o.source_id = s.id) \
               WHEN 'chat' THEN (SELECT count(*) FROM messages m WHERE m.source_id = s.id) \
               ELSE (SELECT count(*) FROM work_rows r WHERE r.source_id = s.id) \
             END AS records \
             FROM sources s ORDER BY s.imported_at_us DESC, s.id DESC LIMIT $1 OFFSET $2",
            vals![limit, offset],
        )
        .fetch_all(&self.pool)
        .await
        .db()?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(SourceInfo {
                id: get(&row, "id")?,
                kind: source_kind(&get::<String>(&row, "kind")?)?,
                source: get(&row, "source")?,
                file: get(&row, "file")?,
                fingerprint: get(&row, "fingerprint")?,
                imported_at: from_micros(get(&row, "imported_at_us")?, "source")?,
                records: count(get(&row, "records")?),
                owner: get(&row, "owner")?,
            });
        }
        Ok(out)
    }

    /// See [`crate::Storage::apply_retention`].
    pub async fn apply_retention(
        &self,
        before: DateTime<Utc>,
    ) -> Result<RetentionReport, StoreError> {
        let before = micros(before);
        let mut tx = self.write().await?;
        let occurrences = query("DELETE FROM occurrences WHERE end_us < $1", vals![before])
            .execute(&mut *tx)
            .await
            .db()?
            .rows_affected();
        sqlx::query(
            "DELETE FROM events WHERE NOT EXISTS \
             (SELECT 1 FROM occurrences o WHERE o.event_id = events.id)",
        )
        .execute(&mut *tx)
        .await
        .db()?;
        let messages = query("DELETE FROM messages WHERE at_us < $1", vals![before])
            .execute(&mut *tx)
            .await
            .db()?
            .rows_affected();
        let rows = query("DELETE FROM work_rows WHERE at_us < $1", vals![before])
            .execute(&mut *tx)
            .await
            .db()?
            .rows_affected();
        tx.commit().await.db()?;
        Ok(RetentionReport {
            occurrences,
            messages,
            rows,
        })
    }

    /// See [`crate::Storage::put_aggregates`]: every stored aggregate of a
    /// (team, week) present in `rows` is replaced by the given ones.
    pub async fn put_aggregates(&self, rows: Vec<Aggregate>) -> Result<(), StoreError> {
        // The last value of a (team, week, signal) wins.
        let mut unique: BTreeMap<(String, i64, String), Aggregate> = BTreeMap::new();
        for a in rows {
            unique.insert((a.team.clone(), date_number(a.week), a.signal.clone()), a);
        }
        let mut weeks: Vec<(String, i64)> =
            unique.keys().map(|(t, w, _)| (t.clone(), *w)).collect();
        weeks.dedup();
        let mut tx = self.write().await?;
        for (team, week) in weeks {
            query(
                "DELETE FROM aggregates WHERE team = $1 AND week = $2",
                vals![team, week],
            )
            .execute(&mut *tx)
            .await
            .db()?;
        }
        insert_batched(
            &mut tx,
            "aggregates",
            &["team", "week", "signal", "value", "members"],
            unique
                .into_iter()
                .map(|((team, week, signal), a)| {
                    vals![team, week, signal, a.value, i64::from(a.members)]
                })
                .collect(),
            "",
        )
        .await?;
        tx.commit().await.db()?;
        Ok(())
    }

    /// See [`crate::Storage::aggregates`].
    pub async fn aggregates(&self, team: Option<String>) -> Result<Vec<Aggregate>, StoreError> {
        let rows = match team {
            Some(team) => {
                query(
                    "SELECT team, week, signal, value, members FROM aggregates WHERE team = $1",
                    vals![team],
                )
                .fetch_all(&self.pool)
                .await
            }
            None => {
                sqlx::query("SELECT team, week, signal, value, members FROM aggregates")
                    .fetch_all(&self.pool)
                    .await
            }
        }
        .db()?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(Aggregate {
                team: get(&row, "team")?,
                week: date_from_number(get(&row, "week")?).map_err(corrupt("aggregate week"))?,
                signal: get(&row, "signal")?,
                value: get(&row, "value")?,
                members: u32::try_from(get::<i64>(&row, "members")?).unwrap_or(u32::MAX),
            });
        }
        out.sort_by(|a, b| (a.week, &a.team, &a.signal).cmp(&(b.week, &b.team, &b.signal)));
        Ok(out)
    }
}
