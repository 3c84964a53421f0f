//! The async workflow's objects (asks, proposals, meeting records,
//! incidents, written updates, pulse responses):
//! created, read, listed per team, changed under a version check, exported,
//! and (in `forget`) erased with the person who wrote them.
//!
//! An object is one `workflow_items` row: its JSON (`codec`) and the
//! columns lists filter on, which are derived from the object on every
//! write so they can never disagree with it; `workflow_people` lists every
//! person the object names.

use super::{Core, page_bounds, person_key};
use crate::backend::Backend;
use crate::codec;
use crate::sql::{DbResult, Val, corrupt, from_micros, get, micros, query, vals};
use crate::types::{
    Page, StoreError, StoredWorkflowItem, WorkflowFilter, WorkflowItem, WorkflowStamp,
};
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::collections::BTreeSet;

const COLUMNS: &str = "id, version, created_at_us, updated_at_us, payload";

fn stored(row: &AnyRow) -> Result<StoredWorkflowItem, StoreError> {
    let id: i64 = get(row, "id")?;
    let what = format!("workflow object {id}");
    Ok(StoredWorkflowItem {
        id,
        version: get(row, "version")?,
        created_at: from_micros(get(row, "created_at_us")?, &what)?,
        updated_at: from_micros(get(row, "updated_at_us")?, &what)?,
        item: codec::decode_workflow_item(&get::<String>(row, "payload")?)
            .map_err(corrupt(what))?,
    })
}

/// The derived columns of an object, in the order of the `INSERT` and
/// `UPDATE` below: author, waits on, state, due, payload.
fn derived(item: &WorkflowItem) -> Vec<Val> {
    vals![
        person_key(item.author()),
        item.waits_on().map(person_key),
        item.state(),
        item.due().map(micros),
        codec::encode_workflow_item(item),
    ]
}

/// Rewrites the `workflow_people` rows of object `id`.
pub(super) async fn set_people(
    conn: &mut AnyConnection,
    id: i64,
    item: &WorkflowItem,
) -> Result<(), StoreError> {
    query("DELETE FROM workflow_people WHERE item_id = $1", vals![id])
        .execute(&mut *conn)
        .await
        .db()?;
    let keys: BTreeSet<String> = item
        .people()
        .into_iter()
        .map(person_key)
        .filter(|k| !k.is_empty())
        .collect();
    for k in keys {
        query(
            "INSERT INTO workflow_people (item_id, person_key) VALUES ($1, $2)",
            vals![id, k],
        )
        .execute(&mut *conn)
        .await
        .db()?;
    }
    Ok(())
}

/// Writes object `id` back with its derived columns and one more version.
pub(super) async fn rewrite(
    conn: &mut AnyConnection,
    id: i64,
    item: &WorkflowItem,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut values = derived(item);
    values.extend(vals![micros(now), id]);
    query(
        "UPDATE workflow_items SET author_key = $1, waits_on_key = $2, state = $3, \
         due_at_us = $4, payload = $5, updated_at_us = $6, version = version + 1 WHERE id = $7",
        values,
    )
    .execute(&mut *conn)
    .await
    .db()?;
    set_people(conn, id, item).await
}

impl<B: Backend> Core<B> {
    /// See [`crate::Storage::create_workflow_item`].
    pub async fn create_workflow_item(
        &self,
        item: WorkflowItem,
        now: DateTime<Utc>,
    ) -> Result<StoredWorkflowItem, StoreError> {
        let mut tx = self.write().await?;
        let mut values = vals![item.kind().as_str(), item.team()];
        values.extend(derived(&item));
        values.extend(vals![micros(now)]);
        let row = query(
            "INSERT INTO workflow_items (kind, team, author_key, waits_on_key, state, due_at_us, \
             payload, created_at_us, updated_at_us, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1) RETURNING id",
            values,
        )
        .fetch_one(&mut *tx)
        .await
        .db()?;
        let id: i64 = get(&row, "id")?;
        set_people(&mut tx, id, &item).await?;
        let sql = format!("SELECT {COLUMNS} FROM workflow_items WHERE id = $1");
        let row = query(&sql, vals![id]).fetch_one(&mut *tx).await.db()?;
        let out = stored(&row)?;
        tx.commit().await.db()?;
        Ok(out)
    }

    /// See [`crate::Storage::workflow_item`].
    pub async fn workflow_item(&self, id: i64) -> Result<Option<StoredWorkflowItem>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM workflow_items WHERE id = $1");
        query(&sql, vals![id])
            .fetch_optional(&self.pool)
            .await
            .db()?
            .map(|row| stored(&row))
            .transpose()
    }

    /// See [`crate::Storage::workflow_items`].
    pub async fn workflow_items(
        &self,
        team: String,
        filter: WorkflowFilter,
        page: Page,
    ) -> Result<Vec<StoredWorkflowItem>, StoreError> {
        let mut sql = format!("SELECT {COLUMNS} FROM workflow_items WHERE team = $1");
        let mut values = vals![team];
        let mut add = |cond: &str, v: Val, values: &mut Vec<Val>| {
            values.push(v);
            sql.push_str(&format!(" AND {cond} = ${}", values.len()));
        };
        if let Some(kind) = filter.kind {
            add("kind", Val::from(kind.as_str()), &mut values);
        }
        if let Some(state) = filter.state {
            add("state", Val::Text(state), &mut values);
        }
        if let Some(who) = filter.waits_on {
            add("waits_on_key", Val::Text(person_key(&who)), &mut values);
        }
        if let Some(who) = filter.author {
            add("author_key", Val::Text(person_key(&who)), &mut values);
        }
        let (limit, offset) = page_bounds(page);
        let n = values.len();
        sql.push_str(&format!(
            " ORDER BY id DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        ));
        values.extend(vals![limit, offset]);
        query(&sql, values)
            .fetch_all(&self.pool)
            .await
            .db()?
            .iter()
            .map(stored)
            .collect()
    }

    /// See [`crate::Storage::update_workflow_item`].
    pub async fn update_workflow_item(
        &self,
        id: i64,
        version: i64,
        item: WorkflowItem,
        now: DateTime<Utc>,
    ) -> Result<Option<StoredWorkflowItem>, StoreError> {
        let mut tx = self.write().await?;
        let Some(row) = query(
            "SELECT version FROM workflow_items WHERE id = $1 AND kind = $2 AND team = $3",
            vals![id, item.kind().as_str(), item.team()],
        )
        .fetch_optional(&mut *tx)
        .await
        .db()?
        else {
            return Ok(None);
        };
        let current: i64 = get(&row, "version")?;
        if current != version {
            return Err(StoreError::Stale {
                what: format!("{} {id}", item.kind().as_str()),
                current,
            });
        }
        rewrite(&mut tx, id, &item, now).await?;
        let sql = format!("SELECT {COLUMNS} FROM workflow_items WHERE id = $1");
        let row = query(&sql, vals![id]).fetch_one(&mut *tx).await.db()?;
        let out = stored(&row)?;
        tx.commit().await.db()?;
        Ok(Some(out))
    }

    /// See [`crate::Storage::workflow_stamp`].
    pub async fn workflow_stamp(&self, team: String) -> Result<WorkflowStamp, StoreError> {
        let row = query(
            "SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS max_id, \
             CAST(COALESCE(SUM(version), 0) AS BIGINT) AS versions, \
             COALESCE(MAX(updated_at_us), 0) AS updated \
             FROM workflow_items WHERE team = $1",
            vals![team],
        )
        .fetch_one(&self.pool)
        .await
        .db()?;
        Ok(WorkflowStamp {
            count: get(&row, "n")?,
            max_id: get(&row, "max_id")?,
            versions: get(&row, "versions")?,
            updated_at_us: get(&row, "updated")?,
        })
    }

    /// See [`crate::Storage::export_workflow`].
    pub async fn export_workflow(
        &self,
        team: Option<String>,
    ) -> Result<Vec<StoredWorkflowItem>, StoreError> {
        let mut tx = self.read().await?;
        let rows = match team {
            Some(team) => {
                let sql =
                    format!("SELECT {COLUMNS} FROM workflow_items WHERE team = $1 ORDER BY id");
                query(&sql, vals![team]).fetch_all(&mut *tx).await
            }
            None => {
                let sql = format!("SELECT {COLUMNS} FROM workflow_items ORDER BY id");
                query(&sql, vals![]).fetch_all(&mut *tx).await
            }
        }
        .db()?;
        tx.commit().await.db()?;
        rows.iter().map(stored).collect()
    }
}

/// What an erased person's entries in others' objects name instead of them.
pub const FORGOTTEN: &str = "forgotten";

/// Erases the person of `keys` from an object someone else wrote: their
/// answer (who and what), their stance, the outcome they wrote (who and
/// what), their place among a meeting's attendees and as an action item's
/// owner, who resolved an incident and the review they wrote (who and
/// what); an ask to them becomes an ask to the team. Returns how many
/// entries were erased.
pub(super) fn erase_person(item: &mut WorkflowItem, keys: &BTreeSet<String>) -> u64 {
    use fulcrum_model::workflow::{AskState, DecisionState, Recipient};
    let is_them = |email: &str| keys.contains(&person_key(email));
    let mut n = 0;
    match item {
        WorkflowItem::Ask(a) => {
            if matches!(&a.to, Recipient::Person(p) if is_them(p)) {
                a.to = Recipient::Team;
                n += 1;
            }
            if let AskState::Answered(answer) = &mut a.state
                && is_them(&answer.by)
            {
                answer.by = FORGOTTEN.to_owned();
                answer.text.clear();
                n += 1;
            }
        }
        WorkflowItem::Decision(d) => {
            let before = d.stances.len();
            d.stances.retain(|s| !is_them(&s.person));
            n += (before - d.stances.len()) as u64;
            if let DecisionState::Closed(o) = &mut d.state
                && is_them(&o.by)
            {
                o.by = FORGOTTEN.to_owned();
                o.text.clear();
                n += 1;
            }
        }
        WorkflowItem::Meeting(m) => {
            let before = m.attendees.len();
            m.attendees.retain(|a| !is_them(a));
            n += (before - m.attendees.len()) as u64;
            for item in &mut m.action_items {
                if !item.owner.is_empty() && is_them(&item.owner) {
                    item.owner.clear();
                    n += 1;
                }
            }
        }
        WorkflowItem::Incident(i) => {
            if let Some(r) = &mut i.resolved
                && is_them(&r.by)
            {
                r.by = FORGOTTEN.to_owned();
                n += 1;
            }
            if let Some(r) = &mut i.review
                && is_them(&r.by)
            {
                r.by = FORGOTTEN.to_owned();
                r.timeline.clear();
                r.cause.clear();
                r.follow_ups.clear();
                n += 1;
            }
        }
        // An update and a pulse response name only their author: they are
        // removed with them.
        WorkflowItem::Update(_) | WorkflowItem::Pulse(_) => {}
    }
    n
}
