//! Calendars: import with a diff against the stored occurrences, and the
//! windowed read.
//!
//! An occurrence is identified within its calendar by its key: the UID and
//! the recurrence id, or the UID and the start for an occurrence without a
//! recurrence id. Its payload is its recurrence id, start and end (encoded)
//! and its event's details (JSON); the details are stored once per distinct
//! value in `events` and shared by the occurrences that point at them.

use super::{Core, SourceFields, find_source, unchanged, upsert_source};
use crate::backend::Backend;
use crate::codec::{self, cal_time_micros, date_from_number, date_number};
use crate::sql::{
    DbResult, corrupt, delete_ids, from_micros, get, insert_batched, micros, query, vals,
};
use crate::types::{CalendarImport, ImportOutcome, SourceKind, StoreError, StoredCalendar};
use chrono::{DateTime, Utc};
use fulcrum_model::{EventDetails, Occurrence};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// One occurrence of an import, encoded.
struct NewOccurrence {
    key: String,
    uid: Arc<str>,
    recurrence_id: Option<String>,
    start: String,
    end: String,
    start_us: i64,
    end_us: i64,
    /// Index into the import's distinct details texts.
    details: usize,
}

/// One stored occurrence, as far as the diff needs it.
struct OldOccurrence {
    id: i64,
    event_id: i64,
    recurrence_id: Option<String>,
    start: String,
    end: String,
}

/// The lower-cased addresses an event names (organizer and attendees).
pub(super) fn event_people(d: &EventDetails) -> Vec<String> {
    let mut keys: Vec<String> = d
        .organizer
        .iter()
        .map(|p| p.email.as_str())
        .chain(d.attendees.iter().map(|a| a.who.email.as_str()))
        .map(super::person_key)
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Encodes the occurrences of an import: each distinct details value once,
/// each occurrence with a key unique within the import (a repeated key, from
/// a duplicated VEVENT, gets `#2`, `#3`, ...).
fn encode(occurrences: &[Occurrence]) -> (Vec<NewOccurrence>, Vec<(String, Arc<EventDetails>)>) {
    let mut details_index: HashMap<*const EventDetails, usize> = HashMap::new();
    let mut details_by_text: HashMap<String, usize> = HashMap::new();
    let mut details: Vec<(String, Arc<EventDetails>)> = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut out = Vec::with_capacity(occurrences.len());
    for o in occurrences {
        let ptr = Arc::as_ptr(&o.details);
        let index = match details_index.get(&ptr) {
            Some(&i) => i,
            None => {
                let text = codec::encode_details(&o.details);
                let i = *details_by_text.entry(text.clone()).or_insert_with(|| {
                    details.push((text, o.details.clone()));
                    details.len() - 1
                });
                details_index.insert(ptr, i);
                i
            }
        };
        let recurrence_id = o.recurrence_id.as_ref().map(codec::encode_cal_time);
        let start = codec::encode_cal_time(&o.start);
        let mut key = match &recurrence_id {
            Some(r) => format!("{}\u{1f}r{r}", o.uid),
            None => format!("{}\u{1f}s{start}", o.uid),
        };
        let n = seen.entry(key.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            key.push_str(&format!("#{n}"));
        }
        out.push(NewOccurrence {
            key,
            uid: o.uid.clone(),
            recurrence_id,
            end: codec::encode_cal_time(&o.end),
            start,
            start_us: cal_time_micros(&o.start),
            end_us: cal_time_micros(&o.end),
            details: index,
        });
    }
    (out, details)
}

/// Writes the occurrences of one calendar (its source row already written)
/// as a diff against the stored ones: new keys added, changed ones
/// replaced, stored keys missing from `occurrences` removed, and event
/// details no occurrence points at any more deleted. With a `scope`, only
/// stored occurrences of those UIDs take part (a CalDAV sync that touched
/// those events and no others); `None` compares the whole calendar.
pub(super) async fn diff_occurrences(
    tx: &mut sqlx::AnyConnection,
    source_id: i64,
    occurrences: &[Occurrence],
    scope: Option<&HashSet<String>>,
) -> Result<ImportOutcome, StoreError> {
    let (news, details) = encode(occurrences);

    // What is stored now.
    let mut events: HashMap<(String, String), i64> = HashMap::new();
    let mut event_of_id: HashMap<i64, (String, String)> = HashMap::new();
    for row in query(
        "SELECT id, uid, details FROM events WHERE source_id = $1 ORDER BY id",
        vals![source_id],
    )
    .fetch_all(&mut *tx)
    .await
    .db()?
    {
        let id: i64 = get(&row, "id")?;
        let key = (get::<String>(&row, "uid")?, get::<String>(&row, "details")?);
        events.entry(key.clone()).or_insert(id);
        event_of_id.insert(id, key);
    }
    let mut old: HashMap<String, OldOccurrence> = HashMap::new();
    for row in query(
        "SELECT id, occ_key, event_id, recurrence_id, start_time, end_time \
         FROM occurrences WHERE source_id = $1",
        vals![source_id],
    )
    .fetch_all(&mut *tx)
    .await
    .db()?
    {
        let event_id: i64 = get(&row, "event_id")?;
        let in_scope = scope.is_none_or(|uids| {
            event_of_id
                .get(&event_id)
                .is_some_and(|(uid, _)| uids.contains(uid.as_str()))
        });
        if !in_scope {
            continue;
        }
        old.insert(
            get(&row, "occ_key")?,
            OldOccurrence {
                id: get(&row, "id")?,
                event_id,
                recurrence_id: get(&row, "recurrence_id")?,
                start: get(&row, "start_time")?,
                end: get(&row, "end_time")?,
            },
        );
    }

    // The diff.
    let mut outcome = ImportOutcome {
        source_id,
        ..ImportOutcome::default()
    };
    let mut delete = Vec::new();
    let mut insert = Vec::new();
    for new in news {
        match old.remove(&new.key) {
            Some(o) => {
                let same_event = event_of_id
                    .get(&o.event_id)
                    .is_some_and(|(uid, d)| **uid == *new.uid && *d == details[new.details].0);
                if same_event
                    && o.recurrence_id == new.recurrence_id
                    && o.start == new.start
                    && o.end == new.end
                {
                    outcome.kept += 1;
                } else {
                    outcome.changed += 1;
                    delete.push(o.id);
                    insert.push(new);
                }
            }
            None => {
                outcome.added += 1;
                insert.push(new);
            }
        }
    }
    outcome.removed = old.len() as u64;
    delete.extend(old.values().map(|o| o.id));
    delete_ids(&mut *tx, "occurrences", &delete).await?;

    // Events the new occurrences need, then the occurrences.
    let mut people = Vec::new();
    let mut rows = Vec::with_capacity(insert.len());
    for new in insert {
        let (text, value) = &details[new.details];
        let key = (new.uid.to_string(), text.clone());
        let event_id = match events.get(&key) {
            Some(&id) => id,
            None => {
                let row = query(
                    "INSERT INTO events (source_id, uid, details) VALUES ($1, $2, $3) RETURNING id",
                    vals![source_id, key.0.as_str(), text.as_str()],
                )
                .fetch_one(&mut *tx)
                .await
                .db()?;
                let id: i64 = get(&row, "id")?;
                for k in event_people(value) {
                    people.push(vals![id, k]);
                }
                events.insert(key, id);
                id
            }
        };
        rows.push(vals![
            source_id,
            event_id,
            new.key,
            new.recurrence_id,
            new.start,
            new.end,
            new.start_us,
            new.end_us,
        ]);
    }
    insert_batched(
        &mut *tx,
        "event_people",
        &["event_id", "person_key"],
        people,
        "",
    )
    .await?;
    insert_batched(
        &mut *tx,
        "occurrences",
        &[
            "source_id",
            "event_id",
            "occ_key",
            "recurrence_id",
            "start_time",
            "end_time",
            "start_us",
            "end_us",
        ],
        rows,
        "",
    )
    .await?;
    query(
        "DELETE FROM events WHERE source_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM occurrences o WHERE o.event_id = events.id)",
        vals![source_id],
    )
    .execute(&mut *tx)
    .await
    .db()?;
    Ok(outcome)
}

impl<B: Backend> Core<B> {
    /// See [`crate::Storage::import_calendar`].
    pub async fn import_calendar(
        &self,
        import: CalendarImport,
    ) -> Result<ImportOutcome, StoreError> {
        let mut tx = self.write().await?;
        let existing = find_source(&mut tx, SourceKind::Calendar, &import.source).await?;
        if let Some(outcome) = unchanged(
            &mut tx,
            &existing,
            &import.fingerprint,
            "SELECT count(*) AS n FROM occurrences WHERE source_id = $1",
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
                kind: SourceKind::Calendar,
                source: &import.source,
                file: &import.file,
                fingerprint: &import.fingerprint,
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

        let mut outcome = diff_occurrences(&mut tx, source_id, &import.occurrences, None).await?;
        outcome.source_id = source_id;
        tx.commit().await.db()?;
        Ok(outcome)
    }

    /// See [`crate::Storage::calendars`].
    pub async fn calendars(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<StoredCalendar>, StoreError> {
        let mut tx = self.read().await?;
        let (from_us, to_us) = (micros(from), micros(to));
        let mut calendars: Vec<(i64, StoredCalendar)> = Vec::new();
        for row in query(
            "SELECT id, source, file, owner, data_first, data_last, problems, \
             expanded_from_us, expanded_to_us FROM sources WHERE kind = $1",
            vals![SourceKind::Calendar.as_str()],
        )
        .fetch_all(&mut *tx)
        .await
        .db()?
        {
            let what = || {
                format!(
                    "calendar {}",
                    get::<String>(&row, "source").unwrap_or_default()
                )
            };
            let date = |col: &str| -> Result<_, StoreError> {
                get::<Option<i64>>(&row, col)?
                    .map(|n| date_from_number(n).map_err(corrupt(what())))
                    .transpose()
            };
            let instant = |col: &str| -> Result<_, StoreError> {
                from_micros(get::<Option<i64>>(&row, col)?.unwrap_or(0), &what())
            };
            calendars.push((
                get(&row, "id")?,
                StoredCalendar {
                    source: get(&row, "source")?,
                    file: get(&row, "file")?,
                    owner: get(&row, "owner")?,
                    data_first: date("data_first")?,
                    data_last: date("data_last")?,
                    problems: u32::try_from(get::<i64>(&row, "problems")?).unwrap_or(u32::MAX),
                    expanded_from: instant("expanded_from_us")?,
                    expanded_to: instant("expanded_to_us")?,
                    occurrences: Vec::new(),
                },
            ));
        }

        // Overlap with [from, to); an occurrence of no length counts when
        // its start is inside.
        const IN_WINDOW: &str = "((o.end_us > $1 AND o.start_us < $2) \
             OR (o.start_us = o.end_us AND o.start_us >= $1 AND o.start_us < $2))";
        let mut events: HashMap<i64, (Arc<str>, Arc<EventDetails>)> = HashMap::new();
        for row in query(
            &format!(
                "SELECT e.id, e.uid, e.details FROM events e WHERE e.id IN \
                 (SELECT o.event_id FROM occurrences o WHERE {IN_WINDOW})"
            ),
            vals![from_us, to_us],
        )
        .fetch_all(&mut *tx)
        .await
        .db()?
        {
            let id: i64 = get(&row, "id")?;
            let uid: String = get(&row, "uid")?;
            let details = codec::decode_details(&get::<String>(&row, "details")?)
                .map_err(corrupt(format!("event {uid}")))?;
            events.insert(id, (Arc::from(uid), Arc::new(details)));
        }
        let mut by_source: HashMap<i64, Vec<Occurrence>> = HashMap::new();
        for row in query(
            &format!(
                "SELECT o.source_id, o.event_id, o.recurrence_id, o.start_time, o.end_time \
                 FROM occurrences o WHERE {IN_WINDOW}"
            ),
            vals![from_us, to_us],
        )
        .fetch_all(&mut *tx)
        .await
        .db()?
        {
            let event_id: i64 = get(&row, "event_id")?;
            let Some((uid, details)) = events.get(&event_id) else {
                return Err(StoreError::Corrupt {
                    what: format!("occurrence of event {event_id}"),
                    message: "its event is missing".to_owned(),
                });
            };
            let what = || format!("occurrence of {uid}");
            let time = |col: &str| -> Result<_, StoreError> {
                codec::decode_cal_time(&get::<String>(&row, col)?).map_err(corrupt(what()))
            };
            let recurrence_id = get::<Option<String>>(&row, "recurrence_id")?
                .map(|t| codec::decode_cal_time(&t).map_err(corrupt(what())))
                .transpose()?;
            by_source
                .entry(get(&row, "source_id")?)
                .or_default()
                .push(Occurrence {
                    uid: uid.clone(),
                    recurrence_id,
                    start: time("start_time")?,
                    end: time("end_time")?,
                    details: details.clone(),
                });
        }
        tx.commit().await.db()?;

        for (id, calendar) in &mut calendars {
            let mut occurrences = by_source.remove(id).unwrap_or_default();
            occurrences.sort_by(|a, b| {
                (
                    a.start.sort_key(),
                    &a.uid,
                    a.recurrence_id.map(|r| r.sort_key()),
                )
                    .cmp(&(
                        b.start.sort_key(),
                        &b.uid,
                        b.recurrence_id.map(|r| r.sort_key()),
                    ))
                    .then_with(|| a.end.sort_key().cmp(&b.end.sort_key()))
            });
            calendar.occurrences = occurrences;
        }
        let mut out: Vec<StoredCalendar> = calendars.into_iter().map(|(_, c)| c).collect();
        out.sort_by(|a, b| a.source.cmp(&b.source));
        Ok(out)
    }
}
