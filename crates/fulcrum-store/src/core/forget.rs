//! Right to erasure: every record that names a person, removed or rewritten
//! without them, in one transaction. Workflow objects they wrote are
//! removed; their answers, stances and outcomes in others' objects are
//! erased (`workflow::erase_person`).
//!
//! The keys are matched lower-cased against the `*_key` columns and the
//! reference tables (`event_people`, `message_mentions`,
//! `conversation_members`) that imports fill for exactly this purpose; the
//! chat accounts found add their ids, usernames and emails to the keys
//! before messages, mentions and memberships are looked up.

use super::chat::member_keys;
use super::{Core, calendar::event_people, person_key, workflow};
use crate::backend::Backend;
use crate::codec;
use crate::sql::{DbResult, Val, corrupt, delete_ids, get, placeholders, query, vals};
use crate::types::{ForgetReport, PersonKeys, StoreError};
use fulcrum_model::chat::ConversationKind;
use sqlx::AnyConnection;
use std::collections::BTreeSet;

/// `column IN ($start, ...)` over the keys.
fn in_keys(column: &str, start: usize, keys: &BTreeSet<String>) -> String {
    format!("{column} IN ({})", placeholders(start, keys.len()))
}

fn key_vals(keys: &BTreeSet<String>) -> Vec<Val> {
    keys.iter().map(|k| Val::Text(k.clone())).collect()
}

/// Ids selected by `sql` (one `id` column) with the keys bound.
async fn ids(
    conn: &mut AnyConnection,
    sql: &str,
    keys: &BTreeSet<String>,
) -> Result<Vec<i64>, StoreError> {
    query(sql, key_vals(keys))
        .fetch_all(&mut *conn)
        .await
        .db()?
        .iter()
        .map(|row| get(row, "id"))
        .collect()
}

/// Replaces each `,`-separated part of a Mattermost DM id (the members'
/// usernames) that is a key.
fn rewrite_members_id(id: &str, keys: &BTreeSet<String>, placeholder: &str) -> String {
    id.split(',')
        .map(|part| {
            if keys.contains(&person_key(part)) {
                placeholder
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Replaces every occurrence of a key in a DM's display name (the members
/// joined, or Slack's `mpdm-ada--bob-1`), ignoring ASCII case.
fn rewrite_name(name: &str, keys: &BTreeSet<String>, placeholder: &str) -> String {
    let mut out = name.to_owned();
    for key in keys {
        if key.is_empty() {
            continue;
        }
        let mut result = String::with_capacity(out.len());
        let lower = out.to_ascii_lowercase();
        let mut i = 0;
        while let Some(pos) = lower[i..].find(key.as_str()) {
            result.push_str(&out[i..i + pos]);
            result.push_str(placeholder);
            i += pos + key.len();
        }
        result.push_str(&out[i..]);
        out = result;
    }
    out
}

impl<B: Backend> Core<B> {
    /// See [`crate::Storage::forget`].
    pub async fn forget(&self, person: PersonKeys) -> Result<ForgetReport, StoreError> {
        let mut keys: BTreeSet<String> = std::iter::once(&person.email)
            .chain(&person.aliases)
            .map(|k| person_key(k))
            .filter(|k| !k.is_empty())
            .collect();
        let mut report = ForgetReport::default();
        if keys.is_empty() {
            return Ok(report);
        }
        let mut tx = self.write().await?;

        // Chat accounts, until no new key turns up another one.
        loop {
            let n = keys.len();
            let sql = format!(
                "SELECT id, id_key, username_key, email_key FROM chat_users WHERE {} OR {} OR {}",
                in_keys("id_key", 1, &keys),
                in_keys("username_key", 1, &keys),
                in_keys("email_key", 1, &keys),
            );
            let rows = query(&sql, key_vals(&keys))
                .fetch_all(&mut *tx)
                .await
                .db()?;
            let mut found = Vec::new();
            for row in rows {
                found.push(get::<i64>(&row, "id")?);
                keys.insert(get(&row, "id_key")?);
                for col in ["username_key", "email_key"] {
                    if let Some(k) = get::<Option<String>>(&row, col)?
                        && !k.is_empty()
                    {
                        keys.insert(k);
                    }
                }
            }
            report.chat_users += delete_ids(&mut tx, "chat_users", &found).await?;
            if keys.len() == n {
                break;
            }
        }

        // Calendars they own, with their events and occurrences.
        let calendars = ids(
            &mut tx,
            &format!(
                "SELECT id FROM sources WHERE kind = 'calendar' AND {}",
                in_keys("owner_key", 1, &keys)
            ),
            &keys,
        )
        .await?;
        for &id in &calendars {
            report.occurrences += super::count_where(
                &mut tx,
                "SELECT count(*) AS n FROM occurrences WHERE source_id = $1",
                id,
            )
            .await?;
        }
        report.calendars = delete_ids(&mut tx, "sources", &calendars).await?;

        // Their organizer and attendee entries in other calendars' events.
        let events = ids(
            &mut tx,
            &format!(
                "SELECT DISTINCT event_id AS id FROM event_people WHERE {}",
                in_keys("person_key", 1, &keys)
            ),
            &keys,
        )
        .await?;
        for id in events {
            let row = query("SELECT details FROM events WHERE id = $1", vals![id])
                .fetch_one(&mut *tx)
                .await
                .db()?;
            let mut details = codec::decode_details(&get::<String>(&row, "details")?)
                .map_err(corrupt(format!("event {id}")))?;
            if details
                .organizer
                .as_ref()
                .is_some_and(|p| keys.contains(&person_key(&p.email)))
            {
                details.organizer = None;
                report.attendee_entries += 1;
            }
            let before = details.attendees.len();
            details
                .attendees
                .retain(|a| !keys.contains(&person_key(&a.who.email)));
            report.attendee_entries += (before - details.attendees.len()) as u64;
            query(
                "UPDATE events SET details = $1 WHERE id = $2",
                vals![codec::encode_details(&details), id],
            )
            .execute(&mut *tx)
            .await
            .db()?;
            query("DELETE FROM event_people WHERE event_id = $1", vals![id])
                .execute(&mut *tx)
                .await
                .db()?;
            for k in event_people(&details) {
                query(
                    "INSERT INTO event_people (event_id, person_key) VALUES ($1, $2)",
                    vals![id, k],
                )
                .execute(&mut *tx)
                .await
                .db()?;
            }
        }

        // Messages they wrote.
        let sql = format!(
            "DELETE FROM messages WHERE {}",
            in_keys("author_key", 1, &keys)
        );
        report.messages = query(&sql, key_vals(&keys))
            .execute(&mut *tx)
            .await
            .db()?
            .rows_affected();

        // Mentions of them in other messages.
        let mentioning = ids(
            &mut tx,
            &format!(
                "SELECT DISTINCT message_id AS id FROM message_mentions WHERE {}",
                in_keys("person_key", 1, &keys)
            ),
            &keys,
        )
        .await?;
        for id in mentioning {
            let row = query("SELECT payload FROM messages WHERE id = $1", vals![id])
                .fetch_one(&mut *tx)
                .await
                .db()?;
            let mut m = codec::decode_message(&get::<String>(&row, "payload")?)
                .map_err(corrupt(format!("message {id}")))?;
            let before = m.mentions.users.len();
            m.mentions.users.retain(|u| !keys.contains(&person_key(u)));
            report.mentions += (before - m.mentions.users.len()) as u64;
            let payload = codec::encode_message(&m);
            let hash = codec::fingerprint(&payload);
            query(
                "UPDATE messages SET payload = $1, payload_hash = $2 WHERE id = $3",
                vals![payload, hash, id],
            )
            .execute(&mut *tx)
            .await
            .db()?;
            let sql = format!(
                "DELETE FROM message_mentions WHERE message_id = $1 AND {}",
                in_keys("person_key", 2, &keys)
            );
            let mut params = vals![id];
            params.extend(key_vals(&keys));
            query(&sql, params).execute(&mut *tx).await.db()?;
        }

        // Their memberships; a DM or group DM named after its members is
        // renamed without them.
        let conversations = ids(
            &mut tx,
            &format!(
                "SELECT DISTINCT conversation_id AS id FROM conversation_members WHERE {}",
                in_keys("person_key", 1, &keys)
            ),
            &keys,
        )
        .await?;
        for id in conversations {
            self.forget_member(&mut tx, id, &keys, &mut report).await?;
        }

        // Work-item and pulse rows, and server accounts.
        let sql = format!(
            "DELETE FROM work_rows WHERE {}",
            in_keys("who_key", 1, &keys)
        );
        report.rows = query(&sql, key_vals(&keys))
            .execute(&mut *tx)
            .await
            .db()?
            .rows_affected();
        let sql = format!("DELETE FROM users WHERE {}", in_keys("email", 1, &keys));
        report.accounts = query(&sql, key_vals(&keys))
            .execute(&mut *tx)
            .await
            .db()?
            .rows_affected();

        // Reminders: the days their digest went out, their feed token.
        for table in ["notify_sent", "feed_tokens"] {
            let sql = format!(
                "DELETE FROM {table} WHERE {}",
                in_keys("person_key", 1, &keys)
            );
            report.reminders += query(&sql, key_vals(&keys))
                .execute(&mut *tx)
                .await
                .db()?
                .rows_affected();
        }

        // Workflow objects: those they wrote go; in the others, their
        // answers, stances and outcomes are erased.
        let items = ids(
            &mut tx,
            &format!(
                "SELECT DISTINCT item_id AS id FROM workflow_people WHERE {}",
                in_keys("person_key", 1, &keys)
            ),
            &keys,
        )
        .await?;
        for id in items {
            let row = query(
                "SELECT payload FROM workflow_items WHERE id = $1",
                vals![id],
            )
            .fetch_one(&mut *tx)
            .await
            .db()?;
            let mut item = codec::decode_workflow_item(&get::<String>(&row, "payload")?)
                .map_err(corrupt(format!("workflow object {id}")))?;
            if keys.contains(&person_key(item.author())) {
                report.workflow_items += delete_ids(&mut tx, "workflow_items", &[id]).await?;
                continue;
            }
            report.workflow_entries += workflow::erase_person(&mut item, &keys);
            workflow::rewrite(&mut tx, id, &item, chrono::Utc::now()).await?;
        }

        tx.commit().await.db()?;
        Ok(report)
    }

    /// Removes the keys from the members of conversation `id`.
    async fn forget_member(
        &self,
        conn: &mut AnyConnection,
        id: i64,
        keys: &BTreeSet<String>,
        report: &mut ForgetReport,
    ) -> Result<(), StoreError> {
        let row = query(
            "SELECT platform, conversation, payload FROM conversations WHERE id = $1",
            vals![id],
        )
        .fetch_one(&mut *conn)
        .await
        .db()?;
        let platform: String = get(&row, "platform")?;
        let old_id: String = get(&row, "conversation")?;
        let mut c = codec::decode_conversation(&get::<String>(&row, "payload")?)
            .map_err(corrupt(format!("conversation {old_id}")))?;
        let before = c.members.len();
        c.members.retain(|m| !keys.contains(&person_key(m)));
        report.memberships += (before - c.members.len()) as u64;
        let mut new_id = old_id.clone();
        if matches!(c.kind, ConversationKind::Dm | ConversationKind::GroupDm) {
            let placeholder = format!("forgotten-{id}");
            new_id = rewrite_members_id(&old_id, keys, &placeholder);
            c.name = rewrite_name(&c.name, keys, &placeholder);
            if new_id != old_id {
                // The placeholder carries this conversation's row id, so the
                // new id is taken only if it was taken before: keep both
                // apart all the same.
                let taken = query(
                    "SELECT id FROM conversations WHERE platform = $1 AND conversation = $2",
                    vals![platform.as_str(), new_id.as_str()],
                )
                .fetch_optional(&mut *conn)
                .await
                .db()?;
                if taken.is_some() {
                    new_id = format!("{new_id}#{id}");
                }
                c.id = new_id.as_str().into();
            }
        }
        query(
            "UPDATE conversations SET conversation = $1, payload = $2 WHERE id = $3",
            vals![new_id.as_str(), codec::encode_conversation(&c), id],
        )
        .execute(&mut *conn)
        .await
        .db()?;
        query(
            "DELETE FROM conversation_members WHERE conversation_id = $1",
            vals![id],
        )
        .execute(&mut *conn)
        .await
        .db()?;
        for k in member_keys(&c) {
            query(
                "INSERT INTO conversation_members (conversation_id, person_key) VALUES ($1, $2)",
                vals![id, k],
            )
            .execute(&mut *conn)
            .await
            .db()?;
        }
        if new_id != old_id {
            // The conversation's messages carry its id in their key and
            // payload.
            let rows = query(
                "SELECT id, payload FROM messages WHERE platform = $1 AND conversation = $2",
                vals![platform.as_str(), old_id.as_str()],
            )
            .fetch_all(&mut *conn)
            .await
            .db()?;
            for row in rows {
                let message_id: i64 = get(&row, "id")?;
                let mut m = codec::decode_message(&get::<String>(&row, "payload")?)
                    .map_err(corrupt(format!("message {message_id}")))?;
                m.conversation = c.id.clone();
                let payload = codec::encode_message(&m);
                query(
                    "UPDATE messages SET conversation = $1, payload_hash = $2, payload = $3 \
                     WHERE id = $4",
                    vals![
                        new_id.as_str(),
                        codec::fingerprint(&payload),
                        payload,
                        message_id
                    ],
                )
                .execute(&mut *conn)
                .await
                .db()?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dm_ids_and_names_lose_the_person() {
        let keys: BTreeSet<String> = ["ada".to_owned()].into();
        assert_eq!(rewrite_members_id("ada,bob", &keys, "x"), "x,bob");
        assert_eq!(rewrite_members_id("adam,bob", &keys, "x"), "adam,bob");
        assert_eq!(rewrite_name("mpdm-Ada--bob-1", &keys, "x"), "mpdm-x--bob-1");
        assert_eq!(rewrite_name("ada, bob", &keys, "x"), "x, bob");
    }
}
