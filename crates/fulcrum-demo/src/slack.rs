//! The Slack export: a ZIP in the layout of Slack's "Export data" (full
//! export): `users.json`, `channels.json`, `groups.json` (private
//! channels), `dms.json`, `mpims.json`, `integration_logs.json`, then one
//! folder per conversation (channels and group DMs by name, DMs by id) of
//! `YYYY-MM-DD.json` day files, pretty-printed with four spaces as Slack
//! writes them. Day files follow the UTC date of their messages.
//!
//! Messages arrive as [`Post`]s; a thread's parent carries `reply_count`,
//! `reply_users`, `latest_reply` and `replies`, and each reply sits in the
//! day file of its own date (often a later one than its parent's). Day
//! files are written as soon as no later plan can add to them: memory holds
//! a couple of days of messages, not the export.
//!
//! Every entry has the same fixed timestamp (the export time), so the same
//! seed gives a byte-identical ZIP.

use crate::archetype::Chat;
use crate::org::{DOMAIN, IdMaker, Org};
use crate::plan::{Author, Bot, Conv, Post, Say};
use crate::rng::{Rng, stream};
use crate::text;
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

/// Deflate level of the ZIP's entries: the fast end, since the demo is
/// written for testing at scale. Measured on the 2000-people demo, level 6
/// made the export 21% smaller (110 MB instead of 140 MB) for 20% more CPU
/// time over the whole run (docs/benchmarks.md).
pub const DEFLATE_LEVEL: i64 = 1;

/// Counts of what was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SlackStats {
    /// Messages in day files (people, bots, joins, huddles).
    pub messages: u64,
    /// Day files.
    pub day_files: u64,
}

/// One message ready to be written, keyed for its day file.
struct Pending {
    ts: String,
    value: Value,
}

/// Writes a Slack export ZIP as posts arrive.
pub struct SlackWriter<'o, W: Write> {
    org: &'o Org,
    zip: ZipWriter<StreamWriter<W>>,
    options: SimpleFileOptions,
    ids: Ids,
    /// UTC date -> conversation folder -> messages.
    pending: BTreeMap<NaiveDate, BTreeMap<String, Vec<Pending>>>,
    folders_seen: std::collections::HashSet<String>,
    seq: u64,
    text_rng: Rng,
    posts: u64,
    /// What was written.
    pub stats: SlackStats,
    /// People's messages as written, for the answer key.
    pub log: Vec<crate::key::Said>,
}

/// Slack ids of conversations and bots.
struct Ids {
    general: String,
    random: String,
    incidents: String,
    deploys: String,
    leads: Vec<String>,
    team_groups: HashMap<usize, (String, String)>,
    dms: HashMap<(usize, usize), String>,
    tracker_user: String,
    tracker_bot: String,
    deploy_bot: String,
    alerts_bot: String,
    former_employee: String,
}

fn zip_err(e: zip::result::ZipError) -> io::Error {
    match e {
        zip::result::ZipError::Io(e) => e,
        other => io::Error::other(other),
    }
}

/// `tz_label` as Slack writes it, for the offset in force at `t`.
fn tz_label(zone: crate::zones::Zone, t: DateTime<Utc>) -> &'static str {
    use crate::zones::Zone::*;
    let summer = zone.offset_seconds(t)
        != zone.offset_seconds(DateTime::from_timestamp(1_767_225_600, 0).unwrap_or(t));
    match (zone, summer) {
        (SanFrancisco, true) => "Pacific Daylight Time",
        (SanFrancisco, false) => "Pacific Standard Time",
        (NewYork, true) => "Eastern Daylight Time",
        (NewYork, false) => "Eastern Standard Time",
        (London, true) => "British Summer Time",
        (London, false) => "Greenwich Mean Time",
        (Berlin, true) => "Central European Summer Time",
        (Berlin, false) => "Central European Time",
        (Bangalore, _) => "India Standard Time",
    }
}

impl<'o, W: Write> SlackWriter<'o, W> {
    /// Starts the export and writes its metadata files. `pairs` are the
    /// cross-team DMs ([`crate::org_day::cross_team_pairs`]).
    pub fn new(org: &'o Org, out: W, pairs: &[(usize, usize)]) -> io::Result<Self> {
        let mut maker = IdMaker::new(org.seed ^ 0x51AC);
        let mut ids = Ids {
            general: maker.make('C', 8),
            random: maker.make('C', 8),
            incidents: maker.make('C', 8),
            deploys: maker.make('C', 8),
            leads: (0..org.departments()).map(|_| maker.make('C', 8)).collect(),
            team_groups: HashMap::new(),
            dms: HashMap::new(),
            tracker_user: maker.make('U', 10),
            tracker_bot: maker.make('B', 10),
            deploy_bot: maker.make('B', 10),
            alerts_bot: maker.make('B', 10),
            former_employee: maker.make('U', 10),
        };
        let mut dm_pairs: Vec<(usize, usize)> = Vec::new();
        for t in org.teams.iter().filter(|t| t.chat() == Chat::Slack) {
            for (i, &a) in t.members.iter().enumerate() {
                for &b in &t.members[i + 1..] {
                    dm_pairs.push(if a < b { (a, b) } else { (b, a) });
                }
            }
            if t.members.len() >= 3 {
                let handles: Vec<&str> = t.members[..3]
                    .iter()
                    .map(|&p| org.people[p].handle.as_str())
                    .collect();
                ids.team_groups.insert(
                    t.index,
                    (maker.make('C', 8), format!("mpdm-{}-1", handles.join("--"))),
                );
            }
        }
        dm_pairs.extend(pairs.iter().copied());
        dm_pairs.sort_unstable();
        dm_pairs.dedup();
        for pair in &dm_pairs {
            ids.dms.insert(*pair, maker.make('D', 8));
        }
        let export = org.export_time();
        let stamp = zip::DateTime::from_date_and_time(
            export.year() as u16,
            export.month() as u8,
            export.day() as u8,
            export.hour() as u8,
            export.minute() as u8,
            0,
        )
        .map_err(|e| io::Error::other(format!("export time out of the ZIP range: {e}")))?;
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(DEFLATE_LEVEL))
            .last_modified_time(stamp)
            .unix_permissions(0o644);
        let mut w = SlackWriter {
            org,
            zip: ZipWriter::new_stream(out),
            options,
            ids,
            pending: BTreeMap::new(),
            folders_seen: Default::default(),
            seq: 0,
            text_rng: Rng::derive(org.seed, &[stream::TEXT, u64::MAX]),
            stats: SlackStats::default(),
            posts: 0,
            log: Vec::new(),
        };
        w.write_metadata(&dm_pairs)?;
        Ok(w)
    }

    fn entry(&mut self, name: &str, value: &Value) -> io::Result<()> {
        self.zip.start_file(name, self.options).map_err(zip_err)?;
        write_pretty(&mut self.zip, value)
    }

    fn write_metadata(&mut self, dm_pairs: &[(usize, usize)]) -> io::Result<()> {
        let org = self.org;
        let export = org.export_time();
        let created = org
            .start
            .and_hms_opt(9, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp()
            - 400 * 86_400;
        let team_id = org.slack_team_id.clone();
        let mut users: Vec<Value> = Vec::with_capacity(org.people.len() + 2);
        for p in &org.people {
            let team = &org.teams[p.team];
            let (first, last) = p.name.split_once(' ').unwrap_or((p.name.as_str(), ""));
            let mut profile = json!({
                "title": if p.is_lead { format!("Engineering Lead, {}", team.name) } else { format!("Engineer, {}", team.name) },
                "phone": "", "skype": "",
                "real_name": p.name, "real_name_normalized": p.name,
                "display_name": p.first, "display_name_normalized": p.first,
                "fields": null, "status_text": "", "status_emoji": "",
                "avatar_hash": format!("g{:011x}", crate::rng::mix(p.index as u64) & 0xFFF_FFFF_FFFF),
                "first_name": first, "last_name": last, "team": team_id,
            });
            // A few profiles hide their email: people.csv's aliases resolve them.
            if p.index % 13 != 5
                && let Some(obj) = profile.as_object_mut()
            {
                obj.insert("email".to_owned(), Value::String(p.email.clone()));
            }
            users.push(json!({
                "id": p.slack_id, "team_id": team_id, "name": p.handle, "deleted": false,
                "color": format!("{:06x}", crate::rng::mix(p.index as u64 + 7) & 0xFF_FFFF),
                "real_name": p.name, "tz": p.zone.iana(), "tz_label": tz_label(p.zone, export),
                "tz_offset": p.zone.offset_seconds(export), "profile": profile,
                "is_admin": p.index == org.ceo(), "is_owner": p.index == org.ceo(), "is_primary_owner": p.index == org.ceo(),
                "is_restricted": false, "is_ultra_restricted": false, "is_bot": false, "is_app_user": false,
                "updated": export.timestamp() - 86_400 * (p.index as i64 % 90), "is_email_confirmed": true,
            }));
        }
        users.push(json!({
            "id": self.ids.tracker_user, "team_id": team_id, "name": "tracker", "deleted": false,
            "real_name": "Tracker", "tz": null, "profile": {"real_name": "Tracker", "display_name": "Tracker", "bot_id": self.ids.tracker_bot, "api_app_id": "A0TRACKER1", "first_name": "Tracker", "last_name": "", "team": team_id},
            "is_bot": true, "is_app_user": false, "updated": created,
        }));
        users.push(json!({
            "id": self.ids.former_employee, "team_id": team_id, "name": "alex.former", "deleted": true,
            "real_name": "Alex Former", "tz": "America/New_York", "tz_label": "Eastern Standard Time", "tz_offset": -18000,
            "profile": {"real_name": "Alex Former", "display_name": "Alex", "email": format!("alex.former@{DOMAIN}"), "first_name": "Alex", "last_name": "Former", "team": team_id},
            "is_bot": false, "is_app_user": false, "updated": created,
        }));
        self.entry("users.json", &Value::Array(users))?;

        let all_ids: Vec<&str> = org.people.iter().map(|p| p.slack_id.as_str()).collect();
        let topic = |value: &str| json!({"value": value, "creator": "", "last_set": 0});
        let channel = |id: &str, name: &str, members: Vec<&str>, general: bool, purpose: &str| {
            json!({
                "id": id, "name": name, "created": created, "creator": org.people[org.ceo()].slack_id,
                "is_archived": false, "is_general": general, "members": members,
                "topic": topic(""), "purpose": topic(purpose),
            })
        };
        let mut channels = vec![
            channel(
                &self.ids.general,
                "general",
                all_ids.clone(),
                true,
                "Company-wide announcements and work-based matters",
            ),
            channel(
                &self.ids.random,
                "random",
                all_ids.clone(),
                false,
                "Non-work banter and water cooler conversation",
            ),
            channel(
                &self.ids.incidents,
                "incidents",
                all_ids.clone(),
                false,
                "Alerts and incident coordination",
            ),
            channel(
                &self.ids.deploys,
                "deploys",
                all_ids.clone(),
                false,
                "Deploy notifications",
            ),
        ];
        for t in org.teams.iter().filter(|t| t.chat() == Chat::Slack) {
            let members: Vec<&str> = t
                .members
                .iter()
                .map(|&p| org.people[p].slack_id.as_str())
                .collect();
            channels.push(channel(
                &t.slack_channel_id,
                &t.slug,
                members,
                false,
                &format!("The {} team", t.name),
            ));
        }
        self.entry("channels.json", &Value::Array(channels))?;

        let groups: Vec<Value> = (0..org.departments())
            .map(|d| {
                let leads: Vec<&str> = org
                    .department_leads(d)
                    .into_iter()
                    .map(|p| org.people[p].slack_id.as_str())
                    .collect();
                let name = if d == 0 {
                    "leads".to_owned()
                } else {
                    format!("leads-{}", d + 1)
                };
                let mut v = channel(&self.ids.leads[d], &name, leads, false, "Engineering leads");
                if let Some(o) = v.as_object_mut() {
                    o.insert("is_private".to_owned(), Value::Bool(true));
                }
                v
            })
            .collect();
        self.entry("groups.json", &Value::Array(groups))?;

        let dms: Vec<Value> = dm_pairs
            .iter()
            .map(|&(a, b)| json!({"id": self.ids.dms[&(a, b)], "created": created, "members": [org.people[a].slack_id, org.people[b].slack_id]}))
            .collect();
        self.entry("dms.json", &Value::Array(dms))?;

        let mut mpims = Vec::new();
        for t in org.teams.iter().filter(|t| t.chat() == Chat::Slack) {
            if let Some((id, name)) = self.ids.team_groups.get(&t.index) {
                let members: Vec<&str> = t.members[..3]
                    .iter()
                    .map(|&p| org.people[p].slack_id.as_str())
                    .collect();
                mpims.push(json!({
                    "id": id, "name": name, "created": created, "creator": members[0], "is_archived": false,
                    "members": members, "topic": topic(""), "purpose": topic(&format!("Group messaging with: {}", members.join(" "))),
                }));
            }
        }
        self.entry("mpims.json", &Value::Array(mpims))?;
        let logs = json!({"logs": [
            {"service_id": "B0DEPLOY", "service_type": "Incoming WebHooks", "user_id": org.people[org.ceo()].slack_id, "user_name": org.people[org.ceo()].handle, "channel": "deploys", "date": created.to_string(), "change_type": "added"},
            {"app_id": "A0TRACKER1", "app_type": "Tracker", "user_id": org.people[org.ceo()].slack_id, "user_name": org.people[org.ceo()].handle, "date": created.to_string(), "change_type": "added", "scope": "chat:write"},
        ]});
        self.entry("integration_logs.json", &logs)
    }

    /// The folder of a conversation.
    fn folder(&self, conv: Conv) -> String {
        let org = self.org;
        match conv {
            Conv::Team(t) => org.teams[t].slug.clone(),
            Conv::Dm(a, b) => self
                .ids
                .dms
                .get(&(a, b))
                .cloned()
                .unwrap_or_else(|| format!("D{a}X{b}")),
            Conv::TeamGroup(t) => self
                .ids
                .team_groups
                .get(&t)
                .map(|g| g.1.clone())
                .unwrap_or_default(),
            Conv::General => "general".to_owned(),
            Conv::Random => "random".to_owned(),
            Conv::Incidents => "incidents".to_owned(),
            Conv::Deploys => "deploys".to_owned(),
            Conv::Leads(d) => {
                if d == 0 {
                    "leads".to_owned()
                } else {
                    format!("leads-{}", d + 1)
                }
            }
        }
    }

    fn channel_id(&self, conv: Conv) -> String {
        match conv {
            Conv::Team(t) => self.org.teams[t].slack_channel_id.clone(),
            Conv::General => self.ids.general.clone(),
            Conv::Random => self.ids.random.clone(),
            Conv::Incidents => self.ids.incidents.clone(),
            Conv::Deploys => self.ids.deploys.clone(),
            Conv::Leads(d) => self.ids.leads[d].clone(),
            Conv::TeamGroup(t) => self
                .ids
                .team_groups
                .get(&t)
                .map(|g| g.0.clone())
                .unwrap_or_default(),
            Conv::Dm(a, b) => self.ids.dms.get(&(a, b)).cloned().unwrap_or_default(),
        }
    }

    fn user_id(&self, author: Author) -> Option<String> {
        match author {
            Author::Person(p) => Some(self.org.people[p].slack_id.clone()),
            Author::Bot(Bot::Tracker) => Some(self.ids.tracker_user.clone()),
            Author::Bot(Bot::Slackbot) => Some("USLACKBOT".to_owned()),
            Author::Bot(_) => None,
        }
    }

    /// Adds a post: its messages go to the day files of their UTC dates.
    /// Messages after the export time are not in the export.
    pub fn add(&mut self, post: &Post) {
        let cutoff = self.org.export_time();
        let msgs: Vec<&crate::plan::Msg> = post.msgs.iter().filter(|m| m.at < cutoff).collect();
        if msgs.is_empty() {
            return;
        }
        let key = self.org.teams.get(match post.conv {
            Conv::Team(t) | Conv::TeamGroup(t) => t,
            _ => 0,
        });
        let key = key.map_or("OPS".to_owned(), |t| t.key.clone());
        let folder = self.folder(post.conv);
        let ts: Vec<String> = msgs
            .iter()
            .map(|m| {
                self.seq += 1;
                format!("{}.{:06}", m.at.timestamp(), self.seq % 1_000_000)
            })
            .collect();
        let threaded = post.threaded && msgs.len() > 1;
        self.posts += 1;
        let parent_user = self.user_id(msgs[0].author);
        for (i, m) in msgs.iter().enumerate() {
            let mention = m
                .mention
                .map(|p| format!("<@{}>", self.org.people[p].slack_id));
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
                    huddle: matches!(m.say, Say::Huddle { .. }),
                    mention: m.mention,
                    question,
                    ack,
                    urgent,
                    call,
                    decision,
                });
            }
            let mut o = Map::new();
            o.insert("type".to_owned(), Value::String("message".to_owned()));
            let user = self.user_id(m.author);
            match (&m.say, m.author) {
                (Say::Join, _) => {
                    o.insert(
                        "subtype".to_owned(),
                        Value::String("channel_join".to_owned()),
                    );
                }
                (
                    Say::Huddle {
                        ended,
                        participants,
                    },
                    Author::Person(p),
                ) => {
                    o.insert(
                        "subtype".to_owned(),
                        Value::String("huddle_thread".to_owned()),
                    );
                    o.insert("no_notifications".to_owned(), Value::Bool(true));
                    let ids: Vec<String> = participants
                        .iter()
                        .map(|&q| self.org.people[q].slack_id.clone())
                        .collect();
                    let room_id = format!("R0{:09X}", crate::rng::mix(self.seq) & 0xF_FFFF_FFFF);
                    o.insert(
                        "room".to_owned(),
                        json!({
                            "id": room_id, "name": "", "media_server": "", "created_by": self.org.people[p].slack_id,
                            "date_start": m.at.timestamp(), "date_end": ended.timestamp(),
                            "participants": [], "participant_history": ids, "participants_camera_on": [],
                            "participants_camera_off": [], "participants_screenshare_on": [], "participants_screenshare_off": [],
                            "channels": [self.channel_id(post.conv)], "is_dm_call": false, "was_rejected": false,
                            "was_missed": false, "was_accepted": false, "has_ended": true, "call_family": "huddle",
                            "attached_file_ids": [], "media_backend_type": "free_willy", "display_id": "", "app_id": "A00",
                        }),
                    );
                }
                (_, Author::Bot(Bot::Deploy)) => {
                    o.insert(
                        "subtype".to_owned(),
                        Value::String("bot_message".to_owned()),
                    );
                    o.insert("username".to_owned(), Value::String("deploybot".to_owned()));
                    o.insert(
                        "bot_id".to_owned(),
                        Value::String(self.ids.deploy_bot.clone()),
                    );
                }
                (_, Author::Bot(Bot::Alerts)) => {
                    o.insert(
                        "subtype".to_owned(),
                        Value::String("bot_message".to_owned()),
                    );
                    o.insert("username".to_owned(), Value::String("alerts".to_owned()));
                    o.insert(
                        "bot_id".to_owned(),
                        Value::String(self.ids.alerts_bot.clone()),
                    );
                }
                (_, Author::Bot(Bot::Tracker)) => {
                    o.insert(
                        "bot_id".to_owned(),
                        Value::String(self.ids.tracker_bot.clone()),
                    );
                    o.insert("app_id".to_owned(), Value::String("A0TRACKER1".to_owned()));
                }
                _ => {}
            }
            let text = if matches!(m.say, Say::Join) {
                format!(
                    "<@{}> has joined the channel",
                    user.clone().unwrap_or_default()
                )
            } else {
                text
            };
            if let Some(u) = &user {
                o.insert("user".to_owned(), Value::String(u.clone()));
            }
            o.insert("text".to_owned(), Value::String(text));
            o.insert("ts".to_owned(), Value::String(ts[i].clone()));
            if let Author::Person(p) = m.author
                && !m.say.is_system()
            {
                let person = &self.org.people[p];
                o.insert(
                    "client_msg_id".to_owned(),
                    Value::String(uuid_like(crate::rng::mix(
                        self.seq ^ (i as u64) << 20 ^ p as u64,
                    ))),
                );
                o.insert(
                    "team".to_owned(),
                    Value::String(self.org.slack_team_id.clone()),
                );
                o.insert(
                    "user_profile".to_owned(),
                    json!({"first_name": person.first, "real_name": person.name, "display_name": person.first, "name": person.handle, "is_restricted": false, "is_ultra_restricted": false}),
                );
            }
            if threaded {
                o.insert("thread_ts".to_owned(), Value::String(ts[0].clone()));
                if i == 0 {
                    let reply_users: Vec<String> = {
                        let mut v: Vec<String> = Vec::new();
                        for r in &msgs[1..] {
                            if let Some(u) = self.user_id(r.author)
                                && !v.contains(&u)
                            {
                                v.push(u);
                            }
                        }
                        v
                    };
                    o.insert("reply_count".to_owned(), Value::from(msgs.len() - 1));
                    o.insert(
                        "reply_users_count".to_owned(),
                        Value::from(reply_users.len()),
                    );
                    o.insert(
                        "latest_reply".to_owned(),
                        Value::String(ts[ts.len() - 1].clone()),
                    );
                    o.insert(
                        "reply_users".to_owned(),
                        Value::Array(reply_users.into_iter().map(Value::String).collect()),
                    );
                    let replies: Vec<Value> = msgs[1..]
                        .iter()
                        .zip(&ts[1..])
                        .map(|(r, t)| json!({"user": self.user_id(r.author), "ts": t}))
                        .collect();
                    o.insert("replies".to_owned(), Value::Array(replies));
                    o.insert("is_locked".to_owned(), Value::Bool(false));
                    o.insert("subscribed".to_owned(), Value::Bool(false));
                } else if let Some(pu) = &parent_user {
                    o.insert("parent_user_id".to_owned(), Value::String(pu.clone()));
                }
            }
            let date = m.at.date_naive();
            self.pending
                .entry(date)
                .or_default()
                .entry(folder.clone())
                .or_default()
                .push(Pending {
                    ts: ts[i].clone(),
                    value: Value::Object(o),
                });
        }
    }

    /// Writes every day file of dates up to `date` (UTC).
    pub fn flush_through(&mut self, date: NaiveDate) -> io::Result<()> {
        while let Some(entry) = self.pending.first_entry() {
            if *entry.key() > date {
                break;
            }
            let (day, folders) = entry.remove_entry();
            for (folder, mut msgs) in folders {
                msgs.sort_by_key(|p| ts_key(&p.ts));
                if self.folders_seen.insert(folder.clone()) {
                    self.zip
                        .add_directory(format!("{folder}/"), self.options)
                        .map_err(zip_err)?;
                }
                self.zip
                    .start_file(
                        format!("{folder}/{}.json", day.format("%Y-%m-%d")),
                        self.options,
                    )
                    .map_err(zip_err)?;
                let values: Vec<Value> = msgs.into_iter().map(|p| p.value).collect();
                self.stats.messages += values.len() as u64;
                self.stats.day_files += 1;
                write_pretty(&mut self.zip, &Value::Array(values))?;
            }
        }
        Ok(())
    }

    /// Writes what is left and the ZIP's central directory.
    pub fn finish(mut self) -> io::Result<(W, SlackStats)> {
        self.flush_through(NaiveDate::MAX)?;
        let stats = self.stats;
        let inner = self.zip.finish().map_err(zip_err)?;
        Ok((inner.into_inner(), stats))
    }
}

fn ts_key(ts: &str) -> (u64, u64) {
    let (a, b) = ts.split_once('.').unwrap_or((ts, "0"));
    (a.parse().unwrap_or(0), b.parse().unwrap_or(0))
}

fn uuid_like(x: u64) -> String {
    let y = crate::rng::mix(x);
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        x >> 32,
        (x >> 16) & 0xFFFF,
        x & 0xFFF,
        y >> 52,
        y & 0xFFFF_FFFF_FFFF
    )
}

/// Pretty JSON with four-space indents, as Slack writes its exports. The
/// file is formatted in memory first (one day file at a time) so the ZIP
/// writer sees one large write instead of thousands of small ones.
fn write_pretty(w: &mut dyn Write, value: &Value) -> io::Result<()> {
    let mut buf = Vec::with_capacity(1 << 14);
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    serde::Serialize::serialize(value, &mut ser).map_err(io::Error::other)?;
    w.write_all(&buf)
}
