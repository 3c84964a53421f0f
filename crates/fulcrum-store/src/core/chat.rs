//! Chat exports: users and conversations upserted, messages keyed by
//! platform, conversation and message id so that a later export appends,
//! and the read of one [`StoredChat`] per platform.

use super::{Core, SourceFields, find_source, person_key, unchanged, upsert_source};
use crate::backend::Backend;
use crate::codec::{self, fingerprint};
use crate::sql::{
    DbResult, Val, corrupt, count, get, insert_batched, micros, placeholders, query, signed, vals,
};
use crate::types::{ChatImport, ImportOutcome, SourceKind, StoreError, StoredChat};
use chrono::{DateTime, Utc};
use fulcrum_model::chat::{ChatMessage, Conversation};
use fulcrum_model::identity::SourceUser;
use std::collections::{BTreeMap, HashMap};

/// The lower-cased user keys a message mentions, each once.
pub(super) fn mention_keys(m: &ChatMessage) -> Vec<String> {
    let mut keys: Vec<String> = m
        .mentions
        .users
        .iter()
        .map(|u| person_key(u))
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// The lower-cased keys of a conversation's members, each once.
pub(super) fn member_keys(c: &Conversation) -> Vec<String> {
    let mut keys: Vec<String> = c
        .members
        .iter()
        .map(|m| person_key(m))
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// The row of `chat_users` for a user.
fn user_row(platform: &str, source_id: i64, u: &SourceUser) -> Vec<Val> {
    vals![
        platform,
        u.id.as_str(),
        source_id,
        person_key(&u.id),
        u.username.as_deref().map(person_key),
        u.email.as_deref().map(person_key),
        codec::encode_user(u),
    ]
}

/// The columns a message row keeps outside its payload.
fn message_columns(m: &ChatMessage) -> (i64, Option<String>) {
    (micros(m.at), m.author.as_deref().map(person_key))
}

impl<B: Backend> Core<B> {
    /// See [`crate::Storage::import_chat`].
    pub async fn import_chat(&self, import: ChatImport) -> Result<ImportOutcome, StoreError> {
        let mut tx = self.write().await?;
        let existing = find_source(&mut tx, SourceKind::Chat, &import.source).await?;
        if let Some(outcome) = unchanged(
            &mut tx,
            &existing,
            &import.fingerprint,
            "SELECT count(*) AS n FROM messages WHERE source_id = $1",
        )
        .await?
        {
            tx.rollback().await.db()?;
            return Ok(outcome);
        }
        let platform = import.platform.as_str();
        let source_id = upsert_source(
            &mut tx,
            existing.map(|(id, _)| id),
            SourceFields {
                kind: SourceKind::Chat,
                source: &import.source,
                file: &import.file,
                fingerprint: &import.fingerprint,
                owner: None,
                data_first: None,
                data_last: None,
                problems: 0,
                expanded_from_us: None,
                expanded_to_us: None,
                platform: Some(import.platform.clone()),
                skipped: signed(import.skipped),
            },
        )
        .await?;

        // Users, the last entry of an id winning (one statement may not
        // touch a row twice).
        let mut users: BTreeMap<&str, &SourceUser> = BTreeMap::new();
        for u in &import.users {
            users.insert(u.id.as_str(), u);
        }
        insert_batched(
            &mut tx,
            "chat_users",
            &[
                "platform",
                "user_id",
                "source_id",
                "id_key",
                "username_key",
                "email_key",
                "payload",
            ],
            users
                .values()
                .map(|u| user_row(platform, source_id, u))
                .collect(),
            "ON CONFLICT (platform, user_id) DO UPDATE SET source_id = excluded.source_id, \
             id_key = excluded.id_key, username_key = excluded.username_key, \
             email_key = excluded.email_key, payload = excluded.payload",
        )
        .await?;

        // Conversations, their member lists replaced.
        let mut conversations: BTreeMap<&str, &Conversation> = BTreeMap::new();
        for c in &import.conversations {
            conversations.insert(&c.id, c);
        }
        let returned = insert_batched(
            &mut tx,
            "conversations",
            &["platform", "conversation", "payload"],
            conversations
                .values()
                .map(|c| vals![platform, &*c.id, codec::encode_conversation(c)])
                .collect(),
            "ON CONFLICT (platform, conversation) DO UPDATE SET payload = excluded.payload \
             RETURNING id, conversation",
        )
        .await?;
        let mut conversation_ids = Vec::with_capacity(returned.len());
        let mut members = Vec::new();
        for row in returned {
            let id: i64 = get(&row, "id")?;
            let name: String = get(&row, "conversation")?;
            conversation_ids.push(id);
            if let Some(c) = conversations.get(name.as_str()) {
                members.extend(member_keys(c).into_iter().map(|k| vals![id, k]));
            }
        }
        for chunk in conversation_ids.chunks(500) {
            let sql = format!(
                "DELETE FROM conversation_members WHERE conversation_id IN ({})",
                placeholders(1, chunk.len())
            );
            query(&sql, chunk.iter().map(|&id| Val::Int(id)))
                .execute(&mut *tx)
                .await
                .db()?;
        }
        insert_batched(
            &mut tx,
            "conversation_members",
            &["conversation_id", "person_key"],
            members,
            "",
        )
        .await?;

        // Messages: what is stored, by key, with a hash of its payload.
        let mut stored: HashMap<(String, String), (i64, i64)> = HashMap::new();
        for row in query(
            "SELECT id, conversation, message_id, payload_hash FROM messages WHERE platform = $1",
            vals![platform],
        )
        .fetch_all(&mut *tx)
        .await
        .db()?
        {
            stored.insert(
                (get(&row, "conversation")?, get(&row, "message_id")?),
                (get(&row, "id")?, get(&row, "payload_hash")?),
            );
        }
        let mut outcome = ImportOutcome {
            source_id,
            ..ImportOutcome::default()
        };
        let mut seen: HashMap<(&str, &str), ()> = HashMap::with_capacity(import.messages.len());
        let mut new_rows = Vec::new();
        let mut new_mentions: HashMap<(String, String), Vec<String>> = HashMap::new();
        let mut mentions = Vec::new();
        // A message listed twice in one export counts once (the first).
        for m in &import.messages {
            if seen.insert((&m.conversation, &m.id), ()).is_some() {
                continue;
            }
            let payload = codec::encode_message(m);
            let hash = fingerprint(&payload);
            let (at_us, author_key) = message_columns(m);
            let key = (m.conversation.to_string(), m.id.to_string());
            match stored.get(&key) {
                Some(&(_, old_hash)) if old_hash == hash => outcome.kept += 1,
                Some(&(id, _)) => {
                    outcome.changed += 1;
                    query(
                        "UPDATE messages SET at_us = $1, author_key = $2, payload_hash = $3, \
                         payload = $4 WHERE id = $5",
                        vals![at_us, author_key, hash, payload, id],
                    )
                    .execute(&mut *tx)
                    .await
                    .db()?;
                    query(
                        "DELETE FROM message_mentions WHERE message_id = $1",
                        vals![id],
                    )
                    .execute(&mut *tx)
                    .await
                    .db()?;
                    mentions.extend(mention_keys(m).into_iter().map(|k| vals![id, k]));
                }
                None => {
                    outcome.added += 1;
                    let keys = mention_keys(m);
                    if !keys.is_empty() {
                        new_mentions.insert(key.clone(), keys);
                    }
                    new_rows.push(vals![
                        platform, key.0, key.1, source_id, at_us, author_key, hash, payload,
                    ]);
                }
            }
        }
        let returned = insert_batched(
            &mut tx,
            "messages",
            &[
                "platform",
                "conversation",
                "message_id",
                "source_id",
                "at_us",
                "author_key",
                "payload_hash",
                "payload",
            ],
            new_rows,
            if new_mentions.is_empty() {
                ""
            } else {
                "RETURNING id, conversation, message_id"
            },
        )
        .await?;
        for row in returned {
            let key = (get(&row, "conversation")?, get(&row, "message_id")?);
            if let Some(keys) = new_mentions.remove(&key) {
                let id: i64 = get(&row, "id")?;
                mentions.extend(keys.into_iter().map(|k| vals![id, k]));
            }
        }
        insert_batched(
            &mut tx,
            "message_mentions",
            &["message_id", "person_key"],
            mentions,
            "",
        )
        .await?;
        tx.commit().await.db()?;
        Ok(outcome)
    }

    /// See [`crate::Storage::chats`].
    pub async fn chats(
        &self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<StoredChat>, StoreError> {
        let mut tx = self.read().await?;
        let mut chats: BTreeMap<String, StoredChat> = BTreeMap::new();
        for row in query(
            "SELECT source, platform, skipped FROM sources WHERE kind = $1 ORDER BY id",
            vals![SourceKind::Chat.as_str()],
        )
        .fetch_all(&mut *tx)
        .await
        .db()?
        {
            let platform: String = get::<Option<String>>(&row, "platform")?.unwrap_or_default();
            let chat = chats.entry(platform.clone()).or_insert_with(|| StoredChat {
                platform,
                sources: Vec::new(),
                users: Vec::new(),
                conversations: Vec::new(),
                messages: Vec::new(),
                skipped: 0,
            });
            chat.sources.push(get(&row, "source")?);
            chat.skipped += count(get(&row, "skipped")?);
        }
        for row in sqlx::query("SELECT platform, payload FROM chat_users")
            .fetch_all(&mut *tx)
            .await
            .db()?
        {
            let platform: String = get(&row, "platform")?;
            if let Some(chat) = chats.get_mut(&platform) {
                let payload: String = get(&row, "payload")?;
                chat.users
                    .push(codec::decode_user(&payload).map_err(corrupt("chat user"))?);
            }
        }
        for row in sqlx::query("SELECT platform, payload FROM conversations")
            .fetch_all(&mut *tx)
            .await
            .db()?
        {
            let platform: String = get(&row, "platform")?;
            if let Some(chat) = chats.get_mut(&platform) {
                let payload: String = get(&row, "payload")?;
                chat.conversations
                    .push(codec::decode_conversation(&payload).map_err(corrupt("conversation"))?);
            }
        }
        let mut sql = "SELECT platform, payload FROM messages WHERE 1 = 1".to_owned();
        let mut params = Vec::new();
        if let Some(from) = from {
            params.push(Val::Int(micros(from)));
            sql.push_str(&format!(" AND at_us >= ${}", params.len()));
        }
        if let Some(to) = to {
            params.push(Val::Int(micros(to)));
            sql.push_str(&format!(" AND at_us < ${}", params.len()));
        }
        for row in query(&sql, params).fetch_all(&mut *tx).await.db()? {
            let platform: String = get(&row, "platform")?;
            if let Some(chat) = chats.get_mut(&platform) {
                let payload: String = get(&row, "payload")?;
                chat.messages
                    .push(codec::decode_message(&payload).map_err(corrupt("chat message"))?);
            }
        }
        tx.commit().await.db()?;
        let mut out: Vec<StoredChat> = chats.into_values().collect();
        for chat in &mut out {
            chat.users.sort_by(|a, b| a.id.cmp(&b.id));
            chat.conversations.sort_by(|a, b| a.id.cmp(&b.id));
            chat.messages.sort_by(|a, b| {
                (&a.conversation, a.at, &a.id).cmp(&(&b.conversation, b.at, &b.id))
            });
        }
        Ok(out)
    }
}
