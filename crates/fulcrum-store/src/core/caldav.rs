//! CalDAV calendars: the sync state kept between imports, and a sync
//! applied as one transaction.
//!
//! A CalDAV calendar is stored as any calendar is (a `sources` row, its
//! events and occurrences), plus the state an incremental sync needs: the
//! server's sync token and collection tag, and per resource its ETag, the
//! UIDs it holds and its share of the calendar's data span. A sync that
//! touched some resources diffs only the occurrences of their UIDs
//! ([`super::calendar::diff_occurrences`] with a scope), so what did not
//! change is neither fetched nor rewritten; the new state is written in the
//! same transaction, so a failed sync leaves both the records and the token
//! as they were.

use super::calendar::diff_occurrences;
use super::{Core, SourceFields, find_source, upsert_source};
use crate::backend::Backend;
use crate::codec::{date_from_number, date_number};
use crate::sql::{DbResult, corrupt, count, from_micros, get, micros, query, vals};
use crate::types::{
    CalDavImport, CalDavResource, CalDavState, ImportOutcome, SourceKind, StoreError,
};
use std::collections::{HashMap, HashSet};

/// A JSON array of strings.
fn encode_strings(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

fn decode_strings(text: &str, what: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        what: what.to_owned(),
        message: e.to_string(),
    })
}

impl<B: Backend> Core<B> {
    /// See [`crate::Storage::caldav_state`].
    pub async fn caldav_state(&self, account: String) -> Result<Vec<CalDavState>, StoreError> {
        let mut tx = self.read().await?;
        let mut out = Vec::new();
        let calendars = query(
            "SELECT c.source_id, s.source, c.home, c.display_name, c.sync_token, c.ctag, \
             s.expanded_from_us, s.expanded_to_us \
             FROM caldav_calendars c JOIN sources s ON s.id = c.source_id \
             WHERE c.account = $1 ORDER BY s.source",
            vals![account.as_str()],
        )
        .fetch_all(&mut *tx)
        .await
        .db()?;
        for row in calendars {
            let id: i64 = get(&row, "source_id")?;
            let calendar: String = get(&row, "source")?;
            let what = format!("CalDAV calendar {calendar}");
            let mut resources = Vec::new();
            for r in query(
                "SELECT href, etag, uids, exported_us, days, problems FROM caldav_resources \
                 WHERE source_id = $1 ORDER BY href",
                vals![id],
            )
            .fetch_all(&mut *tx)
            .await
            .db()?
            {
                let days: Vec<i64> =
                    serde_json::from_str(&get::<String>(&r, "days")?).map_err(|e| {
                        StoreError::Corrupt {
                            what: what.clone(),
                            message: e.to_string(),
                        }
                    })?;
                resources.push(CalDavResource {
                    href: get(&r, "href")?,
                    etag: get(&r, "etag")?,
                    uids: decode_strings(&get::<String>(&r, "uids")?, &what)?,
                    exported: get::<Option<i64>>(&r, "exported_us")?
                        .map(|us| from_micros(us, &what))
                        .transpose()?,
                    days: days
                        .into_iter()
                        .map(|n| date_from_number(n).map_err(corrupt(what.clone())))
                        .collect::<Result<_, _>>()?,
                    problems: u32::try_from(get::<i64>(&r, "problems")?).unwrap_or(u32::MAX),
                });
            }
            out.push(CalDavState {
                calendar,
                home: get(&row, "home")?,
                display_name: get(&row, "display_name")?,
                sync_token: get(&row, "sync_token")?,
                ctag: get(&row, "ctag")?,
                expanded_from: from_micros(
                    get::<Option<i64>>(&row, "expanded_from_us")?.unwrap_or(0),
                    &what,
                )?,
                expanded_to: from_micros(
                    get::<Option<i64>>(&row, "expanded_to_us")?.unwrap_or(0),
                    &what,
                )?,
                resources,
            });
        }
        tx.commit().await.db()?;
        Ok(out)
    }

    /// See [`crate::Storage::import_caldav`].
    pub async fn import_caldav(&self, import: CalDavImport) -> Result<ImportOutcome, StoreError> {
        let mut tx = self.write().await?;
        let existing = find_source(&mut tx, SourceKind::Calendar, &import.calendar).await?;

        // The UIDs this sync touches: those of the resources it changed or
        // removed, as stored and as read now.
        let mut stored: HashMap<String, Vec<String>> = HashMap::new();
        if let Some((id, _)) = &existing {
            for r in query(
                "SELECT href, uids FROM caldav_resources WHERE source_id = $1",
                vals![*id],
            )
            .fetch_all(&mut *tx)
            .await
            .db()?
            {
                stored.insert(
                    get(&r, "href")?,
                    decode_strings(&get::<String>(&r, "uids")?, &import.calendar)?,
                );
            }
        }
        let scope: Option<HashSet<String>> = (!import.full).then(|| {
            let hrefs = import
                .removed
                .iter()
                .chain(import.changed.iter().map(|c| &c.resource.href));
            hrefs
                .filter_map(|h| stored.get(h))
                .flatten()
                .chain(import.changed.iter().flat_map(|c| &c.resource.uids))
                .cloned()
                .collect()
        });

        let fingerprint = format!(
            "caldav:{}",
            import
                .sync_token
                .as_deref()
                .or(import.ctag.as_deref())
                .unwrap_or("-")
        );
        let source_id = upsert_source(
            &mut tx,
            existing.map(|(id, _)| id),
            SourceFields {
                kind: SourceKind::Calendar,
                source: &import.calendar,
                file: &import.calendar,
                fingerprint: &fingerprint,
                owner: import.owner.clone(),
                data_first: import.data_first.map(date_number),
                data_last: import.data_last.map(date_number),
                problems: i64::from(import.problems),
                expanded_from_us: Some(micros(import.expanded_from)),
                expanded_to_us: Some(micros(import.expanded_to)),
                platform: None,
                skipped: 0,
            },
        )
        .await?;
        let occurrences: Vec<_> = import
            .changed
            .iter()
            .flat_map(|c| c.occurrences.iter().cloned())
            .collect();
        let mut outcome =
            diff_occurrences(&mut tx, source_id, &occurrences, scope.as_ref()).await?;
        outcome.source_id = source_id;
        // Kept: every stored occurrence this sync did not add or replace.
        let row = query(
            "SELECT count(*) AS n FROM occurrences WHERE source_id = $1",
            vals![source_id],
        )
        .fetch_one(&mut *tx)
        .await
        .db()?;
        outcome.kept = count(get(&row, "n")?).saturating_sub(outcome.added + outcome.changed);
        outcome.unchanged = !import.full && import.changed.is_empty() && import.removed.is_empty();

        // The resources' state.
        if import.full {
            query(
                "DELETE FROM caldav_resources WHERE source_id = $1",
                vals![source_id],
            )
            .execute(&mut *tx)
            .await
            .db()?;
        } else {
            let gone = import
                .removed
                .iter()
                .chain(import.changed.iter().map(|c| &c.resource.href));
            for href in gone {
                query(
                    "DELETE FROM caldav_resources WHERE source_id = $1 AND href = $2",
                    vals![source_id, href.as_str()],
                )
                .execute(&mut *tx)
                .await
                .db()?;
            }
        }
        for c in &import.changed {
            let r = &c.resource;
            let days: Vec<i64> = r.days.iter().copied().map(date_number).collect();
            query(
                "INSERT INTO caldav_resources (source_id, href, etag, uids, exported_us, days, \
                 problems) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                vals![
                    source_id,
                    r.href.as_str(),
                    r.etag.clone(),
                    encode_strings(&r.uids),
                    r.exported.map(micros),
                    serde_json::to_string(&days).unwrap_or_else(|_| "[]".to_owned()),
                    i64::from(r.problems),
                ],
            )
            .execute(&mut *tx)
            .await
            .db()?;
        }

        // The calendar's state.
        query(
            "DELETE FROM caldav_calendars WHERE source_id = $1",
            vals![source_id],
        )
        .execute(&mut *tx)
        .await
        .db()?;
        query(
            "INSERT INTO caldav_calendars (source_id, account, home, display_name, sync_token, \
             ctag, synced_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vals![
                source_id,
                import.account.as_str(),
                import.home.as_str(),
                import.display_name.clone(),
                import.sync_token.clone(),
                import.ctag.clone(),
                micros(chrono::Utc::now()),
            ],
        )
        .execute(&mut *tx)
        .await
        .db()?;
        tx.commit().await.db()?;
        Ok(outcome)
    }
}
