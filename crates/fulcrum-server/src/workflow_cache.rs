//! The workflow objects of each team, kept in memory between requests and
//! read again from the store only when the team's [`WorkflowStamp`]
//! changed: every list and "what waits" page asks the store one small
//! question (the stamp) instead of reading and decoding every object it
//! shows. A change made by another process (a second server on the same
//! PostgreSQL, `fulcrum forget`) changes the stamp too, so nothing stale is
//! ever shown. Lists filter and page the objects with the store's own rule
//! (`WorkflowFilter::page_of`, newest first).

use fulcrum_store::{Storage, StoreError, StoredWorkflowItem, WorkflowStamp};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A team's objects (oldest first), shared between requests.
type Objects = Arc<Vec<StoredWorkflowItem>>;

/// By team: the objects and the stamp they were read at.
type Teams = HashMap<String, (WorkflowStamp, Objects)>;

/// Each team's objects (oldest first) and the stamp they were read at.
#[derive(Debug, Default)]
pub struct WorkflowCache {
    teams: Mutex<Teams>,
}

impl WorkflowCache {
    /// Every object of `team`, oldest first, as the store holds them now.
    pub async fn team<S: Storage>(&self, store: &S, team: &str) -> Result<Objects, StoreError> {
        let stamp = store.workflow_stamp(team.to_owned()).await?;
        if let Some((kept, items)) = self.lock().get(team)
            && *kept == stamp
        {
            return Ok(items.clone());
        }
        // A change between the stamp and the export leaves a newer list
        // under an older stamp: the next read sees a new stamp and reads
        // again, so the list is never older than the stamp says.
        let items = Arc::new(store.export_workflow(Some(team.to_owned())).await?);
        self.lock().insert(team.to_owned(), (stamp, items.clone()));
        Ok(items)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Teams> {
        // A panic while holding the lock leaves a map that is still whole.
        self.teams.lock().unwrap_or_else(|e| e.into_inner())
    }
}
