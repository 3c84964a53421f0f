//! Reminders: the days each person's digest was sent (so a restart does
//! not send twice) and each person's private calendar feed token (stored
//! only as the hash the caller computed; at most one per person).

use super::{Core, person_key};
use crate::backend::Backend;
use crate::sql::{DbResult, from_micros, get, micros, query, vals};
use crate::types::StoreError;
use chrono::{DateTime, NaiveDate, Utc};

impl<B: Backend> Core<B> {
    /// See [`crate::Storage::digest_sent`].
    pub async fn digest_sent(&self, person: String, day: NaiveDate) -> Result<bool, StoreError> {
        let row = query(
            "SELECT count(*) AS n FROM notify_sent WHERE person_key = $1 AND local_date = $2",
            vals![person_key(&person), day.to_string()],
        )
        .fetch_one(&self.pool)
        .await
        .db()?;
        Ok(get::<i64>(&row, "n")? > 0)
    }

    /// See [`crate::Storage::record_digest_sent`].
    pub async fn record_digest_sent(
        &self,
        person: String,
        day: NaiveDate,
        sent_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = query(
            "INSERT INTO notify_sent (person_key, local_date, sent_at_us) VALUES ($1, $2, $3) \
             ON CONFLICT (person_key, local_date) DO NOTHING",
            vals![person_key(&person), day.to_string(), micros(sent_at)],
        )
        .execute(&self.pool)
        .await
        .db()?;
        Ok(done.rows_affected() > 0)
    }

    /// See [`crate::Storage::set_feed_token`].
    pub async fn set_feed_token(
        &self,
        person: String,
        hash: String,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        query(
            "DELETE FROM feed_tokens WHERE person_key = $1",
            vals![person_key(&person)],
        )
        .execute(&mut *tx)
        .await
        .db()?;
        query(
            "INSERT INTO feed_tokens (person_key, hash, created_at_us) VALUES ($1, $2, $3)",
            vals![person_key(&person), hash, micros(now)],
        )
        .execute(&mut *tx)
        .await
        .db()?;
        tx.commit().await.db()?;
        Ok(())
    }

    /// See [`crate::Storage::feed_token_person`].
    pub async fn feed_token_person(&self, hash: String) -> Result<Option<String>, StoreError> {
        let row = query(
            "SELECT person_key FROM feed_tokens WHERE hash = $1",
            vals![hash],
        )
        .fetch_optional(&self.pool)
        .await
        .db()?;
        row.map(|r| get(&r, "person_key")).transpose()
    }

    /// See [`crate::Storage::feed_token_created`].
    pub async fn feed_token_created(
        &self,
        person: String,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let row = query(
            "SELECT created_at_us FROM feed_tokens WHERE person_key = $1",
            vals![person_key(&person)],
        )
        .fetch_optional(&self.pool)
        .await
        .db()?;
        row.map(|r| from_micros(get(&r, "created_at_us")?, "calendar feed"))
            .transpose()
    }

    /// See [`crate::Storage::revoke_feed_token`].
    pub async fn revoke_feed_token(&self, person: String) -> Result<bool, StoreError> {
        let done = query(
            "DELETE FROM feed_tokens WHERE person_key = $1",
            vals![person_key(&person)],
        )
        .execute(&self.pool)
        .await
        .db()?;
        Ok(done.rows_affected() > 0)
    }
}
