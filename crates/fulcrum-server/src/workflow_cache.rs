//! The workflow objects of each team, kept in memory between requests and
//! read again from the store only when the team's [`WorkflowStamp`]
//! changed: lists and "what waits" pages read no object from the store,
//! and ask it for the stamp at most once per [`FRESH`] per team. A change
//! made through this server forgets the team's objects at once; one made
//! by another process (a second server on the same PostgreSQL, `fulcrum
//! forget`) moves the stamp, so it shows within [`FRESH`]. Lists filter
//! and page the objects with the store's own rule
//! (`WorkflowFilter::page_of`, newest first).

use fulcrum_store::{Storage, StoreError, StoredWorkflowItem, WorkflowStamp};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a team's objects are shown without asking the store whether
/// they changed.
pub const FRESH: Duration = Duration::from_millis(500);

/// A team's objects (oldest first), shared between requests.
type Objects = Arc<Vec<StoredWorkflowItem>>;

/// By team: the stamp the objects were read at, the objects, and when the
/// stamp was last found unchanged.
type Teams = HashMap<String, (WorkflowStamp, Objects, Instant)>;

/// Each team's objects (oldest first) and the stamp they were read at.
#[derive(Debug, Default)]
pub struct WorkflowCache {
    teams: Mutex<Teams>,
    /// Counts [`WorkflowCache::forget`]: objects read while a change was
    /// being written are not kept.
    changes: std::sync::atomic::AtomicU64,
}

impl WorkflowCache {
    /// Every object of `team`, oldest first, as the store holds them now.
    pub async fn team<S: Storage>(&self, store: &S, team: &str) -> Result<Objects, StoreError> {
        use std::sync::atomic::Ordering;
        let changes = self.changes.load(Ordering::SeqCst);
        if let Some((_, items, checked)) = self.lock().get(team)
            && checked.elapsed() < FRESH
        {
            return Ok(items.clone());
        }
        let stamp = store.workflow_stamp(team.to_owned()).await?;
        if let Some((kept, items, checked)) = self.lock().get_mut(team)
            && *kept == stamp
        {
            *checked = Instant::now();
            return Ok(items.clone());
        }
        // A change between the stamp and the export leaves a newer list
        // under an older stamp: the next check sees a new stamp and reads
        // again, so the list is never older than the stamp says.
        let items = Arc::new(store.export_workflow(Some(team.to_owned())).await?);
        let mut teams = self.lock();
        if self.changes.load(Ordering::SeqCst) == changes {
            teams.insert(team.to_owned(), (stamp, items.clone(), Instant::now()));
        }
        Ok(items)
    }

    /// Drops `team`'s objects: the next request reads them again.
    pub fn forget(&self, team: &str) {
        let mut teams = self.lock();
        self.changes
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        teams.remove(team);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Teams> {
        // A panic while holding the lock leaves a map that is still whole.
        self.teams.lock().unwrap_or_else(|e| e.into_inner())
    }
}
