//! Server accounts, sessions and API tokens. Secrets are stored only as the
//! hashes the caller computed; emails lower-cased.

use super::{Core, page_bounds};
use crate::backend::Backend;
use crate::codec::{decode_strings, encode_strings};
use crate::sql::{DbResult, Val, corrupt, from_micros, get, micros, query, vals};
use crate::types::{
    ApiToken, NewSession, NewToken, NewUser, Page, Role, Session, StoreError, User, UserChange,
};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

/// How often a token's `last_used_at` is written, at most.
pub const LAST_USED_EVERY_SECONDS: i64 = 60;

/// The user columns, each prefixed `u_` so that joins can select them
/// next to another table's.
const USER_COLUMNS: &str = "u.id AS u_id, u.email AS u_email, u.role AS u_role, \
     u.teams AS u_teams, u.password_hash AS u_password_hash, u.created_at_us AS u_created_at_us";

const TOKEN_COLUMNS: &str = "t.id AS t_id, t.user_id AS t_user_id, t.name AS t_name, \
     t.created_at_us AS t_created_at_us, t.last_used_at_us AS t_last_used_at_us, \
     t.revoked_at_us AS t_revoked_at_us";

fn user(row: &AnyRow) -> Result<User, StoreError> {
    let email: String = get(row, "u_email")?;
    let role: String = get(row, "u_role")?;
    let teams: String = get(row, "u_teams")?;
    Ok(User {
        id: get(row, "u_id")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt {
            what: format!("account {email}"),
            message: format!("unknown role {role:?}"),
        })?,
        teams: decode_strings(&teams).map_err(corrupt(format!("teams of account {email}")))?,
        password_hash: get(row, "u_password_hash")?,
        created_at: from_micros(get(row, "u_created_at_us")?, "account")?,
        email,
    })
}

fn token(row: &AnyRow) -> Result<ApiToken, StoreError> {
    let when = |col: &str| -> Result<Option<DateTime<Utc>>, StoreError> {
        get::<Option<i64>>(row, col)?
            .map(|v| from_micros(v, "API token"))
            .transpose()
    };
    Ok(ApiToken {
        id: get(row, "t_id")?,
        user_id: get(row, "t_user_id")?,
        name: get(row, "t_name")?,
        created_at: from_micros(get(row, "t_created_at_us")?, "API token")?,
        last_used_at: when("t_last_used_at_us")?,
        revoked_at: when("t_revoked_at_us")?,
    })
}

/// An email as stored and looked up.
fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A time as it reads back from the store (to the microsecond).
fn stored(t: DateTime<Utc>) -> Result<DateTime<Utc>, StoreError> {
    from_micros(micros(t), "time")
}

impl<B: Backend> Core<B> {
    async fn user_where(&self, condition: &str, value: Val) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE {condition}");
        query(&sql, [value])
            .fetch_optional(&self.pool)
            .await
            .db()?
            .map(|row| user(&row))
            .transpose()
    }

    /// See [`crate::Storage::create_user`].
    pub async fn create_user(&self, new: NewUser) -> Result<User, StoreError> {
        let email = email_key(&new.email);
        let mut tx = self.write().await?;
        let taken = query(
            "SELECT id FROM users WHERE email = $1",
            vals![email.as_str()],
        )
        .fetch_optional(&mut *tx)
        .await
        .db()?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!("the account {email}")));
        }
        let row = query(
            "INSERT INTO users (email, role, teams, password_hash, created_at_us) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            vals![
                email.as_str(),
                new.role.as_str(),
                encode_strings(&new.teams),
                new.password_hash.clone(),
                micros(new.now),
            ],
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match crate::sql::db_error(e) {
            StoreError::Conflict(_) => StoreError::Conflict(format!("the account {email}")),
            other => other,
        })?;
        let id = get(&row, "id")?;
        tx.commit().await.db()?;
        Ok(User {
            id,
            email,
            role: new.role,
            teams: new.teams,
            password_hash: new.password_hash,
            created_at: stored(new.now)?,
        })
    }

    /// See [`crate::Storage::user_by_email`].
    pub async fn user_by_email(&self, email: String) -> Result<Option<User>, StoreError> {
        self.user_where("u.email = $1", Val::Text(email_key(&email)))
            .await
    }

    /// See [`crate::Storage::user_by_id`].
    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>, StoreError> {
        self.user_where("u.id = $1", Val::Int(id)).await
    }

    /// See [`crate::Storage::users`].
    pub async fn users(&self, page: Page) -> Result<Vec<User>, StoreError> {
        let (limit, offset) = page_bounds(page);
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.email LIMIT $1 OFFSET $2");
        query(&sql, vals![limit, offset])
            .fetch_all(&self.pool)
            .await
            .db()?
            .iter()
            .map(user)
            .collect()
    }

    /// See [`crate::Storage::update_user`].
    pub async fn update_user(
        &self,
        id: i64,
        change: UserChange,
    ) -> Result<Option<User>, StoreError> {
        let mut tx = self.write().await?;
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let Some(row) = query(&sql, vals![id]).fetch_optional(&mut *tx).await.db()? else {
            return Ok(None);
        };
        let mut u = user(&row)?;
        // A new password or another role ends what the old ones opened.
        let ends_access =
            change.password_hash.is_some() || change.role.is_some_and(|r| r != u.role);
        if let Some(role) = change.role {
            u.role = role;
        }
        if let Some(teams) = change.teams {
            u.teams = teams;
        }
        if let Some(hash) = change.password_hash {
            u.password_hash = Some(hash);
        }
        if ends_access {
            query("DELETE FROM sessions WHERE user_id = $1", vals![id])
                .execute(&mut *tx)
                .await
                .db()?;
            query(
                "UPDATE api_tokens SET revoked_at_us = $1 WHERE user_id = $2 AND revoked_at_us IS NULL",
                vals![micros(chrono::Utc::now()), id],
            )
            .execute(&mut *tx)
            .await
            .db()?;
        }
        query(
            "UPDATE users SET role = $1, teams = $2, password_hash = $3 WHERE id = $4",
            vals![
                u.role.as_str(),
                encode_strings(&u.teams),
                u.password_hash.clone(),
                id,
            ],
        )
        .execute(&mut *tx)
        .await
        .db()?;
        tx.commit().await.db()?;
        Ok(Some(u))
    }

    /// See [`crate::Storage::delete_user`].
    pub async fn delete_user(&self, id: i64) -> Result<bool, StoreError> {
        let done = query("DELETE FROM users WHERE id = $1", vals![id])
            .execute(&self.pool)
            .await
            .db()?;
        Ok(done.rows_affected() > 0)
    }

    /// See [`crate::Storage::create_session`].
    pub async fn create_session(&self, s: NewSession) -> Result<(), StoreError> {
        query(
            "INSERT INTO sessions (id_hash, user_id, csrf, created_at_us, expires_at_us) \
             VALUES ($1, $2, $3, $4, $5)",
            vals![
                s.id_hash,
                s.user_id,
                s.csrf,
                micros(s.created_at),
                micros(s.expires_at),
            ],
        )
        .execute(&self.pool)
        .await
        .map_err(|e| match crate::sql::db_error(e) {
            StoreError::Conflict(_) => StoreError::Conflict("a session with this id".to_owned()),
            other => other,
        })?;
        Ok(())
    }

    /// See [`crate::Storage::session`].
    pub async fn session(
        &self,
        id_hash: String,
        now: DateTime<Utc>,
    ) -> Result<Option<(Session, User)>, StoreError> {
        let sql = format!(
            "SELECT s.id_hash, s.user_id, s.csrf, s.created_at_us, s.expires_at_us, {USER_COLUMNS} \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at_us > $2"
        );
        let Some(row) = query(&sql, vals![id_hash, micros(now)])
            .fetch_optional(&self.pool)
            .await
            .db()?
        else {
            return Ok(None);
        };
        let session = Session {
            id_hash: get(&row, "id_hash")?,
            user_id: get(&row, "user_id")?,
            csrf: get(&row, "csrf")?,
            created_at: from_micros(get(&row, "created_at_us")?, "session")?,
            expires_at: from_micros(get(&row, "expires_at_us")?, "session")?,
        };
        Ok(Some((session, user(&row)?)))
    }

    /// See [`crate::Storage::delete_session`].
    pub async fn delete_session(
        &self,
        id_hash: String,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        query(
            "DELETE FROM sessions WHERE id_hash = $1 OR expires_at_us <= $2",
            vals![id_hash, micros(now)],
        )
        .execute(&self.pool)
        .await
        .db()?;
        Ok(())
    }

    /// See [`crate::Storage::create_token`].
    pub async fn create_token(&self, t: NewToken) -> Result<ApiToken, StoreError> {
        let row = query(
            "INSERT INTO api_tokens (user_id, name, hash, created_at_us) \
             VALUES ($1, $2, $3, $4) RETURNING id",
            vals![t.user_id, t.name.as_str(), t.hash, micros(t.created_at)],
        )
        .fetch_one(&self.pool)
        .await
        .map_err(|e| match crate::sql::db_error(e) {
            StoreError::Conflict(_) => {
                StoreError::Conflict("an API token with this hash".to_owned())
            }
            other => other,
        })?;
        Ok(ApiToken {
            id: get(&row, "id")?,
            user_id: t.user_id,
            name: t.name,
            created_at: stored(t.created_at)?,
            last_used_at: None,
            revoked_at: None,
        })
    }

    /// See [`crate::Storage::token`]. `last_used_at` is written when it is
    /// unset or at least [`LAST_USED_EVERY_SECONDS`] old.
    pub async fn token(
        &self,
        hash: String,
        now: DateTime<Utc>,
    ) -> Result<Option<(ApiToken, User)>, StoreError> {
        // A read first: scripts call with the same token many times a
        // second, and a write per call would serialise them on SQLite. The
        // use is recorded at most once a minute.
        let sql = format!(
            "SELECT {TOKEN_COLUMNS}, {USER_COLUMNS} FROM api_tokens t \
             JOIN users u ON u.id = t.user_id WHERE t.hash = $1 AND t.revoked_at_us IS NULL"
        );
        let row = {
            let mut tx = self.read().await?;
            let row = query(&sql, vals![hash])
                .fetch_optional(&mut *tx)
                .await
                .db()?;
            tx.commit().await.db()?;
            row
        };
        let Some(row) = row else {
            return Ok(None);
        };
        let mut t = token(&row)?;
        let u = user(&row)?;
        let stale = t
            .last_used_at
            .is_none_or(|last| now - last >= chrono::Duration::seconds(LAST_USED_EVERY_SECONDS));
        if stale {
            let mut tx = self.write().await?;
            query(
                "UPDATE api_tokens SET last_used_at_us = $1 WHERE id = $2",
                vals![micros(now), t.id],
            )
            .execute(&mut *tx)
            .await
            .db()?;
            tx.commit().await.db()?;
            t.last_used_at = Some(stored(now)?);
        }
        Ok(Some((t, u)))
    }

    /// See [`crate::Storage::tokens`].
    pub async fn tokens(
        &self,
        user_id: Option<i64>,
        page: Page,
    ) -> Result<Vec<ApiToken>, StoreError> {
        let (limit, offset) = page_bounds(page);
        let rows = match user_id {
            Some(id) => {
                let sql = format!(
                    "SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.user_id = $1 \
                     ORDER BY t.created_at_us DESC, t.id DESC LIMIT $2 OFFSET $3"
                );
                query(&sql, vals![id, limit, offset])
                    .fetch_all(&self.pool)
                    .await
            }
            None => {
                let sql = format!(
                    "SELECT {TOKEN_COLUMNS} FROM api_tokens t \
                     ORDER BY t.created_at_us DESC, t.id DESC LIMIT $1 OFFSET $2"
                );
                query(&sql, vals![limit, offset])
                    .fetch_all(&self.pool)
                    .await
            }
        }
        .db()?;
        rows.iter().map(token).collect()
    }

    /// See [`crate::Storage::revoke_token`].
    pub async fn revoke_token(&self, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let done = query(
            "UPDATE api_tokens SET revoked_at_us = $1 WHERE id = $2 AND revoked_at_us IS NULL",
            vals![micros(now), id],
        )
        .execute(&self.pool)
        .await
        .db()?;
        Ok(done.rows_affected() > 0)
    }
}
