//! The Mattermost bulk export of the Berlin office's team: JSON lines as
//! `mmctl export` writes them (Mattermost's import data types): a
//! `version` line, the `team`, its `channel`s, `user`s and `bot`s,
//! `direct_channel`s, then `post`s and `direct_post`s with their replies
//! nested under them, `create_at` in epoch milliseconds. Mentions are
//! `@username`.

use crate::archetype::Chat;
use crate::org::Org;
use crate::plan::{Author, Conv, Post, Say};
use crate::rng::{Rng, stream};
use crate::text;
use serde_json::{Value, json};
use std::io::{self, Write};

/// The Mattermost team's name.
pub const MM_TEAM: &str = "lumen-berlin";

/// Counts of what was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MattermostStats {
    /// Posts and replies.
    pub posts: u64,
}

/// Writes the bulk export line by line.
pub struct MattermostWriter<'o, W: Write> {
    org: &'o Org,
    w: W,
    text_rng: Rng,
    posts: u64,
    /// People's messages as written, for the answer key.
    pub log: Vec<crate::key::Said>,
    seq: u64,
    /// What was written.
    pub stats: MattermostStats,
}

fn line(w: &mut dyn Write, v: &Value) -> io::Result<()> {
    serde_json::to_writer(&mut *w, v).map_err(io::Error::other)?;
    w.write_all(b"\n")
}

impl<'o, W: Write> MattermostWriter<'o, W> {
    /// Starts the export: version, team, channels, users, bot, direct channels.
    pub fn new(org: &'o Org, mut w: W) -> io::Result<Self> {
        let teams: Vec<&crate::org::Team> = org
            .teams
            .iter()
            .filter(|t| t.chat() == Chat::Mattermost)
            .collect();
        line(
            &mut w,
            &json!({"type": "version", "version": 1, "info": {"generator": "mmctl", "version": "9.11.2", "created": org.export_time().to_rfc3339()}}),
        )?;
        line(
            &mut w,
            &json!({"type": "team", "team": {"name": MM_TEAM, "display_name": "Lumen Labs Berlin", "type": "I", "description": "", "allow_open_invite": false}}),
        )?;
        line(
            &mut w,
            &json!({"type": "channel", "channel": {"team": MM_TEAM, "name": "town-square", "display_name": "Town Square", "type": "O", "header": "", "purpose": ""}}),
        )?;
        for t in &teams {
            line(
                &mut w,
                &json!({"type": "channel", "channel": {"team": MM_TEAM, "name": t.slug, "display_name": t.name, "type": "O", "header": "", "purpose": format!("The {} team", t.name)}}),
            )?;
            line(
                &mut w,
                &json!({"type": "channel", "channel": {"team": MM_TEAM, "name": format!("{}-leads", t.slug), "display_name": format!("{} leads", t.name), "type": "P", "header": "", "purpose": ""}}),
            )?;
        }
        for t in &teams {
            for &p in &t.members {
                let person = &org.people[p];
                let (first, last) = person
                    .name
                    .split_once(' ')
                    .unwrap_or((person.name.as_str(), ""));
                line(
                    &mut w,
                    &json!({"type": "user", "user": {
                        "username": person.mm_username, "email": person.email, "auth_service": "", "nickname": "",
                        "first_name": first, "last_name": last, "position": if person.is_lead { "Lead" } else { "Engineer" },
                        "roles": "system_user", "locale": "en", "delete_at": 0,
                        "teams": [{"name": MM_TEAM, "roles": "team_user", "channels": [
                            {"name": "town-square", "roles": "channel_user", "favorite": false},
                            {"name": t.slug, "roles": "channel_user", "favorite": true},
                        ]}],
                    }}),
                )?;
            }
        }
        if let Some(t) = teams.first() {
            let owner = org.people[t.lead()].mm_username.clone();
            line(
                &mut w,
                &json!({"type": "bot", "bot": {"username": "tracker", "display_name": "Tracker", "owner": owner}}),
            )?;
        }
        for t in &teams {
            for (i, &a) in t.members.iter().enumerate() {
                for &b in &t.members[i + 1..] {
                    line(
                        &mut w,
                        &json!({"type": "direct_channel", "direct_channel": {"members": [org.people[a].mm_username, org.people[b].mm_username], "favorited_by": null, "header": ""}}),
                    )?;
                }
            }
            if t.members.len() >= 3 {
                let members: Vec<&Option<String>> = t.members[..3]
                    .iter()
                    .map(|&p| &org.people[p].mm_username)
                    .collect();
                line(
                    &mut w,
                    &json!({"type": "direct_channel", "direct_channel": {"members": members, "favorited_by": null, "header": ""}}),
                )?;
            }
        }
        Ok(MattermostWriter {
            org,
            w,
            text_rng: Rng::derive(org.seed, &[stream::TEXT, u64::MAX - 1]),
            seq: 0,
            stats: MattermostStats::default(),
            posts: 0,
            log: Vec::new(),
        })
    }

    fn username(&self, author: Author) -> String {
        match author {
            Author::Person(p) => self.org.people[p]
                .mm_username
                .clone()
                .unwrap_or_else(|| self.org.people[p].handle.clone()),
            Author::Bot(_) => "tracker".to_owned(),
        }
    }

    /// Writes one post with its replies (a whole thread is one line).
    pub fn add(&mut self, post: &Post) -> io::Result<()> {
        let cutoff = self.org.export_time();
        let msgs: Vec<&crate::plan::Msg> = post
            .msgs
            .iter()
            .filter(|m| m.at < cutoff && !matches!(m.say, Say::Huddle { .. }))
            .collect();
        if msgs.is_empty() {
            return Ok(());
        }
        let key = match post.conv {
            Conv::Team(t) | Conv::TeamGroup(t) => self.org.teams[t].key.clone(),
            _ => "OPS".to_owned(),
        };
        let mut rendered = Vec::with_capacity(msgs.len());
        self.posts += 1;
        let threaded = post.threaded && msgs.len() > 1;
        for (i, m) in msgs.iter().enumerate() {
            self.seq += 1;
            let mention = m.mention.map(|p| {
                format!(
                    "@{}",
                    self.org.people[p].mm_username.clone().unwrap_or_default()
                )
            });
            let text = text::message(
                &mut self.text_rng,
                &m.say,
                post.topic,
                mention.as_deref(),
                &key,
            );
            if let Author::Person(p) = m.author
                && !matches!(m.say, Say::Join)
            {
                let (question, ack, urgent, call, decision) = crate::key::Said::flags(&text);
                self.log.push(crate::key::Said {
                    at: m.at,
                    author: p,
                    conv: post.conv,
                    thread: threaded.then_some(self.posts),
                    parent: threaded && i == 0,
                    huddle: false,
                    mention: m.mention,
                    question,
                    ack,
                    urgent,
                    call,
                    decision,
                });
            }
            let create_at = m.at.timestamp() * 1000 + (self.seq % 997) as i64;
            let (kind, props) = match (&m.say, m.author) {
                (Say::Join, _) => ("system_join_channel", json!({})),
                (_, Author::Bot(_)) => ("", json!({"from_bot": "true"})),
                _ => ("", json!({})),
            };
            rendered.push((self.username(m.author), kind, props, text, create_at));
        }
        let one = |(user, kind, props, message, create_at): &(String, &str, Value, String, i64)| json!({"user": user, "type": kind, "message": message, "props": props, "create_at": create_at, "edit_at": 0, "flagged_by": null, "reactions": null, "attachments": null});
        let lines: Vec<Value> = if post.threaded {
            vec![post_value(
                self.org,
                post.conv,
                one(&rendered[0]),
                rendered[1..].iter().map(one).collect(),
            )]
        } else {
            rendered
                .iter()
                .map(|r| post_value(self.org, post.conv, one(r), Vec::new()))
                .collect()
        };
        for v in &lines {
            line(&mut self.w, v)?;
        }
        self.stats.posts += msgs.len() as u64;
        Ok(())
    }

    /// Flushes and gives back the writer.
    pub fn finish(mut self) -> io::Result<(W, MattermostStats)> {
        self.w.flush()?;
        Ok((self.w, self.stats))
    }
}

fn post_value(org: &Org, conv: Conv, mut base: Value, replies: Vec<Value>) -> Value {
    let replies = if replies.is_empty() {
        Value::Null
    } else {
        Value::Array(replies)
    };
    if let Some(o) = base.as_object_mut() {
        o.insert("replies".to_owned(), replies);
        o.insert("is_pinned".to_owned(), Value::Bool(false));
    }
    let name = |p: usize| org.people[p].mm_username.clone().unwrap_or_default();
    match conv {
        Conv::Dm(a, b) => {
            if let Some(o) = base.as_object_mut() {
                o.insert("channel_members".to_owned(), json!([name(a), name(b)]));
            }
            json!({"type": "direct_post", "direct_post": base})
        }
        Conv::TeamGroup(t) => {
            let members: Vec<String> = org.teams[t].members[..3].iter().map(|&p| name(p)).collect();
            if let Some(o) = base.as_object_mut() {
                o.insert("channel_members".to_owned(), json!(members));
            }
            json!({"type": "direct_post", "direct_post": base})
        }
        _ => {
            let channel = match conv {
                Conv::Team(t) => org.teams[t].slug.clone(),
                _ => "town-square".to_owned(),
            };
            if let Some(o) = base.as_object_mut() {
                o.insert("team".to_owned(), Value::String(MM_TEAM.to_owned()));
                o.insert("channel".to_owned(), Value::String(channel));
            }
            json!({"type": "post", "post": base})
        }
    }
}
